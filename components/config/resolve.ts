import type { z } from "zod";
import { checkEnvironment } from "./checks";
import { checkControlCharacters, joinPath, Problems, show } from "./errors";
import { environmentSchema } from "./schema";
import { TIER_PROFILES } from "./tiers";
import { didYouMean } from "./suggest";
import { INNER, isPending } from "./fields";
import type { EnvironmentConfig, EnvironmentInput, Tier } from "./types";
import { TIERS } from "./types";
import { ALL_ADDONS_ON, DEFAULT_VERSIONS } from "./versions";

/**
 * Turns what a stack wrote into a validated `EnvironmentConfig`: the tier profile first, the
 * pinned version map, then the stack's own values on top. Every problem is collected and thrown
 * together as a `ConfigError`; nothing here touches Pulumi, so it runs before any resource exists.
 */
export function resolveEnvironmentConfig(input: EnvironmentInput): EnvironmentConfig {
    const problems = new Problems();
    const tier = input?.tier;
    // An unknown tier is reported; the other fields are still checked, against dev's defaults.
    const knownTier = (TIERS as readonly unknown[]).includes(tier);
    const profile = TIER_PROFILES[knownTier ? (tier as Tier) : "dev"];
    const merged = deepMerge(deepMerge(profile, { versions: DEFAULT_VERSIONS, addons: ALL_ADDONS_ON }), withSystemCapacity(input ?? {}));

    const parsed = parseReporting(environmentSchema, merged, problems);
    // A field the schema already refused is not reported again by the checks that relate fields.
    const related = new Problems();
    checkEnvironment(merged, related);
    problems.addUnreported(related);
    checkControlCharacters(merged, problems);
    checkIgnoredWithExistingVpc(input, problems);
    problems.throwIfAny();
    return parsed as EnvironmentConfig;
}

/**
 * A stack that names its own system node types keeps them On-Demand unless it says SPOT: the
 * tier's Spot default belongs to the tier's own set of same-size types.
 */
function withSystemCapacity(input: EnvironmentInput): EnvironmentInput {
    const system = input.cluster?.systemNodeGroup;
    if (!system?.instanceTypes || system.capacityType !== undefined) return input;
    return { ...input, cluster: { ...input.cluster, systemNodeGroup: { ...system, capacityType: "ON_DEMAND" } } };
}

/** What a stack sets for a VPC envstack creates has no effect on one it adopts: said, not silently dropped. */
function checkIgnoredWithExistingVpc(input: EnvironmentInput, problems: Problems): void {
    const network = (input?.network ?? {}) as Record<string, unknown>;
    if (typeof network.existingVpc !== "object" || network.existingVpc === null) return;
    for (const key of ["natGateways", "subnetMasks", "isolatedSubnets"]) {
        if (network[key] !== undefined && !problems.has(`network.${key}`)) {
            problems.bad(`network.${key}`, network[key], "allowed: nothing with network.existingVpc, which keeps its own subnets and routes; remove it");
        }
    }
}

/** Parses `input` with a schema, adding each issue to `problems` under `prefix`; undefined if it failed. */
export function parseReporting<S extends z.ZodType>(schema: S, input: unknown, problems: Problems, prefix: PropertyKey[] = []): z.output<S> | undefined {
    const parsed = schema.safeParse(input, { reportInput: true });
    if (parsed.success) return parsed.data;
    // An Output where a plain value belongs is one problem, not one per field zod finds inside it.
    const pending = new Set<string>();
    for (const issue of parsed.error.issues) {
        const at = pendingAlong(input, issue.path);
        if (at) {
            const path = joinPath([...prefix, ...at]);
            if (!pending.has(path)) problems.add(path, "is a Pulumi Output or Promise; allowed: a plain value known when the program runs (only ids, ARNs, subnets and resources may be Outputs)");
            pending.add(path);
            continue;
        }
        addIssue(problems, { ...issue, path: [...prefix, ...issue.path] } as z.core.$ZodIssue, schema, prefix.length);
    }
    return undefined;
}

