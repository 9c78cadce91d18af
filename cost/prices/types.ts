/**
 * The shape of envstack's price table: list prices in USD, by region, each with its unit, its
 * source and the date it was read. Prices are data, pinned and reviewed like the version map.
 */

import type { ServicePriceId } from "./services";

export { SERVICE_PRICE_IDS, SERVICE_PRICES, ServicePrice, ServicePriceId } from "./services";

/** One list price. */
export interface Price {
    /** USD per unit. */
    usd: number;
    /** What one unit is: "cluster-hour", "GB-month", "GB processed". */
    unit: string;
    /** Where the figure comes from: a pricing page, or "assumption" for figures that are not prices. */
    source: string;
    /** When the figure was read (YYYY-MM-DD), or "stack override" for a stack's own price. */
    asOf: string;
}

/** One EC2 family's On-Demand price, stated for one size; the others scale by vCPU, as AWS prices them. */
export interface FamilyPrice {
    /** The size the price is stated for, e.g. `m7i.large`. */
    reference: string;
    /** USD per hour, Linux, shared tenancy. */
    usdPerHour: number;
}

/** One region's list prices. */
export interface RegionPrices {
    /** The date the figures were read (YYYY-MM-DD). */
    asOf: string;
    /** Where the figures were read. */
    sources: {
        /** EC2 On-Demand. */
        ec2: string;
    };
    /** Every service price, USD per its unit (cost/prices/services.ts). */
    services: Record<ServicePriceId, number>;
    /** Where a figure departs from its page's (derived, or another region's), said beside its source. */
    notes?: Partial<Record<ServicePriceId, string>>;
    /** Families priced linearly in vCPUs (general, compute, memory and storage families). */
    families: Record<string, FamilyPrice>;
    /** Types priced one by one: burstable and GPU types, whose prices do not scale with vCPUs. */
    types: Record<string, number>;
}
