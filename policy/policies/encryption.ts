import { byType, GuardrailResourcePolicy, GuardrailStackPolicy, list, Props, T } from "./support";

/** Guardrails that keep every store of data encrypted, with a customer-managed key where it matters. */

const cmkSchema = {
    properties: {
        requireCustomerManagedKey: {
            type: "boolean" as const,
            default: true,
            description: "Require a customer-managed KMS key, not just the AWS-managed default.",
        },
    },
};
type CmkConfig = { requireCustomerManagedKey: boolean };

export const eksSecretsEncryption: GuardrailResourcePolicy = {
    name: "eks-secrets-encryption",
    description: "EKS clusters envelope-encrypt Kubernetes secrets with a KMS key.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Set encryptionConfig { provider: { keyArn }, resources: [\"secrets\"] } (eks.Cluster: encryptionConfigKeyArn) to the environment key.",
    validateResource: byType({
        [T.eksCluster]: (props, _, report) => {
            const config = props.encryptionConfig;
            if (!config?.provider?.keyArn || !list<string>(config.resources).includes("secrets")) {
                report("secrets are not envelope-encrypted: encryptionConfig needs a provider.keyArn and resources [\"secrets\"]");
            }
        },
        [T.eksClusterComponent]: (props, _, report) => {
            if (!props.encryptionConfigKeyArn) report("secrets are not envelope-encrypted: set encryptionConfigKeyArn to a KMS key ARN");
        },
    }),
};

export const ebsVolumeEncryption: GuardrailResourcePolicy = {
    name: "ebs-volume-encryption",
    description: "EBS volumes and EC2 instance disks are encrypted, with a customer-managed key.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set encrypted: true and kmsKeyId to the environment key on the volume, the instance's rootBlockDevice and every ebsBlockDevice.",
    configSchema: cmkSchema,
    validateResource: byType({
        [T.ebsVolume]: (props, args, report) => {
            checkDisk("the volume", props.encrypted === true, props.kmsKeyId, args.getConfig<CmkConfig>(), report);
        },
        [T.instance]: (props, args, report) => {
            const config = args.getConfig<CmkConfig>();
            const root = props.rootBlockDevice;
            checkDisk("rootBlockDevice", root?.encrypted === true, root?.kmsKeyId, config, report);
            list<Props>(props.ebsBlockDevices).forEach((d, i) => checkDisk(`ebsBlockDevices[${i}]`, d.encrypted === true, d.kmsKeyId, config, report));
        },
    }),
};

export const nodeVolumeEncryption: GuardrailResourcePolicy = {
    name: "node-volume-encryption",
    description: "Kubernetes nodes boot from encrypted volumes: launch templates, Karpenter EC2NodeClasses and managed node groups.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Declare the root device (/dev/xvda) in the launch template with ebs.encrypted \"true\" and kmsKeyId; in an EC2NodeClass set blockDeviceMappings[].ebs.encrypted: true and kmsKeyID; give managed node groups such a launch template.",
    configSchema: cmkSchema,
    validateResource: byType({
        [T.launchTemplate]: (props, args, report) => {
            const mappings = list<Props>(props.blockDeviceMappings).filter((m) => m.ebs);
            if (mappings.length === 0) report("no EBS block device is declared, so the root volume takes the AMI's unencrypted default");
            const config = args.getConfig<CmkConfig>();
            // In the launch template schema `encrypted` is a string.
            mappings.forEach((m, i) => checkDisk(`blockDeviceMappings[${i}] (${m.deviceName})`, String(m.ebs.encrypted) === "true", m.ebs.kmsKeyId, config, report));
        },
        [T.ec2NodeClass]: (props, args, report) => {
            const mappings = list<Props>(props.spec?.blockDeviceMappings).filter((m) => m.ebs);
            if (mappings.length === 0) report("spec.blockDeviceMappings is not set, so nodes get Karpenter's default root volume without the environment key");
            const config = args.getConfig<CmkConfig>();
            mappings.forEach((m, i) => checkDisk(`spec.blockDeviceMappings[${i}]`, m.ebs.encrypted === true, m.ebs.kmsKeyID, config, report, "kmsKeyID"));
        },
        [T.managedNodeGroupComponent]: (props, _, report) => {
            if (!props.launchTemplate) report("no launchTemplate: EKS's default template leaves root-volume encryption to the account default");
        },
        [T.eksClusterComponent]: (props, _, report) => {
            if (props.skipDefaultNodeGroup !== true && !props.fargate && props.nodeRootVolumeEncrypted !== true) {
                report("the default node group's root volumes are not encrypted: set skipDefaultNodeGroup: true or nodeRootVolumeEncrypted: true");
            }
        },
    }),
};

