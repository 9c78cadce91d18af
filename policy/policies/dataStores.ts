import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { HybridGuardrail, keyedStore, reportUnencrypted, Store, StoresOf, untilKnown } from "./atRest";
import { Declared, idOf, shown } from "./declared";
import { isOff, isOn, parseJson } from "./flags";
import { eachKnown, known } from "./preview";
import { rdsReplicaSources } from "./rdsReplicas";
import { byType, Check, GuardrailResourcePolicy, list, Props } from "./support";

/**
 * Databases, caches, search domains and streams: encrypted at rest, and, where the service can
 * carry data in the clear, in transit. Which key they use is `customer-managed-key`'s question;
 * the stores here feed it too.
 */

const RDS_INSTANCE = "aws:rds/instance:Instance";
const RDS_CLUSTER = "aws:rds/cluster:Cluster";
const RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const RDS_GLOBAL_CLUSTER = "aws:rds/globalCluster:GlobalCluster";
const RDS_SNAPSHOT_COPY = "aws:rds/snapshotCopy:SnapshotCopy";
const RDS_CLUSTER_SNAPSHOT_COPY = "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy";
const DOCDB_CLUSTER = "aws:docdb/cluster:Cluster";
const DOCDB_ELASTIC_CLUSTER = "aws:docdb/elasticCluster:ElasticCluster";
const NEPTUNE_CLUSTER = "aws:neptune/cluster:Cluster";
const REDSHIFT_CLUSTER = "aws:redshift/cluster:Cluster";
const REDSHIFT_NAMESPACE = "aws:redshiftserverless/namespace:Namespace";
const DYNAMODB_TABLE = "aws:dynamodb/table:Table";
const DYNAMODB_REPLICA = "aws:dynamodb/tableReplica:TableReplica";
const DAX_CLUSTER = "aws:dax/cluster:Cluster";
const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const CACHE_CLUSTER = "aws:elasticache/cluster:Cluster";
const SERVERLESS_CACHE = "aws:elasticache/serverlessCache:ServerlessCache";
const MEMORYDB_CLUSTER = "aws:memorydb/cluster:Cluster";
const OPENSEARCH_DOMAIN = "aws:opensearch/domain:Domain";
const ELASTICSEARCH_DOMAIN = "aws:elasticsearch/domain:Domain";
const OPENSEARCH_SERVERLESS_POLICY = "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy";
const MSK_CLUSTER = "aws:msk/cluster:Cluster";
const MSK_SERVERLESS = "aws:msk/serverlessCluster:ServerlessCluster";
const KINESIS_STREAM = "aws:kinesis/stream:Stream";
const FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const KINESIS_VIDEO = "aws:kinesis/videoStream:VideoStream";
const GLOBAL_REPLICATION_GROUP = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup";
const KEYSPACES_TABLES = ["aws:keyspaces/table:Table", "aws-native:cassandra:Table"];
const QLDB_LEDGERS = ["aws:qldb/ledger:Ledger", "aws-native:qldb:Ledger"];
const TIMESTREAM_DATABASES = ["aws:timestreamwrite/database:Database", "aws-native:timestream:Database"];

const RDS_KEY = "the AWS-managed key aws/rds";

/** RDS-engine storage: `storageEncrypted` encrypts; a key named without it does not. */
function rdsStorage(props: Props, keyField: string, encrypted = isOn(props.storageEncrypted)): Store {
    const unencrypted = props[keyField] ? `not encrypted: ${keyField} is set but storageEncrypted is not true` : "not encrypted: set storageEncrypted: true";
    return { where: "the storage", encrypted, unencrypted, key: props[keyField], keyField, serviceKey: RDS_KEY };
}

/** What an RDS instance or cluster also keeps: Performance Insights data, and the master password RDS manages in Secrets Manager. */
function rdsExtras(props: Props): Store[] {
    return [
        ...(isOn(props.performanceInsightsEnabled) ? [keyedStore("Performance Insights", props.performanceInsightsKmsKeyId, "performanceInsightsKmsKeyId", RDS_KEY)] : []),
        ...(isOn(props.manageMasterUserPassword) ? [keyedStore("the managed master password", props.masterUserSecretKmsKeyId, "masterUserSecretKmsKeyId", "the AWS-managed key aws/secretsmanager")] : []),
    ];
}

