import { opensToInternet } from "../../components/shared/addresses";
import { actionMatches, Statement } from "./iamDocuments";

/**
 * Who a policy statement really reaches: which of its conditions narrow the caller (a condition
 * on aws:SecureTransport does not), and whether its resources cover every resource of a kind.
 */

/** Accounts and organizations a policy may name, and how wide a source IP range may be. */
export interface ScopeConfig {
    /** When not empty, an account named in a condition or principal must be one of these. */
    trustedAccounts: string[];
    /** When not empty, an organization named in a condition must be one of these. */
    trustedOrganizations: string[];
    /** The most internet addresses an aws:SourceIp condition may cover and still narrow who. */
    maxSourceIpAddresses: number;
}

export const scopeSchema = {
    trustedAccounts: {
        type: "array" as const,
        items: { type: "string" as const, pattern: "^[0-9]{12}$" },
        default: [] as string[],
        description: "Accounts a policy may name (conditions, principals); empty: any one named account narrows.",
    },
    trustedOrganizations: {
        type: "array" as const,
        items: { type: "string" as const, pattern: "^o-[a-z0-9]{10,32}$" },
        default: [] as string[],
        description: "Organizations a policy may name in aws:PrincipalOrgID and the like; empty: any one named organization narrows.",
    },
    maxSourceIpAddresses: {
        type: "integer" as const,
        minimum: 1,
        // A /16 of a cloud provider's public space is anyone who rents an address there; a /24 is an office or a NAT.
        default: 256,
        description:
            "The most internet addresses (together) an aws:SourceIp condition may allow and still count as narrowing (default a /24): wider ranges reach into public cloud space that anyone can rent addresses in.",
    },
};

type Kind = "account" | "org" | "orgPath" | "arn" | "vpc" | "vpce" | "userid" | "cidr" | "mountTarget";

/** Condition keys that say who, or from where, a request comes; by the shape of their values. */
const NARROWING_KEYS: Record<string, Kind> = {
    "aws:sourceaccount": "account",
    "aws:sourceowner": "account",
    "aws:principalaccount": "account",
    "aws:vpceaccount": "account",
    "kms:calleraccount": "account",
    "s3:dataaccesspointaccount": "account",
    "aws:principalorgid": "org",
    "aws:sourceorgid": "org",
    "aws:vpceorgid": "org",
    "aws:principalorgpaths": "orgPath",
    "aws:sourceorgpaths": "orgPath",
    "aws:vpceorgpaths": "orgPath",
    "aws:sourcearn": "arn",
    "aws:principalarn": "arn",
    "aws:sourcevpcarn": "arn",
    "s3:dataaccesspointarn": "arn",
    "aws:sourcevpc": "vpc",
    "aws:sourcevpce": "vpce",
    "aws:userid": "userid",
    "aws:sourceip": "cidr",
    "elasticfilesystem:accessedviamounttarget": "mountTarget",
};

const ACCOUNT = /^\d{12}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;
const WILDCARD = /[*?]/;
/** The unique-id head of an IAM user's (AIDA) or role session's (AROA) aws:userid. */
const UNIQUE_ID = /^(AIDA|AROA)[A-Z0-9]{4,}$/;

/**
 * Operators that require the key to be present and to match: not `...IfExists` (true when the
 * key is absent), not `ForAllValues:` (true when the key is absent), not negated (everyone else).
 */
function positive(operator: string): "string" | "ip" | "bool" | undefined {
    const op = operator.replace(/^ForAnyValue:/i, "").toLowerCase();
    if (/ifexists$/.test(op) || /^forallvalues:/.test(op)) return undefined;
    if (["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"].includes(op)) return "string";
    if (op === "ipaddress") return "ip";
    if (op === "bool") return "bool";
    return undefined;
}

/** The account of an ARN with a literal 12-digit account, or "" (none, as S3), or undefined (wildcard). */
export function arnAccount(arn: string): string | undefined {
    const parts = arn.split(":");
    if (parts.length < 6 || parts[0] !== "arn") return undefined;
    return ACCOUNT.test(parts[4]) ? parts[4] : parts[4] === "" ? "" : undefined;
}

