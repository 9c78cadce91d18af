import * as fs from "node:fs";
import type { ValidateFunction } from "ajv";
import type { EnforcementLevel, Policy } from "@pulumi/policy";

/**
 * Policy configuration with the Pulumi CLI's semantics (`--policy-pack-config`): a JSON object
 * keyed by policy name (or `all`), each value an enforcement level or an object with an optional
 * `enforcementLevel` and the policy's properties. Properties are validated against the policy's
 * `configSchema` and its defaults are applied; anything that does not fit is an error.
 */

export const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface ResolvedPolicyConfig {
    /** The level set in config for this policy (or for `all`); undefined to use the policy's own. */
    enforcementLevel?: EnforcementLevel;
    /** Properties, with schema defaults applied. */
    properties: Record<string, unknown>;
}

export class PolicyConfigError extends Error {
    constructor(
        readonly problems: string[],
        source: string,
    ) {
        super(`Invalid policy config${source ? ` (${source})` : ""}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PolicyConfigError";
    }
}

let ajv: import("ajv").default | undefined;
const validators = new WeakMap<object, ValidateFunction>();

/** One compiled validator per schema object, reused across runs; ajv loads only when needed. */
function validatorFor(schema: NonNullable<Policy["configSchema"]>): ValidateFunction {
    let validate = validators.get(schema);
    if (!validate) {
        if (!ajv) {
            const Ajv = require("ajv").default as typeof import("ajv").default;
            ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
        }
        validate = ajv.compile({ type: "object", properties: schema.properties, required: schema.required ?? [], additionalProperties: false });
        validators.set(schema, validate);
    }
    return validate;
}

export function readPolicyConfigFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new PolicyConfigError([`cannot read ${file}`], file);
    }
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new PolicyConfigError([`not valid JSON: ${(err as Error).message}`], file);
    }
}

/** Resolves raw config for every policy; throws a PolicyConfigError listing every problem. */
export function resolvePolicyConfig(raw: unknown, policies: readonly Policy[], source = ""): Map<string, ResolvedPolicyConfig> {
    const problems: string[] = [];
    const entries = (raw ?? {}) as Record<string, unknown>;
    if (typeof entries !== "object" || Array.isArray(entries)) throw new PolicyConfigError(["the config must be a JSON object keyed by policy name"], source);
    const names = new Set(policies.map((p) => p.name));
    for (const key of Object.keys(entries)) {
        if (key !== "all" && !names.has(key)) problems.push(`${key}: no such policy in the pack; policies: all, ${[...names].join(", ")}`);
    }
    const all = splitEntry("all", entries.all, problems);
    const resolved = new Map<string, ResolvedPolicyConfig>();
    for (const policy of policies) {
        const own = splitEntry(policy.name, entries[policy.name], problems);
        const properties = { ...own.properties };
        if (policy.configSchema) {
            const validate = validatorFor(policy.configSchema);
            if (!validate(properties)) {
                for (const e of validate.errors ?? []) {
                    const field = e.instancePath ? `${policy.name}${e.instancePath.replace(/\//g, ".")}` : policy.name;
                    const detail = e.keyword === "additionalProperties" ? `unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"; allowed: ${Object.keys(policy.configSchema.properties).join(", ")}` : e.message;
                    problems.push(`${field}: ${detail}`);
                }
            }
        } else if (Object.keys(properties).length > 0) {
            problems.push(`${policy.name}: takes no properties (only enforcementLevel); got ${Object.keys(properties).join(", ")}`);
        }
        resolved.set(policy.name, { enforcementLevel: own.enforcementLevel ?? all.enforcementLevel, properties });
    }
    if (problems.length > 0) throw new PolicyConfigError(problems, source);
    return resolved;
}

function splitEntry(name: string, value: unknown, problems: string[]): { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> } {
    if (value === undefined) return { properties: {} };
    if (typeof value === "string") {
        if (!LEVELS.includes(value as EnforcementLevel)) problems.push(`${name}: got ${JSON.stringify(value)}; allowed levels: ${LEVELS.join(", ")}`);
        return { enforcementLevel: value as EnforcementLevel, properties: {} };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        problems.push(`${name}: got ${JSON.stringify(value)}; allowed: an enforcement level or an object`);
        return { properties: {} };
    }
    const { enforcementLevel, ...properties } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as EnforcementLevel)) {
        problems.push(`${name}.enforcementLevel: got ${JSON.stringify(enforcementLevel)}; allowed: ${LEVELS.join(", ")}`);
    }
    return { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties: name === "all" ? {} : properties };
}
