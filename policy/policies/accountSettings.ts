import { isAwsManagedKey } from "./atRest";
import { byResourceView } from "./cloudControl";
import { documentOf, isOff, isOn } from "./flags";
import { scopeSchema } from "./policyScope";
import { Check, GuardrailResourcePolicy, list, Props } from "./support";

/**
 * Account- and region-wide switches a program can flip. One resource turns a safeguard off for
 * every volume, bucket, AMI, snapshot or instance in the account, so each is judged by the state
 * it leaves the account in, not by the fields it happens to set.
 */

export const ACCOUNT_TYPES = {
    ebsEncryptionByDefault: "aws:ebs/encryptionByDefault:EncryptionByDefault",
    ebsDefaultKmsKey: "aws:ebs/defaultKmsKey:DefaultKmsKey",
    s3AccountPublicAccessBlock: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    instanceMetadataDefaults: "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults",
    imageBlockPublicAccess: "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess",
    snapshotBlockPublicAccess: "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess",
    emrBlockPublicAccess: "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration",
    ssmServiceSetting: "aws:ssm/serviceSetting:ServiceSetting",
    glueCatalogEncryption: "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
    nativeGlueCatalogEncryption: "aws-native:glue:DataCatalogEncryptionSettings",
    serialConsoleAccess: "aws:ec2/serialConsoleAccess:SerialConsoleAccess",
    logAccountPolicy: "aws:cloudwatch/logAccountPolicy:LogAccountPolicy",
    nativeLogAccountPolicy: "aws-native:logs:AccountPolicy",
    organizationsPolicy: "aws:organizations/policy:Policy",
    nativeOrganizationsPolicy: "aws-native:organizations:Policy",
} as const;

const S3_BLOCKS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

type AccountConfig = { maxHopLimit: number; trustedAccounts: string[] };

/** The account's IMDS defaults as the switch leaves them: fields left out mean "no preference", which the AMI decides. */
function metadataDefaultsProblems(props: Props, maxHopLimit: number): string[] {
    if (props.httpEndpoint === "disabled") return [];
    const problems: string[] = [];
    const tokens = props.httpTokens ?? "no-preference";
    if (tokens !== "required") problems.push(`httpTokens is ${JSON.stringify(tokens)}: instances launched without their own setting keep IMDSv1; set "required"`);
    const hop = props.httpPutResponseHopLimit;
    if (hop !== undefined && hop !== null && hop !== -1 && !(Number(hop) <= maxHopLimit)) {
        problems.push(`httpPutResponseHopLimit is ${hop}: containers on instances that take the default reach the node's credentials; at most ${maxHopLimit} here`);
    }
    return problems;
}

/** EMR's block public access: on, with public rules allowed on port 22 at most (AWS's own exception). */
const emrBlockPublicAccess: Check = (props, _args, report) => {
    if (!isOn(props.blockPublicSecurityGroupRules)) {
        report(`blockPublicSecurityGroupRules is ${JSON.stringify(props.blockPublicSecurityGroupRules ?? null)}: any EMR cluster in the region may open its security groups to the internet`);
        return;
    }
    const wider = list<Props>(props.permittedPublicSecurityGroupRuleRanges)
        .map((r) => [Number(r?.minRange), Number(r?.maxRange ?? r?.minRange)])
        .filter(([min, max]) => !(min === 22 && max === 22));
    if (wider.length > 0) report(`permittedPublicSecurityGroupRuleRanges lets EMR clusters open ${wider.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(", ")} to the internet; permit port 22 at most`);
};

const PUBLIC_DOCUMENT_SHARING = "/ssm/documents/console/public-sharing-permission";

/** SSM's switch for sharing documents publicly, by its id or its ARN. */
const ssmServiceSetting: Check = (props, _args, report) => {
    if (typeof props.settingId !== "string" || !props.settingId.trim().toLowerCase().endsWith(PUBLIC_DOCUMENT_SHARING)) return;
    if (String(props.settingValue ?? "").trim().toLowerCase() !== "disable") {
        report(`settingValue is ${JSON.stringify(props.settingValue ?? null)} for ${PUBLIC_DOCUMENT_SHARING}: SSM documents (and the scripts and parameters in them) could be shared publicly; set "Disable"`);
    }
};

