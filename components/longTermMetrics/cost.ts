/**
 * What a long-term backend costs a month, for a number of active series: list prices and sizes
 * stated here, in one place, so the docs' table and the cost estimate read the same figures.
 * Prices are AWS's public on-demand list prices for us-east-1 (USD); other regions differ a little.
 */

/** AMP's prices: ingestion per million samples by tier, storage per GB-month, queries per billion samples processed. */
export const AMP_PRICES = {
    ingestionTiers: [
        { upToSamples: 2e9, perMillion: 0.09 },
        { upToSamples: 252e9, perMillion: 0.035 },
        { upToSamples: Infinity, perMillion: 0.016 },
    ],
    storagePerGbMonth: 0.03,
    queryPerBillionSamples: 0.1,
};

/** Thanos on S3: S3 Standard per GB-month, requests per thousand, and the pods' share of nodes. */
export const THANOS_PRICES = {
    s3PerGbMonth: 0.023,
    putPerThousand: 0.005,
    getPerThousand: 0.0004,
    // An m7i's on-demand price split per vCPU and per GiB (m7i.large: 2 vCPU, 8 GiB, 0.1008 USD an hour).
    vcpuHour: 0.0336,
    gibHour: 0.0042,
    gp3PerGbMonth: 0.08,
};

/** Bytes a sample takes at rest: Prometheus's TSDB compresses to about 1.3; AMP bills its own storage, taken as 2 here. */
export const BYTES_PER_SAMPLE = { amp: 2, thanos: 1.3 };
const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** What a month costs, and what it is made of. */
export interface MonthlyCost {
    /** Total, USD a month. */
    total: number;
    /** Its parts, USD a month. */
    parts: Record<string, number>;
}

/** Samples a month from `series` active series scraped every `intervalSeconds`. */
export const samplesPerMonth = (series: number, intervalSeconds: number) => (series * SECONDS_PER_MONTH) / intervalSeconds;

/** AMP: ingestion by tier, and storage of `retentionDays` of samples (queries left out: they depend on dashboards). */
export function ampMonthlyCost(series: number, intervalSeconds: number, retentionDays: number): MonthlyCost {
    let samples = samplesPerMonth(series, intervalSeconds);
    let ingestion = 0;
    let floor = 0;
    for (const tier of AMP_PRICES.ingestionTiers) {
        const inTier = Math.max(0, Math.min(samples, tier.upToSamples - floor));
        ingestion += (inTier / 1e6) * tier.perMillion;
        samples -= inTier;
        floor = tier.upToSamples;
    }
    const storedGb = (samplesPerMonth(series, intervalSeconds) * (retentionDays / 30) * BYTES_PER_SAMPLE.amp) / 1e9;
    const storage = storedGb * AMP_PRICES.storagePerGbMonth;
    return { total: ingestion + storage, parts: { ingestion, storage } };
}

/** Thanos: S3 for the raw retention (downsamples add a few percent, left out), uploads, and the Thanos pods and volumes. */
export function thanosMonthlyCost(series: number, intervalSeconds: number, retentionDays: number, replicas: number): MonthlyCost {
    const storedGb = (samplesPerMonth(series, intervalSeconds) * (retentionDays / 30) * BYTES_PER_SAMPLE.thanos) / 1e9;
    const s3 = storedGb * THANOS_PRICES.s3PerGbMonth;
    // A block every two hours, a few objects each, and the compactor's rewrites: requests are small next to storage.
    const requests = ((HOURS_PER_MONTH / 2) * 10 * THANOS_PRICES.putPerThousand + HOURS_PER_MONTH * 1000 * THANOS_PRICES.getPerThousand) / 1000;
    // Requests of the store gateways, the compactor and Query (thanosManifests.ts), and their volumes.
    const vcpu = 0.1 * replicas + 0.2 + 0.1 * replicas;
    const gib = 1 * replicas + 1 + 0.5 * replicas;
    const pods = (vcpu * THANOS_PRICES.vcpuHour + gib * THANOS_PRICES.gibHour) * HOURS_PER_MONTH;
    const volumes = (20 * replicas + 50) * THANOS_PRICES.gp3PerGbMonth;
    return { total: s3 + requests + pods + volumes, parts: { s3, requests, pods, volumes } };
}
