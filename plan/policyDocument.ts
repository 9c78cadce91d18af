/**
 * `aws.iam.getPolicyDocument` as the AWS provider renders it, so the offline plan sees the JSON a
 * program builds with it (an echo of the inputs has no `json`, and every policy check would see
 * an empty document). Sids merge as the provider merges them: source documents first, then the
 * statements given (replacing a source statement of the same Sid), then each override document
 * (replacing by Sid, else appended).
 */

type Json = Record<string, unknown>;

interface PrincipalBlock {
    type?: string;
    identifiers?: string[];
}

interface ConditionBlock {
    test?: string;
    variable?: string;
    values?: string[];
}

interface StatementBlock {
    sid?: string;
    effect?: string;
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    principals?: PrincipalBlock[];
    notPrincipals?: PrincipalBlock[];
    conditions?: ConditionBlock[];
}

/** One value as itself, several as a list: the provider's rendering. */
const oneOrMany = (values: string[]): string | string[] => (values.length === 1 ? values[0] : values);

/** `&{aws:username}` is how a program writes the policy variable `${aws:username}`. */
const policyVariables = (value: string): string => value.replace(/&\{/g, "${");

function principals(blocks: PrincipalBlock[] | undefined): unknown {
    if (!blocks?.length) return undefined;
    if (blocks.some((b) => b.type === "*")) return "*";
    const out: Record<string, string[]> = {};
    for (const b of blocks) out[String(b.type)] = [...(out[String(b.type)] ?? []), ...(b.identifiers ?? []).map(policyVariables)];
    return Object.fromEntries(Object.entries(out).map(([type, ids]) => [type, oneOrMany(ids)]));
}

function conditions(blocks: ConditionBlock[] | undefined): Json | undefined {
    if (!blocks?.length) return undefined;
    const out: Record<string, Record<string, string[]>> = {};
    for (const c of blocks) {
        const test = (out[String(c.test)] ??= {});
        test[String(c.variable)] = [...(test[String(c.variable)] ?? []), ...(c.values ?? []).map(policyVariables)];
    }
    return Object.fromEntries(Object.entries(out).map(([test, vars]) => [test, Object.fromEntries(Object.entries(vars).map(([v, values]) => [v, oneOrMany(values)]))]));
}

function renderStatement(s: StatementBlock): Json {
    const list = (values: string[] | undefined) => (values?.length ? oneOrMany(values.map(policyVariables)) : undefined);
    const out: Json = {
        Sid: s.sid,
        Effect: s.effect ?? "Allow",
        Action: list(s.actions),
        NotAction: list(s.notActions),
        Resource: list(s.resources),
        NotResource: list(s.notResources),
        Principal: principals(s.principals),
        NotPrincipal: principals(s.notPrincipals),
        Condition: conditions(s.conditions),
    };
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined && v !== ""));
}

/** The statements of a JSON document given as source or override (unreadable ones add nothing, as the provider would refuse them). */
function statementsOf(document: unknown): Json[] {
    try {
        const parsed = typeof document === "string" ? JSON.parse(document) : document;
        const statement = (parsed as Json | undefined)?.Statement;
        return (Array.isArray(statement) ? statement : statement ? [statement] : []) as Json[];
    } catch {
        return [];
    }
}

function merge(into: Json[], statements: Json[]): void {
    for (const s of statements) {
        const at = typeof s.Sid === "string" && s.Sid !== "" ? into.findIndex((t) => t.Sid === s.Sid) : -1;
        if (at >= 0) into[at] = s;
        else into.push(s);
    }
}

export function renderPolicyDocument(inputs: Json): { json: string; minifiedJson: string } {
    const statements: Json[] = [];
    for (const source of (inputs.sourcePolicyDocuments as unknown[] | undefined) ?? []) statements.push(...statementsOf(source));
    merge(statements, ((inputs.statements as StatementBlock[] | undefined) ?? []).map(renderStatement));
    for (const override of (inputs.overridePolicyDocuments as unknown[] | undefined) ?? []) merge(statements, statementsOf(override));
    const document: Json = { Version: inputs.version ?? "2012-10-17", ...(inputs.policyId ? { Id: inputs.policyId } : {}), Statement: statements };
    return { json: JSON.stringify(document, null, 2), minifiedJson: JSON.stringify(document) };
}