/** Whether one condition value names a single account, organization, resource or network (a trusted one, when config lists them). */
export function narrowingValue(kind: Kind, value: string, config: ScopeConfig): boolean {
    const trustedAccount = (a: string) => config.trustedAccounts.length === 0 || config.trustedAccounts.includes(a);
    const trustedOrg = (o: string) => config.trustedOrganizations.length === 0 || config.trustedOrganizations.includes(o);
    switch (kind) {
        case "account":
            return ACCOUNT.test(value) && trustedAccount(value);
        case "org":
            return ORG.test(value) && trustedOrg(value);
        case "orgPath": {
            const org = value.split("/")[0];
            return ORG.test(org) && trustedOrg(org);
        }
        case "arn": {
            const account = arnAccount(value);
            if (account === undefined) return false;
            // Without an account (S3), only an exact name is one resource: bucket names are global.
            if (account === "") return !WILDCARD.test(value.split(":").slice(5).join(":")) && value.split(":").slice(5).join(":") !== "";
            return trustedAccount(account);
        }
        case "vpc":
            return /^vpc-[0-9a-f]{8,17}$/.test(value);
        case "vpce":
            return /^vpce-[0-9a-f]{8,17}$/.test(value);
        case "userid": {
            // "anonymous" is the userid of unsigned requests; only an account (root, federated user) or a unique id names someone.
            const head = value.split(":")[0];
            return (ACCOUNT.test(head) && trustedAccount(head)) || UNIQUE_ID.test(head);
        }
        default:
            return false;
    }
}

/**
 * The value lists a statement tests `key` against with an operator that requires a match
 * (each list a separate condition, all of which must hold).
 */
export function requiredValues(s: Statement, key: string): string[][] {
    const found: string[][] = [];
    for (const [operator, block] of Object.entries(s.conditions)) {
        if (positive(operator) !== "string") continue;
        for (const [k, raw] of Object.entries(block ?? {})) {
            if (k.toLowerCase() === key.toLowerCase()) found.push((Array.isArray(raw) ? raw : [raw]).map(String));
        }
    }
    return found;
}

/** The condition keys of a statement that narrow who may make the request, as written. */
export function narrowingKeys(s: Statement, config: ScopeConfig): string[] {
    const found: string[] = [];
    for (const [operator, block] of Object.entries(s.conditions)) {
        const shape = positive(operator);
        if (!shape) continue;
        for (const [key, raw] of Object.entries(block ?? {})) {
            const kind = NARROWING_KEYS[key.toLowerCase()];
            const values = (Array.isArray(raw) ? raw : [raw]).map(String);
            if (!kind || values.length === 0) continue;
            const ok =
                kind === "cidr"
                    ? shape === "ip" && !opensToInternet(values, config.maxSourceIpAddresses)
                    : kind === "mountTarget"
                      ? shape === "bool" && values.every((v) => v.toLowerCase() === "true")
                      : shape === "string" && values.every((v) => narrowingValue(kind, v, config));
            if (ok) found.push(key);
        }
    }
    return found;
}

/** Keys that only a signed-in IAM principal carries: no AWS service principal passes them. */
const PRINCIPAL_KEYS = ["aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:userid"];

/** Whether a statement narrows its caller to IAM principals of named accounts, organizations or ids (so no service). */
export const narrowsToIamPrincipals = (s: Statement, config: ScopeConfig) => narrowingKeys(s, config).some((k) => PRINCIPAL_KEYS.includes(k.toLowerCase()));

/** Accounts a statement's AWS principals name that are not among `trustedAccounts` (none when that is empty). */
export function untrustedAccounts(s: Statement, config: ScopeConfig): string[] {
    if (config.trustedAccounts.length === 0) return [];
    const accounts = (s.principals?.AWS ?? []).map((p) => (ACCOUNT.test(p) ? p : arnAccount(p))).filter((a): a is string => Boolean(a));
    return [...new Set(accounts.filter((a) => !config.trustedAccounts.includes(a)))];
}

