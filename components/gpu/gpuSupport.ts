import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ACCELERATOR_LABEL, GPU_RESOURCE } from "../config/instanceTypes";
import { createGuard } from "../shared/admission";
import { ChartAddonArgs, chartRelease } from "../shared/chart";
import { MONITORING_NAMESPACE } from "../shared/naming";
import { checkGpuSupportArguments } from "./args";
import { gpuGuardPolicy } from "./guard";
import { gpuRules } from "./rules";

/** What GPU nodes need from the cluster. */
export interface GpuSupportArgs extends ChartAddonArgs {
    /** Whether Prometheus runs: then DCGM's metrics are scraped and the idle-GPU alert is on. */
    monitoring: boolean;
}

/** Where both DaemonSets run. */
export const GPU_SUPPORT_NAMESPACE = "kube-system";

/** GPU nodes only: Karpenter's (by its GPU label) and GPU node groups' (by envstack's accelerator label). */
export function gpuNodeAffinity() {
    const term = (key: string) => ({ matchExpressions: [{ key, operator: "In", values: ["nvidia"] }] });
    return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term("karpenter.k8s.aws/instance-gpu-manufacturer"), term(ACCELERATOR_LABEL)] } } };
}
/** Both tolerate the GPU taint, and nothing else. */
export const GPU_TOLERATIONS = [{ key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" }];

/**
 * What makes GPU nodes usable and visible: NVIDIA's device plugin, which advertises
 * `nvidia.com/gpu` so pods can request it, and NVIDIA's DCGM exporter, whose per-pod GPU metrics
 * Prometheus scrapes, with an alert for GPUs that sit idle while a pod holds them. A guard keeps
 * team pods that tolerate the GPU taint to GPU work.
 */
export class GpuSupport extends pulumi.ComponentResource {
    /** The device plugin's release. */
    readonly devicePlugin: k8s.helm.v3.Release;
    /** The DCGM exporter's release. */
    readonly dcgmExporter: k8s.helm.v3.Release;

    constructor(name: string, args: GpuSupportArgs, opts?: pulumi.ComponentResourceOptions) {
        checkGpuSupportArguments(args);
        super("envstack:index:GpuSupport", name, {}, opts);
        const onCluster = { parent: this, provider: args.k8sProvider, dependsOn: args.dependsOn };
        createGuard(`${name}-team-gpu-guard`, gpuGuardPolicy(), onCluster);
        this.devicePlugin = chartRelease(`${name}-nvidia-device-plugin`, args.versions.charts.nvidiaDevicePlugin, { name: "nvidia-device-plugin", namespace: GPU_SUPPORT_NAMESPACE, values: devicePluginValues() }, onCluster);
        this.dcgmExporter = chartRelease(`${name}-dcgm-exporter`, args.versions.charts.dcgmExporter, { name: "dcgm-exporter", namespace: GPU_SUPPORT_NAMESPACE, values: dcgmExporterValues(args.monitoring) }, onCluster);
        if (args.monitoring) {
            new k8s.apiextensions.CustomResource(`${name}-gpu-rules`, gpuRules(MONITORING_NAMESPACE) as unknown as k8s.apiextensions.CustomResourceArgs, { ...onCluster, dependsOn: [this.dcgmExporter] });
        }
        this.registerOutputs({});
    }
}

/** The device plugin's values: on GPU nodes only, with requests set. */
export function devicePluginValues() {
    return {
        affinity: gpuNodeAffinity(),
        tolerations: GPU_TOLERATIONS,
        resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
        priorityClassName: "system-node-critical",
    };
}

/** The DCGM exporter's values: on GPU nodes only, scraped when Prometheus runs. */
export function dcgmExporterValues(monitoring: boolean) {
    return {
        affinity: gpuNodeAffinity(),
        tolerations: GPU_TOLERATIONS,
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
        priorityClassName: "system-node-critical",
        // Without honorLabels the workload's pod and namespace arrive as exported_pod and exported_namespace.
        serviceMonitor: { enabled: monitoring, interval: "30s" },
    };
}