/** The Data Catalog's encryption: table metadata under SSE-KMS and connection passwords encrypted, both with a customer-managed key. */
const glueCatalogEncryption: Check = (props, _args, report) => {
    const settings = props.dataCatalogEncryptionSettings ?? {};
    const atRest = settings.encryptionAtRest ?? {};
    const mode = atRest.catalogEncryptionMode;
    if (!String(mode ?? "").trim().toUpperCase().startsWith("SSE-KMS")) {
        report(`encryptionAtRest.catalogEncryptionMode is ${JSON.stringify(mode ?? null)}: the region's Data Catalog (every database and table definition) is not encrypted; set "SSE-KMS" with a customer-managed key`);
    } else if (isAwsManagedKey(atRest.sseAwsKmsKeyId)) {
        report(`encryptionAtRest.sseAwsKmsKeyId is ${JSON.stringify(atRest.sseAwsKmsKeyId ?? null)}: the Data Catalog would be encrypted under the AWS-managed key aws/glue; name a customer-managed key`);
    }
    const passwords = settings.connectionPasswordEncryption ?? {};
    const key = passwords.awsKmsKeyId ?? passwords.kmsKeyId;
    if (!isOn(passwords.returnConnectionPasswordEncrypted)) {
        report(`connectionPasswordEncryption.returnConnectionPasswordEncrypted is ${JSON.stringify(passwords.returnConnectionPasswordEncrypted ?? null)}: JDBC connection passwords are returned in clear to anyone who may read a connection; set it to true with a customer-managed key`);
    } else if (isAwsManagedKey(key)) {
        report(`connectionPasswordEncryption names no customer-managed key (${JSON.stringify(key ?? null)}): connection passwords would be encrypted under an AWS-managed key`);
    }
};

/** The account-wide CloudWatch Logs subscription: every log group streamed to its destination. */
const logAccountPolicy: Check = (props, args, report) => {
    if (String(props.policyType ?? "").trim().toUpperCase() !== "SUBSCRIPTION_FILTER_POLICY") return;
    const doc = documentOf(props.policyDocument) as Props | undefined;
    const destination = doc?.DestinationArn;
    if (typeof destination !== "string") return;
    const { trustedAccounts } = args.getConfig<AccountConfig>();
    const accountOf = (arn: unknown) => (typeof arn === "string" ? /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn.trim())?.[1] : undefined);
    const account = accountOf(destination);
    // A Logs destination is how logs cross accounts; a stream or Firehose must be in the account of the role that writes to it, which is this one.
    const roleAccount = accountOf(doc?.RoleArn);
    const crossAccount = /^arn:[^:]+:logs:[^:]*:\d{12}:destination:/i.test(destination.trim()) || (roleAccount !== undefined && account !== undefined && account !== roleAccount);
    if (trustedAccounts.length > 0 ? account !== undefined && !trustedAccounts.includes(account) : crossAccount) {
        report(`the account-wide subscription filter streams every log group to ${destination}${account ? ` in account ${account}` : ""}, not among trustedAccounts: whatever any workload logs leaves for that account`);
    }
};

/** A declarative policy's value: `{ "@@assign": v }` or v, spelled with underscores or dashes in any case. */
function assigned(node: unknown): string | undefined {
    const v = node !== null && typeof node === "object" ? (node as Props)["@@assign"] : node;
    return v === undefined || v === null ? undefined : String(v).trim().toLowerCase().replace(/-/g, "_");
}

/**
 * An Organizations declarative policy for EC2 sets the same switches for every account it is
 * attached to, overriding theirs; each attribute it states is judged as the account's own switch.
 */
const declarativeEc2Policy: Check = (props, args, report) => {
    if (String(props.type ?? "").trim().toUpperCase() !== "DECLARATIVE_POLICY_EC2") return;
    const attributes = (documentOf(props.content) as Props | undefined)?.ec2_attributes;
    if (attributes === null || typeof attributes !== "object") return;
    const at = (path: string, value: string) => `content: ec2_attributes.${path} is ${JSON.stringify(value)} for every account the policy is attached to`;
    const image = assigned(attributes.image_block_public_access?.state);
    if (image !== undefined && image !== "block_new_sharing") report(`${at("image_block_public_access.state", image)}: AMIs could be shared publicly; set "block_new_sharing"`);
    const snapshot = assigned(attributes.snapshot_block_public_access?.state);
    if (snapshot !== undefined && snapshot !== "block_all_sharing" && snapshot !== "block_new_sharing") report(`${at("snapshot_block_public_access.state", snapshot)}: EBS snapshots could be shared publicly; set "block_all_sharing" or "block_new_sharing"`);
    const console = assigned(attributes.serial_console_access?.status);
    if (console !== undefined && console !== "disabled") report(`${at("serial_console_access.status", console)}: an interactive console on every Nitro instance; set "disabled"`);
    const imds = attributes.instance_metadata_defaults;
    if (imds && assigned(imds.http_endpoint) !== "disabled") {
        const tokens = assigned(imds.http_tokens);
        if (tokens !== undefined && tokens !== "required") report(`${at("instance_metadata_defaults.http_tokens", tokens)}: instances launched without their own setting keep IMDSv1; set "required"`);
        const hop = assigned(imds.http_put_response_hop_limit);
        const max = args.getConfig<AccountConfig>().maxHopLimit;
        // -1 is "no preference": the AMI's default applies.
        if (hop !== undefined && hop !== "no_preference" && Number(hop.replace("_", "-")) !== -1 && !(Number(hop) <= max)) {
            report(`${at("instance_metadata_defaults.http_put_response_hop_limit", hop)}: containers on instances that take the default reach the node's credentials; at most ${max} here`);
        }
    }
};

