import type { PolicyResource } from "@pulumi/policy";
import { templateIndex } from "../../policy/policies/launchTemplates";
import { resizings } from "../../policy/policies/groupSizes";
import { known } from "../../policy/policies/preview";
import { LEFT_OUT, priceBook, PriceBook, PriceError } from "../prices";
import type { UsageAssumptions } from "../usage";
import { componentOf, descendantTypes, isEnvstackGroup, realizedTwice } from "./components";
import { karpenterPools } from "./karpenter";
import { reportUnpricedCapacity, UNPRICED_KINDS } from "./unpriced";
import { groupPricer, templateFields } from "./compute";
import { endpointPricer, eipPricer, natPricer } from "./network";
import { ampPricer, bucketPricer, containerInsightsPricer, logGroupPricer, topicPricer } from "./observability";
import { controlPlanePricer, kmsPricer, queuePricer, secretPricer } from "./platform";
import { claimPricer, ebsVolumePricer, efsPricer } from "./storage";
import { CostItem, Draft, Figures, NodeCounts, PricingContext, Pricer, Unpriced } from "./types";

export * from "./types";

/**
 * The monthly estimate of a plan: every resource that bills, priced from envstack's price table
 * (with a stack's overrides) and the tier's usage assumptions, at the floor, the expected size
 * and the ceiling, by component. It reads resources as stack policies see them, so it prices any
 * Pulumi program, in the offline plan and in `pulumi preview` alike.
 */

/** What the estimate needs besides the resources. */
export interface EstimateOptions {
    /** The tier whose usage assumptions were used, for the report. */
    tier: string;
    /** Usage assumptions, overrides applied. */
    usage: UsageAssumptions;
    /** The assumptions a stack overrode, by name (`natGbPerMonth`, `logsGbPerMonth.application`). */
    overriddenUsage?: string[];
    /** Price overrides by id (`nat.hour`, `ec2.m7i.large`). */
    prices?: Record<string, number>;
    /** The region for resources whose provider names none. */
    region?: string;
}

/** One component's monthly cost. */
export interface ComponentCost {
    /** The component: network, cluster, karpenter, storage, observability, teams, encryption, add-ons, or another program's component type. */
    component: string;
    /** USD a month. */
    monthly: Figures;
}

/** A plan's monthly estimate, USD. */
export interface CostEstimate {
    /** Every figure is in US dollars. */
    currency: "USD";
    /** The region priced (the first, when a plan spans several). */
    region: string;
    /** The date of the prices. */
    pricesAsOf: string;
    /** The tier whose usage assumptions were used. */
    tier: string;
    /** The whole environment, USD a month. */
    totals: Figures;
    /** Totals by component, dearest expected first. */
    components: ComponentCost[];
    /** Every priced item, dearest expected first. */
    items: CostItem[];
    /** What should bill but could not be priced: the estimate is incomplete while any is listed. */
    unpriced: Unpriced[];
    /** The usage assumptions the usage-based items used. */
    usage: UsageAssumptions;
    /** Price ids the stack overrode. */
    overriddenPrices: readonly string[];
    /** Usage assumptions the stack overrode. */
    overriddenUsage: readonly string[];
    /** What the estimate leaves out. */
    leftOut: readonly string[];
}

const AWS_PROVIDER = "pulumi:providers:aws";
const add = (a: Figures, b: Figures): Figures => ({ floor: a.floor + b.floor, expected: a.expected + b.expected, ceiling: a.ceiling + b.ceiling });
const ZERO: Figures = { floor: 0, expected: 0, ceiling: 0 };

/** The region a resource's provider names, else the plan's one AWS provider's, else the configured one. */
function regionResolver(resources: PolicyResource[], fallback: string | undefined): { resolve: (r: PolicyResource) => string; main?: string } {
    const regionOf = (p: { type: string; props: Record<string, any> } | undefined) => {
        const region = p?.type === AWS_PROVIDER ? known(() => p.props?.region) : undefined;
        return typeof region === "string" && region !== "" ? region : undefined;
    };
    const regions = [...new Set(resources.map(regionOf).filter((x): x is string => x !== undefined))];
    const fromPlan = regions.length === 1 ? regions[0] : undefined;
    const resolve = (r: PolicyResource) => {
        const region = regionOf(r.provider) ?? fromPlan ?? fallback;
        if (!region) throw new PriceError(`the plan names no AWS region for ${r.type} ${r.name}: set aws:region in the stack config, or region in the environment-budget policy config`);
        return region;
    };
    return { resolve, main: fromPlan ?? regions[0] ?? fallback };
}

