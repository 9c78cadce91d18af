import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AlertReceivers, ObservabilityConfig } from "../config/types";
import type { ChartVersion, VersionMap } from "../config/versions";
import { LongTermMetrics } from "../longTermMetrics";
import { PROMETHEUS_SERVICE_ACCOUNT, GRAFANA_SERVICE_ACCOUNT } from "../longTermMetrics/names";
import type { Tags } from "../shared/tags";
import { MONITORING_NAMESPACE, TEAM_LABEL } from "../shared/naming";
import { ALERTMANAGER_SERVICE_ACCOUNT, createAlertTopics } from "./alerts";
import { monitoringAllowance, NODE_EXPORTER_RESOURCES } from "./quota";
import { monitoringNetworkPolicies } from "./monitoringNetwork";
import { alertRouting, enforcedNamespaceValues, TeamAlertRoute } from "./tenancy";
import { karpenterServiceMonitor, platformRules } from "./rules";

export { MONITORING_NAMESPACE };

export { ALERTMANAGER_SERVICE_ACCOUNT };
export const GRAFANA_ADMIN_SECRET = "grafana-admin";

export interface PrometheusStackArgs {
    clusterName: string;
    accountId: string;
    region: string;
    config: ObservabilityConfig["prometheus"];
    longTermMetrics: ObservabilityConfig["longTermMetrics"];
    logRetentionInDays: number;
    versions: VersionMap;
    protect: boolean;
    alerts: ObservabilityConfig["alerts"];
    /** Every team namespace, with its own alert receivers (if any). */
    teams: { name: string; alerts: AlertReceivers }[];
    chart: ChartVersion;
    kmsKeyArn: pulumi.Input<string>;
    /** The StorageClass for every volume (the encrypted gp3 class). */
    storageClassName: string;
    /** Whether Karpenter runs, so its metrics are scraped. */
    scrapeKarpenter: boolean;
    /** The most nodes the cluster may run: one node exporter each, in the namespace's quota. */
    maxNodes: number;
    k8sProvider: k8s.Provider;
    /** The storage class and whatever else must exist first. */
    dependsOn: pulumi.Resource[];
    tags: Tags;
}