export const ebsStorageClassEncryption: GuardrailResourcePolicy = {
    name: "ebs-storageclass-encryption",
    description: "StorageClasses of the EBS CSI driver create encrypted volumes with a customer-managed key.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set parameters.encrypted to the string \"true\" and parameters.kmsKeyId to the environment key's ARN.",
    configSchema: cmkSchema,
    validateResource: byType({
        [T.storageClass]: (props, args, report) => {
            if (props.provisioner !== "ebs.csi.aws.com" && props.provisioner !== "kubernetes.io/aws-ebs") return;
            const parameters = props.parameters ?? {};
            // The CSI driver only honours the string "true"; a YAML boolean is a common mistake.
            checkDisk("parameters", parameters.encrypted === "true", parameters.kmsKeyId, args.getConfig<CmkConfig>(), report);
            if (parameters.encrypted !== undefined && typeof parameters.encrypted !== "string") {
                report(`parameters.encrypted is ${JSON.stringify(parameters.encrypted)}; StorageClass parameters are strings: use "true"`);
            }
        },
    }),
};

export const efsEncryption: GuardrailResourcePolicy = {
    name: "efs-encryption",
    description: "EFS file systems are encrypted at rest with a customer-managed key.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set encrypted: true and kmsKeyId to the environment key (encryption cannot be added to an existing file system).",
    validateResource: byType({
        [T.efsFileSystem]: (props, _, report) => {
            if (props.encrypted !== true) report("the file system is not encrypted at rest");
            else if (!props.kmsKeyId) report("the file system uses the AWS-managed key; set kmsKeyId to a customer-managed key");
        },
    }),
};

export const logGroupEncryption: GuardrailResourcePolicy = {
    name: "log-group-encryption",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set kmsKeyId to the environment key; its key policy must let logs.<region>.amazonaws.com use it for this group.",
    validateResource: byType({
        [T.logGroup]: (props, _, report) => {
            if (!props.kmsKeyId) report("no kmsKeyId: the log group is encrypted only with CloudWatch's own key");
        },
    }),
};

export const logGroupRetention: GuardrailResourcePolicy = {
    name: "log-group-retention",
    description: "CloudWatch log groups keep logs for a finite time, at least a configured minimum.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set retentionInDays to one of CloudWatch's values, at least the configured minimum.",
    configSchema: {
        properties: {
            minRetentionDays: { type: "integer", minimum: 1, default: 1, description: "The shortest retention allowed." },
        },
    },
    validateResource: byType({
        [T.logGroup]: (props, args, report) => {
            const { minRetentionDays } = args.getConfig<{ minRetentionDays: number }>();
            const days = props.retentionInDays;
            if (typeof days !== "number" || days <= 0) report("no retentionInDays: logs would never expire");
            else if (days < minRetentionDays) report(`retentionInDays is ${days}; at least ${minRetentionDays} is required here`);
        },
    }),
};

export const sqsEncryption: GuardrailResourcePolicy = {
    name: "sqs-encryption",
    description: "SQS queues are encrypted at rest (SQS-managed SSE or a KMS key).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set sqsManagedSseEnabled: true, or kmsMasterKeyId to a KMS key.",
    validateResource: byType({
        [T.sqsQueue]: (props, _, report) => {
            if (props.sqsManagedSseEnabled !== true && !props.kmsMasterKeyId) report("the queue is not encrypted: set sqsManagedSseEnabled or kmsMasterKeyId");
        },
    }),
};

