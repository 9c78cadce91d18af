import type * as aws from "@pulumi/aws";
import type { ConfigProblem } from "../components";
import { didYouMean } from "../components/config/suggest";

/**
 * The standard `aws:` keys of a stack file, for the program's explicit AWS provider. An explicit
 * provider reads no stack config by itself, so without this `aws:profile` and the rest would be
 * silently ignored. Every key is checked; a few are refused, each saying how to do it instead.
 */

/** The AWS provider's settings from a stack file: everything but the region and the account guard, which the program sets. */
export type AwsProviderSettings = Omit<aws.ProviderArgs, "region" | "allowedAccountIds">;

type Kind = "string" | "boolean" | "number" | "strings" | "object" | "objects";

const HOW_TO_GIVE_CREDENTIALS =
    "give credentials with aws:profile (a profile in your AWS config or credentials file), aws:assumeRoles, or the environment (AWS_PROFILE, SSO, or OIDC in CI), never as long-lived keys in a stack file";

/** Keys a stack file may not set, and why. */
const REFUSED: Partial<Record<keyof aws.ProviderArgs, string>> = {
    accessKey: `static credentials are refused; ${HOW_TO_GIVE_CREDENTIALS}`,
    secretKey: `static credentials are refused; ${HOW_TO_GIVE_CREDENTIALS}`,
    token: `static credentials are refused; ${HOW_TO_GIVE_CREDENTIALS}`,
    allowedAccountIds: "envstack sets it to envstack:accountId, so the stack can only ever deploy to that account; set envstack:accountId instead",
};

/** Boolean keys that may only be false, and why. */
const MUST_BE_FALSE: Partial<Record<keyof aws.ProviderArgs, string>> = {
    insecure: "it turns off TLS certificate checks on every AWS API call",
    skipRequestingAccountId: "without the account id the provider cannot refuse an account other than envstack:accountId",
};

/** Every key the AWS provider takes, with how its value is read. Typed by the SDK: a key it adds or drops fails the build. */
const AWS_PROVIDER_KEYS: Record<keyof aws.ProviderArgs, Kind> = {
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

/** Reads every `aws:` key but the region into provider settings, adding a problem for each key that is unknown, refused or of the wrong type. */
export function readAwsProviderSettings(all: Record<string, string>, problems: ConfigProblem[]): AwsProviderSettings {
    const settings: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(all)) {
        const [namespace, key] = fullKey.split(":", 2);
        if (namespace !== "aws" || key === "region") continue;
        const kind = AWS_PROVIDER_KEYS[key as keyof aws.ProviderArgs];
        if (kind === undefined) {
            problems.push({ path: fullKey, message: `unknown config key; ${didYouMean(fullKey, Object.keys(AWS_PROVIDER_KEYS).map((k) => `aws:${k}`))}allowed: the AWS provider's keys (aws:profile, aws:assumeRoles, aws:sharedConfigFiles, ...)` });
            continue;
        }
        const refused = REFUSED[key as keyof aws.ProviderArgs];
        if (refused) {
            problems.push({ path: fullKey, message: `not allowed in an envstack stack: ${refused}` });
            continue;
        }
        const value = parse(kind, text);
        if (value === undefined) {
            problems.push({ path: fullKey, message: `got ${JSON.stringify(text)}; allowed: ${ALLOWED[kind]}` });
        } else if (value === true && MUST_BE_FALSE[key as keyof aws.ProviderArgs]) {
            problems.push({ path: fullKey, message: `got true; allowed: false, because ${MUST_BE_FALSE[key as keyof aws.ProviderArgs]}` });
        } else {
            settings[key] = value;
        }
    }
    return settings as AwsProviderSettings;
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
