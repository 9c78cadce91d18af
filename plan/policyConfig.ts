import * as fs from "node:fs";
import type { EnforcementLevel, Policy } from "@pulumi/policy";
import { didYouMean } from "../components/config/suggest";

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

type ConfigSchema = NonNullable<Policy["configSchema"]>;
type SchemaValidator = { validate(instance: unknown): { valid: boolean; errors: { instanceLocation: string; keyword: string; error: string }[] } };
const validators = new WeakMap<object, SchemaValidator>();

/**
 * One validator per schema object, reused across runs. @cfworker/json-schema interprets the schema
 * rather than generating code, so a plan does not pay for compiling 14 validators it runs once.
 */
function validatorFor(schema: ConfigSchema): SchemaValidator {
    let validator = validators.get(schema);
    if (!validator) {
        const { Validator } = require("@cfworker/json-schema") as typeof import("@cfworker/json-schema");
        validator = new Validator({ type: "object", properties: schema.properties, required: schema.required ?? [], additionalProperties: false } as never, "2020-12", false);
        validators.set(schema, validator);
    }
    return validator;
}

/** The schema's top-level defaults, for properties config leaves out (the CLI's behaviour). */
function withDefaults(schema: ConfigSchema, properties: Record<string, unknown>): Record<string, unknown> {
    const out = { ...properties };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const fallback = (property as { default?: unknown }).default;
        if (out[name] === undefined && fallback !== undefined) out[name] = structuredClone(fallback);
    }
    return out;
}

type PropertySchema = { type?: string; pattern?: string; minimum?: number; maximum?: number; enum?: unknown[]; items?: PropertySchema };

/** The schema of a property path (`["exemptNamespaces", "0"]`). */
function schemaAt(schema: ConfigSchema, path: string[]): PropertySchema | undefined {
    let node: PropertySchema | undefined = (schema.properties as Record<string, PropertySchema>)[path[0]];
    for (const _ of path.slice(1)) node = node?.items;
    return node;
}

/** What the schema allows, for the failing keyword. */
function allowed(schema: PropertySchema | undefined, keyword: string): string | undefined {
    switch (keyword) {
        case "type":
            return schema?.type && `a value of type ${schema.type}`;
        case "pattern":
            return schema?.pattern && `a string matching ${schema.pattern}`;
        case "minimum":
            return schema?.minimum !== undefined ? `at least ${schema.minimum}` : undefined;
        case "maximum":
            return schema?.maximum !== undefined ? `at most ${schema.maximum}` : undefined;
        case "enum":
            return schema?.enum?.map((v) => JSON.stringify(v)).join(", ");
        default:
            return undefined;
    }
}

/** One line per failing value, in the `got X; allowed Y` form, naming the field. */
function describeErrors(policy: Policy & { configSchema: ConfigSchema }, properties: Record<string, unknown>, errors: ReturnType<SchemaValidator["validate"]>["errors"]): string[] {
    const lines: string[] = [];
    for (const e of errors) {
        const path = e.instanceLocation.replace(/^#\/?/, "").split("/").filter(Boolean);
        const field = [policy.name, ...path].join(".");
        const value = path.reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], properties);
        if (e.keyword === "additionalProperties" || e.keyword === "false") {
            if (e.keyword === "false") lines.push(`${policy.name}: unknown property "${path[0]}"; ${didYouMean(path[0], Object.keys(policy.configSchema.properties))}allowed: ${Object.keys(policy.configSchema.properties).join(", ")}`);
        } else if (e.keyword !== "properties" && e.keyword !== "items") {
            lines.push(`${field}: got ${JSON.stringify(value)}; allowed: ${allowed(schemaAt(policy.configSchema, path), e.keyword) ?? e.error}`);
        }
    }
    return lines;
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
        if (key !== "all" && !names.has(key)) problems.push(`${key}: no such policy in the pack; ${didYouMean(key, names)}policies: all, ${[...names].join(", ")}`);
    }
    const all = splitEntry("all", entries.all, problems);
    const resolved = new Map<string, ResolvedPolicyConfig>();
    for (const policy of policies) {
        const own = splitEntry(policy.name, entries[policy.name], problems);
        let properties = { ...own.properties };
        if (policy.configSchema) {
            const given = Object.keys(properties).length > 0 || (policy.configSchema.required?.length ?? 0) > 0;
            properties = withDefaults(policy.configSchema, properties);
            // Defaults alone are valid (a test checks every policy's), so only given config is validated.
            const result = given ? validatorFor(policy.configSchema).validate(properties) : { valid: true, errors: [] };
            if (!result.valid) problems.push(...describeErrors(policy as Policy & { configSchema: ConfigSchema }, properties, result.errors));
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
