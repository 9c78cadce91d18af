import * as pulumi from "@pulumi/pulumi";
import { isPending } from "./fields";

/** One thing wrong with a config: where, and what (including the bad value and what is allowed). */
export interface ConfigProblem {
    /** Dotted path of the field, e.g. `cluster.nodeGroups[1].minSize`. */
    path: string;
    /** What is wrong, naming the bad value and what is allowed. */
    message: string;
}

/**
 * Thrown before any resource is registered when a config has problems; carries all of them. A
 * Pulumi `RunError`, so `pulumi preview` and `pulumi up` print the problems without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        /** Every problem found, in the order found. */
        readonly problems: readonly ConfigProblem[],
        subject = "environment config",
    ) {
        super(formatProblems(problems, subject));
        this.name = "ConfigError";
    }
}

/** The problems as one message: a count, then one line per problem with its path. */
export function formatProblems(problems: readonly ConfigProblem[], subject: string): string {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => `  - ${p.path || "(root)"}: ${p.message}`);
    return [`Invalid ${subject} (${count}):`, ...lines].join("\n");
}

/** Renders a value for a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
    if (value === undefined) return "nothing";
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    if (typeof value === "bigint") return `${value}n (a BigInt)`;
    if (typeof value === "symbol" || typeof value === "function") return `a ${typeof value}`;
    if (value instanceof Map || value instanceof Set) return `a ${value.constructor.name}`;
    if (isPending(value)) return "a Pulumi Output (not known until the resources exist)";
    let text: string;
    try {
        text = JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
    } catch {
        text = "a value too deep or circular to show";
    }
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}


/** Joins a field path from its parts: `a.b[2].c`. */
export function joinPath(parts: readonly PropertyKey[]): string {
    let out = "";
    for (const part of parts) {
        if (typeof part === "number") out += `[${part}]`;
        else out += out ? `.${String(part)}` : String(part);
    }
    return out;
}

/** Collects problems so that all of them are reported at once. */
export class Problems {
    private readonly list: ConfigProblem[] = [];

    /** Records a problem with a message of its own. */
    add(path: string, message: string): void {
        this.list.push({ path, message });
    }

    /** Records `got <value>; <allowed>` (or `is required; <allowed>`) at `path`. */
    bad(path: string, value: unknown, allowed: string): void {
        this.add(path, value === undefined ? `is required; ${allowed}` : `got ${show(value)}; ${allowed}`);
    }

    /**
     * Adds the problems the checks that relate fields found (their paths mapped by `rebase`),
     * except at a path already reported: a field the schema refused is not reported twice.
     */
    addUnreported(related: Problems, rebase: (path: string) => string = (p) => p): void {
        const reported = new Set(this.list.map((p) => p.path));
        for (const p of related.all) if (!reported.has(rebase(p.path))) this.add(rebase(p.path), p.message);
    }

    /** Whether a problem is already recorded at `path`. */
    has(path: string): boolean {
        return this.list.some((p) => p.path === path);
    }

    /** Every problem recorded so far. */
    get all(): readonly ConfigProblem[] {
        return this.list;
    }

    /** Throws a `ConfigError` with every problem, if there are any. */
    throwIfAny(subject?: string): void {
        if (this.list.length > 0) throw new ConfigError(this.list, subject);
    }
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Control characters (newlines, tabs, escapes, NUL) in any text of `value`: AWS and Kubernetes
 * refuse them in names, tags and labels, and in a message they can forge lines. Plain objects
 * and lists are searched; a path already reported is left to that report.
 */
export function checkControlCharacters(value: unknown, problems: Problems, path: PropertyKey[] = [], depth = 0): void {
    if (depth > 32) return;
    if (typeof value === "string") {
        const at = joinPath(path);
        if (CONTROL.test(value) && !problems.has(at)) problems.bad(at, value, "allowed: text without control characters (newlines, tabs or escapes)");
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => checkControlCharacters(v, problems, [...path, i], depth + 1));
    } else if (typeof value === "object" && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
        for (const [k, v] of Object.entries(value)) {
            // Keys become names and descriptions too.
            const at = joinPath([...path, k]);
            if (CONTROL.test(k) && !problems.has(at)) problems.add(at, `the key ${show(k)} contains a control character; allowed: keys without newlines, tabs or escapes`);
            checkControlCharacters(v, problems, [...path, k], depth + 1);
        }
    }
}
