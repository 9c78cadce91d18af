import { ACCELERATED_CATEGORIES, GPU_RESOURCE, INSTANCE_TYPES, instanceTypeInfo, isGpuInstanceType } from "../../components/config/instanceTypes";
import { Choice, COMPUTE_TYPES as C, hasDefaultNodeGroup, instanceChoices } from "./instanceChoices";
import type { KubeObject } from "./kubernetes";
import { Keys, keysOf, nodeClassGroups, requirementsOf } from "./nodePools";
import { list, Props, T } from "./support";

/**
 * What may launch GPU nodes, and whether it keeps other pods off them. Karpenter's objects may
 * launch GPUs unless their requirements prove otherwise; node groups launch them through a GPU
 * type, an NVIDIA AMI or @pulumi/eks's gpu flag. Accelerated categories count as GPU capacity
 * throughout: a pool that mixes them in is not provably free of GPUs.
 */

/** Karpenter's category of a family or type: its letters before the generation (g5 -> g, gr6 -> gr). */
const categoryOf = (name: string) => /^[a-z]+/.exec(name.toLowerCase())?.[0] ?? "";

/** Accelerated categories, and any g or p category AWS adds later (gr6 carries NVIDIA L4s in category gr). */
export const categoryMayCarryGpu = (category: string) => {
    const c = category.toLowerCase();
    return ACCELERATED_CATEGORIES.includes(c) || /^[gp]/.test(c);
};
const familyMayCarryGpu = (family: string) => isGpuInstanceType(`${family}.xlarge`) || categoryMayCarryGpu(categoryOf(family));
export const typeMayCarryGpu = (type: string) => isGpuInstanceType(type) || categoryMayCarryGpu(categoryOf(type));

const WHOLE_NUMBER = /^\d+$/;

/**
 * Whether one requirement, read with a node class's keys, keeps GPU instances out (requirements
 * are ANDed, so one is enough). NotIn never does: an exclusion list lets through the accelerated
 * categories and families AWS adds after it was written; the GPU labels' absence covers those.
 */
function excludesGpus(r: Props, keys: Keys): boolean {
    const values = list<unknown>(r?.values).map(String);
    switch (r?.operator) {
        case "In":
            if (values.length === 0) return false;
            if (keys.category.includes(r.key)) return !values.some(categoryMayCarryGpu);
            if (keys.family.includes(r.key)) return !values.some(familyMayCarryGpu);
            if (keys.type.includes(r.key)) return !values.some(typeMayCarryGpu);
            return keys.gpuCount.includes(r.key) && values.every((v) => WHOLE_NUMBER.test(v) && Number(v) < 1);
        case "Lt":
            return keys.gpuCount.includes(r.key) && WHOLE_NUMBER.test(values[0] ?? "") && Number(values[0]) <= 1;
        case "DoesNotExist":
            return keys.gpuOnly.includes(r.key);
        default:
            return false;
    }
}

/** The GPU-capable values requirements allow, for the message. */
function gpuValues(requirements: Props[], keys: Keys): string {
    const allowed = (k: string[], mayCarry: (v: string) => boolean) => [
        ...new Set(requirements.filter((r) => k.includes(r?.key) && r.operator === "In").flatMap((r) => list<unknown>(r.values).map(String)).filter(mayCarry)),
    ];
    const named = (
        [
            ["instance categories", allowed(keys.category, categoryMayCarryGpu)],
            ["instance families", allowed(keys.family, familyMayCarryGpu)],
            ["instance types", allowed(keys.type, typeMayCarryGpu)],
        ] as const
    ).find(([, values]) => values.length > 0);
    return named ? `${named[0]} ${named[1].join(", ")}` : "its requirements do not rule them out";
}

/** How a NodePool, Provisioner or NodeClaim may launch GPU instances; undefined when its requirements keep them out under every node class it may use. */
export function gpuCapability(o: KubeObject): string | undefined {
    const requirements = list<Props>(requirementsOf(o) as Props[]);
    for (const keys of nodeClassGroups(o).map(keysOf)) {
        if (!requirements.some((r) => excludesGpus(r, keys))) return gpuValues(requirements, keys);
    }
    return undefined;
}

