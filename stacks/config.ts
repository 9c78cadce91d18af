import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigProblem, EnvironmentInput, resolveEnvironmentConfig } from "../components";
import { didYouMean } from "../components/config/suggest";
import { SECRET_PLACEHOLDER } from "../plan/secrets";
import { AwsProviderSettings, readAwsProviderSettings } from "./awsProvider";

/** The config namespace of envstack's keys in `Pulumi.<stack>.yaml`. */
export const NAMESPACE = "envstack";

/** Keys whose values are plain strings, booleans, numbers, or structured (YAML maps and lists). */
const STRING_KEYS = ["name", "tier", "accountId", "owner"];
const BOOLEAN_KEYS = ["protect"];
const NUMBER_KEYS = ["teamOvercommitFactor"];
const OBJECT_KEYS = ["tags", "kms", "network", "cluster", "karpenter", "storage", "observability", "platform", "gitops", "teams", "addons", "versions"];

/** What a stack file says: the environment, and the AWS provider's settings. */
export interface StackSettings {
    /** The environment to build. */
    input: EnvironmentInput;
    /** The standard `aws:` keys (profile, assume role, shared files, ...) but the region. */
    aws: AwsProviderSettings;
}

/**
 * Reads this stack's config: the `envstack:` keys into an `EnvironmentInput`, the `aws:` keys into
 * the AWS provider's settings. The region is `aws:region`, the one value both the provider and
 * the environment use. The name defaults to the stack name. Every key of both namespaces is
 * read, so a misspelt key is reported rather than ignored, with every other problem, at once.
 */
export function readStack(all: Record<string, string> = pulumi.runtime.allConfig(), isSecret: (key: string) => boolean = isConfigSecret): StackSettings {
    const problems: ConfigProblem[] = [];
    checkNamespaces(all, problems);
    const aws = readAwsProviderSettings(all, problems);
    checkSecretEndpoints(all, isSecret, problems);
    return { input: readEnvironmentKeys(all, problems), aws };
}

/** The namespaces this program reads: its own, the AWS provider's, and Pulumi's. */
const NAMESPACES = [NAMESPACE, "aws", "pulumi"];
/** The `pulumi:` keys the engine reads from a stack file. */
const PULUMI_KEYS = ["pulumi:tags", "pulumi:template", "pulumi:disable-default-providers", "pulumi:autonaming"];

/** A key in a namespace nothing here reads would be silently ignored: `envstak:karpenter` is a typo, not a setting. */
function checkNamespaces(all: Record<string, string>, problems: ConfigProblem[]): void {
    for (const key of Object.keys(all)) {
        const namespace = key.split(":")[0];
        if (namespace === "pulumi" && !PULUMI_KEYS.includes(key)) {
            problems.push({ path: key, message: `unknown config key; ${didYouMean(key, PULUMI_KEYS)}allowed: ${PULUMI_KEYS.join(", ")}` });
            continue;
        }
        if (NAMESPACES.includes(namespace)) continue;
        problems.push({ path: key, message: `no package in this program reads the namespace "${namespace}", so the setting would be ignored; ${didYouMean(namespace, NAMESPACES)}allowed namespaces: ${NAMESPACES.join(", ")}` });
    }
}

/** The runtime's record of which config keys were set with `--secret` (the SDK exports it untyped). */
function isConfigSecret(key: string): boolean {
    return (require("@pulumi/pulumi/runtime/config") as { isConfigSecret(k: string): boolean }).isConfigSecret(key);
}

/**
 * An alert endpoint often carries its integration key in the URL: in prod it must be a secret,
 * so it never sits in the stack file or the state in plain text.
 */
