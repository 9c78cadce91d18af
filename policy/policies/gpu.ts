import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { GPU_RESOURCE } from "../../components/config/instanceTypes";
import { parseQuantity } from "../../components/shared/quantity";
import { REALIZED_BY } from "./capacity";
import { resolvedChoices } from "./capacityShares";
import { byResourceView } from "./cloudControl";
import {
    familyTypes,
    GPU_NODE_GROUP_TYPES,
    gpuCapability,
    gpuTypesOf,
    hasGpuTaint,
    karpenterTaints,
    karpenterTaintsPath,
    mostGpus,
    nodeGroupGpu,
    nodeGroupTaint,
} from "./gpuCapacity";
import { effectiveSize, resizings } from "./groupSizes";
import { instanceChoices } from "./instanceChoices";
import { describeObject, KubeObject } from "./kubernetes";
import { templateIndex } from "./launchTemplates";
import { computeView, withNative } from "./nativeCompute";
import { isKarpenterCapacity, karpenterCapacity, limitsOf, requirementsOf, restriction } from "./nodePools";
import { eachKnown, known } from "./preview";
import { byKubernetesObject, Check, GuardrailResourcePolicy, GuardrailStackPolicy, T } from "./support";
import { judgedWhole } from "./upserts";

/** Guardrails on GPU capacity: only pods that ask for GPUs land on GPU nodes, and the environment's GPUs are bounded. */

const prefixOf = (o: KubeObject) => (o.via === "resource" ? "" : `${describeObject(o)}: `);
const untaintedGroup = (why: string, effects: string[]) =>
    `the node group launches GPU nodes (${why}) but has no ${GPU_RESOURCE} taint with effect ${effects.join(" or ")}, so any pod can land on them`;

const nodePoolTaints = byKubernetesObject((o, _, report) => {
    if (!isKarpenterCapacity(o)) return;
    const whole = judgedWhole(o);
    const stated = requirementsOf(o) !== undefined;
    const taints = karpenterTaints(o);
    // A patch that touches neither requirements nor taints keeps the object's own.
    if ((!whole && !stated && taints === undefined) || hasGpuTaint(taints)) return;
    const how = whole || stated ? gpuCapability(o) : "the patch does not show its requirements";
    if (how === undefined) return;
    report(`${prefixOf(o)}the ${o.kind} may launch GPU instances (${how}) but ${karpenterTaintsPath(o)} has no ${GPU_RESOURCE} taint with effect NoSchedule or NoExecute, so any pod can land on its GPU nodes`);
});

const nodeGroupTaints = byResourceView(
    withNative(
        Object.fromEntries(
            GPU_NODE_GROUP_TYPES.map((type): [string, Check] => [
                type,
                (props, _, report) => {
                    const why = nodeGroupGpu(type, props);
                    const taint = nodeGroupTaint(type, props);
                    if (why && !taint.tainted) report(untaintedGroup(why, taint.effects));
                },
            ]),
        ),
    ),
);

/** A managed or plain node group that takes its type from a launch template is judged with the template it names. */
const templateLaunchedGroups: StackValidationPolicy["validateStack"] = (args, report) => {
    const templates = templateIndex(args.resources);
    eachKnown(args.resources, (r) => {
        const { type, props } = computeView(r.type, r.props);
        if (type !== T.managedNodeGroupComponent && type !== T.eksNodeGroup) return;
        // A group that names its types, an NVIDIA AMI or the gpu flag is judged on its own.
        if (instanceChoices(type, props).length > 0 || nodeGroupGpu(type, props)) return;
        const types = gpuTypesOf(resolvedChoices(r, type, props, templates) ?? []);
        const taint = nodeGroupTaint(type, props);
        if (types.length > 0 && !taint.tainted) report(untaintedGroup(`its launch template's instance type(s) ${types.join(", ")}`, taint.effects), r.urn);
    });
};

