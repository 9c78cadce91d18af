import { TIERS, Tier } from "../components/config/types";
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { EstimateOptions } from "./estimate";
import type { Figures } from "./estimate/types";
import { priceOverrideProblems, PRICED_REGIONS } from "./prices";
import { resolveUsage, UsageOverrides, usageOverrideProblems } from "./usage";

/**
 * A stack's cost settings. They live in the config of the `environment-budget` policy, so the
 * one file that `pulumi preview --policy-pack-config` and `envstack plan` both read holds the
 * tier's assumptions, the stack's negotiated prices and its budget.
 */

/** The cost settings of one stack. */
export interface CostConfig {
    /** Whose usage assumptions apply: dev, staging or prod. */
    tier: Tier;
    /** The region for resources whose provider names none. */
    region?: string;
    /** Overrides of the tier's usage assumptions. */
    usage?: UsageOverrides;
    /** Negotiated prices by id, USD per unit: `{ "nat.hour": 0.04, "ec2.m7i.large": 0.09 }`. */
    prices?: Record<string, number>;
    /** The most each figure may be, USD a month; a figure left out is not limited. */
    budget?: Partial<Figures>;
}

/** The tier whose assumptions apply when a config names none: prod's, so an estimate errs high. */
export const DEFAULT_COST_TIER: Tier = "prod";

/** The config schema the budget policy declares: the top-level shape; {@link costConfigProblems} checks the rest, every problem at once. */
export const COST_CONFIG_SCHEMA: PolicyConfigSchema["properties"] = {
    tier: { type: "string", enum: [...TIERS], default: DEFAULT_COST_TIER, description: "Whose usage assumptions the estimate uses (cost/usage.ts)." },
    region: { type: "string", description: `The region for resources whose provider names none; priced regions: ${PRICED_REGIONS.join(", ")}.` },
    usage: { type: "object", description: "Overrides of the tier's usage assumptions, by name." },
    prices: { type: "object", description: "Negotiated prices by id (nat.hour, ec2.m7i.large), USD per unit." },
    budget: { type: "object", description: "The most each monthly figure may be, USD: floor, expected, ceiling." },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every problem with a cost config, each naming the field, the bad value and what is allowed. */
export function costConfigProblems(raw: Record<string, unknown>, where: string): string[] {
    const problems: string[] = [];
    if (raw.tier !== undefined && !(TIERS as readonly string[]).includes(String(raw.tier))) problems.push(`${where}.tier: ${JSON.stringify(raw.tier)} is not a tier; allowed: ${TIERS.join(", ")}`);
    if (raw.region !== undefined && !PRICED_REGIONS.includes(String(raw.region))) problems.push(`${where}.region: ${JSON.stringify(raw.region)} has no prices; allowed: ${PRICED_REGIONS.join(", ")}`);
    for (const key of ["usage", "prices", "budget"] as const) {
        if (raw[key] !== undefined && !isObject(raw[key])) problems.push(`${where}.${key}: ${JSON.stringify(raw[key])} is not allowed; give an object`);
    }
    if (isObject(raw.usage)) problems.push(...usageOverrideProblems(raw.usage, `${where}.usage`));
    if (isObject(raw.prices)) problems.push(...priceOverrideProblems(raw.prices, `${where}.prices`));
    if (isObject(raw.budget)) {
        for (const [key, value] of Object.entries(raw.budget)) {
            if (!["floor", "expected", "ceiling"].includes(key)) problems.push(`${where}.budget.${key}: not a figure; allowed: floor, expected, ceiling`);
            else if (typeof value !== "number" || !Number.isFinite(value) || value < 0) problems.push(`${where}.budget.${key}: ${JSON.stringify(value)} is not allowed; give USD a month, 0 or more`);
        }
    }
    return problems;
}

/** The estimate's options from a valid cost config. */
export function estimateOptions(config: Partial<CostConfig>): EstimateOptions {
    const tier = config.tier ?? DEFAULT_COST_TIER;
    const overridden = Object.entries(config.usage ?? {}).flatMap(([key, value]) => (key === "logsGbPerMonth" ? Object.keys(value ?? {}).map((kind) => `${key}.${kind}`) : [key]));
    return { tier, usage: resolveUsage(tier, config.usage), prices: config.prices ?? {}, region: config.region, overriddenUsage: overridden };
}
