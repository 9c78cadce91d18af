import type { PolicyResource } from "@pulumi/policy";
import { isTrue, keyedStore, reportAwsKeys, reportUnencrypted, Store, StoresOf } from "./atRest";
import { known } from "./preview";
import { DATA_STORES, dataStorePolicies } from "./dataStores";
import { EBS_STORES, ebsKubernetesStores, ebsPolicies } from "./ebs";
import { kmsPolicies } from "./kms";
import { kubernetesObjects } from "./kubernetes";
import { kubernetesVolumeEncryption } from "./kubernetesVolumes";
import { byType, Check, GuardrailResourcePolicy, GuardrailStackPolicy, list, Props, T } from "./support";

/** Guardrails that keep every store of data encrypted, with a customer-managed key where it matters. */

const EFS_REPLICATION = "aws:efs/replicationConfiguration:ReplicationConfiguration";
const ECR_REPOSITORY = "aws:ecr/repository:Repository";
const ECR_CREATION_TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate";
const SECRET = "aws:secretsmanager/secret:Secret";
const BACKUP_VAULT = "aws:backup/vault:Vault";
const SSM_PARAMETER = "aws:ssm/parameter:Parameter";
const S3_OBJECTS = ["aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2"];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

export const eksSecretsEncryption: GuardrailResourcePolicy = {
    name: "eks-secrets-encryption",
    description: "EKS clusters envelope-encrypt Kubernetes secrets with a KMS key.",
    why: "Without envelope encryption, secrets sit in etcd under AWS's storage key only: anyone who reads etcd or its backups reads every secret.",
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

/** S3 default-encryption rules: a bucket's inline configuration or a separate configuration resource. */
function s3Rules(props: Props): Props[] {
    const inline = list<Props>(props.serverSideEncryptionConfiguration ?? props.serverSideEncryptionConfigurations);
    return [...list<Props>(props.rules), ...inline.flatMap((c) => list<Props>(c.rule ?? c.rules))];
}

function s3Algorithm(rule: Props): unknown {
    return list<Props>(rule?.applyServerSideEncryptionByDefault)[0]?.sseAlgorithm;
}

function s3KmsKeys(props: Props): Store[] {
    return s3Rules(props)
        .filter((rule) => KMS_ALGORITHMS.includes(s3Algorithm(rule) as string))
        .map((rule) => keyedStore("default encryption", list<Props>(rule.applyServerSideEncryptionByDefault)[0]?.kmsMasterKeyId, "kmsMasterKeyId", "the AWS-managed key aws/s3"));
}

function ecrKey(props: Props): Store[] {
    const config = list<Props>(props.encryptionConfigurations)[0];
    if (String(config?.encryptionType ?? "AES256").toUpperCase().startsWith("KMS")) {
        return [keyedStore("the repository", config?.kmsKey, "encryptionConfigurations[0].kmsKey", "the AWS-managed key aws/ecr")];
    }
    return [{ where: "the repository", encrypted: true, serviceKey: "ECR's AES256 (an AWS-owned key)", fix: "set encryptionConfigurations [{ encryptionType: \"KMS\", kmsKey }] to a customer-managed key" }];
}

/** An object's own encryption header overrides the bucket's default: SSE-S3, or KMS without a key (aws/s3). */
function s3ObjectKey(props: Props): Store[] {
    const algorithm = props.serverSideEncryption;
    if (algorithm === undefined || algorithm === null || algorithm === "") return [];
    if (KMS_ALGORITHMS.includes(algorithm)) return [keyedStore("the object", props.kmsKeyId, "kmsKeyId", "the AWS-managed key aws/s3")];
    return [{ where: "the object", encrypted: true, serviceKey: `S3's own key (${algorithm})`, fix: "leave serverSideEncryption unset, so the bucket's KMS default applies, or set aws:kms with kmsKeyId" }];
}

/** The stores of this module's services: EFS, SQS, SNS, S3, ECR, Secrets Manager, Backup, SSM. */
const SERVICE_STORES: Record<string, StoresOf> = {
    [T.efsFileSystem]: (p) => [
        {
            where: "the file system",
            encrypted: isTrue(p.encrypted),
            unencrypted: p.kmsKeyId ? "not encrypted at rest: kmsKeyId is set but encrypted is not true" : "not encrypted at rest",
            key: p.kmsKeyId,
            keyField: "kmsKeyId",
            serviceKey: "the AWS-managed key aws/elasticfilesystem",
        },
    ],
    [EFS_REPLICATION]: (p) => list<Props>(p.destination).map((d) => keyedStore("the replica", d.kmsKeyId, "destination.kmsKeyId", "the AWS-managed key aws/elasticfilesystem")),
    [T.sqsQueue]: (p) => [
        {
            where: "",
            encrypted: isTrue(p.sqsManagedSseEnabled) || Boolean(p.kmsMasterKeyId),
            unencrypted: "the queue is not encrypted: set sqsManagedSseEnabled or kmsMasterKeyId",
            key: p.kmsMasterKeyId,
            keyField: "kmsMasterKeyId",
            serviceKey: "SQS's own key (SSE-SQS)",
        },
    ],
    [T.snsTopic]: (p) => [{ where: "", encrypted: Boolean(p.kmsMasterKeyId), unencrypted: "the topic is not encrypted: set kmsMasterKeyId", key: p.kmsMasterKeyId, keyField: "kmsMasterKeyId", serviceKey: "" }],
    ...Object.fromEntries([...T.s3Buckets, ...T.s3Encryption].map((t) => [t, s3KmsKeys])),
    ...Object.fromEntries(S3_OBJECTS.map((t) => [t, s3ObjectKey])),
    [ECR_REPOSITORY]: ecrKey,
    [ECR_CREATION_TEMPLATE]: ecrKey,
    [SECRET]: (p) => [
        keyedStore("the secret", p.kmsKeyId, "kmsKeyId", "the AWS-managed key aws/secretsmanager"),
        ...list<Props>(p.replicas).map((r, i) => keyedStore(`replicas[${i}] (${r.region})`, r.kmsKeyId, "kmsKeyId", "the AWS-managed key aws/secretsmanager")),
    ],
    [BACKUP_VAULT]: (p) => [keyedStore("the vault", p.kmsKeyArn, "kmsKeyArn", "the AWS-managed key aws/backup")],
    [SSM_PARAMETER]: (p) => (p.type === "SecureString" ? [keyedStore("the parameter", p.keyId, "keyId", "the AWS-managed key aws/ssm")] : []),
};

/** Every data store the encryption guardrails know, by type token. */
const STORES: Record<string, StoresOf> = { ...EBS_STORES, ...DATA_STORES, ...SERVICE_STORES };

export const customerManagedKey: GuardrailResourcePolicy = {
    name: "customer-managed-key",
    description:
        "Encrypted data stores use a customer-managed KMS key, not an AWS-managed key (alias/aws/...) or the service's own key: EBS (volumes, copies, instances, Spot, launch templates and configurations, node groups, EC2NodeClasses, StorageClasses), EFS, S3 (KMS rules), RDS, DocumentDB, Neptune, Redshift, DynamoDB, DAX, ElastiCache, MemoryDB, OpenSearch, MSK, Kinesis, Firehose, SQS, SNS, ECR, Secrets Manager, Backup vaults and SSM SecureStrings. Not encrypted at all is each store's own policy; log groups and S3's SSE-S3 are log-group-encryption's and s3-default-encryption's.",
    why: "Nobody can narrow an AWS-managed key's policy: whoever the service lets read the data can decrypt it, its use cannot be limited to this environment or audited per key, and the data cannot be made unreadable by disabling the key.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set the field the message names to the environment key (or another customer-managed key); where the resource cannot name a key, the message says what to use instead.",
    validateResource: (args, report) => {
        const of = STORES[args.type];
        if (of) reportAwsKeys(of(args.props), report);
        for (const o of kubernetesObjects(args.type, args.props)) reportAwsKeys(ebsKubernetesStores(o), report);
    },
};

function unencrypted(type: string): Record<string, Check> {
    return { [type]: (props, _, report) => reportUnencrypted(SERVICE_STORES[type](props), report) };
}

export const efsEncryption: GuardrailResourcePolicy = {
    name: "efs-encryption",
    description: "EFS file systems are encrypted at rest (a key named without encrypted: true does not encrypt).",
    why: "A file system is shared by every pod that mounts it; unencrypted, its data and backups are readable by whoever gets a copy, and encryption cannot be added later.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set encrypted: true and kmsKeyId to the environment key (encryption cannot be added to an existing file system).",
    validateResource: byType(unencrypted(T.efsFileSystem)),
};

export const logGroupEncryption: GuardrailResourcePolicy = {
    name: "log-group-encryption",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    why: "Logs carry tokens, personal data and request bodies; under CloudWatch's own key, anyone with logs:GetLogEvents reads them and nothing ties them to the environment's key policy.",
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
    why: "Logs kept forever accumulate secrets and personal data without end; logs kept too briefly are gone before an incident is investigated.",
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
    description: "SQS queues are encrypted at rest (SQS-managed SSE or a KMS key; customer-managed-key asks which key).",
    why: "Messages wait in a queue for up to two weeks; unencrypted, they are stored in the clear at AWS.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set kmsMasterKeyId to the environment key (or at least sqsManagedSseEnabled: true).",
    validateResource: byType(unencrypted(T.sqsQueue)),
};

export const snsEncryption: GuardrailResourcePolicy = {
    name: "sns-encryption",
    description: "SNS topics are encrypted with a KMS key (customer-managed-key asks which key).",
    why: "Without a key, messages are stored unencrypted while SNS delivers and retries them.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set kmsMasterKeyId to the environment key; its policy must let the publishing services use it.",
    validateResource: byType(unencrypted(T.snsTopic)),
};

/**
 * Buckets left without a passing configuration: matched by the configuration's `bucket`, or,
 * while that is unknown (a bucket created in the same preview), by its dependency on the bucket.
 * A bucket's own inline configuration counts when `inline` passes it.
 */
function bucketsWithout(resources: PolicyResource[], configTypes: readonly string[], ok: (config: Props) => boolean, inline?: (bucket: Props) => boolean) {
    const buckets = T.s3Buckets as readonly string[];
    const configured = new Set<unknown>();
    for (const r of resources) {
        if (!configTypes.includes(r.type) || !ok(r.props)) continue;
        const bucket = known(() => r.props.bucket);
        if (bucket !== undefined) configured.add(bucket);
        else for (const d of r.dependencies ?? []) if (buckets.includes(d.type)) configured.add(d.urn);
    }
    return resources.filter((r) => buckets.includes(r.type) && !configured.has(known(() => r.props.bucket)) && !configured.has(r.urn) && !inline?.(r.props));
}

export const s3DefaultEncryption: GuardrailStackPolicy = {
    name: "s3-default-encryption",
    description: "S3 buckets have a default encryption configuration, KMS by default: inline on the bucket, or a BucketServerSideEncryptionConfiguration(V2) for it.",
    why: "Without a KMS default, objects are encrypted only under S3's own key (SSE-S3): anyone granted s3:GetObject reads them, with no key policy in the way.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm aws:kms and the environment key.",
    configSchema: {
        properties: { requireKms: { type: "boolean", default: true, description: "Require aws:kms rather than AES256 (SSE-S3)." } },
    },
    validateStack: (args, report) => {
        const { requireKms } = args.getConfig<{ requireKms: boolean }>();
        const passes = (rules: Props[]) => rules.some((rule) => (requireKms ? KMS_ALGORITHMS.includes(s3Algorithm(rule) as string) : Boolean(s3Algorithm(rule))));
        const configs = args.resources.filter((r) => (T.s3Encryption as readonly string[]).includes(r.type));
        for (const bucket of bucketsWithout(args.resources, T.s3Encryption, (c) => passes(s3Rules(c)), (b) => passes(s3Rules(b)))) {
            const name = known(() => bucket.props.bucket) ?? bucket.urn;
            const anyRule = [bucket, ...configs.filter((c) => known(() => c.props.bucket) === name)].some((r) => s3Rules(r.props).some((rule) => s3Algorithm(rule)));
            report(anyRule ? `bucket ${name}'s default encryption is SSE-S3 (AES256, an S3-owned key), not KMS` : `bucket ${name} has no default ${requireKms ? "KMS " : ""}encryption configuration`, bucket.urn);
        }
    },
};

export const s3PublicAccessBlock: GuardrailStackPolicy = {
    name: "s3-public-access-block",
    description: "S3 buckets have a public access block with all four settings on.",
    why: "One public ACL or bucket policy, written by mistake or by a tool, publishes the bucket's objects to the internet.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    validateStack: (args, report) => {
        const allOn = (c: Props) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => c[k] === true);
        for (const bucket of bucketsWithout(args.resources, [T.s3PublicAccessBlock], allOn)) {
            report(`bucket ${known(() => bucket.props.bucket) ?? bucket.urn} has no public access block with all four settings on`, bucket.urn);
        }
    },
};

export const encryptionPolicies = [
    eksSecretsEncryption,
    ...ebsPolicies,
    efsEncryption,
    logGroupEncryption,
    logGroupRetention,
    sqsEncryption,
    snsEncryption,
    ...kmsPolicies,
    s3DefaultEncryption,
    s3PublicAccessBlock,
    ...dataStorePolicies,
    kubernetesVolumeEncryption,
    customerManagedKey,
];