export const gpuCapacityTainted: GuardrailResourcePolicy & Pick<StackValidationPolicy, "validateStack"> = {
    name: "gpu-capacity-tainted",
    description:
        "Capacity that may launch GPU instances carries the nvidia.com/gpu taint with effect NoSchedule or NoExecute: Karpenter NodePools, Provisioners and NodeClaims however declared (GPU-capable unless their requirements prove otherwise: categories, families or types In with none accelerated, or the GPU labels ruled out), EKS managed and plain node groups (NO_SCHEDULE or NO_EXECUTE) and @pulumi/eks self-managed and default node groups with a GPU type, an NVIDIA AMI or the gpu flag, the types of a declared launch template included.",
    why: "Without the taint, any pod that fits is scheduled onto GPU nodes: ordinary workloads keep the most expensive instances busy and stop them from scaling in, and no GPU is left for the pods that asked for one.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Add the taint { key: nvidia.com/gpu, effect: NoSchedule } to the NodePool's spec.template.spec.taints (NO_SCHEDULE on node groups) and a matching toleration to the GPU workloads; or keep general pools off GPUs with an instance-category In requirement without accelerated categories, or karpenter.k8s.aws/instance-gpu-count DoesNotExist.",
    validateResource: [nodePoolTaints, nodeGroupTaints],
    validateStack: templateLaunchedGroups,
};

type Counted = { r: PolicyResource; gpus: number; detail: string };
type Problem = { r: PolicyResource; message: string };

/** The GPUs one node of a GPU-capable NodeClaim may have, from the types or families it names. */
function nodeClaimGpus(o: KubeObject): { gpus: number; type: string } | { problem: string } {
    const { types, families } = restriction(o);
    const named = types.length > 0 ? types : families.flatMap(familyTypes);
    if (named.length === 0) return { problem: "its requirements name no instance types or families in the catalogue" };
    const most = mostGpus(named);
    return "unknown" in most ? { problem: `instance type(s) ${most.unknown.join(", ")} are not in envstack's instance catalogue` } : most;
}

/**
 * Karpenter's GPUs: each NodePool, per cluster (provider) and name, at the largest GPU limit any
 * declaration or patch gives, unbounded if one that may create it gives none. A pool is GPU-capable
 * if any declaration's requirements allow GPUs, or none shows them. A GPU NodeClaim is one node.
 */
function karpenterGpus(resources: PolicyResource[]): { counted: Counted[]; problems: Problem[] } {
    const byName = new Map<string, { capable?: boolean; best?: Counted; unbounded: Problem[] }>();
    const counted: Counted[] = [];
    const problems: Problem[] = [];
    for (const { r, o, cluster, prefix, where } of karpenterCapacity(resources)) {
        const read = known(() => {
            const whole = judgedWhole(o);
            const capable = whole || requirementsOf(o) !== undefined ? gpuCapability(o) !== undefined : undefined;
            return { whole, capable, name: `${cluster}|${o.kind}/${known(() => o.object?.metadata?.name) ?? r.urn}`, limit: limitsOf(o)?.[GPU_RESOURCE] };
        });
        if (!read) continue;
        if (o.kind === "NodeClaim") {
            const node = read.whole && read.capable ? known(() => nodeClaimGpus(o)) : undefined;
            if (node && "problem" in node) problems.push({ r, message: `${prefix}the NodeClaim may launch a GPU node, but ${node.problem}, so its GPUs cannot be counted` });
            else if (node) counted.push({ r, gpus: node.gpus, detail: `${where}: a NodeClaim of up to ${node.gpus} GPUs (${node.type})` });
            continue;
        }
        const entry = byName.get(read.name) ?? { unbounded: [] };
        byName.set(read.name, entry);
        if (read.capable !== undefined) entry.capable = entry.capable === true || read.capable;
        const path = o.kind === "Provisioner" ? "spec.limits.resources" : "spec.limits";
        const limit = read.limit;
        const gpus = typeof limit === "string" || typeof limit === "number" ? parseQuantity(limit) : undefined;
        if (gpus === undefined) {
            if (read.whole) entry.unbounded.push({ r, message: `${prefix}the ${o.kind} may launch GPU instances but sets no valid ${path}["${GPU_RESOURCE}"]: it could grow without bound` });
        } else if (!entry.best || gpus > entry.best.gpus) {
            entry.best = { r, gpus, detail: `${where}: ${path}["${GPU_RESOURCE}"] ${limit}` };
        }
    }
    for (const e of byName.values()) {
        if (e.capable === false) continue;
        if (e.unbounded.length > 0) problems.push(...e.unbounded);
        else if (e.best) counted.push(e.best);
    }
    return { counted, problems };
}

