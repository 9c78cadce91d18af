import { INSTANCE_TYPES, instanceTypeInfo } from "../../components/config/instanceTypes";
import { parseQuantity } from "../../components/shared/quantity";
import type { PolicyResource } from "@pulumi/policy";
import { KarpenterCapacity, karpenterCapacity, keysOf, limitsOf, nodeClassGroups, requirementsOf } from "../../policy/policies/nodePools";
import { known } from "../../policy/policies/preview";
import { list, Props } from "../../policy/policies/support";
import type { PriceBook } from "../prices";
import { Draft, HOURS_PER_MONTH, PricingContext, rate } from "./types";

/**
 * Karpenter's pools at the ceiling: the dearest month any catalogue type the requirements allow
 * could reach within the pool's limits. Zero at the floor and the expected size.
 */

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

const FAMILIES = new Set(Object.keys(INSTANCE_TYPES).map((t) => t.split(".")[0]));
const CATEGORIES = new Set([...FAMILIES].map((f) => /^[a-z]+/.exec(f)?.[0] ?? ""));

/** Types, families and categories a pool names (operator In) that the catalogue lacks: they may launch, unpriced. */
function outsideCatalogue(o: KubeObjectLike): string[] {
    const keys = keysOf(nodeClassGroups(o as never)[0]);
    return list<Props>(requirementsOf(o as never) as Props[])
        .filter((r) => r?.operator === "In")
        .flatMap((r) => {
            const values = list<unknown>(r.values).map(String);
            if (keys.type.includes(r.key)) return values.filter((v) => !INSTANCE_TYPES[v]);
            if (keys.family.includes(r.key)) return values.filter((v) => !FAMILIES.has(v)).map((v) => `family ${v}`);
            if (keys.category.includes(r.key)) return values.filter((v) => !CATEGORIES.has(v)).map((v) => `category ${v}`);
            return [];
        });
}

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
    const outside = outsideCatalogue(capacity.o);
    if (outside.length > 0) return { problem: `its requirements allow ${outside.join(", ")}, which envstack's instance catalogue does not price` };
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

/** Every pool of the plan, priced once per cluster and name (a pool and the patches that change it are one: the dearest reading counts). */
export function karpenterPools(resources: PolicyResource[], book: (r: PolicyResource) => PriceBook, context: PricingContext): { capacity: KarpenterCapacity; draft: Draft; nodes: number }[] {
    const pools = new Map<string, { capacity: KarpenterCapacity; draft: Draft; nodes: number }>();
    for (const capacity of karpenterCapacity(resources)) {
        const priced = known(() => karpenterDraft(capacity, book(capacity.r)));
        if (!priced) continue;
        if ("problem" in priced) {
            context.unpriced(capacity.r, `${capacity.prefix}${priced.problem}`);
            continue;
        }
        const name = known(() => capacity.o.object?.metadata?.name);
        const key = typeof name === "string" ? `${capacity.cluster}|${capacity.o.kind}|${name}` : capacity.r.urn + capacity.where;
        const seen = pools.get(key);
        if (!seen || priced.draft.monthly.ceiling > seen.draft.monthly.ceiling) pools.set(key, { capacity, ...priced });
    }
    return [...pools.values()];
}