function checkSecretEndpoints(all: Record<string, string>, isSecret: (key: string) => boolean, problems: ConfigProblem[]): void {
    if (all[`${NAMESPACE}:tier`] !== "prod") return;
    const parse = (key: string) => {
        try {
            return JSON.parse(all[key] ?? "null");
        } catch {
            return null;
        }
    };
    const how = (path: string) => `allowed: a secret, set with pulumi config set --secret --path '${path}' <url>`;
    const observability = `${NAMESPACE}:observability`;
    const platform = parse(observability)?.alerts?.httpsEndpoint;
    const secretElsewhere = (all[observability] ?? "").includes(SECRET_PLACEHOLDER);
    if (platform !== undefined && platform !== SECRET_PLACEHOLDER && (!isSecret(observability) || secretElsewhere)) {
        problems.push({ path: `${observability}.alerts.httpsEndpoint`, message: `a plain value in prod; ${how(`${observability}.alerts.httpsEndpoint`)}` });
    }
    const teams = `${NAMESPACE}:teams`;
    const list = parse(teams);
    const endpoints = (Array.isArray(list) ? list : []).map((team: { alerts?: { httpsEndpoint?: unknown } }) => team?.alerts?.httpsEndpoint);
    // One secret value makes the whole key secret: the offline plan, which sees each value, refuses a plain one beside it.
    const mixed = endpoints.includes(SECRET_PLACEHOLDER);
    endpoints.forEach((endpoint, i) => {
        if (endpoint === undefined || endpoint === SECRET_PLACEHOLDER) return;
        if (!isSecret(teams) || mixed) problems.push({ path: `${teams}[${i}].alerts.httpsEndpoint`, message: `a plain value in prod; ${how(`${teams}[${i}].alerts.httpsEndpoint`)}` });
    });
}

/** Reads only the environment (the `envstack:` keys and the region), checking it. */
export function readStackInput(all: Record<string, string> = pulumi.runtime.allConfig()): EnvironmentInput {
    return readEnvironmentKeys(all, []);
}

function readEnvironmentKeys(all: Record<string, string>, problems: ConfigProblem[]): EnvironmentInput {
    const input: Record<string, unknown> = { name: pulumi.getStack(), region: all["aws:region"] };
    for (const [fullKey, text] of Object.entries(all)) {
        // Everything after the namespace is the key: `envstack:tier:x` is no `tier`.
        const namespace = fullKey.split(":")[0];
        const key = fullKey.slice(namespace.length + 1);
        if (namespace !== NAMESPACE) continue;
        if (STRING_KEYS.includes(key)) {
            input[key] = text;
        } else if (BOOLEAN_KEYS.includes(key)) {
            input[key] = text === "true" ? true : text === "false" ? false : text;
        } else if (NUMBER_KEYS.includes(key)) {
            // A value that is not a number stays text, and the schema names it.
            input[key] = text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
        } else if (OBJECT_KEYS.includes(key)) {
            input[key] = parseStructured(fullKey, text, problems);
        } else {
            const known = [...STRING_KEYS, ...BOOLEAN_KEYS, ...NUMBER_KEYS, ...OBJECT_KEYS].map((k) => `${NAMESPACE}:${k}`);
            problems.push({ path: fullKey, message: `unknown config key; ${didYouMean(fullKey, known)}allowed: ${known.join(", ")} (the region is aws:region)` });
        }
    }
    return checkStackInput(input as EnvironmentInput, problems);
}

function parseStructured(key: string, text: string, problems: ConfigProblem[]): unknown {
    try {
        return JSON.parse(text);
    } catch {
        problems.push({ path: key, message: `got ${JSON.stringify(text)}; allowed: a YAML map or list` });
        return undefined;
    }
}

/** Validates now, so every problem (with its config key) is reported before anything is registered. */
function checkStackInput(input: EnvironmentInput, problems: ConfigProblem[]): EnvironmentInput {
    try {
        resolveEnvironmentConfig(input);
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        // The offline plan cannot read a secret: say so rather than show its placeholder.
        problems.push(...err.problems.map((p) => ({ path: configKeyOf(p.path), message: p.message.split(JSON.stringify(SECRET_PLACEHOLDER)).join("a secret value (the offline plan cannot read it)") })));
    }
    if (problems.length > 0) throw new ConfigError(problems, "stack config");
    return input;
}

/** `cluster.nodeGroups[0].minSize` -> `envstack:cluster.nodeGroups[0].minSize`; `region` -> `aws:region`. */
export function configKeyOf(path: string): string {
    if (path === "region") return "aws:region";
    return path ? `${NAMESPACE}:${path}` : NAMESPACE;
}