export const KARPENTER_GPU_EFFECTS = ["NoSchedule", "NoExecute"];
const EKS_GPU_EFFECTS = ["NO_SCHEDULE", "NO_EXECUTE"];

/** Where a Karpenter object keeps the taints of its nodes. */
export const karpenterTaintsPath = (o: KubeObject) => (o.kind === "NodePool" ? "spec.template.spec.taints" : "spec.taints");

export function karpenterTaints(o: KubeObject): unknown {
    return o.kind === "NodePool" ? o.object?.spec?.template?.spec?.taints : o.object?.spec?.taints;
}

/** Whether taints (a list of { key, effect }) keep pods that do not request GPUs off. */
export const hasGpuTaint = (taints: unknown, effects: string[] = KARPENTER_GPU_EFFECTS) =>
    list<Props>(taints as Props[]).some((t) => t?.key === GPU_RESOURCE && effects.includes(t?.effect));

/** Node groups that launch nodes of their own: EKS managed and plain, @pulumi/eks self-managed and default. */
const SELF_MANAGED: string[] = [C.nodeGroupComponent, C.nodeGroupV2Component, T.eksClusterComponent];
export const GPU_NODE_GROUP_TYPES: string[] = [T.managedNodeGroupComponent, T.eksNodeGroup, ...SELF_MANAGED];

/** The group's own settings: an @pulumi/eks Cluster keeps its default group's in nodeGroupOptions. */
const settingsOf = (type: string, props: Props): Props => (type === T.eksClusterComponent ? { ...props, ...props.nodeGroupOptions } : props);

/** The types among choices that may carry GPUs. */
export const gpuTypesOf = (choices: Choice[]) => [...new Set(choices.flatMap((c) => (c.instanceType && typeMayCarryGpu(c.instanceType) ? [c.instanceType] : [])))];

/** Why a node group launches GPU nodes, from its own fields; undefined when they show none. */
export function nodeGroupGpu(type: string, props: Props): string | undefined {
    if (type === T.eksClusterComponent && !hasDefaultNodeGroup(props)) return undefined;
    const types = gpuTypesOf(instanceChoices(type, props));
    if (types.length > 0) return `instance type(s) ${types.join(", ")}`;
    const own = settingsOf(type, props);
    // EKS's GPU AMIs: AL2023_*_NVIDIA, BOTTLEROCKET_*_NVIDIA, and AL2_x86_64_GPU before them.
    if (/NVIDIA|GPU/i.test(String(own.amiType ?? ""))) return `amiType ${own.amiType}`;
    if (own.gpu === true) return "gpu: true";
    return undefined;
}

/**
 * Whether a node group carries the GPU taint, and the effects it takes: EKS's API spells them
 * NO_SCHEDULE; @pulumi/eks's self-managed groups pass a { key: { value, effect } } map to the kubelet.
 */
export function nodeGroupTaint(type: string, props: Props): { tainted: boolean; effects: string[] } {
    if (!SELF_MANAGED.includes(type)) return { tainted: hasGpuTaint(props.taints, EKS_GPU_EFFECTS), effects: EKS_GPU_EFFECTS };
    const taint = settingsOf(type, props).taints?.[GPU_RESOURCE];
    return { tainted: KARPENTER_GPU_EFFECTS.includes(taint?.effect), effects: KARPENTER_GPU_EFFECTS };
}

/** The most GPUs one instance of `types` has, or the types the catalogue does not know. */
export function mostGpus(types: string[]): { gpus: number; type: string } | { unknown: string[] } {
    const unknown = types.filter((t) => !instanceTypeInfo(t));
    if (unknown.length > 0) return { unknown };
    return types.map((type) => ({ type, gpus: instanceTypeInfo(type)!.gpus ?? 0 })).reduce((a, b) => (b.gpus > a.gpus ? b : a), { type: "", gpus: 0 });
}

/** A family's sizes in the catalogue, as types. */
export const familyTypes = (family: string) => Object.keys(INSTANCE_TYPES).filter((t) => t.startsWith(`${family}.`));
