import type { PolicyResource } from "@pulumi/policy";
import { COMPUTE_TYPES as C, hasDefaultNodeGroup } from "./instanceChoices";
import { computeView } from "./nativeCompute";
import { known } from "./preview";
import { beanstalkMaxSize, BEANSTALK_ENVIRONMENTS, BEANSTALK_TYPES } from "./serviceCompute";
import { list, Props, T } from "./support";

/**
 * How many instances a group may run: its maxSize, a warm pool kept beside it, and scheduled
 * actions that raise its size later. The resource policy judges each of these on its own; the
 * vCPU ceiling finds the group a schedule or warm pool acts on and counts the largest.
 */

export const SCALING_TYPES = {
    schedule: "aws:autoscaling/schedule:Schedule",
    nativeSchedule: "aws-native:autoscaling:ScheduledAction",
    nativeWarmPool: "aws-native:autoscaling:WarmPool",
} as const;
const S = SCALING_TYPES;

/** @pulumi/eks's maxSize when none is given. */
const DEFAULT_MAX_SIZE = 2;

export const GROUP_TYPES: string[] = [T.managedNodeGroupComponent, T.eksNodeGroup, C.nodeGroupComponent, C.nodeGroupV2Component, T.eksClusterComponent, T.autoscalingGroup, C.nativeAutoScalingGroup, ...BEANSTALK_ENVIRONMENTS];

/** The largest number of nodes a group may have, when the resource is a node group. */
export function maxSizeOf(type: string, props: Props): number | undefined {
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
            // Beanstalk's group is sized by option settings; a template's count where an environment uses it.
            return BEANSTALK_TYPES.includes(type) ? beanstalkMaxSize(type, props) : undefined;
    }
}

const sizes = (...values: unknown[]) => values.filter((v) => v !== undefined && v !== null).map(Number);

/** A warm pool's instances come on top of the group's: max(group + warmPool.minSize, maxGroupPreparedCapacity) in all (-1 leaves it at maxSize). */
export function withWarmPool(groupSize: number, warmPool: Props | undefined): number {
    if (!warmPool) return groupSize;
    const prepared = Number(warmPool.maxGroupPreparedCapacity ?? -1);
    return Math.max(groupSize + Number(warmPool.minSize ?? 0), prepared >= 0 ? prepared : groupSize);
}

/** A scheduled action's largest size, or a separate warm pool, and the group it names. */
function resizerOf(type: string, props: Props): { group: unknown; schedule?: number; warmPool?: Props } | undefined {
    switch (type) {
        // A group created here has no name a preview knows yet: the group is then found through the dependencies.
        case S.schedule:
        case S.nativeSchedule:
            return { group: known(() => props.autoscalingGroupName ?? props.autoScalingGroupName), schedule: Math.max(0, ...sizes(props.maxSize, props.desiredCapacity, props.minSize)) };
        case S.nativeWarmPool:
            return { group: known(() => props.autoScalingGroupName), warmPool: props };
        default:
            return undefined;
    }
}

/** The instances a resource may run on its own: a group with its inline warm pool, a scheduled action, a separate warm pool. */
export function instancesOf(type: string, props: Props): { size: number; detail: string } | undefined {
    const maxSize = maxSizeOf(type, props);
    if (maxSize !== undefined) {
        const total = withWarmPool(maxSize, props.warmPool);
        return { size: total, detail: total === maxSize ? `maxSize is ${maxSize}` : `maxSize ${maxSize} and its warm pool come to ${total} instances` };
    }
    const resizer = resizerOf(type, props);
    if (resizer?.schedule !== undefined) return { size: resizer.schedule, detail: `the scheduled action sizes its group to ${resizer.schedule}` };
    if (resizer?.warmPool) {
        const size = Math.max(0, ...sizes(resizer.warmPool.maxGroupPreparedCapacity, resizer.warmPool.minSize));
        return { size, detail: `the warm pool keeps up to ${size} instances` };
    }
    return undefined;
}

/** Names a group is known by: an Auto Scaling group's name, the groups behind an EKS node group. */
function groupNames(props: Props): unknown[] {
    return [
        known(() => props.name),
        known(() => props.autoScalingGroupName),
        ...(known(() => list<Props>(props.resources).flatMap((x) => list<Props>(x?.autoscalingGroups).map((g) => g?.name))) ?? []),
    ];
}

/** Scheduled actions and separate warm pools by the URN of the group they act on; those whose group the program does not declare. */
export interface Resizing {
    schedules: Map<string, number>;
    warmPools: Map<string, Props>;
    orphans: { r: PolicyResource; group: string }[];
}

export function resizings(resources: PolicyResource[]): Resizing {
    const groups = new Map<string, string>();
    const found: { r: PolicyResource; group: unknown; schedule?: number; warmPool?: Props }[] = [];
    for (const r of resources) {
        const { type, props } = computeView(r.type, r.props);
        if (GROUP_TYPES.includes(type)) {
            for (const name of groupNames(props)) if (typeof name === "string") groups.set(name, r.urn);
            groups.set(r.urn, r.urn);
        } else {
            const resizer = known(() => resizerOf(type, props));
            if (resizer) found.push({ r, ...resizer });
        }
    }
    const resizing: Resizing = { schedules: new Map(), warmPools: new Map(), orphans: [] };
    for (const { r, group, schedule, warmPool } of found) {
        // A group created here has no name a preview knows yet; the resizer depends on it then.
        const target = (typeof group === "string" ? groups.get(group) : undefined) ?? r.dependencies.map((d) => d.urn).find((urn) => groups.get(urn) === urn);
        if (!target) {
            if (typeof group === "string") resizing.orphans.push({ r, group });
            continue;
        }
        if (schedule !== undefined) resizing.schedules.set(target, Math.max(resizing.schedules.get(target) ?? 0, schedule));
        if (warmPool) resizing.warmPools.set(target, warmPool);
    }
    return resizing;
}

/** The instances a group may run: its maxSize or what a scheduled action raises it to, plus its warm pool. */
export function effectiveSize(r: PolicyResource, type: string, props: Props, resizing: Resizing): number | undefined {
    if (!GROUP_TYPES.includes(type)) return undefined;
    const own = maxSizeOf(type, props);
    if (own === undefined) return undefined;
    return withWarmPool(Math.max(own, resizing.schedules.get(r.urn) ?? 0), props.warmPool ?? resizing.warmPools.get(r.urn));
}