/** A database snapshot copy is encrypted by naming a key; without one it is as (un)encrypted as its source. */
function snapshotCopy(p: Props): Store[] {
    return [{ where: "the snapshot copy", encrypted: Boolean(p.kmsKeyId), unencrypted: "no kmsKeyId, so it is only as encrypted as its source: name a key", key: p.kmsKeyId, keyField: "kmsKeyId", serviceKey: RDS_KEY }];
}

/**
 * A read replica is as encrypted as its source, under the source's key in the same region or the
 * key it names in another (storageEncrypted is ignored); the source is judged where it is declared.
 */
function replicaStorage(p: Props): Store[] {
    return p.kmsKeyId ? [keyedStore("the storage", p.kmsKeyId, "kmsKeyId", RDS_KEY)] : [];
}

const NO_CMK_DAX = "DAX takes no customer-managed key: keep data that needs one out of DAX";

/** Every data store of this module, by type token. */
export const DATA_STORES: Record<string, StoresOf> = {
    [RDS_INSTANCE]: (p) => [...(p.replicateSourceDb ? replicaStorage(p) : [rdsStorage(p, "kmsKeyId")]), ...rdsExtras(p)],
    // Aurora Serverless v1 is always encrypted.
    [RDS_CLUSTER]: (p) => [rdsStorage(p, "kmsKeyId", isOn(p.storageEncrypted) || p.engineMode === "serverless"), ...rdsExtras(p)],
    // A cluster's instances keep their data in the cluster's storage.
    [RDS_CLUSTER_INSTANCE]: (p) => rdsExtras(p),
    // A global cluster made from an existing cluster takes that cluster's encryption; its members name their keys.
    [RDS_GLOBAL_CLUSTER]: (p) => (p.sourceDbClusterIdentifier ? [] : [{ where: "the storage", encrypted: isOn(p.storageEncrypted), unencrypted: "not encrypted: set storageEncrypted: true", serviceKey: RDS_KEY }]),
    ...Object.fromEntries([RDS_SNAPSHOT_COPY, RDS_CLUSTER_SNAPSHOT_COPY].map((t) => [t, snapshotCopy])),
    [DOCDB_CLUSTER]: (p) => [rdsStorage(p, "kmsKeyId")],
    [DOCDB_ELASTIC_CLUSTER]: (p) => [keyedStore("the cluster", p.kmsKeyId, "kmsKeyId", "an AWS-owned key")],
    [NEPTUNE_CLUSTER]: (p) => [rdsStorage(p, "kmsKeyArn")],
    // `encrypted` is a string here, and true unless set otherwise.
    [REDSHIFT_CLUSTER]: (p) => [
        { where: "the cluster", encrypted: p.encrypted === undefined || isOn(p.encrypted), unencrypted: `not encrypted: encrypted is ${JSON.stringify(p.encrypted)}`, key: p.kmsKeyId, keyField: "kmsKeyId", serviceKey: "the AWS-managed key aws/redshift" },
    ],
    [REDSHIFT_NAMESPACE]: (p) => [keyedStore("the namespace", p.kmsKeyId, "kmsKeyId", "an AWS-owned key")],
    [DYNAMODB_TABLE]: (p) => {
        const sse = p.serverSideEncryption;
        const table = isOn(sse?.enabled)
            ? keyedStore("the table", sse.kmsKeyArn, "serverSideEncryption.kmsKeyArn", "the AWS-managed key aws/dynamodb")
            : { ...keyedStore("the table", undefined, "serverSideEncryption.kmsKeyArn", "DynamoDB's AWS-owned key"), fix: "set serverSideEncryption { enabled: true, kmsKeyArn } to a customer-managed key" };
        return [table, ...list<Props>(p.replicas).map((r, i) => keyedStore(`replicas[${i}] (${r.regionName})`, r.kmsKeyArn, "kmsKeyArn", "the AWS-managed key aws/dynamodb"))];
    },
    [DYNAMODB_REPLICA]: (p) => [keyedStore("the replica", p.kmsKeyArn, "kmsKeyArn", "the AWS-managed key aws/dynamodb")],
    [DAX_CLUSTER]: (p) => [
        { where: "the cluster", encrypted: isOn(p.serverSideEncryption?.enabled), unencrypted: "not encrypted at rest: set serverSideEncryption { enabled: true }", serviceKey: "DAX's AWS-owned key", fix: NO_CMK_DAX },
    ],
    // Members of a global datastore take its primary's encryption (judged there, or by the stack half when not declared) but name their own region's key.
    [REPLICATION_GROUP]: (p) =>
        p.globalReplicationGroupId
            ? [keyedStore("at rest", p.kmsKeyId, "kmsKeyId", "ElastiCache's own key")]
            : [{ where: "at rest", encrypted: isOn(p.atRestEncryptionEnabled), unencrypted: "not encrypted: set atRestEncryptionEnabled: true", key: p.kmsKeyId, keyField: "kmsKeyId", serviceKey: "ElastiCache's own key" }],
    // Memcached keeps nothing on disk, so only its transit is judged.
    [CACHE_CLUSTER]: (p) =>
        p.replicationGroupId || /^memcached$/i.test(String(p.engine ?? "")) ? [] : [{ where: "at rest", encrypted: false, unencrypted: "a standalone cache cluster cannot be encrypted: use a replication group or a serverless cache", serviceKey: "" }],
    [SERVERLESS_CACHE]: (p) => [keyedStore("the cache", p.kmsKeyId, "kmsKeyId", "ElastiCache's own key")],
    [MEMORYDB_CLUSTER]: (p) => [keyedStore("the cluster", p.kmsKeyArn, "kmsKeyArn", "MemoryDB's own key")],
    [OPENSEARCH_DOMAIN]: searchDomain,
    [ELASTICSEARCH_DOMAIN]: searchDomain,
    [OPENSEARCH_SERVERLESS_POLICY]: (p) => {
        if (p.type !== "encryption") return [];
        const policy = parseJson(p.policy);
        const key = policy?.AWSOwnedKey === true ? undefined : policy?.KmsARN;
        return [{ ...keyedStore("the collections", key, "KmsARN", "an AWS-owned key (AWSOwnedKey)"), fix: "set the policy's KmsARN to a customer-managed key instead of AWSOwnedKey" }];
    },
    [MSK_CLUSTER]: (p) => [keyedStore("at rest", p.encryptionInfo?.encryptionAtRestKmsKeyArn, "encryptionInfo.encryptionAtRestKmsKeyArn", "the AWS-managed key aws/kafka")],
    [MSK_SERVERLESS]: () => [
        { where: "the cluster", encrypted: true, serviceKey: "an AWS-managed key", fix: "MSK Serverless takes no customer-managed key: use a provisioned cluster with encryptionInfo.encryptionAtRestKmsKeyArn" },
    ],
    [KINESIS_STREAM]: (p) => [
        {
            where: "the stream",
            encrypted: String(p.encryptionType ?? "NONE").toUpperCase() === "KMS",
            unencrypted: "not encrypted: set encryptionType: \"KMS\" and kmsKeyId",
            key: p.kmsKeyId,
            keyField: "kmsKeyId",
            serviceKey: "the AWS-managed key aws/kinesis",
        },
    ],
    // With a Kinesis stream or MSK as its source, a delivery stream cannot encrypt: the source's encryption holds.
    [FIREHOSE]: (p) => {
        if (p.kinesisSourceConfiguration || p.mskSourceConfiguration) return [];
        const sse = p.serverSideEncryption;
        return [
            {
                where: "the delivery stream",
                encrypted: isOn(sse?.enabled),
                unencrypted: "not encrypted: set serverSideEncryption { enabled: true, keyType: \"CUSTOMER_MANAGED_CMK\", keyArn }",
                key: sse?.keyType === "CUSTOMER_MANAGED_CMK" ? sse.keyArn : undefined,
                serviceKey: "an AWS-owned key",
                fix: "set serverSideEncryption.keyType to CUSTOMER_MANAGED_CMK and keyArn to a customer-managed key",
            },
        ];
    },
    [KINESIS_VIDEO]: (p) => [keyedStore("the stream", p.kmsKeyId, "kmsKeyId", "the AWS-managed key aws/kinesisvideo")],
    // Keyspaces, QLDB and Timestream always encrypt, under a key AWS holds unless one is named.
    ...Object.fromEntries(KEYSPACES_TABLES.map((t) => [t, keyspacesTable])),
    ...Object.fromEntries(QLDB_LEDGERS.map((t) => [t, (p: Props) => [keyedStore("the ledger", /^AWS_OWNED_KMS_KEY$/i.test(String(p.kmsKey ?? "")) ? undefined : p.kmsKey, "kmsKey", "an AWS-owned key")]])),
    ...Object.fromEntries(TIMESTREAM_DATABASES.map((t) => [t, (p: Props) => [keyedStore("the database", p.kmsKeyId, "kmsKeyId", "the AWS-managed key aws/timestream")]])),
};

