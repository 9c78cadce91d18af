import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { ACCELERATOR_LABEL, GPU_RESOURCE } from "../config/instanceTypes";
import type { GpuPoolConfig } from "../config/types";
import { POOL_LABEL } from "./manifests";

/**
 * The GPU pool. Its EC2NodeClass has the same pinned AL2023 alias as the others: Karpenter
 * resolves the alias to the NVIDIA variant of that release for instance types with GPUs (the
 * variant's requirement is `karpenter.k8s.aws/instance-gpu-count Exists`), so the driver and the
 * container toolkit come with the AMI. A class of its own gives GPU nodes their larger root volume.
 */

/** The GPU pool's and its node class's name. */
export const GPU_POOL = "gpu";

/** The NodePool of NVIDIA GPU nodes: tainted, limited in GPUs as in CPU and memory, emptied before it is disrupted. */
export function gpuNodePool(gpu: GpuPoolConfig): INodePool {
    return {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: GPU_POOL },
        spec: {
            template: {
                metadata: { labels: { [POOL_LABEL]: GPU_POOL, [ACCELERATOR_LABEL]: "nvidia" } },
                spec: {
                    nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: GPU_POOL },
                    requirements: [
                        { key: "karpenter.sh/capacity-type", operator: "In", values: gpu.capacityTypes },
                        { key: "karpenter.k8s.aws/instance-family", operator: "In", values: gpu.instanceFamilies },
                        { key: "karpenter.k8s.aws/instance-gpu-manufacturer", operator: "In", values: ["nvidia"] },
                        { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
                        { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                    ],
                    taints: [{ key: GPU_RESOURCE, effect: "NoSchedule" }],
                    expireAfter: gpu.expireAfter,
                },
            },
            limits: { cpu: String(gpu.maxCpu), memory: `${gpu.maxMemoryGiB}Gi`, [GPU_RESOURCE]: String(gpu.maxGpus) },
            // Long jobs: a node goes only when it is empty, and no more than the budgets allow at once.
            disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: gpu.consolidateAfter, budgets: gpu.budgets.map((b) => ({ ...b })) },
        },
    };
}
