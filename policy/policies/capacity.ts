import type { PolicyResource } from "@pulumi/policy";
import { instanceTypeInfo } from "../../components/config/instanceTypes";
import { parseQuantity } from "../../components/shared/quantity";
import { byResourceView, viewOf } from "./cloudControl";
import { Choice, COMPUTE_TYPES as C, DEFAULT_NODE_TYPE, hasDefaultNodeGroup, instanceChoices, vcpuOfChoice } from "./instanceChoices";
import { describeObject, KubeObject, kubernetesObjects } from "./kubernetes";
import { known } from "./preview";
import { byKubernetesObject, Check, GuardrailResourcePolicy, GuardrailStackPolicy, list, Props, T } from "./support";

/** Guardrails that keep an environment's capacity bounded: node groups, NodePools, and the vCPUs of it all. */

/** A Kubernetes quantity, for config schemas. */
export const QUANTITY = "^[+]?(\\d+\\.?\\d*|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[mkMGTPE])?$";

/** @pulumi/eks's maxSize when none is given. */
const DEFAULT_MAX_SIZE = 2;

/** The largest number of nodes a group may have, when the resource is a node group. */
function maxSizeOf(type: string, props: Props): number | undefined {
    switch (type) {
        case T.managedNodeGroupComponent:
            return Number(props.scalingConfig?.maxSize ?? DEFAULT_MAX_SIZE);
        case T.eksNodeGroup:
            return props.scalingConfig?.maxSize === undefined ? undefined : Number(props.scalingConfig.maxSize);
        case C.nodeGroupComponent:
        case C.nodeGroupV2Component:
            return Number(props.maxSize ?? DEFAULT_MAX_SIZE);
        case T.eksClusterComponent:
            return hasDefaultNodeGroup(props) ? Number(props.nodeGroupOptions?.maxSize ?? props.maxSize ?? DEFAULT_MAX_SIZE) : undefined;
        case T.autoscalingGroup:
        case C.nativeAutoScalingGroup:
            // CloudFormation states sizes as strings.
            return props.maxSize === undefined ? undefined : Number(props.maxSize);
        default:
            return undefined;
    }
}

const GROUP_TYPES = [T.managedNodeGroupComponent, T.eksNodeGroup, C.nodeGroupComponent, C.nodeGroupV2Component, T.eksClusterComponent, T.autoscalingGroup, C.nativeAutoScalingGroup];

export const nodeGroupMaxSize: GuardrailResourcePolicy = {
    name: "node-group-max-size",
    description: "Node groups (managed, plain, @pulumi/eks self-managed and default) and Auto Scaling groups scale to at most a configured number of nodes.",
    why: "A runaway autoscaler or a typo in maxSize can launch hundreds of nodes before anyone notices the bill.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Lower scalingConfig.maxSize (or maxSize), or raise maxNodes in this environment's policy config after review.",
    configSchema: { properties: { maxNodes: { type: "integer", minimum: 1, default: 20, description: "Largest maxSize allowed." } } },
    validateResource: byResourceView(
        Object.fromEntries(
            GROUP_TYPES.map((type): [string, Check] => [
                type,
                (props, args, report) => {
                    const { maxNodes } = args.getConfig<{ maxNodes: number }>();
                    const maxSize = maxSizeOf(type, props);
                    if (maxSize !== undefined && !(maxSize <= maxNodes)) report(`maxSize is ${maxSize}; at most ${maxNodes} is allowed here`);
                },
            ]),
        ),
    ),
};

/** Karpenter's capacity objects: NodePools (any version) and v1alpha5 Provisioners, whose limits sit elsewhere. */
function limitsOf(o: KubeObject): Props | undefined | null {
    if (!o.apiVersion.startsWith("karpenter.sh/")) return null;
    if (o.kind === "NodePool") return o.object?.spec?.limits;
    if (o.kind === "Provisioner") return o.object?.spec?.limits?.resources;
    return null;
}

