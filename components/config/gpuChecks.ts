import type { Problems } from "./errors";
import { ACCELERATED_CATEGORIES, architectureOf, instanceTypeInfo, isGpuInstanceType } from "./instanceTypes";

/**
 * GPU capacity lives only where it is tainted and bounded: the GPU pool, or node groups marked
 * `accelerator: nvidia`. General pools and groups never launch GPU types, and a GPU group is GPU
 * types only (x86_64: the NVIDIA AMI type is).
 */

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function checkGpuCapacity(root: Obj, problems: Problems): void {
    const karpenter = obj(root.karpenter);
    list(karpenter.instanceCategories).forEach((c, i) => {
        if (typeof c === "string" && ACCELERATED_CATEGORIES.includes(c)) {
            problems.bad(`karpenter.instanceCategories[${i}]`, c, "allowed: categories without accelerators; GPU capacity belongs in karpenter.gpu, whose pool is tainted and bounded in GPUs");
        }
    });
    if (obj(karpenter.gpu).enabled === true && karpenter.enabled === false) problems.bad("karpenter.gpu.enabled", true, "allowed: false while karpenter.enabled is false (the GPU pool is Karpenter's); for GPUs without Karpenter, add a node group with accelerator: nvidia");
    const cluster = obj(root.cluster);
    list(obj(cluster.systemNodeGroup).instanceTypes).forEach((t, j) => {
        if (typeof t === "string" && isGpuInstanceType(t)) problems.bad(`cluster.systemNodeGroup.instanceTypes[${j}]`, t, "allowed: types without GPUs (the system nodes run the cluster's add-ons)");
    });
    list(cluster.nodeGroups).forEach((raw, i) => {
        const group = obj(raw);
        const gpu = group.accelerator === "nvidia";
        list(group.instanceTypes).forEach((t, j) => {
            if (typeof t !== "string") return;
            const path = `cluster.nodeGroups[${i}].instanceTypes[${j}]`;
            if (!gpu && isGpuInstanceType(t)) problems.bad(path, t, "allowed: types without GPUs; for GPUs, set accelerator: nvidia on this group (the NVIDIA AMI and the nvidia.com/gpu taint)");
            if (gpu && !isGpuInstanceType(t)) problems.bad(path, t, "allowed: NVIDIA GPU types only in a group with accelerator: nvidia");
            if (gpu && architectureOf(t) !== "x86_64") problems.bad(path, t, "allowed: x86_64 GPU types (the group's AMI type is AL2023_x86_64_NVIDIA)");
        });
    });
}

/** GPUs the environment can run: the GPU pool's limit and every GPU group at its maximum size. */
export function gpuCapacity(root: Obj): { gpus: number; sources: string[] } {
    const karpenter = obj(root.karpenter);
    const gpu = obj(karpenter.gpu);
    const sources: string[] = [];
    let gpus = 0;
    if (karpenter.enabled !== false && gpu.enabled === true && typeof gpu.maxGpus === "number") {
        gpus += gpu.maxGpus;
        sources.push(`the GPU pool (${gpu.maxGpus})`);
    }
    for (const raw of list(obj(root.cluster).nodeGroups)) {
        const group = obj(raw);
        if (group.accelerator !== "nvidia" || typeof group.maxSize !== "number") continue;
        const perNode = Math.max(0, ...list(group.instanceTypes).map((t) => (typeof t === "string" ? (instanceTypeInfo(t)?.gpus ?? 0) : 0)));
        gpus += group.maxSize * perNode;
        sources.push(`node group ${String(group.name)} (${group.maxSize * perNode})`);
    }
    return { gpus, sources };
}