/**
 * Node groups' GPUs: the size a schedule or warm pool may give them x the most GPUs among their
 * types (a launch template's included). A component and the group that realizes it (a
 * ManagedNodeGroup and its aws.eks.NodeGroup) are one capacity, counted at the larger.
 */
function nodeGroupGpus(resources: PolicyResource[]): { counted: Counted[]; problems: Problem[] } {
    const templates = templateIndex(resources);
    const resizing = resizings(resources);
    const found: (Counted & { type: string })[] = [];
    const problems: Problem[] = [];
    eachKnown(resources, (r) => {
        const { type, props } = computeView(r.type, r.props);
        if (!GPU_NODE_GROUP_TYPES.includes(type)) return;
        const types = gpuTypesOf(resolvedChoices(r, type, props, templates) ?? []);
        const size = effectiveSize(r, type, props, resizing);
        if (types.length === 0 || size === undefined) return;
        const most = mostGpus(types);
        if ("unknown" in most) problems.push({ r, message: `instance type(s) ${most.unknown.join(", ")} may carry GPUs but are not in envstack's instance catalogue, so the group's GPUs cannot be counted` });
        else found.push({ r, type, gpus: size * most.gpus, detail: `${r.name}: ${size} x ${most.gpus} GPUs (${most.type})` });
    });
    const byUrn = new Map(found.map((f) => [f.r.urn, f]));
    const dropped = new Set<Counted>();
    for (const f of found) {
        let parent = f.r.parent;
        while (parent && !byUrn.has(parent.urn)) parent = parent.parent;
        const owner = parent ? byUrn.get(parent.urn) : undefined;
        if (owner && (REALIZED_BY[owner.type] ?? []).includes(f.type)) dropped.add(f.gpus > owner.gpus ? owner : f);
    }
    return { counted: found.filter((f) => !dropped.has(f)), problems };
}

export const environmentGpuCeiling: GuardrailStackPolicy = {
    name: "environment-gpu-ceiling",
    description:
        "The environment's GPUs stay within a configured ceiling, counting each GPU-capable Karpenter NodePool's limits[\"nvidia.com/gpu\"] per cluster and name, GPU NodeClaims however declared, and node groups (managed, plain, @pulumi/eks self-managed and default) at maxSize x the most GPUs among their types; a GPU-capable NodePool without a GPU limit, and a GPU type not in the instance catalogue, are reported.",
    why: "One GPU node costs as much per hour as dozens of general ones: a pool left without a GPU limit, or several that each look small, can run up the bill of a whole environment in a day.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set spec.limits[\"nvidia.com/gpu\"] on every NodePool that may launch GPU instances; lower those limits or node groups' maxSize, or raise maxGpus in this environment's policy config after review; add unknown GPU types to components/config/instanceTypes.ts.",
    configSchema: { properties: { maxGpus: { type: "integer", minimum: 0, default: 16, description: "Ceiling for the environment's summed GPUs." } } },
    validateStack: (args, report) => {
        const { maxGpus } = args.getConfig<{ maxGpus: number }>();
        const karpenter = karpenterGpus(args.resources);
        const groups = nodeGroupGpus(args.resources);
        for (const p of [...karpenter.problems, ...groups.problems]) report(p.message, p.r.urn);
        const counted = [...karpenter.counted, ...groups.counted];
        const total = counted.reduce((n, c) => n + c.gpus, 0);
        if (total > maxGpus) report(`the environment can have ${total} GPUs (${counted.map((c) => c.detail).sort().join("; ")}); the ceiling is ${maxGpus}`);
    },
};

export const gpuPolicies = [gpuCapacityTainted, environmentGpuCeiling];
