import * as aws from "@pulumi/aws";
import { evaluate, expectViolations } from "./guardrails";

const CMK = "arn:aws:kms:eu-west-1:111122223333:key/0f8e4b1c-1d2e-4f3a-9b8c-7d6e5f4a3b2c";

describe("account-wide switches", () => {
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
});
