import type { Props } from "./support";

/**
 * IAM and resource policy documents, as the guardrails read them: parsed from the string or
 * object a resource holds, each statement normalized to lists, so a check reasons about what a
 * statement allows rather than how it was written (`"*"` or `["*"]`, `Action` or `NotAction`).
 */

export interface Statement {
    effect: "Allow" | "Deny";
    actions: string[];
    /** Set when the statement uses NotAction: it allows everything but these. */
    notActions?: string[];
    resources: string[];
    notResources?: string[];
    /** Principals by kind; `"*"` alone is stored as `{ AWS: ["*"] }`. Undefined for identity policies. */
    principals?: Record<string, string[]>;
    notPrincipals?: Record<string, string[]>;
    conditions: Record<string, Record<string, unknown>>;
    sid?: string;
}

const strings = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function principals(p: unknown): Record<string, string[]> | undefined {
    if (p === undefined) return undefined;
    if (p === "*") return { AWS: ["*"] };
    if (typeof p !== "object" || p === null) return { AWS: strings(p) };
    return Object.fromEntries(Object.entries(p as Props).map(([kind, v]) => [kind, strings(v)]));
}

/** The statements of a policy document (a JSON string or an object); [] when it is not one. */
export function statements(document: unknown): Statement[] {
    let doc: unknown = document;
    if (typeof doc === "string") {
        try {
            doc = JSON.parse(doc);
        } catch {
            return [];
        }
    }
    const raw = (doc as Props | undefined)?.Statement;
    return (Array.isArray(raw) ? raw : raw ? [raw] : []).map((s: Props) => ({
        effect: s.Effect === "Deny" ? "Deny" : "Allow",
        actions: strings(s.Action),
        ...(s.NotAction !== undefined ? { notActions: strings(s.NotAction) } : {}),
        resources: strings(s.Resource),
        ...(s.NotResource !== undefined ? { notResources: strings(s.NotResource) } : {}),
        ...(s.Principal !== undefined ? { principals: principals(s.Principal) } : {}),
        ...(s.NotPrincipal !== undefined ? { notPrincipals: principals(s.NotPrincipal) } : {}),
        conditions: (s.Condition ?? {}) as Record<string, Record<string, unknown>>,
        ...(s.Sid ? { sid: String(s.Sid) } : {}),
    }));
}

const LITERAL_ASCII = /^[\x00-\x29\x2b-\x3e\x40-\x7f]*$/;
const ASCII = /^[\x00-\x7f]*$/;

/** Compiled action patterns: a plan asks about the same few hundred patterns many times. */
const actionPatterns = new Map<string, RegExp>();

/** Whether an IAM action pattern (`s3:Get*`, `*`) covers an action, case-insensitively as IAM does. */
export function actionMatches(pattern: string, action: string): boolean {
    // Most patterns are literal: ASCII ones compare without building a regex, with the same result.
    if (LITERAL_ASCII.test(pattern) && ASCII.test(action)) return pattern.length === action.length && pattern.toLowerCase() === action.toLowerCase();
    let regex = actionPatterns.get(pattern);
    if (!regex) {
        regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
        actionPatterns.set(pattern, regex);
    }
    return regex.test(action);
}

/** Whether an Allow statement grants `action` (through Action or NotAction). */
export function allows(s: Statement, action: string): boolean {
    if (s.effect !== "Allow") return false;
    if (s.notActions) return !s.notActions.some((p) => actionMatches(p, action));
    return s.actions.some((p) => actionMatches(p, action));
}

/** Whether a statement's principal is anyone: `*`, `{ AWS: "*" }`, or a NotPrincipal (everyone but some). */
export function anyonePrincipal(s: Statement): boolean {
    if (s.notPrincipals) return true;
    return Object.values(s.principals ?? {}).some((list) => list.includes("*"));
}

/** Whether a statement has any condition at all. */
export const conditioned = (s: Statement) => Object.keys(s.conditions).length > 0;

