import type { ObservabilityConfig } from "../config/types";
import { parseQuantity as quantity } from "../shared/quantity";

/**
 * The monitoring namespace's own ResourceQuota and LimitRange. It holds privileged pods (node
 * exporters need the host), so it is fenced like any namespace: compute sized for the stack's
 * components, rolling updates, and one node exporter per node the cluster may run; pods to
 * match; storage for its volumes; no load balancers and no node ports.
 */

/** What each node exporter asks for; set in the chart values, so the quota's arithmetic holds. */
export const NODE_EXPORTER_RESOURCES = { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } };
/** What a container that states no requests gets. */
const DEFAULT_REQUEST = { cpu: "50m", memory: "64Mi" };
/** The other components (operator, kube-state-metrics, Grafana, Alertmanager and sidecars), generously. */
const OTHER_COMPONENTS = { cpu: 1, memoryGiB: 2 };
/** Pods other than the node exporters: Prometheus, Alertmanager, Grafana, operator, kube-state-metrics, the chart's webhook jobs, and slack. */
const OTHER_PODS = 8;

export interface MonitoringAllowance {
    quota: Record<string, string>;
    defaultRequest: Record<string, string>;
}

// Rounded up to whole millicores, after float noise is rounded away.
const cpuText = (cores: number) => `${Math.ceil(Math.round(cores * 1e6) / 1e3)}m`;
const memoryText = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)}Mi`;

/** The quota for a Prometheus config on a cluster of at most `maxNodes` nodes. */
export function monitoringAllowance(config: ObservabilityConfig["prometheus"], maxNodes: number): MonitoringAllowance {
    const prometheusCpu = quantity(config.cpu) ?? 0;
    const prometheusMemory = quantity(config.memory) ?? 0;
    const exporterCpu = quantity(NODE_EXPORTER_RESOURCES.requests.cpu)!;
    const exporterMemory = quantity(NODE_EXPORTER_RESOURCES.requests.memory)!;
    // Twice the Prometheus and the rest: a rolling update runs the old and the new pod together.
    const cpu = 2 * (prometheusCpu + OTHER_COMPONENTS.cpu) + exporterCpu * maxNodes;
    const memory = 2 * (prometheusMemory + OTHER_COMPONENTS.memoryGiB * 2 ** 30) + exporterMemory * maxNodes;
    const storageGiB = 2 * (config.storageGiB + config.alertmanagerStorageGiB + config.grafanaStorageGiB);
    return {
        quota: {
            "requests.cpu": cpuText(cpu),
            "requests.memory": memoryText(memory),
            "requests.storage": `${storageGiB}Gi`,
            // Every pod twice for a rolling update, plus the exporters (a DaemonSet replaces in place).
            pods: String(2 * OTHER_PODS + maxNodes),
            persistentvolumeclaims: "6",
            "services.loadbalancers": "0",
            "services.nodeports": "0",
        },
        defaultRequest: DEFAULT_REQUEST,
    };
}
