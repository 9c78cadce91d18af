import { asNumber, isOn } from "./flags";
import { HybridGuardrail, keyedStore, reportAwsKeys, reportUnencrypted, Store, StoresOf, untilKnown } from "./atRest";
import { lambdaLogGroups } from "./logGroups";
import { s3DefaultEncryption, s3KmsKeys, s3PublicAccessBlock } from "./s3Buckets";
import { DATA_STORES, dataStorePolicies } from "./dataStores";
import { EBS_STORES, ebsKubernetesStores, ebsPolicies } from "./ebs";
import { kmsPolicies } from "./kms";
import { kubernetesObjects } from "./kubernetes";
import { kubernetesVolumeEncryption } from "./kubernetesVolumes";
import { byType, Check, GuardrailResourcePolicy, list, Props, T } from "./support";

/** Guardrails that keep every store of data encrypted, with a customer-managed key where it matters. */

const EFS_REPLICATION = "aws:efs/replicationConfiguration:ReplicationConfiguration";
const ECR_REPOSITORY = "aws:ecr/repository:Repository";
const ECR_CREATION_TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate";
const SECRET = "aws:secretsmanager/secret:Secret";
const BACKUP_VAULT = "aws:backup/vault:Vault";
const SSM_PARAMETER = "aws:ssm/parameter:Parameter";
const S3_OBJECTS = ["aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2"];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];
const MWAA_ENVIRONMENTS = ["aws:mwaa/environment:Environment", "aws-native:mwaa:Environment"];
const CODEBUILD_PROJECTS = ["aws:codebuild/project:Project", "aws-native:codebuild:Project"];

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

const FSX_FILE_SYSTEMS = ["aws:fsx/lustreFileSystem:LustreFileSystem", "aws:fsx/ontapFileSystem:OntapFileSystem", "aws:fsx/windowsFileSystem:WindowsFileSystem", "aws:fsx/openZfsFileSystem:OpenZfsFileSystem"];
const TABLE_EXPORT = "aws:dynamodb/tableExport:TableExport";

/** FSx always encrypts, under aws/fsx unless kmsKeyId names a key; a scratch Lustre file system cannot name one. */
function fsxKey(p: Props): Store[] {
    const store = keyedStore("the file system", p.kmsKeyId, "kmsKeyId", "the AWS-managed key aws/fsx");
    const scratch = typeof p.deploymentType === "string" && p.deploymentType.toUpperCase().startsWith("SCRATCH");
    return [scratch ? { ...store, keyField: undefined, fix: "a scratch file system cannot name a key: use a PERSISTENT deployment type with kmsKeyId" } : store];
}

/** A DynamoDB export's objects: under the key named with s3SseAlgorithm KMS, else S3's own key or the bucket's default, which another account's bucket sets. */
function tableExportKey(p: Props): Store[] {
    if (String(p.s3SseAlgorithm ?? "").toUpperCase() === "KMS") return [keyedStore("the export", p.s3SseKmsKeyId, "s3SseKmsKeyId", "the AWS-managed key aws/s3")];
    const how = p.s3SseAlgorithm ? `S3's own key (${p.s3SseAlgorithm})` : `the default encryption of bucket ${p.s3Bucket}${p.s3BucketOwner ? ` (account ${p.s3BucketOwner})` : ""}, SSE-S3 unless set otherwise`;
    return [{ where: "the export", encrypted: true, serviceKey: how, fix: "set s3SseAlgorithm \"KMS\" and s3SseKmsKeyId to a customer-managed key" }];
}

