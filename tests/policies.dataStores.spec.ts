import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { evaluate, expectViolations, violations } from "./guardrails";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";

describe("data store encryption guardrails", () => {
    describe("rds-encryption", () => {
        it("passes encrypted instances and clusters; flags unencrypted ones, DocumentDB and Neptune included", async () => {
            const report = await evaluate(() => {
                new aws.rds.Instance("good", { instanceClass: "db.t4g.micro", engine: "postgres", allocatedStorage: 20, storageEncrypted: true, kmsKeyId: KEY });
                new aws.rds.Instance("plain", { instanceClass: "db.t4g.micro", engine: "postgres", allocatedStorage: 20 });
                new aws.rds.Cluster("aurora", { engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: KEY });
                new aws.rds.Cluster("aurora-plain", { engine: "aurora-postgresql" });
                new aws.docdb.Cluster("docs", {});
                new aws.neptune.Cluster("graph", { storageEncrypted: true, kmsKeyArn: KEY });
                new aws.rds.GlobalCluster("global", { globalClusterIdentifier: "g", engine: "aurora-postgresql" });
            }, { only: "rds-encryption" });
            expectViolations(report, "rds-encryption", [
                "plain: the storage: not encrypted: set storageEncrypted: true",
                "aurora-plain: the storage: not encrypted: set storageEncrypted: true",
                "docs: the storage: not encrypted: set storageEncrypted: true",
                "global: the storage: not encrypted: set storageEncrypted: true",
            ]);
        });

        it("evasion: kmsKeyId named but storageEncrypted false", async () => {
            const report = await evaluate(() => {
                new aws.rds.Instance("key-only", { instanceClass: "db.t4g.micro", engine: "mysql", allocatedStorage: 20, storageEncrypted: false, kmsKeyId: KEY });
                new aws.rds.Cluster("key-only-cluster", { engine: "aurora-mysql", kmsKeyId: KEY });
            }, { only: "rds-encryption" });
            expectViolations(report, "rds-encryption", [
                "key-only: the storage: not encrypted: kmsKeyId is set but storageEncrypted is not true",
                "key-only-cluster: the storage: not encrypted: kmsKeyId is set but storageEncrypted is not true",
            ]);
        });

        it("evasion: data copied out of the database as a snapshot copy without a key", async () => {
            const report = await evaluate(() => {
                new aws.rds.SnapshotCopy("copy", { sourceDbSnapshotIdentifier: "db-snap", targetDbSnapshotIdentifier: "db-snap-copy" });
                new aws.rds.ClusterSnapshotCopy("cluster-copy", { sourceDbClusterSnapshotIdentifier: "c-snap", targetDbClusterSnapshotIdentifier: "c-snap-copy", kmsKeyId: KEY });
            }, { only: "rds-encryption" });
            expectViolations(report, "rds-encryption", ["copy: the snapshot copy: no kmsKeyId, so it is only as encrypted as its source: name a key"]);
        });

        it("evasion: a cluster whose instance sets nothing is judged by the cluster (encrypted passes, unencrypted fails)", async () => {
            const report = await evaluate(() => {
                const encrypted = new aws.rds.Cluster("encrypted", { engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: KEY });
                new aws.rds.ClusterInstance("encrypted-1", { clusterIdentifier: encrypted.id, instanceClass: "db.r7g.large", engine: "aurora-postgresql" });
                const plain = new aws.rds.Cluster("plain", { engine: "aurora-postgresql" });
                new aws.rds.ClusterInstance("plain-1", { clusterIdentifier: plain.id, instanceClass: "db.r7g.large", engine: "aurora-postgresql" });
            }, { only: "rds-encryption" });
            expectViolations(report, "rds-encryption", ["plain: the storage: not encrypted: set storageEncrypted: true"]);
        });

        it("passes a same-region read replica of an encrypted primary, which inherits its encryption", async () => {
            const report = await evaluate(() => {
                const primary = new aws.rds.Instance("orders", { engine: "postgres", instanceClass: "db.t4g.medium", allocatedStorage: 20, storageEncrypted: true, kmsKeyId: KEY });
                const replica = new aws.rds.Instance("orders-replica", { replicateSourceDb: primary.identifier, instanceClass: "db.t4g.medium" });
                new aws.rds.Instance("orders-replica-2", { replicateSourceDb: replica.identifier, instanceClass: "db.t4g.medium" });
            }, { only: "rds-encryption" });
            expectViolations(report, "rds-encryption", []);
        });

        it("evasion: a read replica of an unencrypted primary, or of a database the program does not declare", async () => {
            const report = await evaluate(() => {
                const plain = new aws.rds.Instance("plain", { engine: "postgres", instanceClass: "db.t4g.medium", allocatedStorage: 20 });
                new aws.rds.Instance("plain-replica", { replicateSourceDb: plain.identifier, instanceClass: "db.t4g.medium", storageEncrypted: true });
                new aws.rds.Instance("outside-replica", { replicateSourceDb: "legacy-orders", instanceClass: "db.t4g.medium" });
            }, { only: "rds-encryption" });
            expectViolations(report, "rds-encryption", [
                "plain: the storage: not encrypted: set storageEncrypted: true",
                "plain-replica: the storage: a replica of plain, which is not encrypted, so neither is the replica",
                "outside-replica: the storage: a replica of legacy-orders, which this program does not declare, so its encryption cannot be judged: declare the source here",
            ]);
        });
    });

    describe("redshift-encryption", () => {
        it("passes the default and an explicit \"true\"; evasion: the string \"false\"", async () => {
            const report = await evaluate(() => {
                new aws.redshift.Cluster("default", { clusterIdentifier: "a", nodeType: "ra3.xlplus", kmsKeyId: KEY });
                new aws.redshift.Cluster("explicit", { clusterIdentifier: "b", nodeType: "ra3.xlplus", encrypted: "true", kmsKeyId: KEY });
                new aws.redshift.Cluster("off", { clusterIdentifier: "c", nodeType: "ra3.xlplus", encrypted: "false" });
            }, { only: "redshift-encryption" });
            expectViolations(report, "redshift-encryption", ['off: the cluster: not encrypted: encrypted is "false"']);
        });

        it("evasion: encryption turned off as the provider also reads it, \"0\" or \" FALSE \"", async () => {
            const report = await evaluate(() => {
                new aws.redshift.Cluster("zero", { clusterIdentifier: "d", nodeType: "ra3.xlplus", encrypted: "0" });
                new aws.redshift.Cluster("shouting", { clusterIdentifier: "e", nodeType: "ra3.xlplus", encrypted: " FALSE " });
            }, { only: "redshift-encryption" });
            expect(violations(report, "redshift-encryption").map((v) => v.split(":")[0]).sort()).to.deep.equal(["shouting", "zero"]);
        });
    });

    describe("dax-encryption", () => {
        const dax = (name: string, args: Partial<aws.dax.ClusterArgs>) =>
            new aws.dax.Cluster(name, { clusterName: name, iamRoleArn: "arn:aws:iam::111122223333:role/dax", nodeType: "dax.r5.large", replicationFactor: 1, ...args });
        it("passes a cluster encrypted at rest with a TLS endpoint; flags one without either", async () => {
            const report = await evaluate(() => {
                dax("good", { serverSideEncryption: { enabled: true }, clusterEndpointEncryptionType: "TLS" });
                dax("plain", {});
            }, { only: "dax-encryption" });
            expectViolations(report, "dax-encryption", [
                "plain: the cluster: not encrypted at rest: set serverSideEncryption { enabled: true }",
                'plain: in transit: not encrypted: set clusterEndpointEncryptionType: "TLS"',
            ]);
        });

        it("evasion: at rest on, endpoint left at NONE", async () => {
            const report = await evaluate(() => dax("half", { serverSideEncryption: { enabled: true }, clusterEndpointEncryptionType: "NONE" }), { only: "dax-encryption" });
            expectViolations(report, "dax-encryption", ['half: in transit: not encrypted: set clusterEndpointEncryptionType: "TLS"']);
        });
    });

    describe("elasticache-encryption", () => {
        it("passes replication groups encrypted at rest and in transit, and serverless caches; flags the rest", async () => {
            const report = await evaluate(() => {
                new aws.elasticache.ReplicationGroup("good", { description: "d", atRestEncryptionEnabled: true, kmsKeyId: KEY, transitEncryptionEnabled: true });
                new aws.elasticache.ReplicationGroup("plain", { description: "d" });
                new aws.elasticache.ServerlessCache("serverless", { engine: "valkey", kmsKeyId: KEY });
                new aws.memorydb.Cluster("memorydb", { aclName: "open-access", nodeType: "db.t4g.small", tlsEnabled: false });
            }, { only: "elasticache-encryption" });
            expectViolations(report, "elasticache-encryption", [
                "plain: at rest: not encrypted: set atRestEncryptionEnabled: true",
                "plain: in transit: not encrypted: set transitEncryptionEnabled: true",
                "memorydb: in transit: tlsEnabled is false",
            ]);
        });

        it("evasion: at rest on but transit off, or transit only \"preferred\"", async () => {
            const report = await evaluate(() => {
                new aws.elasticache.ReplicationGroup("rest-only", { description: "d", atRestEncryptionEnabled: true, kmsKeyId: KEY });
                new aws.elasticache.ReplicationGroup("preferred", { description: "d", atRestEncryptionEnabled: true, kmsKeyId: KEY, transitEncryptionEnabled: true, transitEncryptionMode: "preferred" });
            }, { only: "elasticache-encryption" });
            expectViolations(report, "elasticache-encryption", [
                "rest-only: in transit: not encrypted: set transitEncryptionEnabled: true",
                'preferred: in transit: transitEncryptionMode is "preferred", so clients may still connect without TLS: set "required"',
            ]);
        });

        it("evasion: MemoryDB TLS turned off with the string \"0\", which the provider reads as false", async () => {
            const report = await evaluate(() => {
                new aws.memorydb.Cluster("zero", { aclName: "open-access", nodeType: "db.t4g.small", kmsKeyArn: KEY, tlsEnabled: "0" as unknown as boolean });
                new aws.memorydb.Cluster("one", { aclName: "open-access", nodeType: "db.t4g.small", kmsKeyArn: KEY, tlsEnabled: "1" as unknown as boolean });
            }, { only: "elasticache-encryption" });
            expectViolations(report, "elasticache-encryption", ["zero: in transit: tlsEnabled is false"]);
        });

        it("evasion: a replication group joining a global datastore the program does not declare, or under ElastiCache's own key in its region", async () => {
            const report = await evaluate(() => {
                new aws.elasticache.ReplicationGroup("outside", { description: "d", globalReplicationGroupId: "ldgnf-orders-global", numCacheClusters: 2 });
                const primary = new aws.elasticache.ReplicationGroup("primary", { description: "d", atRestEncryptionEnabled: true, kmsKeyId: KEY, transitEncryptionEnabled: true });
                const global = new aws.elasticache.GlobalReplicationGroup("global", { globalReplicationGroupIdSuffix: "orders", primaryReplicationGroupId: primary.id });
                new aws.elasticache.ReplicationGroup("member", { description: "d", globalReplicationGroupId: global.id, kmsKeyId: KEY });
                new aws.elasticache.ReplicationGroup("member-own-key", { description: "d", globalReplicationGroupId: global.id });
            });
            expectViolations(report, "elasticache-encryption", [
                "outside: at rest: joins the global datastore ldgnf-orders-global, which this program does not declare, so its encryption cannot be judged: declare it (and its primary) here",
            ]);
            expectViolations(report, "customer-managed-key", [
                "outside: at rest: encrypted with ElastiCache's own key; set kmsKeyId to a customer-managed key",
                "member-own-key: at rest: encrypted with ElastiCache's own key; set kmsKeyId to a customer-managed key",
            ]);
        });

        it("evasion: a standalone cache cluster instead of a replication group", async () => {
            const report = await evaluate(() => {
                new aws.elasticache.Cluster("standalone", { engine: "redis", nodeType: "cache.t4g.small", numCacheNodes: 1 });
                new aws.elasticache.Cluster("member", { replicationGroupId: "good" });
            }, { only: "elasticache-encryption" });
            expectViolations(report, "elasticache-encryption", [
                "standalone: at rest: a standalone cache cluster cannot be encrypted: use a replication group or a serverless cache",
                "standalone: in transit: not encrypted: set transitEncryptionEnabled: true",
            ]);
        });

        it("passes a Memcached cluster with TLS: Memcached keeps nothing at rest; flags one without TLS", async () => {
            const report = await evaluate(() => {
                new aws.elasticache.Cluster("sessions", { engine: "memcached", nodeType: "cache.t4g.small", numCacheNodes: 2, transitEncryptionEnabled: true });
                new aws.elasticache.Cluster("plain-sessions", { engine: "memcached", nodeType: "cache.t4g.small", numCacheNodes: 2 });
            }, { only: "elasticache-encryption" });
            expectViolations(report, "elasticache-encryption", ["plain-sessions: in transit: not encrypted: set transitEncryptionEnabled: true"]);
        });
    });

    describe("opensearch-encryption", () => {
        const secure = {
            encryptAtRest: { enabled: true, kmsKeyId: KEY },
            nodeToNodeEncryption: { enabled: true },
            domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" },
        };
        it("passes a domain encrypted at rest, node to node, and over HTTPS; flags a bare one", async () => {
            const report = await evaluate(() => {
                new aws.opensearch.Domain("good", secure);
                new aws.opensearch.Domain("plain", {});
            }, { only: "opensearch-encryption" });
            expectViolations(report, "opensearch-encryption", [
                "plain: encryptAtRest: not encrypted",
                "plain: in transit: nodeToNodeEncryption is not enabled",
                "plain: in transit: domainEndpointOptions is not set, so HTTPS is not enforced: set enforceHttps: true",
            ]);
        });

        it("evasion: the legacy elasticsearch.Domain, HTTPS not enforced, and a TLS 1.0 policy", async () => {
            const report = await evaluate(() => {
                new aws.elasticsearch.Domain("legacy", { encryptAtRest: { enabled: false }, nodeToNodeEncryption: { enabled: true }, domainEndpointOptions: { enforceHttps: true } });
                new aws.opensearch.Domain("http", { ...secure, domainEndpointOptions: { enforceHttps: false } });
                new aws.opensearch.Domain("tls10", { ...secure, domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } });
            }, { only: "opensearch-encryption" });
            expectViolations(report, "opensearch-encryption", [
                "legacy: encryptAtRest: not encrypted",
                "http: in transit: domainEndpointOptions.enforceHttps is false",
                "tls10: in transit: tlsSecurityPolicy Policy-Min-TLS-1-0-2019-07 accepts TLS 1.0: use a TLS 1.2 policy",
            ]);
        });

        it("evasion: HTTPS enforcement turned off with the string \"0\"", async () => {
            const report = await evaluate(() => {
                new aws.opensearch.Domain("zero", { ...secure, domainEndpointOptions: { enforceHttps: "0" as unknown as boolean } });
            }, { only: "opensearch-encryption" });
            expectViolations(report, "opensearch-encryption", ["zero: in transit: domainEndpointOptions.enforceHttps is false"]);
        });
    });

    describe("msk-encryption", () => {
        const broker = { brokerNodeGroupInfo: { clientSubnets: ["subnet-1", "subnet-2"], instanceType: "kafka.m7g.large", securityGroups: ["sg-1"] }, kafkaVersion: "3.8.x", numberOfBrokerNodes: 2 };
        it("passes TLS (the default) and serverless clusters; flags plaintext between clients and brokers", async () => {
            const report = await evaluate(() => {
                new aws.msk.Cluster("default", { clusterName: "a", ...broker, encryptionInfo: { encryptionAtRestKmsKeyArn: KEY } });
                new aws.msk.ServerlessCluster("serverless", { clusterName: "b", vpcConfigs: [{ subnetIds: ["subnet-1"] }], clientAuthentication: { sasl: { iam: { enabled: true } } } });
                new aws.msk.Cluster("plaintext", { clusterName: "c", ...broker, encryptionInfo: { encryptionInTransit: { clientBroker: "PLAINTEXT" } } });
            }, { only: "msk-encryption" });
            expectViolations(report, "msk-encryption", ['plaintext: in transit: clientBroker is "PLAINTEXT", so clients may connect without TLS: use "TLS"']);
        });

        it("evasion: TLS_PLAINTEXT still admits plaintext clients; brokers replicating in the clear", async () => {
            const report = await evaluate(() => {
                new aws.msk.Cluster("mixed", { clusterName: "d", ...broker, encryptionInfo: { encryptionAtRestKmsKeyArn: KEY, encryptionInTransit: { clientBroker: "TLS_PLAINTEXT", inCluster: false } } });
            }, { only: "msk-encryption" });
            expectViolations(report, "msk-encryption", [
                'mixed: in transit: clientBroker is "TLS_PLAINTEXT", so clients may connect without TLS: use "TLS"',
                "mixed: in transit: inCluster is false, so brokers replicate in the clear",
            ]);
        });

        it("evasion: brokers replicating in the clear with inCluster \"0\"", async () => {
            const report = await evaluate(() => {
                new aws.msk.Cluster("zero", { clusterName: "e", ...broker, encryptionInfo: { encryptionAtRestKmsKeyArn: KEY, encryptionInTransit: { clientBroker: "TLS", inCluster: "0" as unknown as boolean } } });
            }, { only: "msk-encryption" });
            expectViolations(report, "msk-encryption", ["zero: in transit: inCluster is false, so brokers replicate in the clear"]);
        });
    });

    describe("kinesis-encryption", () => {
        it("passes KMS streams and encrypted delivery streams; flags unencrypted ones", async () => {
            const report = await evaluate(() => {
                new aws.kinesis.Stream("good", { encryptionType: "KMS", kmsKeyId: KEY, shardCount: 1 });
                new aws.kinesis.Stream("plain", { shardCount: 1 });
                const s3 = { bucketArn: "arn:aws:s3:::b", roleArn: "arn:aws:iam::111122223333:role/f" };
                new aws.kinesis.FirehoseDeliveryStream("good-firehose", { destination: "extended_s3", extendedS3Configuration: s3, serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY } });
                new aws.kinesis.FirehoseDeliveryStream("plain-firehose", { destination: "extended_s3", extendedS3Configuration: s3 });
                // Fed by a stream, a delivery stream takes the stream's encryption.
                new aws.kinesis.FirehoseDeliveryStream("from-stream", { destination: "extended_s3", extendedS3Configuration: s3, kinesisSourceConfiguration: { kinesisStreamArn: "arn:aws:kinesis:eu-west-1:111122223333:stream/good", roleArn: s3.roleArn } });
            }, { only: "kinesis-encryption" });
            expectViolations(report, "kinesis-encryption", [
                'plain: the stream: not encrypted: set encryptionType: "KMS" and kmsKeyId',
                'plain-firehose: the delivery stream: not encrypted: set serverSideEncryption { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn }',
            ]);
        });

        it("evasion: a key named on a stream whose encryptionType stays NONE", async () => {
            const report = await evaluate(() => new aws.kinesis.Stream("key-only", { encryptionType: "NONE", kmsKeyId: KEY, shardCount: 1 }), { only: "kinesis-encryption" });
            expectViolations(report, "kinesis-encryption", ['key-only: the stream: not encrypted: set encryptionType: "KMS" and kmsKeyId']);
        });
    });
});
