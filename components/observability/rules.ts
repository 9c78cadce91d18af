import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { TEAM_LABEL } from "../shared/naming";

// Team namespaces carry TEAM_LABEL; kube-state-metrics exports it so rules can select them.
export { TEAM_LABEL };
/** The same label as kube-state-metrics names it on `kube_namespace_labels`. */
export const TEAM_LABEL_METRIC = "label_envstack_io_team";

/**
 * envstack's own alerts for the platform's health, beside the chart's defaults: Karpenter that
 * cannot launch nodes, an interruption queue falling behind, volumes filling up, and pods
 * crash-looping in team namespaces.
 */
export function platformRules(namespace: string): IPrometheusRule {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "envstack-platform", namespace, labels: { "app.kubernetes.io/part-of": "envstack" } },
        spec: {
            groups: [
                {
                    name: "envstack.karpenter",
                    rules: [
                        {
                            alert: "KarpenterNodeClaimsNotLaunching",
                            expr: "sum(increase(karpenter_nodeclaims_created_total{namespace=\"kube-system\"}[15m])) > 0 and on() sum(increase(karpenter_nodeclaims_launched_total{namespace=\"kube-system\"}[15m])) == 0",
                            for: "15m",
                            labels: { severity: "critical" },
                            annotations: {
                                summary: "Karpenter creates node claims but no node launches.",
                                description: "For 15 minutes Karpenter has created NodeClaims without launching any instance: check EC2 capacity, quotas, and the controller's logs.",
                            },
                        },
                        {
                            alert: "KarpenterCloudProviderErrors",
                            expr: "sum by (method) (increase(karpenter_cloudprovider_errors_total{namespace=\"kube-system\"}[10m])) > 10",
                            for: "10m",
                            labels: { severity: "warning" },
                            annotations: { summary: "Karpenter's calls to EC2 keep failing ({{ $labels.method }})." },
                        },
                        {
                            alert: "KarpenterInterruptionQueueBacklog",
                            expr: "histogram_quantile(0.99, sum by (le) (rate(karpenter_interruption_message_queue_duration_seconds_bucket{namespace=\"kube-system\"}[10m]))) > 60",
                            for: "10m",
                            labels: { severity: "warning" },
                            annotations: {
                                summary: "Interruption messages wait over a minute in the queue.",
                                description: "Spot interruptions give two minutes' notice; a backlog means nodes may vanish before Karpenter drains them.",
                            },
                        },
                        {
                            alert: "KarpenterInterruptionMessagesPiling",
                            expr: "sum(increase(karpenter_interruption_received_messages_total{namespace=\"kube-system\"}[15m])) - sum(increase(karpenter_interruption_deleted_messages_total{namespace=\"kube-system\"}[15m])) > 20",
                            for: "15m",
                            labels: { severity: "warning" },
                            annotations: { summary: "Karpenter receives interruption messages faster than it handles them." },
                        },
                    ],
                },
                {
                    name: "envstack.storage",
                    rules: [
                        {
                            alert: "PersistentVolumeClaimFillingUp",
                            expr: "kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.10 and kubelet_volume_stats_used_bytes > 0",
                            for: "15m",
                            labels: { severity: "warning" },
                            annotations: { summary: "PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than 10% free." },
                        },
                        {
                            alert: "PersistentVolumeClaimAlmostFull",
                            expr: "kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.03 and kubelet_volume_stats_used_bytes > 0",
                            for: "5m",
                            labels: { severity: "critical" },
                            annotations: { summary: "PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than 3% free." },
                        },
                    ],
                },
                {
                    name: "envstack.teams",
                    rules: [
                        {
                            alert: "TeamPodCrashLooping",
                            expr:
                                'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) ' +
                                `* on (namespace) group_left (${TEAM_LABEL_METRIC}) kube_namespace_labels{${TEAM_LABEL_METRIC}!=""} >= 1`,
                            for: "15m",
                            labels: { severity: "warning" },
                            annotations: { summary: "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) of team {{ $labels." + TEAM_LABEL_METRIC + " }} is crash-looping." },
                        },
                    ],
                },
            ],
        },
    };
}

/** Scrapes the Karpenter controller's metrics service in kube-system. */
export function karpenterServiceMonitor(namespace: string): IServiceMonitor {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: "karpenter", namespace, labels: { "app.kubernetes.io/part-of": "envstack" } },
        spec: {
            namespaceSelector: { matchNames: ["kube-system"] },
            selector: { matchLabels: { "app.kubernetes.io/name": "karpenter" } },
            endpoints: [{ port: "http-metrics", interval: "30s" }],
        },
    };
}
