import * as aws from "@pulumi/aws";
import { evaluate, expectViolations } from "./guardrails";

const CMK = "arn:aws:kms:eu-west-1:111122223333:key/0f8e4b1c-1d2e-4f3a-9b8c-7d6e5f4a3b2c";

describe("account-safe-defaults: account-wide switches", () => {
    const only = "account-safe-defaults";

    it("passes switches left in their safe state", async () => {
        const report = await evaluate(() => {
            new aws.ebs.EncryptionByDefault("ebs-default", { enabled: true });
            new aws.ebs.EncryptionByDefault("ebs-default-implicit", {});
            new aws.ebs.DefaultKmsKey("ebs-key", { keyArn: CMK });
            new aws.s3.AccountPublicAccessBlock("s3", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            new aws.ec2.InstanceMetadataDefaults("imds", { httpTokens: "required", httpPutResponseHopLimit: 1 });
            new aws.ec2.InstanceMetadataDefaults("imds-off", { httpEndpoint: "disabled" });
            new aws.ec2.ImageBlockPublicAccess("amis", { state: "block-new-sharing" });
            new aws.ebs.SnapshotBlockPublicAccess("snapshots", { state: "block-all-sharing" });
            new aws.emr.BlockPublicAccessConfiguration("emr", { blockPublicSecurityGroupRules: true, permittedPublicSecurityGroupRuleRanges: [{ minRange: 22, maxRange: 22 }] });
            new aws.ssm.ServiceSetting("ssm-sharing", { settingId: "/ssm/documents/console/public-sharing-permission", settingValue: "Disable" });
            new aws.ssm.ServiceSetting("ssm-throughput", { settingId: "/ssm/parameter-store/high-throughput-enabled", settingValue: "true" });
            new aws.glue.DataCatalogEncryptionSettings("glue", {
                dataCatalogEncryptionSettings: { encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: CMK }, connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: CMK } },
            });
            new aws.ec2.SerialConsoleAccess("console", { enabled: false });
            new aws.cloudwatch.LogAccountPolicy("own-stream", {
                policyName: "own",
                policyType: "SUBSCRIPTION_FILTER_POLICY",
                policyDocument: JSON.stringify({ DestinationArn: "arn:aws:kinesis:eu-west-1:111122223333:stream/logs", RoleArn: "arn:aws:iam::111122223333:role/logs", FilterPattern: "" }),
            });
        }, { only });
        expectViolations(report, only, []);
    });

    it("reports each switch turned off", async () => {
        const report = await evaluate(() => {
            new aws.ebs.EncryptionByDefault("ebs-default", { enabled: false });
            new aws.ec2.InstanceMetadataDefaults("imds", { httpTokens: "optional" });
            new aws.ec2.ImageBlockPublicAccess("amis", { state: "unblocked" });
            new aws.ebs.SnapshotBlockPublicAccess("snapshots", { state: "unblocked" });
        }, { only });
        expectViolations(report, only, [
            "ebs-default: enabled is false: new EBS volumes in the region would be created unencrypted",
            'imds: httpTokens is "optional": instances launched without their own setting keep IMDSv1; set "required"',
            'amis: state is "unblocked": AMIs (and the data baked into them) could be shared publicly; set "block-new-sharing"',
            'snapshots: state is "unblocked": EBS snapshots could be shared publicly; set "block-all-sharing" or "block-new-sharing"',
        ]);
    });

    it("evasion: an S3 account block with three of four blocks on, or declared with none", async () => {
        const report = await evaluate(() => {
            new aws.s3.AccountPublicAccessBlock("three", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true });
            new aws.s3.AccountPublicAccessBlock("empty", {});
        }, { only });
        expectViolations(report, only, [
            "three: restrictPublicBuckets is not true (each defaults to false): buckets in the account could be made public",
            "empty: blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets are not true (each defaults to false): buckets in the account could be made public",
        ]);
    });

    it("evasion: IMDS defaults that require tokens but widen the hop limit, or state no preference by leaving the fields out", async () => {
        const build = () => {
            new aws.ec2.InstanceMetadataDefaults("two-hops", { httpTokens: "required", httpPutResponseHopLimit: 2 });
            new aws.ec2.InstanceMetadataDefaults("silent", {});
        };
        expectViolations(await evaluate(build, { only }), only, [
            "two-hops: httpPutResponseHopLimit is 2: containers on instances that take the default reach the node's credentials; at most 1 here",
            'silent: httpTokens is "no-preference": instances launched without their own setting keep IMDSv1; set "required"',
        ]);
        // Config may allow two hops (for pods on the host network that need the node's role); tokens stay required.
        expectViolations(await evaluate(build, { only, config: { [only]: { maxHopLimit: 2 } } }), only, [
            'silent: httpTokens is "no-preference": instances launched without their own setting keep IMDSv1; set "required"',
        ]);
    });

    it("evasion: an Organizations declarative policy for EC2 sets the switches for every account it is attached to", async () => {
        const report = await evaluate(() => {
            new aws.organizations.Policy("ec2-defaults", {
                type: "DECLARATIVE_POLICY_EC2",
                content: JSON.stringify({
                    ec2_attributes: {
                        instance_metadata_defaults: { http_tokens: { "@@assign": "no_preference" }, http_put_response_hop_limit: { "@@assign": "3" } },
                        serial_console_access: { status: { "@@assign": "enabled" } },
                        snapshot_block_public_access: { state: { "@@assign": "unblocked" } },
                        image_block_public_access: { state: { "@@assign": "unblocked" } },
                    },
                }),
            });
            new aws.organizations.Policy("ec2-safe", {
                type: "DECLARATIVE_POLICY_EC2",
                content: JSON.stringify({
                    ec2_attributes: {
                        instance_metadata_defaults: { http_tokens: { "@@assign": "required" }, http_put_response_hop_limit: { "@@assign": "-1" } },
                        serial_console_access: { status: { "@@assign": "disabled" } },
                        snapshot_block_public_access: { state: { "@@assign": "block_all_sharing" } },
                        image_block_public_access: { state: { "@@assign": "block_new_sharing" } },
                    },
                }),
            });
            new aws.organizations.Policy("scp", { type: "SERVICE_CONTROL_POLICY", content: JSON.stringify({ Version: "2012-10-17", Statement: [] }) });
        }, { only });
        const every = "for every account the policy is attached to";
        expectViolations(report, only, [
            `ec2-defaults: content: ec2_attributes.image_block_public_access.state is "unblocked" ${every}: AMIs could be shared publicly; set "block_new_sharing"`,
            `ec2-defaults: content: ec2_attributes.snapshot_block_public_access.state is "unblocked" ${every}: EBS snapshots could be shared publicly; set "block_all_sharing" or "block_new_sharing"`,
            `ec2-defaults: content: ec2_attributes.serial_console_access.status is "enabled" ${every}: an interactive console on every Nitro instance; set "disabled"`,
            `ec2-defaults: content: ec2_attributes.instance_metadata_defaults.http_tokens is "no_preference" ${every}: instances launched without their own setting keep IMDSv1; set "required"`,
            `ec2-defaults: content: ec2_attributes.instance_metadata_defaults.http_put_response_hop_limit is "3" ${every}: containers on instances that take the default reach the node's credentials; at most 1 here`,
        ]);
    });

    it("evasion: encryption by default left on, with the region's default key set to the AWS-managed one", async () => {
        const report = await evaluate(() => {
            new aws.ebs.DefaultKmsKey("alias", { keyArn: "alias/aws/ebs" });
            new aws.ebs.DefaultKmsKey("alias-arn", { keyArn: "arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs" });
        }, { only });
        expectViolations(report, only, [
            'alias: keyArn is "alias/aws/ebs": the region\'s default EBS key would be AWS-managed; name a customer-managed key',
            'alias-arn: keyArn is "arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs": the region\'s default EBS key would be AWS-managed; name a customer-managed key',
        ]);
    });

    it("evasion: encryption by default turned off with a string", async () => {
        const report = await evaluate(() => {
            new aws.ebs.EncryptionByDefault("ebs-default", { enabled: "false" as unknown as boolean });
        }, { only });
        expectViolations(report, only, ['ebs-default: enabled is "false": new EBS volumes in the region would be created unencrypted']);
    });

    it("evasion: EMR's block public access turned off, or permitting more than port 22", async () => {
        const report = await evaluate(() => {
            new aws.emr.BlockPublicAccessConfiguration("off", { blockPublicSecurityGroupRules: false });
            new aws.emr.BlockPublicAccessConfiguration("wide", { blockPublicSecurityGroupRules: "1" as unknown as boolean, permittedPublicSecurityGroupRuleRanges: [{ minRange: 22, maxRange: 22 }, { minRange: 0, maxRange: 65535 }] });
        }, { only });
        expectViolations(report, only, [
            "off: blockPublicSecurityGroupRules is false: any EMR cluster in the region may open its security groups to the internet",
            "wide: permittedPublicSecurityGroupRuleRanges lets EMR clusters open 0-65535 to the internet; permit port 22 at most",
        ]);
    });

    it("evasion: SSM documents' public sharing enabled, by the setting's ARN", async () => {
        const setting = "arn:aws:ssm:eu-west-1:123456789012:servicesetting/ssm/documents/console/public-sharing-permission";
        const report = await evaluate(() => {
            new aws.ssm.ServiceSetting("doc-sharing", { settingId: setting, settingValue: "Enable" });
        }, { only });
        expectViolations(report, only, [
            'doc-sharing: settingValue is "Enable" for /ssm/documents/console/public-sharing-permission: SSM documents (and the scripts and parameters in them) could be shared publicly; set "Disable"',
        ]);
    });

    it("evasion: the Glue Data Catalog unencrypted, or under AWS-managed keys", async () => {
        const report = await evaluate(() => {
            new aws.glue.DataCatalogEncryptionSettings("off", {
                dataCatalogEncryptionSettings: { encryptionAtRest: { catalogEncryptionMode: "DISABLED" }, connectionPasswordEncryption: { returnConnectionPasswordEncrypted: false } },
            });
            new aws.glue.DataCatalogEncryptionSettings("aws-keys", {
                dataCatalogEncryptionSettings: { encryptionAtRest: { catalogEncryptionMode: "SSE-KMS" }, connectionPasswordEncryption: { returnConnectionPasswordEncrypted: "true" as unknown as boolean } },
            });
        }, { only });
        expectViolations(report, only, [
            'off: encryptionAtRest.catalogEncryptionMode is "DISABLED": the region\'s Data Catalog (every database and table definition) is not encrypted; set "SSE-KMS" with a customer-managed key',
            "off: connectionPasswordEncryption.returnConnectionPasswordEncrypted is false: JDBC connection passwords are returned in clear to anyone who may read a connection; set it to true with a customer-managed key",
            "aws-keys: encryptionAtRest.sseAwsKmsKeyId is null: the Data Catalog would be encrypted under the AWS-managed key aws/glue; name a customer-managed key",
            "aws-keys: connectionPasswordEncryption names no customer-managed key (null): connection passwords would be encrypted under an AWS-managed key",
        ]);
    });

    it("evasion: the EC2 serial console turned on, explicitly or by the provider's default", async () => {
        const report = await evaluate(() => {
            new aws.ec2.SerialConsoleAccess("on", { enabled: true });
            new aws.ec2.SerialConsoleAccess("default", {});
            new aws.ec2.SerialConsoleAccess("off-string", { enabled: "0" as unknown as boolean });
        }, { only });
        expectViolations(report, only, [
            "on: enabled is true: an interactive console on every Nitro instance in the region for anyone allowed to send it a key; set enabled: false",
            "default: enabled is left to its default, true: an interactive console on every Nitro instance in the region for anyone allowed to send it a key; set enabled: false",
        ]);
    });

    it("evasion: an account-wide log subscription streaming every log group to another account's destination", async () => {
        const build = () => {
            new aws.cloudwatch.LogAccountPolicy("ship-everything", {
                policyName: "ship-everything",
                policyType: "SUBSCRIPTION_FILTER_POLICY",
                policyDocument: JSON.stringify({ DestinationArn: "arn:aws:logs:eu-west-1:999988887777:destination:collector", FilterPattern: "", Distribution: "Random" }),
            });
        };
        const message =
            "ship-everything: the account-wide subscription filter streams every log group to arn:aws:logs:eu-west-1:999988887777:destination:collector in account 999988887777, not among trustedAccounts: whatever any workload logs leaves for that account";
        expectViolations(await evaluate(build, { only }), only, [message]);
        // A stream in another account than the role that writes to it is outside the account too.
        const stream = await evaluate(() => {
            new aws.cloudwatch.LogAccountPolicy("to-stream", {
                policyName: "to-stream",
                policyType: "SUBSCRIPTION_FILTER_POLICY",
                policyDocument: JSON.stringify({ DestinationArn: "arn:aws:kinesis:eu-west-1:999988887777:stream/logs", RoleArn: "arn:aws:iam::111122223333:role/logs", FilterPattern: "" }),
            });
        }, { only });
        expectViolations(stream, only, [
            "to-stream: the account-wide subscription filter streams every log group to arn:aws:kinesis:eu-west-1:999988887777:stream/logs in account 999988887777, not among trustedAccounts: whatever any workload logs leaves for that account",
        ]);
        // A destination in an account config trusts passes.
        expectViolations(await evaluate(build, { only, config: { [only]: { trustedAccounts: ["111122223333", "999988887777"] } } }), only, []);
    });
});
