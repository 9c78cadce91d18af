import { isAwsManagedKey, isTrue } from "./atRest";
import { byType, GuardrailResourcePolicy, Props } from "./support";

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
} as const;

const S3_BLOCKS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

type AccountConfig = { maxHopLimit: number };

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

export const accountSafeDefaults: GuardrailResourcePolicy = {
    name: "account-safe-defaults",
    description:
        "Account-wide switches stay safe: EBS encryption by default on, under a customer-managed default key; S3's account public access block with all four blocks on; IMDS defaults requiring tokens within the hop limit; public sharing of AMIs and EBS snapshots blocked.",
    why: "One switch turned off in any program (EBS encryption by default, S3's account block, the IMDS default) silently weakens every volume, bucket and instance in the account, the platform's included.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set enabled: true on EncryptionByDefault and a customer-managed key on DefaultKmsKey; set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true on AccountPublicAccessBlock; set httpTokens: required and httpPutResponseHopLimit within maxHopLimit on InstanceMetadataDefaults; use block-new-sharing for AMIs and block-all-sharing or block-new-sharing for snapshots. Share images and snapshots with named accounts instead.",
    configSchema: {
        properties: {
            maxHopLimit: {
                type: "integer",
                minimum: 1,
                maximum: 2,
                default: 1,
                description: "The largest IMDS hop limit the account default may set (2 lets containers reach the node's credentials).",
            },
        },
    },
    validateResource: byType({
        [ACCOUNT_TYPES.ebsEncryptionByDefault]: (props, _args, report) => {
            // The provider's default is enabled; only an explicit off (boolean or string) turns it off.
            if (props.enabled !== undefined && !isTrue(props.enabled)) report(`enabled is ${JSON.stringify(props.enabled)}: new EBS volumes in the region would be created unencrypted`);
        },
        [ACCOUNT_TYPES.ebsDefaultKmsKey]: (props, _args, report) => {
            if (isAwsManagedKey(props.keyArn)) report(`keyArn is ${JSON.stringify(props.keyArn ?? null)}: the region's default EBS key would be AWS-managed; name a customer-managed key`);
        },
        [ACCOUNT_TYPES.s3AccountPublicAccessBlock]: (props, _args, report) => {
            const off = S3_BLOCKS.filter((field) => !isTrue(props[field]));
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
    }),
};

export const accountPolicies: GuardrailResourcePolicy[] = [accountSafeDefaults];