/** A Keyspaces table: under its own key only with CUSTOMER_MANAGED_KMS_KEY and the key's ARN. */
function keyspacesTable(p: Props): Store[] {
    const spec = p.encryptionSpecification ?? {};
    const customer = /^CUSTOMER_MANAGED_KMS_KEY$/i.test(String(spec.type ?? spec.encryptionType ?? ""));
    const store = keyedStore("the table", customer ? spec.kmsKeyIdentifier : undefined, "encryptionSpecification.kmsKeyIdentifier", "an AWS-owned key (AWS_OWNED_KMS_KEY)");
    return [customer ? store : { ...store, fix: "set encryptionSpecification { type: \"CUSTOMER_MANAGED_KMS_KEY\", kmsKeyIdentifier } to a customer-managed key" }];
}

function searchDomain(p: Props): Store[] {
    const atRest = p.encryptAtRest;
    return [{ where: "encryptAtRest", encrypted: isOn(atRest?.enabled), key: atRest?.kmsKeyId, keyField: "encryptAtRest.kmsKeyId", serviceKey: "the AWS-managed key aws/es" }];
}

/** What a store sends in the clear, by type token. */
const IN_TRANSIT: Record<string, (p: Props) => string[]> = {
    [DAX_CLUSTER]: (p) => (p.clusterEndpointEncryptionType === "TLS" ? [] : ["in transit: not encrypted: set clusterEndpointEncryptionType: \"TLS\""]),
    [REPLICATION_GROUP]: (p) => {
        if (p.globalReplicationGroupId) return [];
        if (!isOn(p.transitEncryptionEnabled)) return ["in transit: not encrypted: set transitEncryptionEnabled: true"];
        return p.transitEncryptionMode === "preferred" ? ["in transit: transitEncryptionMode is \"preferred\", so clients may still connect without TLS: set \"required\""] : [];
    },
    [CACHE_CLUSTER]: (p) => (p.replicationGroupId || isOn(p.transitEncryptionEnabled) ? [] : ["in transit: not encrypted: set transitEncryptionEnabled: true"]),
    [MEMORYDB_CLUSTER]: (p) => (isOff(p.tlsEnabled) ? ["in transit: tlsEnabled is false"] : []),
    [OPENSEARCH_DOMAIN]: searchTransit,
    [ELASTICSEARCH_DOMAIN]: searchTransit,
    [MSK_CLUSTER]: (p) => {
        const transit = p.encryptionInfo?.encryptionInTransit ?? {};
        const out: string[] = [];
        // TLS is the default between clients and brokers and inside the cluster.
        if (transit.clientBroker !== undefined && transit.clientBroker !== "TLS") out.push(`in transit: clientBroker is ${JSON.stringify(transit.clientBroker)}, so clients may connect without TLS: use "TLS"`);
        if (isOff(transit.inCluster)) out.push("in transit: inCluster is false, so brokers replicate in the clear");
        return out;
    },
};