/** The path to the first Output or Promise along `path` in `input`, if there is one. */
function pendingAlong(input: unknown, path: readonly PropertyKey[]): PropertyKey[] | undefined {
    let node: unknown = input;
    for (let i = 0; i <= path.length; i++) {
        if (isPending(node)) return path.slice(0, i) as PropertyKey[];
        if (i === path.length || typeof node !== "object" || node === null) return undefined;
        node = (node as Record<PropertyKey, unknown>)[path[i] as string];
    }
    return undefined;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars from `over` replace; `undefined` never overrides. */
export function deepMerge<T>(base: T, over: unknown): T {
    if (!isPlain(base) || !isPlain(over)) return (over === undefined ? base : over) as T;
    const out: Plain = { ...base };
    for (const [key, value] of Object.entries(over)) {
        if (value === undefined) continue;
        // Defined, not assigned: a `__proto__` key stays a field (and is reported unknown) instead of replacing the prototype.
        Object.defineProperty(out, key, { value: deepMerge(Object.hasOwn(out, key) ? out[key] : undefined, value), enumerable: true, writable: true, configurable: true });
    }
    return out as T;
}

function addIssue(problems: Problems, issue: z.core.$ZodIssue, schema: z.ZodType, prefixLength: number): void {
    const path = joinPath(issue.path);
    const got = issue.input;
    switch (issue.code) {
        case "invalid_type": {
            // Fields with a hint in the schema say what they want; a text field with a format says it; others name the type, in plain words.
            const format = issue.expected === "string" ? formatAt(schema, issue.path.slice(prefixLength)) : undefined;
            const quoted = format && (typeof got === "number" || typeof got === "boolean") ? `${format}, as text in quotes (${show(got)} is a ${typeof got})` : format;
            problems.bad(path, got, quoted ?? `allowed: ${issue.message.startsWith("Invalid input") ? (PLAIN_TYPES[issue.expected] ?? issue.expected) : issue.message}`);
            return;
        }
        case "invalid_value":
            problems.bad(path, got, `allowed: ${issue.values.map((v) => String(v)).join(", ")}`);
            return;
        case "too_small":
        case "too_big":
            problems.bad(path, got, issue.message.startsWith("allowed:") ? issue.message : `allowed: ${describeBound(issue)}`);
            return;
        case "unrecognized_keys": {
            const allowed = fieldsAt(schema, issue.path.slice(prefixLength));
            for (const key of issue.keys) {
                problems.add(joinPath([...issue.path, key]), `unknown field; ${didYouMean(key, allowed)}allowed here: ${allowed.join(", ")}`);
            }
            return;
        }
        case "invalid_key":
            problems.add(path, `the key ${show(got)} is not allowed; ${issue.issues.map((i) => i.message).join("; ")}`);
            return;
        default:
            problems.bad(path, got, /^(allowed|did you mean)/.test(issue.message) ? issue.message : `allowed: ${issue.message}`);
    }
}

/** zod's names for types, as a user would say them. */
const PLAIN_TYPES: Record<string, string> = {
    string: "text",
    number: "a finite number",
    int: "a whole number",
    boolean: "true or false",
    array: "a list",
    object: "a map of fields",
    record: "a map of keys to values",
    map: "a map of keys to values",
    bigint: "a whole number",
};

function describeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
    const small = issue.code === "too_small";
    const bound = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
    const op = small ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
    switch (issue.origin) {
        case "array":
            return `${small ? "at least" : "at most"} ${bound} item(s)`;
        case "string":
            return `${small ? "at least" : "at most"} ${bound} character(s)`;
        default:
            return `a number ${op} ${bound}`;
    }
}

/** What a text field's format allows (its regex's message), found by giving it an empty string. */
function formatAt(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
    const node = nodeAt(schema, path);
    const probe = node?.safeParse?.("");
    const message: string | undefined = probe && !probe.success ? probe.error.issues[0]?.message : undefined;
    return message?.startsWith("allowed:") ? message : undefined;
}

function nodeAt(schema: z.ZodType, path: readonly PropertyKey[]): any {
    let node: any = schema;
    for (const part of path) {
        node = unwrap(node);
        if (typeof part === "number") node = node?.element;
        else node = node?.shape?.[part] ?? node?._zod?.def?.valueType;
    }
    return unwrap(node);
}

/** The field names an object schema accepts at a path, for "unknown field" messages. */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    const node = nodeAt(schema, path);
    return node?.shape ? Object.keys(node.shape) : [];
}

function unwrap(node: any): any {
    // Defaults, optionals and pipes wrap a schema, and input() keeps its own; arrays also have unwrap() but are handled by the caller.
    for (;;) {
        if (node?.[INNER]) node = node[INNER];
        else if (node && typeof node.unwrap === "function" && !node.shape && node._zod?.def?.type !== "array") node = node.unwrap();
        else return node;
    }
}

