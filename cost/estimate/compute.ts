import type { PolicyResource } from "@pulumi/policy";
import { resolvedChoices } from "../../policy/policies/capacityShares";
import { effectiveSize, Resizing } from "../../policy/policies/groupSizes";
import { hasDefaultNodeGroup } from "../../policy/policies/instanceChoices";
import { TemplateIndex } from "../../policy/policies/launchTemplates";
import { known } from "../../policy/policies/preview";
import { list, Props, T } from "../../policy/policies/support";
import { ebsMonthly } from "./storage";
import { Draft, Figures, HOURS_PER_MONTH, PricingContext, rate } from "./types";

/**
 * Instances: node groups at their minimum, desired and maximum sizes (the maximum raised by warm
 * pools and scheduled actions), with every volume each node boots with. On-Demand groups launch
 * their first type (EKS prioritizes the list); Spot groups the cheapest; the ceiling always
 * prices the dearest.
 */

/** Group sizes at the three points. */
interface Sizes {
    min: number;
    desired: number;
    max: number;
}

const num = (v: unknown, fallback: number) => (v === undefined || v === null || v === "" || !Number.isFinite(Number(v)) ? fallback : Number(v));

/** A group's sizes, with the defaults EKS and @pulumi/eks apply. */
function sizesOf(type: string, props: Props): Sizes | undefined {
    switch (type) {
        case T.managedNodeGroupComponent:
        case T.eksNodeGroup: {
            const s = props.scalingConfig ?? {};
            const max = num(s.maxSize, 2);
            return { min: num(s.minSize, 1), desired: num(s.desiredSize, Math.min(2, max)), max };
        }
        case "eks:index:NodeGroup":
        case "eks:index:NodeGroupV2":
            return { min: num(props.minSize, 1), desired: num(props.desiredCapacity, 2), max: num(props.maxSize, 2) };
        case T.eksClusterComponent: {
            if (!hasDefaultNodeGroup(props)) return undefined;
            const o = props.nodeGroupOptions ?? props;
            return { min: num(o.minSize, 1), desired: num(o.desiredCapacity, 2), max: num(o.maxSize, 2) };
        }
        case T.autoscalingGroup: {
            const min = num(props.minSize, 0);
            return { min, desired: num(props.desiredCapacity, min), max: num(props.maxSize, min) };
        }
        case T.instance:
            return { min: 1, desired: 1, max: 1 };
        default:
            return undefined;
    }
}

/** Whether a group or instance runs on Spot. */
function isSpot(type: string, props: Props): boolean {
    if (type === T.managedNodeGroupComponent || type === T.eksNodeGroup) return props.capacityType === "SPOT";
    if (type === T.instance) return props.instanceMarketOptions?.marketType === "spot";
    if (type === T.autoscalingGroup) return Number(props.mixedInstancesPolicy?.instancesDistribution?.onDemandPercentageAboveBaseCapacity ?? 100) === 0 && Number(props.mixedInstancesPolicy?.instancesDistribution?.onDemandBaseCapacity ?? 0) === 0;
    return props.spotPrice !== undefined || props.nodeGroupOptions?.spotPrice !== undefined;
}

/** The price of n instances a month at each point. */
const monthly = (sizes: Sizes, floorAndExpectedHour: number, ceilingHour: number): Figures => ({
    floor: sizes.min * floorAndExpectedHour * HOURS_PER_MONTH,
    expected: sizes.desired * floorAndExpectedHour * HOURS_PER_MONTH,
    ceiling: sizes.max * ceilingHour * HOURS_PER_MONTH,
});

/** One volume every node boots with. */
interface Disk {
    gb: number;
    type: string;
    iops: number;
    throughput: number;
}

/** The volumes each node of a group boots with: every block device of its launch template or its own, else EKS's default root. */
function disksOf(type: string, props: Props, templates: Map<string, Props>): Disk[] {
    const ref = props.launchTemplate ?? props.launchTemplateSpecification ?? props.mixedInstancesPolicy?.launchTemplate?.launchTemplateSpecification;
    const template = [known(() => ref?.id), known(() => ref?.name), known(() => ref?.launchTemplateId), known(() => ref?.launchTemplateName)].map((k) => (typeof k === "string" ? templates.get(k) : undefined)).find(Boolean);
    const disk = (d: Props | undefined, size: unknown): Disk => ({ gb: num(size, 0), type: String(d?.volumeType ?? (type === T.instance ? "gp2" : "gp3")), iops: num(d?.iops, 0), throughput: num(d?.throughput, 0) });
    const mapped = list<Props>(template?.blockDeviceMappings ?? props.blockDeviceMappings).filter((m) => m?.ebs).map((m) => disk(m.ebs, m.ebs.volumeSize));
    if (mapped.length > 0) return mapped;
    if (type === T.instance) return [disk(props.rootBlockDevice, props.rootBlockDevice?.volumeSize ?? 8), ...list<Props>(props.ebsBlockDevices).map((d) => disk(d, d?.volumeSize))];
    return [{ gb: num(props.diskSize ?? props.nodeRootVolumeSize, 20), type: String(props.nodeRootVolumeType ?? "gp3"), iops: num(props.nodeRootVolumeIops, 0), throughput: num(props.nodeRootVolumeThroughput, 0) }];
}

