import type { PolicyResource } from "@pulumi/policy";
import type { PriceBook } from "../prices";
import type { UsageAssumptions } from "../usage";

/** Hours in the month the estimate prices (AWS's own figure: 365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** A monthly figure at the three points the estimate gives, USD. */
export interface Figures {
    /** Idle: node groups at their minimum size, Karpenter at zero. */
    floor: number;
    /** Node groups at their desired size, Karpenter at zero. */
    expected: number;
    /** Node groups at their maximum, Karpenter at its limits. */
    ceiling: number;
}

/** One priced item of one resource. */
export interface CostItem {
    /** The part of the environment it belongs to: network, cluster, karpenter, storage, observability, teams, encryption, add-ons. */
    component: string;
    /** The resource's URN. */
    urn: string;
    /** The resource's name. */
    resource: string;
    /** The resource's type. */
    type: string;
    /** What is priced: "NAT gateway hours", "m7i.large On-Demand". */
    item: string;
    /** USD a month. */
    monthly: Figures;
    /** How the expected figure was reached: quantities and prices. */
    basis: string;
    /** The usage assumption behind it, for usage-based items. */
    usage?: string;
    /** The price ids it used. */
    prices: string[];
}

/** A resource the estimate should price but cannot (an instance type without a price); never counted as zero silently. */
export interface Unpriced {
    /** The resource's URN. */
    urn: string;
    /** The resource's name. */
    resource: string;
    /** The resource's type. */
    type: string;
    /** Why it could not be priced. */
    reason: string;
}

/** What an item is before it is placed in a component. */
export type Draft = Omit<CostItem, "component" | "urn" | "resource" | "type">;

/** Node counts the compute items found, at each point: Container Insights bills per node. */
export interface NodeCounts {
    floor: number;
    expected: number;
    ceiling: number;
}

/** What every pricer is given. */
export interface PricingContext {
    /** Every resource of the plan. */
    resources: PolicyResource[];
    /** The prices for a resource (its provider's region). */
    book(r: PolicyResource): PriceBook;
    usage: UsageAssumptions;
    /** Nodes of the whole plan, known once compute is priced: what bills per node is priced after. */
    nodes: NodeCounts;
    /** Records the nodes a resource runs at each point. */
    countNodes(r: PolicyResource, nodes: NodeCounts): void;
    /** The types below each resource, for remote components whose children the plan shows. */
    below: Map<string, Set<string>>;
    /** Records a resource that could not be priced. */
    unpriced(r: PolicyResource, reason: string): void;
}

/** Prices one resource: its items, or none. */
export type Pricer = (r: PolicyResource, context: PricingContext) => Draft[];

/** The same figure at all three points. */
export const flat = (usd: number): Figures => ({ floor: usd, expected: usd, ceiling: usd });

/** Money as the estimate shows it: `$1,234.56`. */
export const usd = (n: number, digits = 2) => `$${(Math.abs(n) < 0.5 * 10 ** -digits ? 0 : n).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;

/** A per-unit price as the basis shows it, with enough digits for per-hour prices: `$0.0912`. */
export const rate = (n: number) => `$${Number(n.toPrecision(4))}`;
