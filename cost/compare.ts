import type { CostEstimate, CostItem, Figures } from "./estimate";

/**
 * What a change does to the bill: the difference between two estimates by total, by component
 * and item by item (an item is one priced part of one resource, matched by URN and name).
 */

/** One item whose monthly figures changed, appeared or went away. */
export interface ItemChange {
    /** The component it belongs to. */
    component: string;
    /** The resource's name. */
    resource: string;
    /** What is priced. */
    item: string;
    /** Whether the item is new, gone, or priced differently. */
    change: "added" | "removed" | "changed";
    /** The new figures minus the old. */
    delta: Figures;
}

/** One component's change. */
export interface ComponentChange {
    /** The component. */
    component: string;
    /** Its new figures minus its old. */
    delta: Figures;
}

/** The difference between a previous estimate and this one. */
export interface CostChange {
    /** New totals minus old. */
    totals: Figures;
    /** By component, the ones that changed, largest expected change first. */
    components: ComponentChange[];
    /** The items that changed, largest expected change first. */
    items: ItemChange[];
}

const ZERO: Figures = { floor: 0, expected: 0, ceiling: 0 };
const minus = (a: Figures, b: Figures): Figures => ({ floor: a.floor - b.floor, expected: a.expected - b.expected, ceiling: a.ceiling - b.ceiling });
/** Changes below half a cent are rounding. */
const moved = (d: Figures) => Math.abs(d.floor) >= 0.005 || Math.abs(d.expected) >= 0.005 || Math.abs(d.ceiling) >= 0.005;
const keyOf = (i: Pick<CostItem, "urn" | "item">) => `${i.urn}\u0000${i.item}`;
const bySize = (a: { delta: Figures }, b: { delta: Figures }) => Math.abs(b.delta.expected) - Math.abs(a.delta.expected) || Math.abs(b.delta.ceiling) - Math.abs(a.delta.ceiling);

/** How `current` differs from `previous`. */
export function compareEstimates(previous: CostEstimate, current: CostEstimate): CostChange {
    const before = new Map(previous.items.map((i) => [keyOf(i), i]));
    const after = new Map(current.items.map((i) => [keyOf(i), i]));
    const items: ItemChange[] = [];
    for (const [key, now] of after) {
        const then = before.get(key);
        const delta = minus(now.monthly, then?.monthly ?? ZERO);
        if (!then || moved(delta)) items.push({ component: now.component, resource: now.resource, item: now.item, change: then ? "changed" : "added", delta });
    }
    for (const [key, then] of before) {
        if (!after.has(key)) items.push({ component: then.component, resource: then.resource, item: then.item, change: "removed", delta: minus(ZERO, then.monthly) });
    }
    const then = new Map(previous.components.map((c) => [c.component, c.monthly]));
    const now = new Map(current.components.map((c) => [c.component, c.monthly]));
    const components = new Map([...then.keys(), ...now.keys()].map((c) => [c, minus(now.get(c) ?? ZERO, then.get(c) ?? ZERO)]));
    return {
        totals: minus(current.totals, previous.totals),
        components: [...components].map(([component, delta]) => ({ component, delta })).filter((c) => moved(c.delta)).sort(bySize),
        items: items.sort(bySize),
    };
}

/** The estimate in a plan's JSON; throws, saying why, when it holds none. */
export function previousEstimate(json: unknown, file: string): CostEstimate {
    const cost = (json as { cost?: unknown })?.cost as Partial<CostEstimate> | null | undefined;
    if (!cost || typeof cost !== "object" || !Array.isArray(cost.items) || !Array.isArray(cost.components) || typeof cost.totals !== "object") {
        throw new Error(`${file} holds no cost estimate (its plan failed, or an envstack without the estimate wrote it)`);
    }
    return cost as CostEstimate;
}