export const nodePoolLimits: GuardrailResourcePolicy = {
    name: "nodepool-limits",
    description: "Karpenter NodePools (and Provisioners), however declared, set limits.cpu and limits.memory, each within a configured ceiling.",
    why: "A NodePool without limits launches nodes for every pending pod, so one bad Deployment scales the account's bill without bound.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set spec.limits.cpu and spec.limits.memory on the NodePool, within this environment's ceilings.",
    configSchema: {
        properties: {
            maxCpu: { type: "string", pattern: QUANTITY, default: "1000", description: "Ceiling for limits.cpu (a Kubernetes quantity)." },
            maxMemory: { type: "string", pattern: QUANTITY, default: "4000Gi", description: "Ceiling for limits.memory (a Kubernetes quantity)." },
        },
    },
    validateResource: byKubernetesObject((o, args, report) => {
        const limits = limitsOf(o);
        if (limits === null) return;
        const { maxCpu, maxMemory } = args.getConfig<{ maxCpu: string; maxMemory: string }>();
        const prefix = o.via === "resource" ? "" : `${describeObject(o)}: `;
        const path = o.kind === "Provisioner" ? "spec.limits.resources" : "spec.limits";
        for (const [field, ceiling] of [["cpu", maxCpu], ["memory", maxMemory]] as const) {
            const value = limits?.[field];
            if (value === undefined || value === null) {
                // A patch that leaves a limit out keeps the object's own.
                if (o.via !== "patch") report(`${prefix}${path}.${field} is not set: the NodePool could grow without bound`);
                continue;
            }
            const parsed = parseQuantity(value);
            if (parsed === undefined) report(`${prefix}${path}.${field} is ${JSON.stringify(value)}, not a Kubernetes quantity`);
            else if (parsed > (parseQuantity(ceiling) as number)) report(`${prefix}${path}.${field} is ${value}; the ceiling here is ${ceiling}`);
        }
    }),
};

/** A resource's share of the ceiling: vCPUs at most, or why they cannot be counted. */
type Share = { vcpu: number; detail: string } | { problem: string };

/** Launch templates and configurations, by id and name, so that groups and fleets can be read through them. */
function templateIndex(resources: PolicyResource[]): Map<string, Choice[]> {
    const index = new Map<string, Choice[]>();
    for (const r of resources) {
        const { type, props } = viewOf(r.type, r.props);
        if (type !== T.launchTemplate && type !== C.nativeLaunchTemplate && type !== C.launchConfiguration) continue;
        const choices = known(() => instanceChoices(type, props)) ?? [];
        const keys = [known(() => r.props.id), known(() => r.props.name), known(() => r.props.launchTemplateId), known(() => r.props.launchTemplateName), r.urn];
        for (const key of keys) if (typeof key === "string") index.set(key, choices);
    }
    return index;
}

/** Stands for a template reference a preview cannot read yet. */
const UNKNOWN_REF = "(not known yet)";

/** The template references a resource makes (ids or names), wherever it keeps them. */
function templateRefs(props: Props): unknown[] {
    // A new template's id or name is not known in a preview; the dependencies stand in for it then.
    const specs = known((): Props[] => [
        props.launchTemplate,
        props.mixedInstancesPolicy?.launchTemplate?.launchTemplateSpecification,
        ...list<Props>(props.mixedInstancesPolicy?.launchTemplate?.overrides).map((o) => o?.launchTemplateSpecification),
        ...list<Props>(props.launchTemplateConfigs).map((c) => c?.launchTemplateSpecification),
    ]) ?? [];
    const refs = specs.flatMap((s) => [known(() => s?.id), known(() => s?.name), known(() => s?.launchTemplateId), known(() => s?.launchTemplateName)]);
    const declared = specs.some((s) => s !== undefined && s !== null);
    return [...refs, known(() => props.launchConfiguration), known(() => props.launchConfigurationName), ...(declared && refs.every((x) => x === undefined) ? [UNKNOWN_REF] : [])].filter((x) => x !== undefined);
}

/** What a resource may launch: its own choices, else its templates' (by reference, else the templates it depends on). */
function resolvedChoices(r: PolicyResource, type: string, props: Props, templates: Map<string, Choice[]>): Choice[] | undefined {
    const own = instanceChoices(type, props);
    if (own.length > 0) return own;
    const eksDefault: Choice[] = [{ where: "instanceTypes (default)", instanceType: DEFAULT_NODE_TYPE, weight: 1 }];
    const isEksGroup = type === T.eksNodeGroup || type === T.managedNodeGroupComponent;
    const refs = templateRefs(props).filter((ref): ref is string => typeof ref === "string");
    if (refs.length === 0) return isEksGroup ? eksDefault : undefined;
    // In a preview a new template's id is not known yet: then read the templates the resource depends on.
    const found = refs.some((ref) => templates.has(ref)) ? refs.filter((ref) => templates.has(ref)) : r.dependencies.map((d) => d.urn).filter((urn) => templates.has(urn));
    if (found.length === 0) return undefined;
    const choices = found.flatMap((key) => templates.get(key)!);
    // A declared template without a type leaves EKS's default; any other consumer names its types itself.
    return choices.length > 0 ? choices : isEksGroup ? eksDefault : undefined;
}