/** Launch templates by id, name and URN, with their fields. */
export function templateFields(resources: PolicyResource[]): Map<string, Props> {
    const out = new Map<string, Props>();
    for (const r of resources) {
        if (r.type !== T.launchTemplate) continue;
        // Outputs carry no id; the ARN ends with it (launch-template/lt-...).
        const arn = known(() => r.props.arn);
        const keys = [known(() => r.props.id), known(() => r.props.name), typeof arn === "string" ? arn.split("/").pop() : undefined, r.urn];
        for (const key of keys) if (typeof key === "string" && key !== "") out.set(key, r.props);
    }
    return out;
}

/** Node groups, Auto Scaling groups, @pulumi/eks's default group and plain instances. */
export function groupPricer(templates: TemplateIndex, templateProps: Map<string, Props>, resizing: Resizing) {
    return (r: PolicyResource, context: PricingContext): Draft[] => {
        const props = r.props ?? {};
        const own = known(() => sizesOf(r.type, props));
        if (!own) return [];
        // Warm pools and scheduled actions raise what the group may run.
        const sizes = { ...own, max: Math.max(own.max, known(() => effectiveSize(r, r.type, props, resizing)) ?? 0) };
        const choices = known(() => resolvedChoices(r, r.type, props, templates)) ?? [];
        const types = choices.map((c) => c.instanceType).filter((t): t is string => typeof t === "string");
        if (types.length === 0 || types.length < choices.length || choices.some((c) => c.launches)) {
            context.unpriced(r, "it chooses instances by requirements, a family or a template the plan does not declare, so no type can be priced");
            return [];
        }
        const book = context.book(r);
        const priced = types.map((t) => ({ t, hour: book.instanceHour(t) }));
        const missing = priced.filter((p) => p.hour === undefined).map((p) => p.t);
        if (missing.length > 0) {
            context.unpriced(r, `no price for instance type(s) ${missing.join(", ")} in ${book.region}; the table prices the instance catalogue's types`);
            return [];
        }
        const spot = known(() => isSpot(r.type, props)) ?? false;
        const factor = spot ? book.service("ec2.spot.fraction") : 1;
        const byPrice = [...priced].sort((a, b) => a.hour! - b.hour!);
        const usual = spot ? byPrice[0] : priced[0];
        const dearest = byPrice[byPrice.length - 1];
        context.countNodes(r, { floor: sizes.min, expected: sizes.desired, ceiling: sizes.max });
        const drafts: Draft[] = [
            {
                item: `${usual.t} ${spot ? "Spot" : "On-Demand"}`,
                monthly: monthly(sizes, usual.hour! * factor, dearest.hour! * factor),
                basis: `${sizes.min}/${sizes.desired}/${sizes.max} nodes (min/desired/max) × ${rate(usual.hour! * factor)}/h${spot ? ` (Spot at ${Math.round(factor * 100)}% of On-Demand)` : ""}${dearest.t !== usual.t ? `; the ceiling prices ${dearest.t} at ${rate(dearest.hour! * factor)}/h` : ""}`,
                prices: [...new Set([`ec2.${usual.t}`, `ec2.${dearest.t}`, ...(spot ? ["ec2.spot.fraction"] : [])])],
            },
        ];
        for (const disk of known(() => disksOf(r.type, props, templateProps)) ?? []) {
            if (disk.gb <= 0) {
                context.unpriced(r, `a ${disk.type} volume of its nodes states no size (one restored from a snapshot takes the snapshot's)`);
                continue;
            }
            if (book.entry(`ebs.${disk.type}.gbMonth`) === undefined) {
                context.unpriced(r, `its nodes' ${disk.type} volumes have no price in envstack's table`);
                continue;
            }
            const m = ebsMonthly(book, disk.type, disk.gb, disk.iops, disk.throughput);
            drafts.push({
                item: `node volumes (${disk.gb} GiB ${disk.type})`,
                monthly: { floor: sizes.min * m.usd, expected: sizes.desired * m.usd, ceiling: sizes.max * m.usd },
                basis: `${sizes.min}/${sizes.desired}/${sizes.max} × ${m.basis}`,
                prices: m.prices,
            });
        }
        return drafts;
    };
}
