import type * as aws from "@pulumi/aws";
import * as path from "node:path";
import type { ConfigProblem, KubeconfigCredentials } from "../components";
import { isKnownRegion, regionAllowed } from "../components/config/regions";
import { didYouMean } from "../components/config/suggest";
import { RESERVED_TAG_KEYS } from "../components/shared/tags";

/**
 * The standard `aws:` keys of a stack file, for the program's explicit AWS provider. An explicit
 * provider reads no stack config by itself, so without this `aws:profile` and the rest would be
 * silently ignored. Every key is checked. Keys that would let a stack file leave the account
 * guard, TLS or the credential chain of the machine that deploys are refused, each saying what
 * to do instead: the stack file is reviewed less closely than code, and it must not be able to
 * redirect where signed requests go or what runs on the deployer.
 */

/** The AWS provider's settings from a stack file: everything but the region and the account guard, which the program sets. */
export type AwsProviderSettings = Omit<aws.ProviderArgs, "region" | "allowedAccountIds">;

type Kind = "string" | "boolean" | "number" | "strings" | "object" | "objects";
type Key = keyof aws.ProviderArgs;

const HOW_TO_GIVE_CREDENTIALS =
    "give credentials with aws:profile (a profile in your AWS config or credentials file), aws:assumeRoles, or the environment (AWS_PROFILE, SSO, or OIDC in CI), never as long-lived keys in a stack file";
const FROM_THE_ENVIRONMENT = "set it on the machine that deploys instead (AWS_CA_BUNDLE, HTTPS_PROXY, NO_PROXY), where a stack file cannot change it";

/** Keys a stack file may not set, and why. */
const REFUSED: Partial<Record<Key, string>> = {
    accessKey: `static credentials are refused; ${HOW_TO_GIVE_CREDENTIALS}`,
    secretKey: `static credentials are refused; ${HOW_TO_GIVE_CREDENTIALS}`,
    token: `static credentials are refused; ${HOW_TO_GIVE_CREDENTIALS}`,
    allowedAccountIds: "envstack sets it to envstack:accountId, so the stack can only ever deploy to that account; set envstack:accountId instead",
    forbiddenAccountIds: "envstack already allows exactly one account (envstack:accountId), and the provider refuses both lists together",
    endpoints: "custom endpoints would send signed requests (STS included) somewhere other than AWS; if you need them, set AWS_ENDPOINT_URL_<SERVICE> on the machine that deploys",
    customCaBundle: `a custom CA can intercept TLS to AWS; ${FROM_THE_ENVIRONMENT}`,
    httpProxy: `a proxy sees every call to AWS; ${FROM_THE_ENVIRONMENT}`,
    httpsProxy: `a proxy sees every call to AWS; ${FROM_THE_ENVIRONMENT}`,
    noProxy: FROM_THE_ENVIRONMENT,
    assumeRoleWithWebIdentity: "the kubeconfig (aws eks get-token) cannot follow it; set AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE on the machine that deploys, which both read",
};

/** Boolean keys that may only be false, and why. */
const MUST_BE_FALSE: Partial<Record<Key, string>> = {
    insecure: "it turns off TLS certificate checks on every AWS API call",
    skipRequestingAccountId: "without the account id the provider cannot refuse an account other than envstack:accountId",
};

/** Every key the AWS provider takes, with how its value is read. Typed by the SDK: a key it adds or drops fails the build. */
const AWS_PROVIDER_KEYS: Record<Key, Kind> = {
    accessKey: "string",
    allowedAccountIds: "strings",
    assumeRoleWithWebIdentity: "object",
    assumeRoles: "objects",
    customCaBundle: "string",
    defaultTags: "object",
    ec2MetadataServiceEndpoint: "string",
    ec2MetadataServiceEndpointMode: "string",
    endpoints: "objects",
    forbiddenAccountIds: "strings",
    httpProxy: "string",
    httpsProxy: "string",
    ignoreTags: "object",
    insecure: "boolean",
    maxRetries: "number",
    noProxy: "string",
    profile: "string",
    region: "string",
    retryMode: "string",
    s3UsEast1RegionalEndpoint: "string",
    s3UsePathStyle: "boolean",
    secretKey: "string",
    sharedConfigFiles: "strings",
    sharedCredentialsFiles: "strings",
    skipCredentialsValidation: "boolean",
    skipMetadataApiCheck: "boolean",
    skipRegionValidation: "boolean",
    skipRequestingAccountId: "boolean",
    stsRegion: "string",
    tagPolicyCompliance: "string",
    token: "string",
    tokenBucketRateLimiterCapacity: "number",
    useDualstackEndpoint: "boolean",
    useFipsEndpoint: "boolean",
    userAgents: "strings",
};

