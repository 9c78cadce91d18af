/**
 * The shape of envstack's price table: list prices in USD, by region, each with its unit, its
 * source and the date it was read. Prices are data, pinned and reviewed like the version map.
 */

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

/**
 * The prices other than EC2 instances, by id. An id names the service, the item and the unit:
 * `nat.hour`, `ebs.gp3.gbMonth`. A stack overrides one by id.
 */
export const SERVICE_PRICE_IDS = [
    "eks.cluster.standardHour",
    "eks.cluster.extendedHour",
    "nat.hour",
    "nat.gb",
    "vpc.publicIpv4.hour",
    "vpc.interfaceEndpoint.azHour",
    "vpc.interfaceEndpoint.gb",
    "ebs.gp3.gbMonth",
    "ebs.gp3.iopsMonth",
    "ebs.gp3.throughputMibpsMonth",
    "ebs.gp2.gbMonth",
    "ebs.io1.gbMonth",
    "ebs.io1.iopsMonth",
    "ebs.io2.gbMonth",
    "ebs.io2.iopsMonth",
    "ebs.st1.gbMonth",
    "ebs.sc1.gbMonth",
    "efs.standard.gbMonth",
    "efs.ia.gbMonth",
    "efs.archive.gbMonth",
    "logs.ingest.gb",
    "logs.vended.gb",
    "logs.storage.gbMonth",
    "containerInsights.observation.million",
    "kms.key.month",
    "kms.requests.tenThousand",
    "sqs.requests.million",
    "sns.publishes.million",
    "amp.ingest.first2B.tenMillion",
    "amp.ingest.next250B.tenMillion",
    "amp.ingest.over252B.tenMillion",
    "amp.storage.gbMonth",
    "amp.query.billion",
    "s3.standard.gbMonth",
    "s3.put.thousand",
    "s3.get.thousand",
    "secretsManager.secret.month",
    "ec2.spot.fraction",
] as const;
/** The id of a price other than an EC2 instance's. */
export type ServicePriceId = (typeof SERVICE_PRICE_IDS)[number];

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
    /** Every service price. */
    services: Record<ServicePriceId, Omit<Price, "asOf">>;
    /** Families priced linearly in vCPUs (general, compute, memory and storage families). */
    families: Record<string, FamilyPrice>;
    /** Types priced one by one: burstable and GPU types, whose prices do not scale with vCPUs. */
    types: Record<string, number>;
}
