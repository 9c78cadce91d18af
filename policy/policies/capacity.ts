import type { PolicyResource } from "@pulumi/policy";
import { parseQuantity } from "../../components/shared/quantity";
import { byResourceView } from "./cloudControl";
import { emrScaling, shareOf } from "./capacityShares";
import { ecsIndex } from "./ecsCapacity";
import { GROUP_TYPES, instancesOf, resizings, SCALING_TYPES } from "./groupSizes";
import { COMPUTE_TYPES as C } from "./instanceChoices";
import { describeObject } from "./kubernetes";
import { templateIndex } from "./launchTemplates";
import { karpenterCapacity, limitsOf, nodeVcpu } from "./nodePools";
import { known } from "./preview";
import { byKubernetesObject, Check, GuardrailResourcePolicy, GuardrailStackPolicy, T } from "./support";
import { withNative } from "./nativeCompute";
import { BEANSTALK_TYPES } from "./serviceCompute";
import { judgedWhole } from "./upserts";

/** Guardrails that keep an environment's capacity bounded: node groups, NodePools, and the vCPUs of it all. */

/** A Kubernetes quantity, for config schemas. */
export const QUANTITY = "^[+]?(\\d+\\.?\\d*|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[mkMGTPE])?$";

export const nodeGroupMaxSize: GuardrailResourcePolicy = {
    name: "node-group-max-size",
    description:
        "Node groups (managed, plain, @pulumi/eks self-managed and default), Auto Scaling groups and Elastic Beanstalk environments and templates (aws:autoscaling:asg MaxSize) scale to at most a configured number of nodes, warm pools included; scheduled actions and separate warm pools may not raise a group beyond it either.",
    why: "A runaway autoscaler or a typo in maxSize can launch hundreds of nodes before anyone notices the bill.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Lower scalingConfig.maxSize (or maxSize), a warm pool's maxGroupPreparedCapacity and minSize, or a scheduled action's sizes, or raise maxNodes in this environment's policy config after review.",
    configSchema: { properties: { maxNodes: { type: "integer", minimum: 1, default: 20, description: "Largest maxSize allowed." } } },
    validateResource: byResourceView(
        withNative(Object.fromEntries(
            [...GROUP_TYPES, ...BEANSTALK_TYPES, ...Object.values(SCALING_TYPES)].map((type): [string, Check] => [
                type,
                (props, args, report) => {
                    const { maxNodes } = args.getConfig<{ maxNodes: number }>();
                    const instances = instancesOf(type, props);
                    if (instances !== undefined && !(instances.size <= maxNodes)) report(`${instances.detail}; at most ${maxNodes} is allowed here`);
                },
            ]),
        )),
    ),
};

export const nodePoolLimits: GuardrailResourcePolicy = {
    name: "nodepool-limits",
    description: "Karpenter NodePools (and Provisioners), however declared, set limits.cpu and limits.memory, each within a configured ceiling; a patch that may create the NodePool is judged as a whole one.",
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
                // A patch that leaves a limit out keeps the object's own, unless it may create the object.
                if (judgedWhole(o)) report(`${prefix}${path}.${field} is not set: the NodePool could grow without bound`);
                continue;
            }
            const parsed = parseQuantity(value);
            if (parsed === undefined) report(`${prefix}${path}.${field} is ${JSON.stringify(value)}, not a Kubernetes quantity`);
            else if (parsed > (parseQuantity(ceiling) as number)) report(`${prefix}${path}.${field} is ${value}; the ceiling here is ${ceiling}`);
        }
    }),
};

type Counted = { r: PolicyResource; vcpu: number; detail: string };
type Problem = { r: PolicyResource; message: string };

/**
 * Karpenter's capacity: each NodePool, per cluster (provider) and name, at the largest limits.cpu
 * any declaration or patch of it gives, unbounded if one that may create it gives none; each
 * NodeClaim as one node of the largest type it may launch.
 */