function searchTransit(p: Props): string[] {
    const out: string[] = [];
    if (!isOn(p.nodeToNodeEncryption?.enabled)) out.push("in transit: nodeToNodeEncryption is not enabled");
    const endpoint = p.domainEndpointOptions;
    if (!endpoint) out.push("in transit: domainEndpointOptions is not set, so HTTPS is not enforced: set enforceHttps: true");
    else if (isOff(endpoint.enforceHttps)) out.push("in transit: domainEndpointOptions.enforceHttps is false");
    if (typeof endpoint?.tlsSecurityPolicy === "string" && /TLS-1-0/.test(endpoint.tlsSecurityPolicy)) out.push(`in transit: tlsSecurityPolicy ${endpoint.tlsSecurityPolicy} accepts TLS 1.0: use a TLS 1.2 policy`);
    return out;
}

/** Checks for `types`: what is not encrypted at rest, and what travels in the clear. */
function storeChecks(types: string[]): Record<string, Check> {
    return Object.fromEntries(
        types.map((t): [string, Check] => [
            t,
            (props, _, report) => {
                reportUnencrypted(DATA_STORES[t]?.(props) ?? [], report);
                for (const message of IN_TRANSIT[t]?.(props) ?? []) report(message);
            },
        ]),
    );
}

type Described = Pick<GuardrailResourcePolicy, "name" | "description" | "why" | "severity" | "remediationSteps">;