/** The stores of this module's services: EFS, FSx, SQS, SNS, S3, DynamoDB exports, ECR, Secrets Manager, Backup, SSM. */
const SERVICE_STORES: Record<string, StoresOf> = {
    [T.efsFileSystem]: (p) => [
        {
            where: "the file system",
            encrypted: isOn(p.encrypted),
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
            encrypted: isOn(p.sqsManagedSseEnabled) || Boolean(p.kmsMasterKeyId),
            unencrypted: "the queue is not encrypted: set sqsManagedSseEnabled or kmsMasterKeyId",
            key: p.kmsMasterKeyId,
            keyField: "kmsMasterKeyId",
            serviceKey: "SQS's own key (SSE-SQS)",
        },
    ],
    [T.snsTopic]: (p) => [{ where: "", encrypted: Boolean(p.kmsMasterKeyId), unencrypted: "the topic is not encrypted: set kmsMasterKeyId", key: p.kmsMasterKeyId, keyField: "kmsMasterKeyId", serviceKey: "" }],
    ...Object.fromEntries([...T.s3Buckets, ...T.s3Encryption].map((t) => [t, s3KmsKeys])),
    ...Object.fromEntries(S3_OBJECTS.map((t) => [t, s3ObjectKey])),
    ...Object.fromEntries(FSX_FILE_SYSTEMS.map((t) => [t, fsxKey])),
    [TABLE_EXPORT]: tableExportKey,
    [ECR_REPOSITORY]: ecrKey,
    [ECR_CREATION_TEMPLATE]: ecrKey,
    [SECRET]: (p) => [
        keyedStore("the secret", p.kmsKeyId, "kmsKeyId", "the AWS-managed key aws/secretsmanager"),
        ...list<Props>(p.replicas).map((r, i) => keyedStore(`replicas[${i}] (${r.region})`, r.kmsKeyId, "kmsKeyId", "the AWS-managed key aws/secretsmanager")),
    ],
    [BACKUP_VAULT]: (p) => [keyedStore("the vault", p.kmsKeyArn, "kmsKeyArn", "the AWS-managed key aws/backup")],
    [SSM_PARAMETER]: (p) => (p.type === "SecureString" ? [keyedStore("the parameter", p.keyId, "keyId", "the AWS-managed key aws/ssm")] : []),
    // Airflow's metadata database and logs, and a build's artifacts and cache, under a key AWS holds unless one is named.
    ...Object.fromEntries(MWAA_ENVIRONMENTS.map((t) => [t, (p: Props) => [keyedStore("the environment", p.kmsKey, "kmsKey", "an AWS-owned key")]])),
    ...Object.fromEntries(CODEBUILD_PROJECTS.map((t) => [t, (p: Props) => [keyedStore("the build output", p.encryptionKey, "encryptionKey", "the AWS-managed key aws/s3")]])),
};

/** Every data store the encryption guardrails know, by type token. */
const STORES: Record<string, StoresOf> = { ...EBS_STORES, ...DATA_STORES, ...SERVICE_STORES };

export const customerManagedKey: GuardrailResourcePolicy = {
    name: "customer-managed-key",
    description:
        "Encrypted data stores use a customer-managed KMS key, not an AWS-managed key (alias/aws/...) or the service's own key: EBS (volumes, copies and imports, instances, Spot, launch templates and configurations, node groups, EC2NodeClasses, StorageClasses, EMR, WorkSpaces, Image Builder, ECS managed volumes), EFS, FSx, S3 (KMS rules, DynamoDB exports), RDS, DocumentDB, Neptune, Redshift, DynamoDB, DAX, ElastiCache, MemoryDB, OpenSearch, MSK, Kinesis, Firehose, SQS, SNS, ECR, Secrets Manager, Backup vaults, SSM SecureStrings, Keyspaces, QLDB, Timestream, MWAA and CodeBuild (and ElastiCache global datastore members in their own region). Not encrypted at all is each store's own policy; log groups and S3's SSE-S3 are log-group-encryption's and s3-default-encryption's.",
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

export const logGroupEncryption: HybridGuardrail = {
    name: "log-group-encryption",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key, and the log group a Lambda function writes to is declared in the program (Lambda would create it under CloudWatch's own key).",
    why: "Logs carry tokens, personal data and request bodies; under CloudWatch's own key, anyone with logs:GetLogEvents reads them and nothing ties them to the environment's key policy.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set kmsKeyId to the environment key; its key policy must let logs.<region>.amazonaws.com use it for this group. Declare each Lambda function's log group (/aws/lambda/<name>, or its loggingConfig.logGroup).",
    validateResource: untilKnown(
        byType({
            [T.logGroup]: (props, _, report) => {
                if (!props.kmsKeyId) report("no kmsKeyId: the log group is encrypted only with CloudWatch's own key");
            },
        }),
    ),
    validateStack: lambdaLogGroups("under CloudWatch's own key"),
};

export const logGroupRetention: HybridGuardrail = {
    name: "log-group-retention",
    description: "CloudWatch log groups keep logs for a finite time, at least a configured minimum, and the log group a Lambda function writes to is declared in the program (Lambda would create it with no retention).",
    why: "Logs kept forever accumulate secrets and personal data without end; logs kept too briefly are gone before an incident is investigated.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set retentionInDays to one of CloudWatch's values, at least the configured minimum; declare each Lambda function's log group.",
    configSchema: {
        properties: {
            minRetentionDays: { type: "integer", minimum: 1, default: 1, description: "The shortest retention allowed." },
        },
    },
    validateResource: untilKnown(
        byType({
            [T.logGroup]: (props, args, report) => {
                const { minRetentionDays } = args.getConfig<{ minRetentionDays: number }>();
                const days = asNumber(props.retentionInDays);
                if (days === undefined || days <= 0) report("no retentionInDays: logs would never expire");
                else if (days < minRetentionDays) report(`retentionInDays is ${days}; at least ${minRetentionDays} is required here`);
            },
        }),
    ),
    validateStack: lambdaLogGroups("with no retention, keeping logs for ever"),
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

export { s3DefaultEncryption, s3PublicAccessBlock };

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