const ALLOWED: Record<Kind, string> = {
    string: "a string",
    boolean: "true or false",
    number: "a number",
    strings: "a YAML list of strings",
    object: "a YAML map",
    objects: "a YAML list of maps",
};

/** The instance metadata service's own addresses (IPv4 and IPv6). */
const METADATA_ENDPOINTS = ["http://169.254.169.254", "http://[fd00:ec2::254]"];

/** Checks of a value's content, beyond its type: a message for each thing wrong. */
const CONTENT: Partial<Record<Key, (value: any) => string[]>> = {
    assumeRoles: (roles: Record<string, unknown>[]) => {
        // aws eks get-token assumes one role by ARN: a longer chain or other options would give the kubeconfig another identity than the provider's.
        if (roles.length !== 1) return [`got ${roles.length} roles; allowed: exactly one, because the kubeconfig (aws eks get-token) assumes one role`];
        const extra = Object.keys(roles[0]).filter((k) => k !== "roleArn" && k !== "sessionName");
        const problems = extra.length ? [`[0] sets ${extra.join(", ")}; allowed: roleArn and sessionName, which the kubeconfig (aws eks get-token) can follow too`] : [];
        if (typeof roles[0].roleArn !== "string" || !/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roles[0].roleArn)) problems.push(`[0].roleArn: got ${JSON.stringify(roles[0].roleArn)}; allowed: an IAM role ARN`);
        const session = roles[0].sessionName;
        if (session !== undefined && (typeof session !== "string" || !/^[\w+=,.@-]{2,64}$/.test(session))) problems.push(`[0].sessionName: got ${JSON.stringify(session)}; allowed: 2 to 64 letters, digits and + = , . @ - _ (what STS accepts)`);
        return problems;
    },
    sharedConfigFiles: (files: string[]) => outsideProject(files),
    sharedCredentialsFiles: (files: string[]) => outsideProject(files),
    ec2MetadataServiceEndpoint: (url: string) => (METADATA_ENDPOINTS.includes(url.replace(/\/$/, "")) ? [] : [`got ${JSON.stringify(url)}; allowed: ${METADATA_ENDPOINTS.join(" or ")}`]),
    ignoreTags: (value: Record<string, unknown>) => {
        const wrong = shapeProblems(value, { keys: "strings", keyPrefixes: "strings" });
        return wrong.length ? wrong : reservedTags((value.keys as string[]) ?? [], (value.keyPrefixes as string[]) ?? [], "ignore");
    },
    defaultTags: (value: Record<string, unknown>) => {
        const wrong = shapeProblems(value, { tags: "tags" });
        return wrong.length ? wrong : reservedTags(Object.keys((value.tags as object) ?? {}), [], "set");
    },
    profile: (name: string) => (/^[\w.@+=,-]{1,128}$/.test(name) ? [] : [`got ${JSON.stringify(name)}; allowed: a profile name from your AWS config file, like dev-admin`]),
    maxRetries: (n: number) => (Number.isInteger(n) && n >= 0 && n <= 100 ? [] : [`got ${n}; allowed: a whole number of retries from 0 to 100`]),
    tokenBucketRateLimiterCapacity: (n: number) => (Number.isInteger(n) && n > 0 ? [] : [`got ${n}; allowed: a whole number above 0`]),
    retryMode: (mode: string) => (["standard", "adaptive"].includes(mode) ? [] : [`got ${JSON.stringify(mode)}; allowed: standard, adaptive`]),
    s3UsEast1RegionalEndpoint: (mode: string) => (["regional", "legacy"].includes(mode) ? [] : [`got ${JSON.stringify(mode)}; allowed: regional, legacy`]),
    ec2MetadataServiceEndpointMode: (mode: string) => (["IPv4", "IPv6"].includes(mode) ? [] : [`got ${JSON.stringify(mode)}; allowed: IPv4, IPv6`]),
    tagPolicyCompliance: (mode: string) => (["error", "warning", "disabled"].includes(mode) ? [] : [`got ${JSON.stringify(mode)}; allowed: error, warning, disabled`]),
    stsRegion: (region: string) => (isKnownRegion(region) ? [] : [`got ${JSON.stringify(region)}; ${regionAllowed(region)}`]),
};