function storePolicy(described: Described, types: string[]): GuardrailResourcePolicy {
    return { ...described, enforcementLevel: "mandatory", validateResource: byType(storeChecks(types)) };
}

const rdsStores = storePolicy(
    {
        name: "rds-encryption",
        description:
            "RDS instances, Aurora and RDS clusters, global clusters, snapshot copies, and DocumentDB and Neptune clusters encrypt their storage (a key named without storageEncrypted does not); a read replica's source is declared in the program and encrypted.",
        why: "An unencrypted database's storage, snapshots and backups can be copied or shared out of the account and read by whoever gets them, and encryption cannot be added later without a restore.",
        severity: "high",
        remediationSteps: "Set storageEncrypted: true and kmsKeyId (Neptune: kmsKeyArn) to the environment key; a cluster's instances then need nothing; give snapshot copies a kmsKeyId. An existing database is encrypted by restoring an encrypted snapshot copy.",
    },
    [RDS_INSTANCE, RDS_CLUSTER, RDS_GLOBAL_CLUSTER, RDS_SNAPSHOT_COPY, RDS_CLUSTER_SNAPSHOT_COPY, DOCDB_CLUSTER, NEPTUNE_CLUSTER],
);

export const rdsEncryption: HybridGuardrail = { ...rdsStores, validateResource: untilKnown(rdsStores.validateResource!), validateStack: rdsReplicaSources };

export const redshiftEncryption = storePolicy(
    {
        name: "redshift-encryption",
        description: "Redshift clusters are encrypted at rest (encrypted is not \"false\").",
        why: "A warehouse holds the most data in one place; unencrypted, its storage and snapshots are readable by whoever gets a copy.",
        severity: "high",
        remediationSteps: "Leave encrypted at its default \"true\" (or set it) and set kmsKeyId to the environment key.",
    },
    [REDSHIFT_CLUSTER],
);

export const daxEncryption = storePolicy(
    {
        name: "dax-encryption",
        description: "DynamoDB Accelerator (DAX) clusters encrypt at rest and serve their endpoint over TLS.",
        why: "DAX caches table items outside DynamoDB's own encryption: unencrypted on the nodes' disks and in the clear on the network unless both are turned on.",
        severity: "high",
        remediationSteps: "Set serverSideEncryption { enabled: true } and clusterEndpointEncryptionType: \"TLS\" (both only at creation: replace the cluster).",
    },
    [DAX_CLUSTER],
);