function karpenterShares(resources: PolicyResource[]): { counted: Counted[]; problems: Problem[] } {
    const byName = new Map<string, { best?: Counted; unbounded: Problem[] }>();
    const claims: Counted[] = [];
    const problems: Problem[] = [];
    for (const { r, o, cluster, prefix, where } of karpenterCapacity(resources)) {
        if (o.kind === "NodeClaim") {
            const node = known(() => (judgedWhole(o) ? nodeVcpu(o) : undefined));
            if (node && "problem" in node) problems.push({ r, message: `${prefix}the NodeClaim launches a node, but ${node.problem}, so its vCPUs cannot be counted` });
            else if (node) claims.push({ r, vcpu: node.vcpu, detail: `${where}: a NodeClaim of up to ${node.vcpu} vCPU` });
            continue;
        }
        const read = known(() => ({ name: `${cluster}|${o.kind}/${known(() => o.object?.metadata?.name) ?? r.urn}`, cpu: limitsOf(o)?.cpu, whole: judgedWhole(o) }));
        if (!read) continue;
        const entry = byName.get(read.name) ?? { unbounded: [] };
        byName.set(read.name, entry);
        const cores = read.cpu === undefined || read.cpu === null ? undefined : parseQuantity(read.cpu);
        if (cores === undefined) {
            if (read.whole) entry.unbounded.push({ r, message: `${prefix}the ${o.kind} sets no valid limits.cpu, so the environment's vCPUs are unbounded` });
        } else if (!entry.best || cores > entry.best.vcpu) {
            entry.best = { r, vcpu: cores, detail: `${where}: limits.cpu ${read.cpu}` };
        }
    }
    const entries = [...byName.values()];
    return {
        counted: [...entries.flatMap((e) => (e.best && e.unbounded.length === 0 ? [e.best] : [])), ...claims],
        problems: [...entries.flatMap((e) => e.unbounded), ...problems],
    };
}

/** The resources through which a component launches its nodes in a real deployment. */
export const REALIZED_BY: Record<string, string[]> = {
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
        "The environment's summed vCPU ceiling stays within a configured ceiling, counting every kind of capacity: node groups (maxSize x the largest type, raised by scheduled actions and warm pools), Auto Scaling groups (through overrides or templates), instances, Spot requests and fleets, Cloud9 environments, SageMaker notebooks, endpoints and Studio apps, Elastic Beanstalk environments, capacity reservations, Dedicated Hosts, EMR clusters, EMR Serverless (maximumCapacity.cpu), Batch compute environments, ECS Fargate services (task cpu x the larger of desiredCount and Application Auto Scaling's maxCapacity), NodePool cpu limits per cluster and NodeClaims however declared; capacity that cannot be counted (EKS Fargate profiles, ECS Managed Instances, serverless endpoints, Capacity Blocks, EKS Auto Mode's built-in pools, GameLift, AppStream, Lightsail and WorkSpaces) is reported.",
    why: "Each group may look small on its own; the sum is what a runaway scale-out or a compromised deploy pipeline can spend.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Lower maxSize, warm pools, scheduled sizes, target capacities, reservations or NodePool limits.cpu, or raise maxVcpu in this environment's policy config after review; add unknown instance types to components/config/instanceTypes.ts; set vcpuCount.max on instance requirements.",
    configSchema: { properties: { maxVcpu: { type: "integer", minimum: 1, default: 1000, description: "Ceiling for the summed vCPUs." } } },
    validateStack: (args, report) => {
        const { maxVcpu } = args.getConfig<{ maxVcpu: number }>();
        const resizing = resizings(args.resources);
        const emr = emrScaling(args.resources);
        const ecs = ecsIndex(args.resources);
        const context = { templates: templateIndex(args.resources), resizing, emrScaling: emr.byCluster, ecs };
        for (const o of ecs.orphans) report(`it scales ECS service ${o.service}, which this program does not declare, so its vCPUs cannot be counted`, o.r.urn);
        for (const o of resizing.orphans) report(`it resizes Auto Scaling group ${o.group}, which this program does not declare, so its vCPUs cannot be counted`, o.r.urn);
        for (const o of emr.orphans) report(`it scales EMR cluster ${o.cluster}, which this program does not declare, so its vCPUs cannot be counted`, o.r.urn);
        const counted: Counted[] = [];
        for (const r of args.resources) {
            // What a preview cannot read yet is left to the offline plan, which knows it all.
            const share = known(() => shareOf(r, context));
            if (!share) continue;
            if ("problem" in share) report(share.problem, r.urn);
            else counted.push({ r, ...share });
        }
        const karpenter = karpenterShares(args.resources);
        for (const p of karpenter.problems) report(p.message, p.r.urn);
        const aws = mergedTotal(counted);
        const total = aws.vcpu + karpenter.counted.reduce((n, c) => n + c.vcpu, 0);
        const details = [...aws.details, ...karpenter.counted.map((c) => c.detail)];
        if (total > maxVcpu) report(`the environment can grow to ${total} vCPUs (${details.sort().join("; ")}); the ceiling is ${maxVcpu}`);
    },
};

export const capacityPolicies = [nodeGroupMaxSize, nodePoolLimits, environmentVcpuCeiling];
