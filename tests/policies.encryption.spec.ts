import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { s3DefaultEncryption } from "../policy/policies";
import { evaluate, expectViolations, violations } from "./guardrails";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
const vpcConfig = { subnetIds: ["subnet-1", "subnet-2"] };
const roleArn = "arn:aws:iam::111122223333:role/eks";

describe("encryption guardrails", () => {
    describe("eks-secrets-encryption", () => {
        it("passes clusters that encrypt secrets with a key, flags those that do not", async () => {
            const report = await evaluate(() => {
                new aws.eks.Cluster("good", { roleArn, vpcConfig, encryptionConfig: { provider: { keyArn: KEY }, resources: ["secrets"] } });
                new aws.eks.Cluster("plain", { roleArn, vpcConfig });
                new eks.Cluster("component-good", { encryptionConfigKeyArn: KEY, skipDefaultNodeGroup: true });
                new eks.Cluster("component-plain", { skipDefaultNodeGroup: true });
            }, { only: "eks-secrets-encryption" });
            expectViolations(report, "eks-secrets-encryption", [
                'plain: secrets are not envelope-encrypted: encryptionConfig needs a provider.keyArn and resources ["secrets"]',
                "component-plain: secrets are not envelope-encrypted: set encryptionConfigKeyArn to a KMS key ARN",
            ]);
        });

        it("evasion: a key configured for resources other than secrets", async () => {
            const report = await evaluate(() => new aws.eks.Cluster("wrong-resources", { roleArn, vpcConfig, encryptionConfig: { provider: { keyArn: KEY }, resources: ["configmaps"] } }), { only: "eks-secrets-encryption" });
            expectViolations(report, "eks-secrets-encryption", ['wrong-resources: secrets are not envelope-encrypted: encryptionConfig needs a provider.keyArn and resources ["secrets"]']);
        });
    });

    describe("efs-encryption", () => {
        it("passes encrypted file systems (whatever the key); flags unencrypted ones", async () => {
            const report = await evaluate(() => {
                new aws.efs.FileSystem("good", { encrypted: true, kmsKeyId: KEY });
                new aws.efs.FileSystem("aws-key", { encrypted: true });
                new aws.efs.FileSystem("plain", {});
            }, { only: "efs-encryption" });
            expectViolations(report, "efs-encryption", ["plain: the file system: not encrypted at rest"]);
        });

        it("evasion: kmsKeyId named, encrypted false", async () => {
            const report = await evaluate(() => new aws.efs.FileSystem("key-only", { encrypted: false, kmsKeyId: KEY }), { only: "efs-encryption" });
            expectViolations(report, "efs-encryption", ["key-only: the file system: not encrypted at rest: kmsKeyId is set but encrypted is not true"]);
        });
    });

    describe("log-group-encryption and log-group-retention", () => {
        const build = () => {
            new aws.cloudwatch.LogGroup("good", { kmsKeyId: KEY, retentionInDays: 90 });
            new aws.cloudwatch.LogGroup("short", { kmsKeyId: KEY, retentionInDays: 7 });
            new aws.cloudwatch.LogGroup("plain", {});
        };
        it("require a key, and a finite retention above the configured minimum", async () => {
            const report = await evaluate(build);
            expectViolations(report, "log-group-encryption", ["plain: no kmsKeyId: the log group is encrypted only with CloudWatch's own key"]);
            expectViolations(report, "log-group-retention", ["plain: no retentionInDays: logs would never expire"]);
            const prod = await evaluate(build, { only: "log-group-retention", config: { "log-group-retention": { minRetentionDays: 90 } } });
            expectViolations(prod, "log-group-retention", ["short: retentionInDays is 7; at least 90 is required here", "plain: no retentionInDays: logs would never expire"]);
        });

        it("evasion: an empty kmsKeyId, and retentionInDays 0 (never expire)", async () => {
            const report = await evaluate(() => new aws.cloudwatch.LogGroup("empty", { kmsKeyId: "", retentionInDays: 0 }));
            expectViolations(report, "log-group-encryption", ["empty: no kmsKeyId: the log group is encrypted only with CloudWatch's own key"]);
            expectViolations(report, "log-group-retention", ["empty: no retentionInDays: logs would never expire"]);
        });

        it("evasion: a Lambda function whose log group the program leaves to Lambda (passes one declared by name or through loggingConfig)", async () => {
            const report = await evaluate(() => {
                const code = new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler=async()=>{}") });
                const fn = { role: "arn:aws:iam::111122223333:role/fn", runtime: "nodejs20.x", handler: "index.handler", code };
                new aws.lambda.Function("implicit", { ...fn, name: "payments-webhook" });
                new aws.lambda.Function("declared", { ...fn, name: "declared" });
                new aws.cloudwatch.LogGroup("declared", { name: "/aws/lambda/declared", kmsKeyId: KEY, retentionInDays: 90 });
                const shared = new aws.cloudwatch.LogGroup("shared", { name: "/team/functions", kmsKeyId: KEY, retentionInDays: 90 });
                new aws.lambda.Function("routed", { ...fn, loggingConfig: { logFormat: "JSON", logGroup: shared.name } });
                new aws.lambda.Function("misrouted", { ...fn, loggingConfig: { logFormat: "JSON", logGroup: "/team/elsewhere" } });
            });
            const implicit = (what: string) => [
                `implicit: the function writes to log group /aws/lambda/payments-webhook, which this program does not declare, so Lambda creates it ${what}: declare the log group`,
                `misrouted: the function writes to log group /team/elsewhere, which this program does not declare, so Lambda creates it ${what}: declare the log group`,
            ];
            expectViolations(report, "log-group-encryption", implicit("under CloudWatch's own key"));
            expectViolations(report, "log-group-retention", implicit("with no retention, keeping logs for ever"));
        });
    });

    describe("sqs-encryption and sns-encryption", () => {
        it("pass queues and topics that are encrypted; flag those that are not", async () => {
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

        it("evasion: an empty key with SSE-SQS switched off; an empty key on a topic", async () => {
            const report = await evaluate(() => {
                new aws.sqs.Queue("empty", { sqsManagedSseEnabled: false, kmsMasterKeyId: "" });
                new aws.sns.Topic("empty", { kmsMasterKeyId: "" });
            });
            expectViolations(report, "sqs-encryption", ["empty: the queue is not encrypted: set sqsManagedSseEnabled or kmsMasterKeyId"]);
            expectViolations(report, "sns-encryption", ["empty: the topic is not encrypted: set kmsMasterKeyId"]);
        });
    });

    describe("s3-default-encryption and s3-public-access-block", () => {
        const allBlocked = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
        const kms = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } };

        it("match buckets to their configuration resources; flag SSE-S3 and no configuration", async () => {
            const report = await evaluate(() => {
                const good = new aws.s3.Bucket("good", {});
                new aws.s3.BucketServerSideEncryptionConfiguration("good", { bucket: good.id, rules: [kms] });
                new aws.s3.BucketPublicAccessBlock("good", { bucket: good.id, ...allBlocked });
                const sse = new aws.s3.Bucket("sse-s3", { bucket: "acme-sse-s3" });
                new aws.s3.BucketServerSideEncryptionConfiguration("sse-s3", { bucket: sse.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
                new aws.s3.BucketPublicAccessBlock("sse-s3", { bucket: sse.id, ...allBlocked });
                new aws.s3.Bucket("bare", { bucket: "acme-bare" });
            });
            expectViolations(report, "s3-default-encryption", [
                "sse-s3: bucket acme-sse-s3's default encryption is SSE-S3 (AES256, an S3-owned key), not KMS",
                "bare: bucket acme-bare has no default KMS encryption configuration",
            ]);
            expectViolations(report, "s3-public-access-block", ["bare: bucket acme-bare has no public access block with all four settings on"]);
        });

        it("evasion: encrypted only inline on the bucket (passes), through the V2 resource (passes), or through a rule without a default (fails)", async () => {
            const report = await evaluate(() => {
                new aws.s3.Bucket("inline", { bucket: "acme-inline", serverSideEncryptionConfiguration: { rule: kms } });
                const v2 = new aws.s3.Bucket("v2", { bucket: "acme-v2" });
                new aws.s3.BucketServerSideEncryptionConfigurationV2("v2", { bucket: v2.id, rules: [kms] });
                const keyOnly = new aws.s3.Bucket("bucket-key-only", { bucket: "acme-bucket-key-only" });
                new aws.s3.BucketServerSideEncryptionConfiguration("bucket-key-only", { bucket: keyOnly.id, rules: [{ bucketKeyEnabled: true }] });
                // A configuration for another bucket does not encrypt this one.
                new aws.s3.Bucket("other", { bucket: "acme-other" });
                new aws.s3.BucketServerSideEncryptionConfiguration("misdirected", { bucket: "acme-elsewhere", rules: [kms] });
            }, { only: "s3-default-encryption" });
            expectViolations(report, "s3-default-encryption", [
                "bucket-key-only: bucket acme-bucket-key-only has no default KMS encryption configuration",
                "other: bucket acme-other has no default KMS encryption configuration",
            ]);
        });

        it("in a real preview, matches a configuration whose bucket is not known yet through its dependency on the bucket", () => {
            // The policy SDK hands stack policies proxies that throw on values a preview cannot know.
            const { unknownCheckingProxy, unknownStringValue } = require("@pulumi/policy/proxy");
            const resource = (type: string, name: string, props: object, dependencies: object[] = []) =>
                ({ type, name, urn: `urn:pulumi:dev::p::${type}::${name}`, props: unknownCheckingProxy(props), dependencies }) as never;
            const bucket = resource("aws:s3/bucket:Bucket", "new", { bucket: "acme-new" });
            const other = resource("aws:s3/bucket:Bucket", "other", { bucket: "acme-other" });
            const config = resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "new", { bucket: unknownStringValue, rules: [kms] }, [bucket]);
            const found: string[] = [];
            s3DefaultEncryption.validateStack(
                { resources: [bucket, other, config], getConfig: () => ({ requireKms: true }) as never, stackTags: new Map(), notApplicable: () => undefined as never },
                (message) => found.push(message),
            );
            expect(found).to.deep.equal(["bucket acme-other has no default KMS encryption configuration"]);
        });

        it("evasion: a public access block with one setting left off", async () => {
            const report = await evaluate(() => {
                const b = new aws.s3.Bucket("leaky", { bucket: "acme-leaky" });
                new aws.s3.BucketPublicAccessBlock("leaky", { bucket: b.id, ...allBlocked, restrictPublicBuckets: false });
            }, { only: "s3-public-access-block" });
            expectViolations(report, "s3-public-access-block", ["leaky: bucket acme-leaky has no public access block with all four settings on"]);
        });

        it("evasion: a second configuration or public access block for the same bucket, which S3 may apply last", async () => {
            const build = () => {
                const b = new aws.s3.BucketV2("data", { bucket: "team-data" });
                const on = new aws.s3.BucketPublicAccessBlock("data-on", { bucket: b.id, ...allBlocked });
                new aws.s3.BucketPublicAccessBlock("data-off", { bucket: b.id, ...allBlocked, blockPublicPolicy: false, restrictPublicBuckets: false }, { dependsOn: [on] });
                const kmsConfig = new aws.s3.BucketServerSideEncryptionConfigurationV2("data-kms", { bucket: b.id, rules: [kms] });
                new aws.s3.BucketServerSideEncryptionConfigurationV2("data-s3", { bucket: b.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, { dependsOn: [kmsConfig] });
            };
            expectViolations(await evaluate(build, { only: "s3-default-encryption" }), "s3-default-encryption", [
                'data: bucket team-data: its encryption configuration data-s3 sets "AES256"; S3 keeps whichever configuration is applied last: declare only one, with aws:kms',
            ]);
            expectViolations(await evaluate(build, { only: "s3-public-access-block" }), "s3-public-access-block", [
                "data: bucket team-data: its public access block data-off leaves blockPublicPolicy, restrictPublicBuckets off; S3 keeps whichever block is applied last: declare only one, all on",
            ]);
        });

        it("evasion: an S3 Express directory bucket left at SSE-S3 (passes one configured with KMS)", async () => {
            const report = await evaluate(() => {
                new aws.s3.DirectoryBucket("scratch", { bucket: "scratch--euw1-az1--x-s3", location: { name: "euw1-az1" } });
                const good = new aws.s3.DirectoryBucket("fast", { bucket: "fast--euw1-az1--x-s3", location: { name: "euw1-az1" } });
                new aws.s3.BucketServerSideEncryptionConfiguration("fast", { bucket: good.bucket, rules: [kms] });
            }, { only: "s3-default-encryption" });
            expectViolations(report, "s3-default-encryption", ["scratch: bucket scratch--euw1-az1--x-s3 has no default KMS encryption configuration (a directory bucket is SSE-S3 unless configured)"]);
        });
    });

    describe("customer-managed-key", () => {
        const POLICY = "customer-managed-key";

        it("passes stores under a customer-managed key; reports AWS-managed keys apart from 'not encrypted'", async () => {
            const report = await evaluate(() => {
                new aws.ebs.Volume("cmk", { availabilityZone: "eu-west-1a", size: 10, encrypted: true, kmsKeyId: KEY });
                new aws.ebs.Volume("aws-key", { availabilityZone: "eu-west-1a", size: 10, encrypted: true });
                new aws.ebs.Volume("plain", { availabilityZone: "eu-west-1a", size: 10 });
                new aws.efs.FileSystem("aws-key", { encrypted: true });
                new aws.rds.Instance("db", { instanceClass: "db.t4g.micro", engine: "postgres", allocatedStorage: 20, storageEncrypted: true, kmsKeyId: KEY });
                new aws.secretsmanager.Secret("secret", {});
                new aws.secretsmanager.Secret("secret-cmk", { kmsKeyId: KEY });
                new aws.backup.Vault("vault", {});
                new aws.ecr.Repository("repo", {});
            });
            expectViolations(report, POLICY, [
                "aws-key: the volume: encrypted with the account's default EBS key (aws/ebs unless changed); set kmsKeyId to a customer-managed key",
                "aws-key: the file system: encrypted with the AWS-managed key aws/elasticfilesystem; set kmsKeyId to a customer-managed key",
                "secret: the secret: encrypted with the AWS-managed key aws/secretsmanager; set kmsKeyId to a customer-managed key",
                "vault: the vault: encrypted with the AWS-managed key aws/backup; set kmsKeyArn to a customer-managed key",
                'repo: the repository: encrypted with ECR\'s AES256 (an AWS-owned key); set encryptionConfigurations [{ encryptionType: "KMS", kmsKey }] to a customer-managed key',
            ]);
            // Not encrypted at all is the store's own policy, never this one.
            expect(violations(report, "ebs-volume-encryption")).to.deep.equal(["plain: the volume: not encrypted"]);
        });

        it("has its own level: AWS-managed keys advisory while unencrypted stores stay mandatory", async () => {
            const report = await evaluate(() => {
                new aws.sns.Topic("aws-key", { kmsMasterKeyId: "alias/aws/sns" });
                new aws.sns.Topic("plain", {});
            }, { config: { [POLICY]: "advisory" } });
            const levels = report.violations.filter((v) => v.name === "aws-key" || v.name === "plain").map((v) => `${v.level} ${v.policy} ${v.name}`);
            expect(levels).to.have.members(["advisory customer-managed-key aws-key", "mandatory sns-encryption plain"]);
        });

        it("evasion: alias/aws/sns on a topic, an alias ARN on a volume, SSE-SQS, and DynamoDB enabled without a key", async () => {
            const report = await evaluate(() => {
                new aws.sns.Topic("alias", { kmsMasterKeyId: "alias/aws/sns" });
                new aws.ebs.Volume("alias-arn", { availabilityZone: "eu-west-1a", size: 10, encrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs" });
                new aws.sqs.Queue("sse-sqs", { sqsManagedSseEnabled: true });
                const attributes = [{ name: "id", type: "S" }];
                new aws.dynamodb.Table("enabled-no-key", { attributes, hashKey: "id", billingMode: "PAY_PER_REQUEST", serverSideEncryption: { enabled: true } });
                new aws.dynamodb.Table("default", { attributes, hashKey: "id", billingMode: "PAY_PER_REQUEST" });
                new aws.dynamodb.Table("cmk", { attributes, hashKey: "id", billingMode: "PAY_PER_REQUEST", serverSideEncryption: { enabled: true, kmsKeyArn: KEY }, replicas: [{ regionName: "eu-central-1" }] });
            }, { only: POLICY });
            expectViolations(report, POLICY, [
                "alias: encrypted with the AWS-managed key alias/aws/sns; set kmsMasterKeyId to a customer-managed key",
                "alias-arn: the volume: encrypted with the AWS-managed key arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs; set kmsKeyId to a customer-managed key",
                "sse-sqs: encrypted with SQS's own key (SSE-SQS); set kmsMasterKeyId to a customer-managed key",
                "enabled-no-key: the table: encrypted with the AWS-managed key aws/dynamodb; set serverSideEncryption.kmsKeyArn to a customer-managed key",
                "default: the table: encrypted with DynamoDB's AWS-owned key; set serverSideEncryption { enabled: true, kmsKeyArn } to a customer-managed key",
                "cmk: replicas[0] (eu-central-1): encrypted with the AWS-managed key aws/dynamodb; set kmsKeyArn to a customer-managed key",
            ]);
        });

        it("evasion: keys AWS holds behind other resource types: launch configurations, eks.Cluster's default group, Karpenter's default volume, S3 KMS rules and objects, Firehose, MSK Serverless", async () => {
            const report = await evaluate(() => {
                new aws.ec2.LaunchConfiguration("lc", { imageId: "ami-0123456789abcdef0", instanceType: "m7i.large", rootBlockDevice: { encrypted: true } });
                new eks.Cluster("default-group", { nodeRootVolumeEncrypted: true, encryptionConfigKeyArn: KEY });
                new k8s.apiextensions.CustomResource("default-class", { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name: "default-class" }, spec: {} });
                const bucket = new aws.s3.Bucket("b", {});
                new aws.s3.BucketServerSideEncryptionConfiguration("aws-s3-key", { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] });
                new aws.s3.Bucket("inline", { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" } } } });
                new aws.kinesis.FirehoseDeliveryStream("owned", { destination: "extended_s3", extendedS3Configuration: { bucketArn: "arn:aws:s3:::b", roleArn }, serverSideEncryption: { enabled: true } });
                new aws.msk.ServerlessCluster("serverless", { vpcConfigs: [{ subnetIds: ["subnet-1"] }], clientAuthentication: { sasl: { iam: { enabled: true } } } });
                new aws.s3.BucketObjectv2("sse-s3-object", { bucket: "acme-b", key: "report.csv", content: "x", serverSideEncryption: "AES256" });
                new aws.s3.BucketObjectv2("default-object", { bucket: "acme-b", key: "other.csv", content: "x" });
                new k8s.yaml.v2.ConfigGroup("classes", { objs: [{ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "nokey" }, provisioner: "ebs.csi.aws.com", parameters: { encrypted: "true" } }] });
            }, { only: POLICY });
            expectViolations(report, POLICY, [
                "lc: rootBlockDevice: encrypted with the account's default EBS key (aws/ebs unless changed); a launch configuration cannot name a key: use a launch template with ebs.kmsKeyId",
                "default-group: encrypted with the account's default EBS key (aws/ebs unless changed); the component cannot name a key: give the nodes a launch template whose root device sets kmsKeyId",
                "default-class: spec.blockDeviceMappings (not set: Karpenter's default root volume): encrypted with the account's default EBS key (aws/ebs unless changed); declare the root volume in spec.blockDeviceMappings with ebs.kmsKeyID",
                "aws-s3-key: default encryption: encrypted with the AWS-managed key aws/s3; set kmsMasterKeyId to a customer-managed key",
                "inline: default encryption: encrypted with the AWS-managed key alias/aws/s3; set kmsMasterKeyId to a customer-managed key",
                "owned: the delivery stream: encrypted with an AWS-owned key; set serverSideEncryption.keyType to CUSTOMER_MANAGED_CMK and keyArn to a customer-managed key",
                "serverless: the cluster: encrypted with an AWS-managed key; MSK Serverless takes no customer-managed key: use a provisioned cluster with encryptionInfo.encryptionAtRestKmsKeyArn",
                "sse-s3-object: the object: encrypted with S3's own key (AES256); leave serverSideEncryption unset, so the bucket's KMS default applies, or set aws:kms with kmsKeyId",
                "classes: StorageClass nokey (in a ConfigGroup) parameters: encrypted with the account's default EBS key (aws/ebs unless changed); set parameters.kmsKeyId to a customer-managed key",
            ]);
        });

        it("evasion: the data beside the store: RDS Performance Insights and managed passwords, ElastiCache without a key, SecureStrings, secret replicas", async () => {
            const report = await evaluate(() => {
                new aws.rds.Cluster("aurora", { engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: KEY, performanceInsightsEnabled: true, manageMasterUserPassword: true, masterUsername: "admin" });
                new aws.elasticache.ReplicationGroup("cache", { description: "d", atRestEncryptionEnabled: true, transitEncryptionEnabled: true });
                new aws.ssm.Parameter("token", { type: "SecureString", value: "s" });
                new aws.ssm.Parameter("plain-parameter", { type: "String", value: "s" });
                new aws.secretsmanager.Secret("replicated", { kmsKeyId: KEY, replicas: [{ region: "eu-central-1" }] });
            }, { only: POLICY });
            expectViolations(report, POLICY, [
                "aurora: Performance Insights: encrypted with the AWS-managed key aws/rds; set performanceInsightsKmsKeyId to a customer-managed key",
                "aurora: the managed master password: encrypted with the AWS-managed key aws/secretsmanager; set masterUserSecretKmsKeyId to a customer-managed key",
                "cache: at rest: encrypted with ElastiCache's own key; set kmsKeyId to a customer-managed key",
                "token: the parameter: encrypted with the AWS-managed key aws/ssm; set keyId to a customer-managed key",
                "replicated: replicas[0] (eu-central-1): encrypted with the AWS-managed key aws/secretsmanager; set kmsKeyId to a customer-managed key",
            ]);
        });

        it("evasion: stores under a key AWS holds: Keyspaces tables (AWS_OWNED_KMS_KEY), QLDB ledgers, Timestream databases, MWAA environments and CodeBuild projects", async () => {
            const report = await evaluate(() => {
                const schemaDefinition = { columns: [{ name: "id", type: "text" }], partitionKeys: [{ name: "id" }] };
                new aws.keyspaces.Table("owned", { keyspaceName: "ks", tableName: "t", schemaDefinition, encryptionSpecification: { type: "AWS_OWNED_KMS_KEY" } });
                new aws.keyspaces.Table("default", { keyspaceName: "ks", tableName: "d", schemaDefinition });
                new aws.keyspaces.Table("cmk", { keyspaceName: "ks", tableName: "c", schemaDefinition, encryptionSpecification: { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyIdentifier: KEY } });
                new aws.qldb.Ledger("ledger", { permissionsMode: "STANDARD", kmsKey: "AWS_OWNED_KMS_KEY" });
                new aws.qldb.Ledger("ledger-cmk", { permissionsMode: "STANDARD", kmsKey: KEY });
                new aws.timestreamwrite.Database("tsdb", { databaseName: "metrics" });
                new aws.mwaa.Environment("airflow", { name: "a", dagS3Path: "dags/", executionRoleArn: roleArn, sourceBucketArn: "arn:aws:s3:::b", networkConfiguration: { securityGroupIds: ["sg-1"], subnetIds: ["subnet-1", "subnet-2"] } });
                new aws.codebuild.Project("build", { serviceRole: roleArn, artifacts: { type: "NO_ARTIFACTS" }, environment: { computeType: "BUILD_GENERAL1_SMALL", image: "aws/codebuild/standard:7.0", type: "LINUX_CONTAINER" }, source: { type: "NO_SOURCE", buildspec: "version: 0.2" } });
                new aws.codebuild.Project("build-cmk", { serviceRole: roleArn, encryptionKey: KEY, artifacts: { type: "NO_ARTIFACTS" }, environment: { computeType: "BUILD_GENERAL1_SMALL", image: "aws/codebuild/standard:7.0", type: "LINUX_CONTAINER" }, source: { type: "NO_SOURCE", buildspec: "version: 0.2" } });
            }, { only: POLICY });
            const TO_CMK = 'set encryptionSpecification { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyIdentifier } to a customer-managed key';
            expectViolations(report, POLICY, [
                `owned: the table: encrypted with an AWS-owned key (AWS_OWNED_KMS_KEY); ${TO_CMK}`,
                `default: the table: encrypted with an AWS-owned key (AWS_OWNED_KMS_KEY); ${TO_CMK}`,
                "ledger: the ledger: encrypted with an AWS-owned key; set kmsKey to a customer-managed key",
                "tsdb: the database: encrypted with the AWS-managed key aws/timestream; set kmsKeyId to a customer-managed key",
                "airflow: the environment: encrypted with an AWS-owned key; set kmsKey to a customer-managed key",
                "build: the build output: encrypted with the AWS-managed key aws/s3; set encryptionKey to a customer-managed key",
            ]);
        });

        it("evasion: FSx file systems under aws/fsx, and a DynamoDB export written to another account's bucket under SSE-S3", async () => {
            const report = await evaluate(() => {
                const subnetIds = ["subnet-0123456789abcdef0"];
                new aws.fsx.LustreFileSystem("lustre", { storageCapacity: 1200, subnetIds: subnetIds[0], deploymentType: "PERSISTENT_2", perUnitStorageThroughput: 125 });
                new aws.fsx.LustreFileSystem("lustre-cmk", { storageCapacity: 1200, subnetIds: subnetIds[0], deploymentType: "PERSISTENT_2", perUnitStorageThroughput: 125, kmsKeyId: KEY });
                new aws.fsx.LustreFileSystem("scratch", { storageCapacity: 1200, subnetIds: subnetIds[0], deploymentType: "SCRATCH_2" });
                new aws.fsx.OpenZfsFileSystem("zfs", { storageCapacity: 64, subnetIds, deploymentType: "SINGLE_AZ_1", throughputCapacity: 64 });
                new aws.fsx.WindowsFileSystem("windows", { storageCapacity: 32, subnetIds, throughputCapacity: 8 });
                new aws.fsx.OntapFileSystem("ontap", { storageCapacity: 1024, subnetIds, deploymentType: "SINGLE_AZ_1", preferredSubnetId: subnetIds[0], throughputCapacity: 128 });
                new aws.dynamodb.TableExport("out", { tableArn: "arn:aws:dynamodb:eu-west-1:111122223333:table/orders", s3Bucket: "partner-dropbox", s3BucketOwner: "999988887777", s3SseAlgorithm: "AES256" });
                new aws.dynamodb.TableExport("out-default", { tableArn: "arn:aws:dynamodb:eu-west-1:111122223333:table/orders", s3Bucket: "partner-dropbox", s3BucketOwner: "999988887777" });
                new aws.dynamodb.TableExport("out-cmk", { tableArn: "arn:aws:dynamodb:eu-west-1:111122223333:table/orders", s3Bucket: "exports", s3SseAlgorithm: "KMS", s3SseKmsKeyId: KEY });
            }, { only: POLICY });
            const fsx = "the file system: encrypted with the AWS-managed key aws/fsx; set kmsKeyId to a customer-managed key";
            const kms = 'set s3SseAlgorithm "KMS" and s3SseKmsKeyId to a customer-managed key';
            expectViolations(report, POLICY, [
                `lustre: ${fsx}`,
                "scratch: the file system: encrypted with the AWS-managed key aws/fsx; a scratch file system cannot name a key: use a PERSISTENT deployment type with kmsKeyId",
                `zfs: ${fsx}`,
                `windows: ${fsx}`,
                `ontap: ${fsx}`,
                `out: the export: encrypted with S3's own key (AES256); ${kms}`,
                `out-default: the export: encrypted with the default encryption of bucket partner-dropbox (account 999988887777), SSE-S3 unless set otherwise; ${kms}`,
            ]);
        });
    });
});