/** What a statement grants, for messages: its actions, or "every action but ..." for NotAction. */
export function describeActions(s: Statement): string {
    if (s.notActions) return `every action but ${s.notActions.join(", ")}`;
    return s.actions.join(", ") || "(no action)";
}

/** A statement's place in its document, for messages. */
export function statementLabel(s: Statement, index: number): string {
    return `Statement[${index}]${s.sid ? ` (${s.sid})` : ""}`;
}

/** The generic probe names (`role/envstack-probe-role`): any of them stands for every resource of its shape. */
const PROBE = "envstack-probe";
/** Names of other lengths for a generic probe: patterns of `?` that skip one length skip no other. */
const PROBE_LENGTHS = [1, 2, 3, 5, 8, 13, 24, 40, 64];
const probeNames = (name: string) => PROBE_LENGTHS.map((n) => name.padEnd(n, "0").slice(0, n));
/** Fewer literal characters than this beside a wildcard name nothing in particular (`a*`, `???`, `*x`). */
const MIN_LITERAL_NAME = 3;

/**
 * Whether a statement's resources cover every resource of one shape (`service`, `path`), in
 * whatever account and partition each pattern names: `*`, `arn:aws:iam::*:role/*` and
 * `arn:aws:iam::111122223333:role/*` all cover every role; `.../role/team-*` does not. A name
 * made of wildcards and fewer than three literal characters (`role/???`, `role/a*`) covers every
 * one too, and a generic probe is tried at several lengths, so no list of patterns skips it.
 * NotResource covers everything but what it lists, so it counts as every resource.
 */
export function coversEvery(s: Statement, service: string, path: string, regional = false): boolean {
    if (s.notResources) return true;
    // The resource type before the name (`role/`); a bucket's path is all name.
    const kind = path.startsWith(PROBE) ? "" : (/^[a-z-]+\//i.exec(path)?.[0] ?? "");
    const name = path.slice(kind.length);
    const variants = name.startsWith(PROBE) ? probeNames(name) : [];
    return s.resources.some((pattern) => {
        const parts = pattern.split(":");
        const literal = (v: string | undefined, fallback: string) => (v !== undefined && v !== "" && !WILDCARD.test(v) ? v : fallback);
        const partition = literal(parts[1], "aws");
        const region = regional ? literal(parts[3], "xx-probe-1") : "";
        // S3 and IAM Identity Center ARNs name no account.
        const account = service === "s3" || service === "sso" ? "" : ACCOUNT.test(parts[4] ?? "") ? parts[4] : "000000000000";
        const arn = (n: string) => `arn:${partition}:${service}:${region}:${account}:${kind}${n}`;
        if (actionMatches(pattern, arn(name))) return true;
        const resource = parts.slice(5).join(":");
        const rest = resource.toLowerCase().startsWith(kind.toLowerCase()) ? resource.slice(kind.length) : undefined;
        if (rest === undefined || !WILDCARD.test(rest)) return false;
        const witness = rest.replace(/[*?]/g, "x");
        if (rest.replace(/[*?]/g, "").length < MIN_LITERAL_NAME && actionMatches(pattern, arn(witness))) return true;
        return variants.some((n) => actionMatches(pattern, arn(n)));
    });
}

/** Every resource of every service: roles and users (so IAM), instances, objects and keys. */
export function coversEverything(s: Statement): boolean {
    return (
        coversEvery(s, "iam", "role/envstack-probe-role") &&
        coversEvery(s, "iam", "user/envstack-probe-user") &&
        coversEvery(s, "ec2", "instance/i-0envstackprobe", true) &&
        coversEvery(s, "s3", "envstack-probe-bucket/any/key") &&
        coversEvery(s, "kms", "key/envstack-probe-key", true)
    );
}
