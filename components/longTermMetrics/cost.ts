import { priceBook, PriceBook } from "../../cost/prices";

/**
 * What a long-term backend costs a month, for a number of active series: prices from envstack's
 * price table (us-east-1 unless a book is given), so the docs' table and the plan's estimate read
 * the same figures.
 */

/** AMP's ingestion tiers: samples in each, and the price id per 10 million. */
const AMP_TIERS = [
    { samples: 2e9, id: "amp.ingest.first2B.tenMillion" },
    { samples: 250e9, id: "amp.ingest.next250B.tenMillion" },
    { samples: Infinity, id: "amp.ingest.over252B.tenMillion" },
] as const;

/** The split of an On-Demand m7i.large (2 vCPU, 8 GiB) into vCPU and memory, for pricing pods by their requests: two thirds for the vCPUs. */
const CPU_SHARE = 2 / 3;
const REFERENCE_NODE = { type: "m7i.large", vcpu: 2, gib: 8 };

const defaultBook = () => priceBook("us-east-1");

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
export function ampMonthlyCost(series: number, intervalSeconds: number, retentionDays: number, book: PriceBook = defaultBook()): MonthlyCost {
    let samples = samplesPerMonth(series, intervalSeconds);
    let ingestion = 0;
    for (const tier of AMP_TIERS) {
        const inTier = Math.min(samples, tier.samples);
        ingestion += (inTier / 1e7) * book.service(tier.id);
        samples -= inTier;
    }
    const storedGb = (samplesPerMonth(series, intervalSeconds) * (retentionDays / 30) * BYTES_PER_SAMPLE.amp) / 1e9;
    const storage = storedGb * book.service("amp.storage.gbMonth");
    return { total: ingestion + storage, parts: { ingestion, storage } };
}

/** Thanos: S3 for the raw retention (downsamples add a few percent, left out), uploads, and the Thanos pods and volumes. */
export function thanosMonthlyCost(series: number, intervalSeconds: number, retentionDays: number, replicas: number, book: PriceBook = defaultBook()): MonthlyCost {
    const storedGb = (samplesPerMonth(series, intervalSeconds) * (retentionDays / 30) * BYTES_PER_SAMPLE.thanos) / 1e9;
    const s3 = storedGb * book.service("s3.standard.gbMonth");
    // A block every two hours, a few objects each, and the compactor's rewrites: requests are small next to storage.
    const requests = ((HOURS_PER_MONTH / 2) * 10 * book.service("s3.put.thousand") + HOURS_PER_MONTH * 1000 * book.service("s3.get.thousand")) / 1000;
    // Requests of the store gateways, the compactor and Query (thanosManifests.ts), and their volumes.
    const nodeHour = book.instanceHour(REFERENCE_NODE.type)!;
    const vcpuHour = (nodeHour * CPU_SHARE) / REFERENCE_NODE.vcpu;
    const gibHour = (nodeHour * (1 - CPU_SHARE)) / REFERENCE_NODE.gib;
    const vcpu = 0.1 * replicas + 0.2 + 0.1 * replicas;
    const gib = 1 * replicas + 1 + 0.5 * replicas;
    const pods = (vcpu * vcpuHour + gib * gibHour) * HOURS_PER_MONTH;
    const volumes = (20 * replicas + 50) * book.service("ebs.gp3.gbMonth");
    return { total: s3 + requests + pods + volumes, parts: { s3, requests, pods, volumes } };
}
