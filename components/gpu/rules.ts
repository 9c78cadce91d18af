import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";

/** How long a GPU may sit idle under a pod before the team hears of it. */
export const IDLE_GPU_FOR = "1h";

/**
 * GPUs that a pod holds but does not use: DCGM labels a GPU's metrics with the pod that was
 * allocated it, so a GPU whose utilisation stays under 1 % for an hour under a pod is waste.
 * The alert carries the pod's namespace as `namespace`, so it reaches that team's topic.
 */
export function gpuRules(namespace: string): IPrometheusRule {
    const util = `max by (exported_namespace, exported_pod, gpu, Hostname) (max_over_time(DCGM_FI_DEV_GPU_UTIL{exported_pod!=""}[${IDLE_GPU_FOR}]))`;
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "envstack-gpu", namespace, labels: { "app.kubernetes.io/part-of": "envstack" } },
        spec: {
            groups: [
                {
                    name: "envstack.gpu",
                    rules: [
                        {
                            alert: "GpuAllocatedButIdle",
                            expr: `label_replace(${util}, "namespace", "$1", "exported_namespace", "(.*)") < 1`,
                            for: "15m",
                            labels: { severity: "warning" },
                            annotations: {
                                summary: "A GPU held by {{ $labels.namespace }}/{{ $labels.exported_pod }} has been idle for an hour.",
                                description: "The pod holds GPU {{ $labels.gpu }} on {{ $labels.Hostname }} but has not used it: release it (scale the workload down) so others can.",
                            },
                        },
                    ],
                },
            ],
        },
    };
}