/** The fields of a map value, each of the kind given: a message for a field unknown or of the wrong kind. */
function shapeProblems(value: Record<string, unknown>, fields: Record<string, "strings" | "tags">): string[] {
    return Object.entries(value).flatMap(([field, v]) => {
        const kind = fields[field];
        if (!kind) return [`${field}: unknown field; ${didYouMean(field, Object.keys(fields))}allowed: ${Object.keys(fields).join(", ")}`];
        const ok = kind === "strings" ? Array.isArray(v) && v.every((x) => typeof x === "string") : typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");
        return ok ? [] : [`${field}: got ${JSON.stringify(v)}; allowed: ${kind === "strings" ? "a YAML list of strings" : "a YAML map of tag keys to values"}`];
    });
}

/** A credentials or config file must not be one the repository holds: it could carry keys or a credential_process. */
function outsideProject(files: string[]): string[] {
    const project = `${process.cwd()}${path.sep}`;
    const inside = files.filter((f) => !f.startsWith("~/") && (!path.isAbsolute(f) || path.resolve(f).startsWith(project)));
    return inside.length ? [`${inside.map((f) => JSON.stringify(f)).join(", ")}: allowed: absolute paths outside the project (such as ~/.aws/config), since a file in the repository could hold keys or a credential_process`] : [];
}

/** Tags envstack sets and reads: its own, and the discovery and role tags Karpenter and the load balancers read. */
const ENVSTACK_TAGS = [...RESERVED_TAG_KEYS, "karpenter.sh/", "kubernetes.io/"];

function reservedTags(keys: string[], prefixes: string[], verb: string): string[] {
    const covers = (tag: string, k: string) => (tag.endsWith("/") ? k.startsWith(tag) : k === tag);
    const reserved = [...keys.filter((k) => ENVSTACK_TAGS.some((t) => covers(t, k))), ...prefixes.filter((p) => ENVSTACK_TAGS.some((t) => t.startsWith(p) || p.startsWith(t)))];
    return reserved.length ? [`${reserved.join(", ")}: envstack sets and reads these tags itself; allowed: other keys to ${verb}`] : [];
}

/** Reads every `aws:` key but the region into provider settings, adding a problem for each key that is unknown, refused or of the wrong type. */
export function readAwsProviderSettings(all: Record<string, string>, problems: ConfigProblem[]): AwsProviderSettings {
    const settings: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(all)) {
        const namespace = fullKey.split(":")[0];
        const key = fullKey.slice(namespace.length + 1) as Key;
        if (namespace !== "aws" || key === "region") continue;
        const kind = Object.hasOwn(AWS_PROVIDER_KEYS, key) ? AWS_PROVIDER_KEYS[key] : undefined;
        if (kind === undefined) {
            problems.push({ path: fullKey, message: `unknown config key; ${didYouMean(fullKey, Object.keys(AWS_PROVIDER_KEYS).map((k) => `aws:${k}`))}allowed: the AWS provider's keys (aws:profile, aws:assumeRoles, aws:sharedConfigFiles, ...)` });
            continue;
        }
        if (REFUSED[key]) {
            problems.push({ path: fullKey, message: `not allowed in an envstack stack: ${REFUSED[key]}` });
            continue;
        }
        const value = parse(kind, text);
        if (value === undefined) {
            problems.push({ path: fullKey, message: `got ${JSON.stringify(text)}; allowed: ${ALLOWED[kind]}` });
        } else if (value === true && MUST_BE_FALSE[key]) {
            problems.push({ path: fullKey, message: `got true; allowed: false, because ${MUST_BE_FALSE[key]}` });
        } else {
            const wrong = CONTENT[key]?.(value) ?? [];
            for (const message of wrong) problems.push({ path: fullKey, message });
            if (wrong.length === 0) settings[key] = value;
        }
    }
    return settings as AwsProviderSettings;
}

/** How the kubeconfig authenticates, so Kubernetes resources are applied as the same identity as AWS ones. */
export function kubeconfigCredentials(settings: AwsProviderSettings): KubeconfigCredentials | undefined {
    const roles = settings.assumeRoles as { roleArn: string }[] | undefined;
    const credentials = { ...(settings.profile ? { profileName: settings.profile as string } : {}), ...(roles?.[0] ? { roleArn: roles[0].roleArn } : {}) };
    return Object.keys(credentials).length ? credentials : undefined;
}

/** The value of a key as the CLI passes it (structured values as JSON), or undefined if it is not of the kind. */
function parse(kind: Kind, text: string): unknown {
    if (kind === "string") return text;
    if (kind === "boolean") return text === "true" ? true : text === "false" ? false : undefined;
    if (kind === "number") return text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : undefined;
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return undefined;
    }
    const isMap = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    if (kind === "object") return isMap(value) ? value : undefined;
    if (!Array.isArray(value)) return undefined;
    return value.every(kind === "strings" ? (v) => typeof v === "string" : isMap) ? value : undefined;
}
