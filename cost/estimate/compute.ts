import type { PolicyResource } from "@pulumi/policy";
import { INSTANCE_TYPES, instanceTypeInfo } from "../../components/config/instanceTypes";
import { parseQuantity } from "../../components/shared/quantity";
import { resolvedChoices } from "../../policy/policies/capacityShares";
import { hasDefaultNodeGroup } from "../../policy/policies/instanceChoices";
import { KarpenterCapacity, keysOf, limitsOf, nodeClassGroups, requirementsOf } from "../../policy/policies/nodePools";
import { TemplateIndex } from "../../policy/policies/launchTemplates";
import { known } from "../../policy/policies/preview";
import { list, Props, T } from "../../policy/policies/support";
import type { PriceBook } from "../prices";
import { Draft, Figures, HOURS_PER_MONTH, PricingContext, rate } from "./types";

/**
 * Instances: node groups at their minimum, desired and maximum sizes; Karpenter's pools at zero
 * until the ceiling, where each is at its limits. On-Demand groups launch their first type (EKS
 * prioritizes the list); Spot groups the cheapest; the ceiling always prices the dearest.
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

/** The root volume of a group's nodes: its launch template's first block device, else EKS's default. */
function rootVolume(props: Props, templates: Map<string, Props>): { gb: number; type: string } {
    const ref = props.launchTemplate ?? props.launchTemplateSpecification;
    const template = [known(() => ref?.id), known(() => ref?.name)].map((k) => (typeof k === "string" ? templates.get(k) : undefined)).find(Boolean);
    const ebs = list<Props>(template?.blockDeviceMappings)[0]?.ebs ?? props.rootBlockDevice;
    return { gb: num(ebs?.volumeSize ?? props.diskSize ?? props.nodeRootVolumeSize, 20), type: String(ebs?.volumeType ?? "gp3") };
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
export function groupPricer(templates: TemplateIndex, templateProps: Map<string, Props>) {
    return (r: PolicyResource, context: PricingContext): Draft[] => {
        const props = r.props ?? {};
        const sizes = known(() => sizesOf(r.type, props));
        if (!sizes) return [];
        const choices = known(() => resolvedChoices(r, r.type, props, templates)) ?? [];
        const types = choices.map((c) => c.instanceType).filter((t): t is string => typeof t === "string");
        if (types.length === 0) {
            context.unpriced(r, "its instance types are not named (instance requirements or a template the plan does not declare)");
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
        context.nodes.floor += sizes.min;
        context.nodes.expected += sizes.desired;
        context.nodes.ceiling += sizes.max;
        const market = spot ? `Spot (${Math.round(factor * 100)}% of On-Demand)` : "On-Demand";
        const drafts: Draft[] = [
            {
                item: `${usual.t} ${market}`,
                monthly: monthly(sizes, usual.hour! * factor, dearest.hour! * factor),
                basis: `${sizes.min}/${sizes.desired}/${sizes.max} nodes (min/desired/max) × ${rate(usual.hour! * factor)}/h${dearest.t !== usual.t ? `; the ceiling prices ${dearest.t} at ${rate(dearest.hour! * factor)}/h` : ""}`,
                prices: [...new Set([`ec2.${usual.t}`, `ec2.${dearest.t}`, ...(spot ? ["ec2.spot.fraction"] : [])])],
            },
        ];
        const disk = known(() => rootVolume(props, templateProps));
        if (disk) {
            const id = `ebs.${disk.type}.gbMonth`;
            const perGb = book.entry(id)?.usd ?? book.service("ebs.gp3.gbMonth");
            drafts.push({
                item: `root volumes (${disk.gb} GiB ${disk.type})`,
                monthly: { floor: sizes.min * disk.gb * perGb, expected: sizes.desired * disk.gb * perGb, ceiling: sizes.max * disk.gb * perGb },
                basis: `${sizes.desired} × ${disk.gb} GiB × ${rate(perGb)}/GB-month`,
                prices: [book.entry(id) ? id : "ebs.gp3.gbMonth"],
            });
        }
        return drafts;
    };
}

/** Whether one catalogue type satisfies a Karpenter requirement (keys the table cannot judge allow it). */
function allows(requirement: Props, type: string, keys: ReturnType<typeof keysOf>): boolean {
    const info = INSTANCE_TYPES[type];
    const [family, size] = type.split(".");
    const generation = /\d+/.exec(family)?.[0] ?? "";
    const category = /^[a-z]+/.exec(family)?.[0] ?? "";
    const key = String(requirement?.key ?? "");
    const group = keys.category[0]?.split("/")[0];
    const value = (): string | undefined => {
        if (keys.type.includes(key)) return type;
        if (keys.family.includes(key)) return family;
        if (keys.category.includes(key)) return category;
        if (keys.cpu.includes(key)) return String(info.vcpu);
        if (keys.gpuCount.includes(key)) return String(info.gpus ?? 0);
        if (group && key === `${group}/instance-generation`) return generation;
        if (group && key === `${group}/instance-size`) return size;
        if (key === "kubernetes.io/arch") return info.arch === "x86_64" ? "amd64" : "arm64";
        return undefined;
    };
    const v = value();
    if (v === undefined) return true;
    const values = list<unknown>(requirement.values).map(String);
    switch (requirement.operator) {
        case "In":
            return values.includes(v);
        case "NotIn":
            return !values.includes(v);
        case "Gt":
            return Number(v) > Number(values[0]);
        case "Lt":
            return Number(v) < Number(values[0]);
        case "DoesNotExist":
            return keys.gpuCount.includes(key) ? (info.gpus ?? 0) === 0 : true;
        default:
            return true;
    }
}

/** The catalogue types a NodePool may launch. */
export function allowedTypes(o: KubeObjectLike): string[] {
    const requirements = list<Props>(requirementsOf(o as never) as Props[]);
    const keys = keysOf(nodeClassGroups(o as never)[0]);
    return Object.keys(INSTANCE_TYPES).filter((t) => requirements.every((r) => allows(r, t, keys)));
}
type KubeObjectLike = KarpenterCapacity["o"];

/** The most a pool's limits allow of one type: nodes, bounded by cpu, memory and GPUs. */
function nodesWithin(limits: Props, type: string): number {
    const info = instanceTypeInfo(type)!;
    const bounds = [Infinity];
    const cpu = parseQuantity(String(limits?.cpu ?? ""));
    const memory = parseQuantity(String(limits?.memory ?? ""));
    const gpus = parseQuantity(String(limits?.["nvidia.com/gpu"] ?? ""));
    if (cpu !== undefined) bounds.push(cpu / info.vcpu);
    if (memory !== undefined) bounds.push(memory / (info.memoryGiB * 2 ** 30));
    if (gpus !== undefined && (info.gpus ?? 0) > 0) bounds.push(gpus / info.gpus!);
    return Math.min(...bounds);
}

/** The capacity types a pool allows; Karpenter launches On-Demand when none is named. */
function capacityTypes(o: KubeObjectLike): string[] {
    const requirement = list<Props>(requirementsOf(o as never) as Props[]).find((r) => r?.key === "karpenter.sh/capacity-type" && r.operator === "In");
    return requirement ? list<unknown>(requirement.values).map(String) : ["on-demand"];
}

/**
 * A Karpenter pool at its limits: the dearest month any type it allows could reach within them,
 * at the Spot assumption when the pool may launch Spot (Karpenter prefers it), else On-Demand.
 */
export function karpenterDraft(capacity: KarpenterCapacity, book: PriceBook): { draft: Draft; nodes: number } | { problem: string } {
    const limits = limitsOf(capacity.o);
    if (!limits?.cpu && !limits?.memory) return { problem: `${capacity.o.kind} has no cpu or memory limit, so its ceiling is unbounded` };
    const types = allowedTypes(capacity.o);
    if (types.length === 0) return { problem: "its requirements allow no type in envstack's instance catalogue" };
    const unpriced = types.filter((t) => book.instanceHour(t) === undefined);
    if (unpriced.length > 0) return { problem: `no price in ${book.region} for ${unpriced.slice(0, 5).join(", ")}${unpriced.length > 5 ? ", ..." : ""}` };
    const spot = capacityTypes(capacity.o).includes("spot");
    const factor = spot ? book.service("ec2.spot.fraction") : 1;
    // Karpenter launches no type that would take the pool past its limits, so a type counts once it fits.
    const fitting = types.map((t) => ({ t, nodes: nodesWithin(limits, t), hour: book.instanceHour(t)! })).filter((x) => x.nodes >= 1);
    if (fitting.length === 0) return { problem: "no type it allows fits within its limits" };
    const worst = fitting.reduce((a, b) => (b.nodes * b.hour > a.nodes * a.hour ? b : a));
    const ceiling = worst.nodes * worst.hour * factor * HOURS_PER_MONTH;
    const limitText = ["cpu", "memory", "nvidia.com/gpu"].filter((k) => limits[k] !== undefined).map((k) => `${k} ${limits[k]}`).join(", ");
    const draft: Draft = {
        item: `${capacity.o.object?.metadata?.name ?? capacity.r.name} at its limits (${spot ? "Spot" : "On-Demand"})`,
        monthly: { floor: 0, expected: 0, ceiling },
        basis: `limits ${limitText}: at most ${Number(worst.nodes.toFixed(2))} × ${worst.t} (the dearest the limits allow) × ${rate(worst.hour * factor)}/h; zero until pods need it`,
        prices: [`ec2.${worst.t}`, ...(spot ? ["ec2.spot.fraction"] : [])],
    };
    return { draft, nodes: Math.ceil(worst.nodes) };
}
