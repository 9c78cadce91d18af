import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { evaluate, expectViolations, violations } from "./guardrails";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
const vpcConfig = { subnetIds: ["subnet-1", "subnet-2"] };

function nodePool(name: string, spec: object) {
    return new k8s.apiextensions.CustomResource(name, { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name }, spec });
}

describe("encryption guardrails", () => {
    it("eks-secrets-encryption: passes clusters that encrypt secrets with a key, flags those that do not", async () => {
        const report = await evaluate(() => {
            new aws.eks.Cluster("good", { roleArn: "arn:aws:iam::111122223333:role/eks", vpcConfig, encryptionConfig: { provider: { keyArn: KEY }, resources: ["secrets"] } });
            new aws.eks.Cluster("plain", { roleArn: "arn:aws:iam::111122223333:role/eks", vpcConfig });
            new eks.Cluster("component-good", { encryptionConfigKeyArn: KEY, skipDefaultNodeGroup: true });
            new eks.Cluster("component-plain", { skipDefaultNodeGroup: true });
        }, { only: "eks-secrets-encryption" });
        expectViolations(report, "eks-secrets-encryption", [
            'plain: secrets are not envelope-encrypted: encryptionConfig needs a provider.keyArn and resources ["secrets"]',
            "component-plain: secrets are not envelope-encrypted: set encryptionConfigKeyArn to a KMS key ARN",
        ]);
    });

    it("ebs-volume-encryption: requires encryption with a customer-managed key on volumes and instance disks", async () => {
        const build = () => {
            new aws.ebs.Volume("good", { availabilityZone: "eu-west-1a", size: 10, encrypted: true, kmsKeyId: KEY });
            new aws.ebs.Volume("plain", { availabilityZone: "eu-west-1a", size: 10 });
            new aws.ebs.Volume("aws-key", { availabilityZone: "eu-west-1a", size: 10, encrypted: true });
            new aws.ec2.Instance("vm", { ami: "ami-0123456789abcdef0", instanceType: "m7i.large", rootBlockDevice: { encrypted: true, kmsKeyId: KEY }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }] });
        };
        expectViolations(await evaluate(build, { only: "ebs-volume-encryption" }), "ebs-volume-encryption", [
            "plain: the volume: not encrypted",
            "aws-key: the volume: encrypted with the AWS-managed key; set kmsKeyId to a customer-managed key",
            "vm: ebsBlockDevices[0]: not encrypted",
        ]);
        const relaxed = await evaluate(build, { only: "ebs-volume-encryption", config: { "ebs-volume-encryption": { requireCustomerManagedKey: false } } });
        expectViolations(relaxed, "ebs-volume-encryption", ["plain: the volume: not encrypted", "vm: ebsBlockDevices[0]: not encrypted"]);
    });

    it("node-volume-encryption: checks launch templates, EC2NodeClasses and managed node groups", async () => {
        const report = await evaluate(() => {
            new aws.ec2.LaunchTemplate("good", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY, volumeSize: 50 } }] });
            new aws.ec2.LaunchTemplate("plain", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 50 } }] });
            new aws.ec2.LaunchTemplate("bare", {});
            nodePool("good-class", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true, kmsKeyID: KEY } }] });
            nodePool("default-class", { amiSelectorTerms: [{ alias: "al2023@v20261015" }] });
            new eks.ManagedNodeGroup("no-template", { cluster: { cluster: undefined } as never, instanceTypes: ["m7i.large"] });
        }, { only: "node-volume-encryption" });
        expectViolations(report, "node-volume-encryption", [
            "plain: blockDeviceMappings[0] (/dev/xvda): not encrypted",
            "bare: no EBS block device is declared, so the root volume takes the AMI's unencrypted default",
            "default-class: spec.blockDeviceMappings is not set, so nodes get Karpenter's default root volume without the environment key",
            "no-template: no launchTemplate: EKS's default template leaves root-volume encryption to the account default",
        ]);
    });

    it("ebs-storageclass-encryption: requires the string \"true\" and a key on EBS classes only", async () => {
        const report = await evaluate(() => {
            new k8s.storage.v1.StorageClass("gp3", { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true", kmsKeyId: KEY } });
            new k8s.storage.v1.StorageClass("gp3-plain", { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" } });
            new k8s.storage.v1.StorageClass("efs", { provisioner: "efs.csi.aws.com", parameters: { provisioningMode: "efs-ap" } });
        }, { only: "ebs-storageclass-encryption" });
        expectViolations(report, "ebs-storageclass-encryption", ["gp3-plain: parameters: not encrypted"]);
    });

    it("efs-encryption: requires encryption with a customer-managed key", async () => {
        const report = await evaluate(() => {
            new aws.efs.FileSystem("good", { encrypted: true, kmsKeyId: KEY });
            new aws.efs.FileSystem("aws-key", { encrypted: true });
            new aws.efs.FileSystem("plain", {});
        }, { only: "efs-encryption" });
        expectViolations(report, "efs-encryption", [
            "aws-key: the file system uses the AWS-managed key; set kmsKeyId to a customer-managed key",
            "plain: the file system is not encrypted at rest",
        ]);
    });

    it("log-group-encryption and log-group-retention: a key, and a finite retention above the configured minimum", async () => {
        const build = () => {
            new aws.cloudwatch.LogGroup("good", { kmsKeyId: KEY, retentionInDays: 90 });
            new aws.cloudwatch.LogGroup("short", { kmsKeyId: KEY, retentionInDays: 7 });
            new aws.cloudwatch.LogGroup("plain", {});
        };
        const report = await evaluate(build);
        expectViolations(report, "log-group-encryption", ["plain: no kmsKeyId: the log group is encrypted only with CloudWatch's own key"]);
        expectViolations(report, "log-group-retention", ["plain: no retentionInDays: logs would never expire"]);
        const prod = await evaluate(build, { only: "log-group-retention", config: { "log-group-retention": { minRetentionDays: 90 } } });
        expectViolations(prod, "log-group-retention", ["short: retentionInDays is 7; at least 90 is required here", "plain: no retentionInDays: logs would never expire"]);
    });

    it("sqs-encryption and sns-encryption: queues and topics are encrypted", async () => {
        const report = await evaluate(() => {
            new aws.sqs.Queue("sse", { sqsManagedSseEnabled: true });
            new aws.sqs.Queue("kms", { kmsMasterKeyId: KEY });
            new aws.sqs.Queue("plain", { sqsManagedSseEnabled: false });
            new aws.sns.Topic("kms", { kmsMasterKeyId: KEY });
            new aws.sns.Topic("plain", {});
        });
        expectViolations(report, "sqs-encryption", ["plain: the queue is not encrypted: set sqsManagedSseEnabled or kmsMasterKeyId"]);
        expectViolations(report, "sns-encryption", ["plain: the topic is not encrypted: set kmsMasterKeyId"]);
    });

    it("kms-key-rotation: symmetric keys rotate; asymmetric keys are not applicable", async () => {
        const report = await evaluate(() => {
            new aws.kms.Key("rotating", { enableKeyRotation: true });
            new aws.kms.Key("static", {});
            new aws.kms.Key("signing", { customerMasterKeySpec: "ECC_NIST_P256", keyUsage: "SIGN_VERIFY" });
        }, { only: "kms-key-rotation" });
        expectViolations(report, "kms-key-rotation", ["static: key rotation is off: set enableKeyRotation: true"]);
        expect(report.notApplicable.map((n) => n.reason)).to.deep.equal(["ECC_NIST_P256 keys cannot rotate automatically"]);
    });

    it("s3-default-encryption and s3-public-access-block: match buckets to their configuration resources", async () => {
        const report = await evaluate(() => {
            const good = new aws.s3.Bucket("good", {});
            new aws.s3.BucketServerSideEncryptionConfiguration("good", { bucket: good.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } }] });
            new aws.s3.BucketPublicAccessBlock("good", { bucket: good.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            const sse = new aws.s3.Bucket("sse-s3", {});
            new aws.s3.BucketServerSideEncryptionConfiguration("sse-s3", { bucket: sse.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
            new aws.s3.BucketPublicAccessBlock("sse-s3", { bucket: sse.id, blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: true });
            new aws.s3.Bucket("bare", { bucket: "acme-bare" });
        });
        expect(violations(report, "s3-default-encryption").map((v) => v.split(":")[0])).to.have.members(["sse-s3", "bare"]);
        expect(violations(report, "s3-default-encryption")).to.include("bare: bucket acme-bare has no default KMS encryption configuration");
        expect(violations(report, "s3-public-access-block").map((v) => v.split(":")[0])).to.have.members(["sse-s3", "bare"]);
    });
});
