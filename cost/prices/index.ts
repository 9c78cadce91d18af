import { INSTANCE_TYPES, instanceTypeInfo } from "../../components/config/instanceTypes";
import { EU_WEST_1 } from "./euWest1";
import { US_EAST_1 } from "./usEast1";
import { Price, RegionPrices, ServicePriceId, SERVICE_PRICE_IDS, SERVICE_PRICES } from "./types";

export * from "./types";

/**
 * envstack's price table: AWS list prices for the regions envstack's stacks run in, pinned and
 * dated like the version map, and overridable per stack for negotiated prices. A region that is
 * not here is an error, never a zero.
 */
export const PRICE_TABLE: Readonly<Record<string, RegionPrices>> = { "eu-west-1": EU_WEST_1, "us-east-1": US_EAST_1 };

/** The regions the table prices. */
export const PRICED_REGIONS = Object.keys(PRICE_TABLE);

/** What the estimate leaves out, said once wherever the figures are shown. */
export const LEFT_OUT: readonly string[] = [
    "load balancers the Load Balancer Controller creates at run time (a team's Ingress or Service): they are not in the plan",
    "data transfer between availability zones and to the internet, other than through NAT gateways",
    "free tiers, Savings Plans, Reserved Instances and credits",
    "taxes and AWS Support",
    "Route 53 hosted zones and queries (the zones exist before envstack)",
    "EBS snapshots and AWS Backup",
    "CloudWatch metrics and alarms other than Container Insights",
    "capacity declared inside Helm charts, kustomizations or GitOps applications: a plan holds their values, not their objects",
    "the volumes of Karpenter's nodes",
    "values a preview does not know yet: priced when the pack runs again at pulumi up",
];

/** Why a price could not be given: an unknown region, type or id. */
export class PriceError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PriceError";
    }
}

/** A region's prices with a stack's overrides applied; every lookup names what it could not find. */
export interface PriceBook {
    /** The region priced. */
    readonly region: string;
    /** The date of the region's prices. */
    readonly asOf: string;
    /** A service price. */
    service(id: ServicePriceId): number;
    /** An instance type's On-Demand price per hour, or undefined when the table cannot price it. */
    instanceHour(type: string): number | undefined;
    /** The entry behind a price id (`nat.hour`, `ec2.m7i.large`), with its source and date. */
    entry(id: string): Price | undefined;
    /** The ids a stack overrode. */
    readonly overridden: readonly string[];
}

/** `ec2.<type>` ids: one per type in the instance catalogue. */
const EC2_PREFIX = "ec2.";
const isServiceId = (id: string): id is ServicePriceId => (SERVICE_PRICE_IDS as readonly string[]).includes(id);

/**
 * Problems with a stack's price overrides, all at once: an unknown id, or a value that is not a
 * price. `where` names the config they came from.
 */
export function priceOverrideProblems(overrides: Record<string, unknown>, where: string): string[] {
    const problems: string[] = [];
    for (const [id, value] of Object.entries(overrides)) {
        const type = id.startsWith(EC2_PREFIX) ? id.slice(EC2_PREFIX.length) : undefined;
        if (!isServiceId(id) && !(type && INSTANCE_TYPES[type])) {
            problems.push(`${where}.${id}: not a price envstack knows; allowed: ${SERVICE_PRICE_IDS.join(", ")}, or ec2.<instance type> for a type in the instance catalogue`);
        } else if (id === "ec2.spot.fraction" && !(typeof value === "number" && value >= 0 && value <= 1)) {
            problems.push(`${where}.${id}: ${JSON.stringify(value)} is not allowed; it is Spot's fraction of the On-Demand price, from 0 to 1`);
        } else if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
            problems.push(`${where}.${id}: ${JSON.stringify(value)} is not a price; give USD per unit as a number of 0 or more`);
        }
    }
    return problems;
}

/** The region's On-Demand price of an instance type: listed, or its family's price scaled by vCPUs. */
function listedInstanceHour(prices: RegionPrices, type: string): number | undefined {
    if (prices.types[type] !== undefined) return prices.types[type];
    const family = prices.families[type.split(".")[0]];
    const info = instanceTypeInfo(type);
    const reference = family && instanceTypeInfo(family.reference);
    if (!family || !info || !reference) return undefined;
    return (family.usdPerHour * info.vcpu) / reference.vcpu;
}

/** The price book for a region, with overrides (`{ "nat.hour": 0.04, "ec2.m7i.large": 0.09 }`) over the table. */
export function priceBook(region: string, overrides: Record<string, number> = {}): PriceBook {
    const prices = PRICE_TABLE[region];
    if (!prices) {
        throw new PriceError(`no prices for region ${region}: envstack's price table has ${PRICED_REGIONS.join(", ")}; add the region to cost/prices, with its source`);
    }
    const problems = priceOverrideProblems(overrides, "prices");
    if (problems.length > 0) throw new PriceError(problems.join("\n"));
    const listed = (id: string): Price | undefined => {
        if (isServiceId(id)) {
            const note = prices.notes?.[id];
            return { usd: prices.services[id], unit: SERVICE_PRICES[id].unit, source: note ? `${SERVICE_PRICES[id].source} (${note})` : SERVICE_PRICES[id].source, asOf: prices.asOf };
        }
        const usd = listedInstanceHour(prices, id.slice(EC2_PREFIX.length));
        return usd === undefined ? undefined : { usd, unit: "instance-hour", source: prices.sources.ec2, asOf: prices.asOf };
    };
    return {
        region,
        asOf: prices.asOf,
        overridden: Object.keys(overrides).sort(),
        service: (id) => overrides[id] ?? prices.services[id],
        instanceHour: (type) => overrides[`${EC2_PREFIX}${type}`] ?? listedInstanceHour(prices, type),
        entry: (id) => {
            const entry = listed(id);
            if (overrides[id] === undefined) return entry;
            return { usd: overrides[id], unit: entry?.unit ?? "instance-hour", source: "stack override", asOf: "stack override" };
        },
    };
}