/** The most vCPUs `units` of capacity can be, however the choices fill them: ceil(units / weight) x vCPUs, the largest over the choices. */
function bound(units: number, choices: Choice[], unitType?: string): { vcpu: number; largest: number } | { problem: string } {
    const unknownTypes = new Set<string>();
    const unbounded: string[] = [];
    let vcpu = 0;
    let largest = 0;
    for (const c of choices) {
        const v = vcpuOfChoice(c);
        if ("unknownType" in v) unknownTypes.add(v.unknownType);
        if ("unbounded" in v) unbounded.push(v.unbounded);
        if (!("vcpu" in v)) continue;
        // Fleets may count capacity in vCPUs or MiB of memory instead of instances.
        const memory = c.instanceType ? instanceTypeInfo(c.instanceType)?.memoryGiB : undefined;
        if (unitType === "memory-mib" && memory === undefined) {
            unbounded.push(`${c.where} counts capacity in memory-mib`);
            continue;
        }
        const weight = unitType === "vcpu" ? v.vcpu : unitType === "memory-mib" ? memory! * 1024 : c.weight;
        vcpu = Math.max(vcpu, Math.ceil(units / weight) * v.vcpu);
        largest = Math.max(largest, v.vcpu);
    }
    const problems = [
        unknownTypes.size > 0 ? `instance type(s) ${[...unknownTypes].join(", ")} are not in envstack's instance-type table` : "",
        ...unbounded,
    ].filter(Boolean);
    return problems.length > 0 ? { problem: `${problems.join("; ")}, so their vCPUs cannot be counted` } : { vcpu, largest };
}

function shareOf(r: PolicyResource, templates: Map<string, Choice[]>): Share | undefined {
    const { type, props } = viewOf(r.type, r.props);
    const capacity = (units: number, unitType?: string): Share => {
        if (!(units >= 0)) return { problem: `its size ${JSON.stringify(units)} is not a number, so its vCPUs cannot be counted` };
        const choices = resolvedChoices(r, type, props, templates);
        if (!choices) return { problem: "its instance types (or launch template) are not declared in this program, so its vCPUs cannot be counted" };
        const b = bound(units, choices, unitType);
        if ("problem" in b) return b;
        return { vcpu: b.vcpu, detail: unitType || choices.some((c) => c.weight !== 1) ? `${r.name}: ${units} units, up to ${b.vcpu} vCPU` : `${r.name}: ${units} x ${b.largest} vCPU` };
    };
    const maxSize = maxSizeOf(type, props);
    if (maxSize !== undefined) return capacity(maxSize);
    switch (type) {
        case T.instance:
        case C.spotInstanceRequest:
        case C.nativeInstance:
            return capacity(1);
        case C.spotFleetRequest:
            return capacity(Number(props.targetCapacity), props.targetCapacityUnitType);
        case C.fleet:
            return capacity(Number(props.targetCapacitySpecification?.totalTargetCapacity), props.targetCapacitySpecification?.targetCapacityUnitType);
        case C.batchComputeEnvironment: {
            const max = Number(props.computeResources?.maxVcpus);
            return max >= 0 ? { vcpu: max, detail: `${r.name}: maxVcpus ${max}` } : { problem: "computeResources.maxVcpus is not a number, so its vCPUs cannot be counted" };
        }
        case T.eksCluster:
        case T.eksClusterComponent: {
            // EKS Auto Mode's built-in node pools carry no limits.
            const auto = type === T.eksCluster ? props.computeConfig : (props.autoMode?.computeConfig ?? (props.autoMode?.enabled ? { enabled: true } : undefined));
            const pools = auto?.nodePools === undefined && type === T.eksClusterComponent ? ["general-purpose", "system"] : list<string>(auto?.nodePools);
            return auto?.enabled && pools.length > 0 ? { problem: `EKS Auto Mode's built-in node pools (${pools.join(", ")}) have no limits, so the environment's vCPUs are unbounded` } : undefined;
        }
        default:
            return undefined;
    }
}

type Counted = { r: PolicyResource; vcpu: number; detail: string };
type Problem = { r: PolicyResource; message: string };

/** NodePools by name: the largest limits.cpu any declaration or patch of it gives; a declaration without one is unbounded. */
function nodePoolShares(resources: PolicyResource[]): { counted: Counted[]; problems: Problem[] } {
    const byName = new Map<string, { best?: Counted; unbounded: Problem[] }>();
    for (const r of resources) {
        if (!r.type.startsWith("kubernetes:")) continue;
        for (const o of known(() => kubernetesObjects(r.type, r.props)) ?? []) {
            const read = known(() => {
                const limits = limitsOf(o);
                return limits === null ? undefined : { name: `${o.kind}/${o.object?.metadata?.name ?? r.urn}`, cpu: limits?.cpu, label: describeObject(o) };
            });
            if (!read) continue;
            const entry = byName.get(read.name) ?? { unbounded: [] };
            byName.set(read.name, entry);
            const cores = read.cpu === undefined || read.cpu === null ? undefined : parseQuantity(read.cpu);
            if (cores === undefined) {
                const prefix = o.via === "resource" ? "" : `${read.label}: `;
                if (o.via !== "patch") entry.unbounded.push({ r, message: `${prefix}the ${o.kind} sets no valid limits.cpu, so the environment's vCPUs are unbounded` });
            } else if (!entry.best || cores > entry.best.vcpu) {
                entry.best = { r, vcpu: cores, detail: `${o.via === "resource" ? r.name : `${r.name} (${read.label})`}: limits.cpu ${read.cpu}` };
            }
        }
    }
    const entries = [...byName.values()];
    return { counted: entries.flatMap((e) => (e.best && e.unbounded.length === 0 ? [e.best] : [])), problems: entries.flatMap((e) => e.unbounded) };
}

