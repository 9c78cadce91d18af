import { documentOf, flag, isOn } from "./flags";
import { Check, list, Props } from "./support";

/**
 * Databases and brokers that can be given a public address, and how each says so. Most take a
 * `publiclyAccessible` flag; MSK names a public access type and OpenSearch Serverless a network
 * policy. Strings the provider converts to booleans ("1", "True") count as the booleans they become.
 */

/** Resources whose `publiclyAccessible` gives them a public address, and what becomes public. */
const FLAGGED: Record<string, string> = {
    "aws:rds/instance:Instance": "the instance gets a public address",
    "aws:rds/clusterInstance:ClusterInstance": "the cluster instance gets a public address",
    "aws:rds/shardGroup:ShardGroup": "the shard group's endpoints get public addresses",
    "aws:neptune/clusterInstance:ClusterInstance": "the Neptune instance gets a public address",
    "aws:redshift/cluster:Cluster": "the Redshift cluster gets a public address",
    "aws:redshiftserverless/workgroup:Workgroup": "the Redshift Serverless workgroup is reachable from public networks",
    "aws:mq/broker:Broker": "the broker's endpoints and web console accept connections from outside its VPC",
    "aws:timestreaminfluxdb/dbInstance:DbInstance": "the InfluxDB instance gets a public address",
    "aws:timestreaminfluxdb/dbCluster:DbCluster": "the InfluxDB cluster gets public addresses",
    "aws:lightsail/database:Database": "the database accepts connections from outside Lightsail",
    "aws:m2/environment:Environment": "the applications deployed to the environment are reachable from the internet",
    "aws-native:rds:DBCluster": "the DB cluster gets public addresses",
    "aws-native:rds:DBShardGroup": "the shard group's endpoints get public addresses",
    "aws-native:redshift:Cluster": "the Redshift cluster gets a public address",
    "aws-native:redshiftserverless:Workgroup": "the Redshift Serverless workgroup is reachable from public networks",
    "aws-native:amazonmq:Broker": "the broker's endpoints and web console accept connections from outside its VPC",
    "aws-native:timestream:InfluxDBInstance": "the InfluxDB instance gets a public address",
    "aws-native:timestream:InfluxDBCluster": "the InfluxDB cluster gets public addresses",
    "aws-native:lightsail:Database": "the database accepts connections from outside Lightsail",
    "aws-native:m2:Environment": "the applications deployed to the environment are reachable from the internet",
};

/** Resources AWS makes public when `publiclyAccessible` is left out. */
const PUBLIC_BY_DEFAULT: Record<string, string> = {
    "aws:dms/replicationInstance:ReplicationInstance": "the replication instance (which holds both databases' credentials) gets a public address",
    "aws:dms/instanceProfile:InstanceProfile": "the migration instance profile gets a public address",
    "aws-native:dms:ReplicationInstance": "the replication instance (which holds both databases' credentials) gets a public address",
    "aws-native:dms:InstanceProfile": "the migration instance profile gets a public address",
};

const flagged = (what: string, field = "publiclyAccessible"): Check => (props, _args, report) => {
    if (isOn(props[field])) report(`${field} is ${JSON.stringify(props[field])}: ${what}`);
};

const PUBLIC_GRAPH = "the Neptune Analytics graph's endpoint resolves to a public address";

const publicByDefault = (what: string): Check => (props, _args, report) => {
    const value = flag(props.publiclyAccessible);
    if (value === false) return;
    report(value === true ? `publiclyAccessible is ${JSON.stringify(props.publiclyAccessible)}: ${what}` : `publiclyAccessible is not false (AWS's default is public): ${what}`);
};

/** MSK: a public access type other than DISABLED gives every broker a public address. */
const mskPublicAccess: Check = (props, _args, report) => {
    const type = props.brokerNodeGroupInfo?.connectivityInfo?.publicAccess?.type;
    if (type !== undefined && type !== null && String(type).trim().toUpperCase() !== "DISABLED") {
        report(`brokerNodeGroupInfo.connectivityInfo.publicAccess.type is ${JSON.stringify(type)}: every broker gets a public address; set "DISABLED"`);
    }
};

/** OpenSearch Serverless: a network policy rule with AllowFromPublic opens its collections and dashboards to the internet. */
const serverlessNetworkPolicy: Check = (props, _args, report) => {
    if (String(props.type ?? "").toLowerCase() !== "network") return;
    const open = list<Props>(documentOf(props.policy) as Props[]).filter((rule) => isOn(rule?.AllowFromPublic));
    const resources = [...new Set(open.flatMap((rule) => list<Props>(rule.Rules).flatMap((r) => list<string>(r?.Resource))))];
    if (open.length > 0) report(`the network policy sets AllowFromPublic: ${resources.length > 0 ? resources.join(", ") : "its collections"} ${resources.length === 1 ? "is" : "are"} reachable from the internet; name SourceVPCEs instead`);
};

/** The checks of rds-public-access, by type token (Cloud Control documents are read as aws-native tokens). */
export const PUBLIC_DATA_STORE_CHECKS: Record<string, Check> = {
    ...Object.fromEntries(Object.entries(FLAGGED).map(([type, what]) => [type, flagged(what)])),
    ...Object.fromEntries(Object.entries(PUBLIC_BY_DEFAULT).map(([type, what]) => [type, publicByDefault(what)])),
    "aws:neptunegraph/graph:Graph": flagged(PUBLIC_GRAPH, "publicConnectivity"),
    "aws-native:neptunegraph:Graph": flagged(PUBLIC_GRAPH, "publicConnectivity"),
    "aws:msk/cluster:Cluster": mskPublicAccess,
    "aws-native:msk:Cluster": mskPublicAccess,
    "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy": serverlessNetworkPolicy,
    "aws-native:opensearchserverless:SecurityPolicy": serverlessNetworkPolicy,
};
