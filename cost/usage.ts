import type { Tier } from "../components/config/types";

/**
 * What an environment uses in a month, where the bill depends on use rather than on what is
 * registered: data through NAT, logs ingested, bytes stored. Each tier states its own; a stack
 * overrides any of them. The estimate shows the assumption beside every figure it drives.
 */

/** Kinds of log group, by what writes to them. */
export const LOG_KINDS = ["controlPlane", "flowLogs", "application", "dataplane", "host", "performance", "other"] as const;
/** One kind of log group. */
export type LogKind = (typeof LOG_KINDS)[number];

/** Use in a month that the estimate cannot read from the plan. */
export interface UsageAssumptions {
    /** GB a month through all NAT gateways together. */
    natGbPerMonth: number;
    /** GB a month through each interface VPC endpoint. */
    endpointGbPerMonth: number;
    /** GB ingested a month into each log group of a kind. */
    logsGbPerMonth: Record<LogKind, number>;
    /** What stored logs take, as a fraction of what was ingested (CloudWatch bills storage compressed). */
    logsStoredFraction: number;
    /** Months a log group that never expires is counted for. */
    neverExpiringLogMonths: number;
    /**
     * Container Insights observations a month from each node: one a minute for each metric of the
     * node, its pods and their containers; about 450 a minute for a node of some 15 pods.
     */
    containerInsightsObservationsPerNode: number;
    /** GB stored in each EFS file system. */
    efsStoredGb: number;
    /** Share of EFS data in Infrequent Access (the lifecycle policy moves it there). */
    efsInfrequentFraction: number;
    /** GB stored in each S3 bucket. */
    s3StoredGbPerBucket: number;
    /** KMS requests a month to each key (volumes, secrets, logs and Pod Identity all call it). */
    kmsRequestsPerKey: number;
    /** SQS requests a month to each queue (Karpenter long-polls its interruption queue). */
    sqsRequestsPerQueue: number;
    /** SNS publishes a month to each topic. */
    snsPublishesPerTopic: number;
    /** Active series written to each AMP workspace, and how often they are scraped. */
    ampActiveSeries: number;
    /** Seconds between scrapes. */
    ampScrapeIntervalSeconds: number;
    /** Billions of samples queries read a month from each workspace. */
    ampQueryBillionSamples: number;
}

const COMMON = {
    logsStoredFraction: 0.15,
    neverExpiringLogMonths: 12,
    efsInfrequentFraction: 0.5,
    // One receive per 20-second long poll, plus the messages themselves.
    sqsRequestsPerQueue: 150_000,
    ampScrapeIntervalSeconds: 30,
};

/** Each tier's assumptions: dev idles, staging tests, prod serves. */
export const TIER_USAGE: Record<Tier, UsageAssumptions> = {
    dev: {
        ...COMMON,
        natGbPerMonth: 20,
        endpointGbPerMonth: 5,
        logsGbPerMonth: { controlPlane: 2, flowLogs: 0.5, application: 3, dataplane: 0.5, host: 0.5, performance: 0, other: 1 },
        containerInsightsObservationsPerNode: 20_000_000,
        efsStoredGb: 5,
        s3StoredGbPerBucket: 10,
        kmsRequestsPerKey: 100_000,
        snsPublishesPerTopic: 1_000,
        ampActiveSeries: 50_000,
        ampQueryBillionSamples: 5,
    },
    staging: {
        ...COMMON,
        natGbPerMonth: 200,
        endpointGbPerMonth: 50,
        logsGbPerMonth: { controlPlane: 15, flowLogs: 20, application: 40, dataplane: 5, host: 5, performance: 0, other: 5 },
        containerInsightsObservationsPerNode: 20_000_000,
        efsStoredGb: 50,
        s3StoredGbPerBucket: 100,
        kmsRequestsPerKey: 500_000,
        snsPublishesPerTopic: 5_000,
        ampActiveSeries: 100_000,
        ampQueryBillionSamples: 20,
    },
    prod: {
        ...COMMON,
        natGbPerMonth: 1_000,
        endpointGbPerMonth: 200,
        logsGbPerMonth: { controlPlane: 60, flowLogs: 150, application: 300, dataplane: 20, host: 20, performance: 0, other: 20 },
        containerInsightsObservationsPerNode: 20_000_000,
        efsStoredGb: 200,
        s3StoredGbPerBucket: 500,
        kmsRequestsPerKey: 2_000_000,
        snsPublishesPerTopic: 20_000,
        ampActiveSeries: 500_000,
        ampQueryBillionSamples: 100,
    },
};

/** A stack's overrides of its tier's assumptions (any field, log kinds one by one). */
export type UsageOverrides = Partial<Omit<UsageAssumptions, "logsGbPerMonth">> & {
    /** GB a month by log kind; kinds left out keep the tier's figure. */
    logsGbPerMonth?: Partial<Record<LogKind, number>>;
};

const FRACTIONS: (keyof UsageAssumptions)[] = ["logsStoredFraction", "efsInfrequentFraction"];

/** Problems with a stack's usage overrides, all at once; `where` names the config they came from. */
export function usageOverrideProblems(overrides: Record<string, unknown>, where: string): string[] {
    const problems: string[] = [];
    const known = Object.keys(TIER_USAGE.dev);
    const amount = (path: string, value: unknown, fraction: boolean) => {
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (fraction && value > 1)) {
            problems.push(`${path}: ${JSON.stringify(value)} is not allowed; give ${fraction ? "a fraction from 0 to 1" : "a number of 0 or more"}`);
        }
    };
    for (const [key, value] of Object.entries(overrides)) {
        if (!known.includes(key)) {
            problems.push(`${where}.${key}: not a usage assumption; allowed: ${known.join(", ")}`);
        } else if (key === "logsGbPerMonth") {
            if (typeof value !== "object" || value === null || Array.isArray(value)) {
                problems.push(`${where}.logsGbPerMonth: ${JSON.stringify(value)} is not allowed; give GB a month by log kind (${LOG_KINDS.join(", ")})`);
                continue;
            }
            for (const [kind, gb] of Object.entries(value)) {
                if ((LOG_KINDS as readonly string[]).includes(kind)) amount(`${where}.logsGbPerMonth.${kind}`, gb, false);
                else problems.push(`${where}.logsGbPerMonth.${kind}: not a log kind; allowed: ${LOG_KINDS.join(", ")}`);
            }
        } else {
            amount(`${where}.${key}`, value, FRACTIONS.includes(key as keyof UsageAssumptions));
        }
    }
    return problems;
}

/** A tier's assumptions with a stack's overrides over them (validate the overrides first). */
export function resolveUsage(tier: Tier, overrides: UsageOverrides = {}): UsageAssumptions {
    const base = TIER_USAGE[tier];
    return { ...base, ...overrides, logsGbPerMonth: { ...base.logsGbPerMonth, ...overrides.logsGbPerMonth } } as UsageAssumptions;
}