/** The resources through which a component launches its nodes in a real deployment. */
const REALIZED_BY: Record<string, string[]> = {
    [T.managedNodeGroupComponent]: [T.eksNodeGroup],
    [C.nodeGroupComponent]: [T.autoscalingGroup],
    [C.nodeGroupV2Component]: [T.autoscalingGroup],
    [T.eksClusterComponent]: [C.nodeGroupComponent, C.nodeGroupV2Component, T.autoscalingGroup],
};

type Total = { vcpu: number; details: string[] };

/**
 * The vCPUs of capacity resources, each counted once: a component and the child that realizes it
 * (a ManagedNodeGroup and its NodeGroup, an eks NodeGroupV2 and its Auto Scaling group) are one
 * capacity, the larger of the two; anything else under a component counts on its own.
 */
function mergedTotal(counted: Counted[]): Total {
    const byUrn = new Map(counted.map((c) => [c.r.urn, c]));
    const children = new Map<string, Counted[]>();
    const roots: Counted[] = [];
    for (const c of counted) {
        let parent = c.r.parent;
        while (parent && !byUrn.has(parent.urn)) parent = parent.parent;
        if (parent) children.set(parent.urn, [...(children.get(parent.urn) ?? []), c]);
        else roots.push(c);
    }
    const effective = (c: Counted): Total => {
        const kids = children.get(c.r.urn) ?? [];
        // The realizing child closest in size to the component stands for it.
        const realizing = kids
            .filter((k) => (REALIZED_BY[c.r.type] ?? []).includes(k.r.type))
            .sort((a, b) => Math.abs(a.vcpu - c.vcpu) - Math.abs(b.vcpu - c.vcpu))[0];
        const mine = realizing ? effective(realizing) : undefined;
        const head = mine && mine.vcpu > c.vcpu ? mine : { vcpu: c.vcpu, details: [c.detail] };
        const rest = kids.filter((k) => k !== realizing).map(effective);
        return { vcpu: head.vcpu + rest.reduce((n, k) => n + k.vcpu, 0), details: [...head.details, ...rest.flatMap((k) => k.details)] };
    };
    const all = roots.map(effective);
    return { vcpu: all.reduce((n, e) => n + e.vcpu, 0), details: all.flatMap((e) => e.details) };
}

export const environmentVcpuCeiling: GuardrailStackPolicy = {
    name: "environment-vcpu-ceiling",
    description:
        "The environment's summed vCPU ceiling stays within a configured ceiling, counting every kind of capacity: node groups (maxSize x the largest type), Auto Scaling groups (through overrides or templates), instances, Spot requests and fleets, Batch compute environments, and NodePool cpu limits however declared; capacity that cannot be counted is reported.",
    why: "Each group may look small on its own; the sum is what a runaway scale-out or a compromised deploy pipeline can spend.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Lower maxSize, target capacities or NodePool limits.cpu, or raise maxVcpu in this environment's policy config after review; add unknown instance types to components/config/instanceTypes.ts; set vcpuCount.max on instance requirements.",
    configSchema: { properties: { maxVcpu: { type: "integer", minimum: 1, default: 1000, description: "Ceiling for the summed vCPUs." } } },
    validateStack: (args, report) => {
        const { maxVcpu } = args.getConfig<{ maxVcpu: number }>();
        const templates = templateIndex(args.resources);
        const counted: Counted[] = [];
        for (const r of args.resources) {
            // What a preview cannot read yet is left to the offline plan, which knows it all.
            const share = known(() => shareOf(r, templates));
            if (!share) continue;
            if ("problem" in share) report(share.problem, r.urn);
            else counted.push({ r, ...share });
        }
        const pools = nodePoolShares(args.resources);
        for (const p of pools.problems) report(p.message, p.r.urn);
        const aws = mergedTotal(counted);
        const total = aws.vcpu + pools.counted.reduce((n, c) => n + c.vcpu, 0);
        const details = [...aws.details, ...pools.counted.map((c) => c.detail)];
        if (total > maxVcpu) report(`the environment can grow to ${total} vCPUs (${details.sort().join("; ")}); the ceiling is ${maxVcpu}`);
    },
};

export const capacityPolicies = [nodeGroupMaxSize, nodePoolLimits, environmentVcpuCeiling];