export const accountSafeDefaults: GuardrailResourcePolicy = {
    name: "account-safe-defaults",
    description:
        "Account-wide switches stay safe: EBS encryption by default on, under a customer-managed default key; S3's account public access block with all four blocks on; IMDS defaults requiring tokens within the hop limit; public sharing of AMIs, EBS snapshots and SSM documents blocked; EMR's block public access on (port 22 at most excepted); the Glue Data Catalog and its connection passwords encrypted under a customer-managed key; the EC2 serial console off (the IMDS, serial console and AMI and snapshot sharing attributes of an Organizations declarative policy for EC2 alike); no account-wide log subscription to an account outside trustedAccounts.",
    why: "One switch turned off in any program (EBS encryption by default, S3's account block, the IMDS default, EMR's block public access, the serial console) silently weakens every volume, bucket, cluster and instance in the account, the platform's included; one account-wide log subscription ships every log group elsewhere.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set enabled: true on EncryptionByDefault and a customer-managed key on DefaultKmsKey; set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true on AccountPublicAccessBlock; set httpTokens: required and httpPutResponseHopLimit within maxHopLimit on InstanceMetadataDefaults; use block-new-sharing for AMIs and block-all-sharing or block-new-sharing for snapshots (share with named accounts instead); set the SSM public-sharing-permission setting to Disable; keep EMR's blockPublicSecurityGroupRules on with port 22 at most permitted; use SSE-KMS and encrypted connection passwords with customer-managed keys for the Glue Data Catalog; set enabled: false on SerialConsoleAccess; point account-wide log subscriptions at the account's own streams or a destination in trustedAccounts.",
    configSchema: {
        properties: {
            maxHopLimit: {
                type: "integer",
                minimum: 1,
                maximum: 2,
                default: 1,
                description: "The largest IMDS hop limit the account default may set (2 lets containers reach the node's credentials).",
            },
            trustedAccounts: {
                ...scopeSchema.trustedAccounts,
                description: "Accounts an account-wide log subscription may deliver to (list your own too); empty: no CloudWatch Logs destination, the way logs cross accounts.",
            },
        },
    },
    validateResource: byResourceView({
        [ACCOUNT_TYPES.ebsEncryptionByDefault]: (props, _args, report) => {
            // The provider's default is enabled; only an explicit off (boolean or string) turns it off.
            if (props.enabled !== undefined && !isOn(props.enabled)) report(`enabled is ${JSON.stringify(props.enabled)}: new EBS volumes in the region would be created unencrypted`);
        },
        [ACCOUNT_TYPES.ebsDefaultKmsKey]: (props, _args, report) => {
            if (isAwsManagedKey(props.keyArn)) report(`keyArn is ${JSON.stringify(props.keyArn ?? null)}: the region's default EBS key would be AWS-managed; name a customer-managed key`);
        },
        [ACCOUNT_TYPES.s3AccountPublicAccessBlock]: (props, _args, report) => {
            const off = S3_BLOCKS.filter((field) => !isOn(props[field]));
            if (off.length > 0) report(`${off.join(", ")} ${off.length === 1 ? "is" : "are"} not true (each defaults to false): buckets in the account could be made public`);
        },
        [ACCOUNT_TYPES.instanceMetadataDefaults]: (props, args, report) => {
            for (const problem of metadataDefaultsProblems(props, args.getConfig<AccountConfig>().maxHopLimit)) report(problem);
        },
        [ACCOUNT_TYPES.imageBlockPublicAccess]: (props, _args, report) => {
            if (props.state !== "block-new-sharing") report(`state is ${JSON.stringify(props.state ?? null)}: AMIs (and the data baked into them) could be shared publicly; set "block-new-sharing"`);
        },
        [ACCOUNT_TYPES.snapshotBlockPublicAccess]: (props, _args, report) => {
            if (props.state !== "block-all-sharing" && props.state !== "block-new-sharing") {
                report(`state is ${JSON.stringify(props.state ?? null)}: EBS snapshots could be shared publicly; set "block-all-sharing" or "block-new-sharing"`);
            }
        },
        [ACCOUNT_TYPES.emrBlockPublicAccess]: emrBlockPublicAccess,
        [ACCOUNT_TYPES.ssmServiceSetting]: ssmServiceSetting,
        [ACCOUNT_TYPES.glueCatalogEncryption]: glueCatalogEncryption,
        [ACCOUNT_TYPES.nativeGlueCatalogEncryption]: glueCatalogEncryption,
        [ACCOUNT_TYPES.serialConsoleAccess]: (props, _args, report) => {
            // The provider's default is enabled: only an explicit off leaves the console closed.
            if (!isOff(props.enabled)) report(`enabled is ${props.enabled === undefined ? "left to its default, true" : JSON.stringify(props.enabled)}: an interactive console on every Nitro instance in the region for anyone allowed to send it a key; set enabled: false`);
        },
        [ACCOUNT_TYPES.logAccountPolicy]: logAccountPolicy,
        [ACCOUNT_TYPES.nativeLogAccountPolicy]: logAccountPolicy,
        [ACCOUNT_TYPES.organizationsPolicy]: declarativeEc2Policy,
        [ACCOUNT_TYPES.nativeOrganizationsPolicy]: declarativeEc2Policy,
    }),
};

export const accountPolicies: GuardrailResourcePolicy[] = [accountSafeDefaults];