const elasticacheStores = storePolicy(
    {
        name: "elasticache-encryption",
        description: "ElastiCache replication groups and clusters, and MemoryDB clusters, encrypt at rest and require TLS in transit (\"preferred\" is not required); serverless caches always do; a replication group joins only a global datastore the program declares, where its primary is judged.",
        why: "Cached sessions, tokens and query results are as sensitive as the database behind them; without TLS anyone on the network path reads them, and \"preferred\" still lets a client talk in the clear.",
        severity: "high",
        remediationSteps:
            "Set atRestEncryptionEnabled: true with kmsKeyId, transitEncryptionEnabled: true and transitEncryptionMode \"required\" (or leave it unset); use a replication group or a serverless cache rather than a standalone cluster; leave MemoryDB's tlsEnabled on.",
    },
    [REPLICATION_GROUP, CACHE_CLUSTER, SERVERLESS_CACHE, MEMORYDB_CLUSTER],
);

/** elasticache-encryption's stack half: a member's global datastore is declared here, where its primary is judged. */
function globalDatastores(args: StackValidationArgs, report: ReportViolation): void {
    const globals = new Declared(args.resources, [GLOBAL_REPLICATION_GROUP], (r) => [idOf(r), known(() => r.props.globalReplicationGroupId), known(() => r.props.arn)]);
    eachKnown(args.resources, (r) => {
        if (r.type !== REPLICATION_GROUP || !r.props.globalReplicationGroupId) return;
        if (globals.resolve(r, () => r.props.globalReplicationGroupId) !== "undeclared") return;
        const name = shown(() => r.props.globalReplicationGroupId, "(not known yet)");
        report(`at rest: joins the global datastore ${name}, which this program does not declare, so its encryption cannot be judged: declare it (and its primary) here`, r.urn);
    });
}

export const elasticacheEncryption: HybridGuardrail = { ...elasticacheStores, validateResource: untilKnown(elasticacheStores.validateResource!), validateStack: globalDatastores };

export const opensearchEncryption = storePolicy(
    {
        name: "opensearch-encryption",
        description: "OpenSearch and Elasticsearch domains encrypt at rest, encrypt node-to-node traffic, and enforce HTTPS with TLS 1.2 or later.",
        why: "Search indices copy the data they index; without these settings it sits unencrypted on the domain's volumes and travels in the clear between nodes and to clients.",
        severity: "high",
        remediationSteps: "Set encryptAtRest { enabled: true, kmsKeyId }, nodeToNodeEncryption { enabled: true }, and domainEndpointOptions { enforceHttps: true, tlsSecurityPolicy: \"Policy-Min-TLS-1-2-2019-07\" }.",
    },
    [OPENSEARCH_DOMAIN, ELASTICSEARCH_DOMAIN],
);

export const mskEncryption = storePolicy(
    {
        name: "msk-encryption",
        description: "MSK clusters carry data over TLS only, between clients and brokers and between brokers (serverless clusters always do).",
        why: "TLS_PLAINTEXT or PLAINTEXT lets any client on the network read and inject records; in-cluster plaintext exposes every replicated record.",
        severity: "high",
        remediationSteps: "Leave encryptionInfo.encryptionInTransit at clientBroker \"TLS\" and inCluster true (or set them), and set encryptionAtRestKmsKeyArn to the environment key.",
    },
    [MSK_CLUSTER, MSK_SERVERLESS],
);

export const kinesisEncryption = storePolicy(
    {
        name: "kinesis-encryption",
        description: "Kinesis data streams and Firehose delivery streams encrypt at rest (a delivery stream fed by a Kinesis stream or MSK takes its source's encryption).",
        why: "Streams hold records for up to a year, unencrypted by default; whoever reads the shards or the delivery buffer reads the data.",
        severity: "high",
        remediationSteps: "Streams: set encryptionType \"KMS\" and kmsKeyId to the environment key. Firehose: set serverSideEncryption { enabled: true, keyType: \"CUSTOMER_MANAGED_CMK\", keyArn }.",
    },
    [KINESIS_STREAM, FIREHOSE],
);

export const dataStorePolicies = [rdsEncryption, redshiftEncryption, daxEncryption, elasticacheEncryption, opensearchEncryption, mskEncryption, kinesisEncryption];