/** Prices a plan's resources. Throws PriceError for a region the table does not price or a bad override. */
export function estimateCost(resources: PolicyResource[], options: EstimateOptions): CostEstimate {
    const regions = regionResolver(resources, options.region);
    const books = new Map<string, PriceBook>();
    const bookFor = (region: string) => {
        if (!books.has(region)) books.set(region, priceBook(region, options.prices));
        return books.get(region)!;
    };
    const book = (r: PolicyResource) => bookFor(regions.resolve(r));
    // An unpriced region is an error even when nothing in the plan bills yet.
    const main = regions.main ? bookFor(regions.main) : undefined;
    const unpriced: Unpriced[] = [];
    const items: CostItem[] = [];
    const nodesOf = new Map<string, NodeCounts>();
    const context: PricingContext = {
        resources,
        book,
        usage: options.usage,
        nodes: { floor: 0, expected: 0, ceiling: 0 },
        countNodes: (r, n) => nodesOf.set(r.urn, n),
        below: descendantTypes(resources),
        unpriced: (r, reason) => unpriced.push({ urn: r.urn, resource: r.name, type: r.type, reason }),
    };
    // A value a preview does not know yet leaves that item out until `pulumi up` checks again with it known.
    const place = (r: PolicyResource, drafts: Draft[] | undefined) => {
        for (const d of drafts ?? []) items.push({ ...d, component: componentOf(r), urn: r.urn, resource: r.name, type: r.type });
    };
    const run = (pricers: Pricer[]) => {
        for (const r of resources) for (const pricer of pricers) place(r, known(() => pricer(r, context)));
    };

    // Compute first: Container Insights bills per node.
    const found = { templates: templateIndex(resources), resizing: resizings(resources) };
    run([groupPricer(found.templates, templateFields(resources), found.resizing)]);
    for (const { capacity, draft, nodes } of karpenterPools(resources, book, context)) {
        place(capacity.r, [draft]);
        nodesOf.set(`${capacity.r.urn}#${capacity.where}`, { floor: 0, expected: 0, ceiling: nodes });
    }
    reportUnpricedCapacity(resources, new Set([...items.map((i) => i.urn), ...unpriced.map((u) => u.urn)]), context, found);
    run([controlPlanePricer, natPricer, eipPricer, endpointPricer, ebsVolumePricer, efsPricer, claimPricer(), logGroupPricer(), ampPricer, bucketPricer, topicPricer, kmsPricer, queuePricer, secretPricer]);
    // A remote component and the children that realize it in a real preview are one: the larger reading counts.
    const dropped = realizedTwice(resources, items);
    const kept = items.filter((i) => !dropped.has(i.urn));
    for (const [urn, n] of nodesOf) if (!dropped.has(urn.split("#")[0])) context.nodes = add(context.nodes, n);
    items.length = 0;
    items.push(...kept);
    run([containerInsightsPricer]);
    for (const r of resources) {
        const kind = UNPRICED_KINDS[r.type];
        if (kind) context.unpriced(r, `${kind} bills, and envstack's price table does not price it yet, so its cost is not in the figures`);
    }

    // envstack's components show even when they bill nothing themselves (teams run on Karpenter's nodes).
    const byComponent = new Map<string, Figures>(resources.map((r) => componentOf(r)).filter(isEnvstackGroup).map((c) => [c, ZERO]));
    for (const item of items) byComponent.set(item.component, add(byComponent.get(item.component) ?? ZERO, item.monthly));
    return {
        currency: "USD",
        region: main?.region ?? "",
        pricesAsOf: main?.asOf ?? "",
        tier: options.tier,
        totals: items.reduce((t, i) => add(t, i.monthly), ZERO),
        components: [...byComponent].map(([component, monthly]) => ({ component, monthly })).sort((a, b) => b.monthly.expected - a.monthly.expected || b.monthly.ceiling - a.monthly.ceiling),
        items: items.sort((a, b) => b.monthly.expected - a.monthly.expected || b.monthly.ceiling - a.monthly.ceiling),
        unpriced,
        usage: options.usage,
        overriddenPrices: Object.keys(options.prices ?? {}).sort(),
        overriddenUsage: [...(options.overriddenUsage ?? [])].sort(),
        leftOut: LEFT_OUT,
    };
}