export const snsEncryption: GuardrailResourcePolicy = {
    name: "sns-encryption",
    description: "SNS topics are encrypted with a KMS key.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set kmsMasterKeyId to the environment key; its policy must let the publishing services use it.",
    validateResource: byType({
        [T.snsTopic]: (props, _, report) => {
            if (!props.kmsMasterKeyId) report("the topic is not encrypted: set kmsMasterKeyId");
        },
    }),
};

export const kmsKeyRotation: GuardrailResourcePolicy = {
    name: "kms-key-rotation",
    description: "Customer-managed symmetric KMS keys rotate their key material.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set enableKeyRotation: true (and optionally rotationPeriodInDays).",
    validateResource: byType({
        [T.kmsKey]: (props, args, report) => {
            const spec = props.customerMasterKeySpec ?? props.keySpec ?? "SYMMETRIC_DEFAULT";
            if (spec !== "SYMMETRIC_DEFAULT") args.notApplicable(`${spec} keys cannot rotate automatically`);
            if (props.enableKeyRotation !== true) report("key rotation is off: set enableKeyRotation: true");
        },
    }),
};

/** Buckets, and the resources that configure them, matched through their `bucket` property. */
function bucketsWithout(resources: { type: string; props: Props; urn: string }[], configTypes: readonly string[], ok: (config: Props) => boolean) {
    const configured = new Set(resources.filter((r) => configTypes.includes(r.type) && ok(r.props)).map((r) => r.props.bucket));
    return resources.filter((r) => (T.s3Buckets as readonly string[]).includes(r.type) && !configured.has(r.props.bucket));
}

export const s3DefaultEncryption: GuardrailStackPolicy = {
    name: "s3-default-encryption",
    description: "S3 buckets have a default server-side encryption configuration, KMS by default.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm aws:kms and the environment key.",
    configSchema: {
        properties: { requireKms: { type: "boolean", default: true, description: "Require aws:kms rather than AES256 (SSE-S3)." } },
    },
    validateStack: (args, report) => {
        const { requireKms } = args.getConfig<{ requireKms: boolean }>();
        const kmsOrAny = (c: Props) =>
            list<Props>(c.rules).some((rule) => {
                const algorithm = list<Props>(rule.applyServerSideEncryptionByDefault)[0]?.sseAlgorithm ?? rule.applyServerSideEncryptionByDefault?.sseAlgorithm;
                return requireKms ? algorithm === "aws:kms" || algorithm === "aws:kms:dsse" : Boolean(algorithm);
            });
        for (const bucket of bucketsWithout(args.resources, T.s3Encryption, kmsOrAny)) {
            report(`bucket ${bucket.props.bucket ?? bucket.urn} has no default ${requireKms ? "KMS " : ""}encryption configuration`, bucket.urn);
        }
    },
};

export const s3PublicAccessBlock: GuardrailStackPolicy = {
    name: "s3-public-access-block",
    description: "S3 buckets have a public access block with all four settings on.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    validateStack: (args, report) => {
        const allOn = (c: Props) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => c[k] === true);
        for (const bucket of bucketsWithout(args.resources, [T.s3PublicAccessBlock], allOn)) {
            report(`bucket ${bucket.props.bucket ?? bucket.urn} has no public access block with all four settings on`, bucket.urn);
        }
    },
};

function checkDisk(what: string, encrypted: boolean, keyId: unknown, config: CmkConfig, report: (m: string) => void, keyField = "kmsKeyId"): void {
    if (!encrypted) report(`${what}: not encrypted`);
    else if (config.requireCustomerManagedKey && !keyId) report(`${what}: encrypted with the AWS-managed key; set ${keyField} to a customer-managed key`);
}

export const encryptionPolicies = [
    eksSecretsEncryption,
    ebsVolumeEncryption,
    nodeVolumeEncryption,
    ebsStorageClassEncryption,
    efsEncryption,
    logGroupEncryption,
    logGroupRetention,
    sqsEncryption,
    snsEncryption,
    kmsKeyRotation,
    s3DefaultEncryption,
    s3PublicAccessBlock,
];