/** Values for kube-prometheus-stack, suited to EKS. */
export function prometheusStackValues(args: Pick<PrometheusStackArgs, "config" | "region" | "storageClassName"> & { longTermMetrics?: PrometheusStackArgs["longTermMetrics"] }, topicArn: pulumi.Input<string>, teams: TeamAlertRoute[] = []) {
    // With a long-term backend Prometheus keeps only recent days: queries of older data go to the backend.
    const longTerm = args.longTermMetrics !== undefined && args.longTermMetrics.backend !== "none";
    const volume = (gib: number) => ({ volumeClaimTemplate: { spec: { storageClassName: args.storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gib}Gi` } } } } });
    return {
        fullnameOverride: "kps",
        crds: { enabled: true, upgradeJob: { enabled: true } },
        // EKS runs these on the managed control plane and does not expose their metrics.
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeEtcd: { enabled: false },
        // kube-proxy binds its metrics to 127.0.0.1 on EKS nodes: scraping it only fires TargetDown.
        kubeProxy: { enabled: false },
        prometheus: {
            // Named, so the long-term backends' Pod Identity associations match it.
            serviceAccount: { create: true, name: PROMETHEUS_SERVICE_ACCOUNT },
            prometheusSpec: {
                retention: longTerm ? args.longTermMetrics!.localRetention : args.config.retention,
                retentionSize: `${args.config.retentionSizeGB}GB`,
                storageSpec: volume(args.config.storageGiB),
                resources: { requests: { cpu: args.config.cpu, memory: args.config.memory }, limits: { memory: args.config.memory } },
                // Select every ServiceMonitor, PodMonitor, Probe, ScrapeConfig and rule, not only the chart's.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                probeSelectorNilUsesHelmValues: false,
                scrapeConfigSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
                // Teams' series and alerts carry their namespace; the platform's objects are exempt.
                ...enforcedNamespaceValues(),
            },
        },
        // Its webhook would need the API server to reach into the monitoring namespace, which admits nothing from outside.
        prometheusOperator: { admissionWebhooks: { enabled: false } },
        alertmanager: {
            serviceAccount: { create: true, name: ALERTMANAGER_SERVICE_ACCOUNT },
            alertmanagerSpec: {
                storage: volume(args.config.alertmanagerStorageGiB),
                resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            },
            config: { global: { resolve_timeout: "5m" }, ...alertRouting(topicArn, args.region, teams) },
        },
        grafana: {
            fullnameOverride: "grafana",
            serviceAccount: { create: true, name: GRAFANA_SERVICE_ACCOUNT },
            admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
            persistence: { enabled: true, type: "pvc", storageClassName: args.storageClassName, size: `${args.config.grafanaStorageGiB}Gi` },
            service: { type: "ClusterIP" },
            ingress: { enabled: false },
            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
        },
        "kube-state-metrics": { metricLabelsAllowlist: [`namespaces=[${TEAM_LABEL}]`] },
        // Stated, so the namespace's quota can count one per node.
        "prometheus-node-exporter": { resources: NODE_EXPORTER_RESOURCES },
    };
}

/** The Prometheus side: namespace, secrets, the alert topic and its publisher, the chart, and envstack's rules. */
export function createPrometheusStack(name: string, args: PrometheusStackArgs, parent: pulumi.Resource) {
    const onCluster = { parent, provider: args.k8sProvider };
    const namespace = new k8s.core.v1.Namespace(
        `${name}-monitoring`,
        // node-exporter needs the host's network and PIDs, so this namespace is privileged.
        { metadata: { name: MONITORING_NAMESPACE, labels: { "pod-security.kubernetes.io/enforce": "privileged", "app.kubernetes.io/part-of": "envstack" } } },
        onCluster,
    );
    // Fenced like every namespace: a quota sized for the stack and one node exporter per node.
    const allowance = monitoringAllowance(args.config, args.maxNodes);
    const quota = new k8s.core.v1.ResourceQuota(
        `${name}-monitoring`,
        { metadata: { name: "monitoring", namespace: MONITORING_NAMESPACE }, spec: { hard: allowance.quota } },
        { ...onCluster, dependsOn: [namespace] },
    );
    const limits = new k8s.core.v1.LimitRange(
        `${name}-monitoring`,
        { metadata: { name: "monitoring", namespace: MONITORING_NAMESPACE }, spec: { limits: [{ type: "Container", defaultRequest: allowance.defaultRequest }] } },
        { ...onCluster, dependsOn: [namespace] },
    );
    const longTerm =
        args.longTermMetrics.backend === "none"
            ? undefined
            : new LongTermMetrics(
                  `${name}-long-term-metrics`,
                  {
                      backend: args.longTermMetrics.backend,
                      amp: args.longTermMetrics.amp,
                      thanos: args.longTermMetrics.thanos,
                      clusterName: args.clusterName,
                      region: args.region,
                      accountId: args.accountId,
                      namespace: MONITORING_NAMESPACE,
                      kmsKeyArn: args.kmsKeyArn,
                      logRetentionInDays: args.logRetentionInDays,
                      storageClassName: args.storageClassName,
                      protect: args.protect,
                      versions: args.versions,
                      k8sProvider: args.k8sProvider,
                      dependsOn: [namespace, quota, limits, ...args.dependsOn],
                      tags: args.tags,
                  },
                  { parent },
              );
    const password = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent });
    const grafanaSecret = new k8s.core.v1.Secret(
        `${name}-grafana-admin`,
        { metadata: { name: GRAFANA_ADMIN_SECRET, namespace: MONITORING_NAMESPACE }, type: "Opaque", stringData: { "admin-user": "admin", "admin-password": password.result } },
        { ...onCluster, dependsOn: [namespace] },
    );

    for (const policy of monitoringNetworkPolicies()) {
        new k8s.networking.v1.NetworkPolicy(`${name}-monitoring-${policy.metadata!.name}`, policy as k8s.networking.v1.NetworkPolicyArgs, { ...onCluster, dependsOn: [namespace] });
    }
    const alerts = createAlertTopics(name, args, parent);

    const release = new k8s.helm.v3.Release(
        `${name}-kube-prometheus-stack`,
        {
            name: "kube-prometheus-stack",
            chart: args.chart.chart,
            version: args.chart.version,
            repositoryOpts: { repo: args.chart.repository },
            namespace: MONITORING_NAMESPACE,
            atomic: true,
            timeout: 900,
            values: pulumi.output(longTerm?.values ?? {}).apply((extra) => mergeValues(prometheusStackValues(args, alerts.platform.arn, alerts.teamRoutes), extra)),
        },
        // After the long-term store, roles and Secret: so it is deleted before them.
        { ...onCluster, dependsOn: [namespace, quota, limits, grafanaSecret, alerts.association, ...(longTerm?.ready ?? []), ...args.dependsOn] },
    );
    const afterRelease = { ...onCluster, dependsOn: [release] };
    const rules = platformRules(MONITORING_NAMESPACE);
    const custom = [new k8s.apiextensions.CustomResource(`${name}-platform-rules`, rules as unknown as k8s.apiextensions.CustomResourceArgs, afterRelease)];
    if (args.scrapeKarpenter) {
        const monitor = karpenterServiceMonitor(MONITORING_NAMESPACE);
        custom.push(new k8s.apiextensions.CustomResource(`${name}-karpenter-metrics`, monitor as unknown as k8s.apiextensions.CustomResourceArgs, afterRelease));
    }
    return { namespace, release, topic: alerts.platform, publisher: alerts.publisher, custom, longTerm };
}

/** Deep-merges chart values: maps merge, anything else (lists included) is replaced. */
export function mergeValues(base: object, extra: object): object {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(extra)) {
        const current = out[key];
        const isMap = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v) && !pulumi.Output.isInstance(v);
        out[key] = isMap(current) && isMap(value) ? mergeValues(current as object, value as object) : value;
    }
    return out;
}
