import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { evaluate, expectViolations } from "./guardrails";

const roleArn = "arn:aws:iam::111122223333:role/eks";
const vpcConfig = { subnetIds: ["subnet-1", "subnet-2"] };
const ALL_V4 = "3,702,390,784 internet IPv4 addresses";
const INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";
const SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";

/** A resource of a provider the tests do not install (aws-native), registered by its token. */
class Native extends pulumi.CustomResource {
    constructor(type: string, name: string, props: Record<string, unknown>) {
        super(type, name, props);
    }
}
const native = (type: string, name: string, props: Record<string, unknown>) => new Native(type, name, props);

function loadBalancer(name: string, annotations: Record<string, string> | undefined, namespace = "shop") {
    return new k8s.core.v1.Service(name, { metadata: { name, namespace, annotations }, spec: { type: "LoadBalancer", ports: [{ port: 443 }], selector: { app: name } } });
}

describe("network exposure guardrails", () => {
    describe("rds-public-access", () => {
        const only = "rds-public-access";

        it("refuses publicly accessible instances and cluster instances; private ones and the provider default pass", async () => {
            const report = await evaluate(() => {
                new aws.rds.Instance("private", { instanceClass: "db.t4g.micro", engine: "postgres", allocatedStorage: 20, publiclyAccessible: false });
                new aws.rds.Instance("default", { instanceClass: "db.t4g.micro", engine: "postgres", allocatedStorage: 20 });
                new aws.rds.Instance("public", { instanceClass: "db.t4g.micro", engine: "postgres", allocatedStorage: 20, publiclyAccessible: true });
                new aws.rds.ClusterInstance("aurora-1", { clusterIdentifier: "aurora", instanceClass: "db.r7g.large", engine: "aurora-postgresql", publiclyAccessible: true });
            }, { only });
            expectViolations(report, only, [
                "public: publiclyAccessible is true: the instance gets a public address",
                "aurora-1: publiclyAccessible is true: the cluster instance gets a public address",
            ]);
        });

        it("evasion: a Cloud Control DB instance without a subnet group is public by AWS's default", async () => {
            const report = await evaluate(() => {
                new aws.cloudcontrol.Resource("cfn-db", { typeName: "AWS::RDS::DBInstance", desiredState: JSON.stringify({ DBInstanceClass: "db.t4g.micro", Engine: "mysql", AllocatedStorage: "20" }) });
                new aws.cloudcontrol.Resource("cfn-private", { typeName: "AWS::RDS::DBInstance", desiredState: JSON.stringify({ DBInstanceClass: "db.t4g.micro", Engine: "mysql", DBSubnetGroupName: "private" }) });
                native("aws-native:rds:DBInstance", "native-public", { dbInstanceClass: "db.t4g.micro", publiclyAccessible: true, dbSubnetGroupName: "private" });
                native("aws-native:rds:DBCluster", "native-cluster", { engine: "postgres", publiclyAccessible: true });
            }, { only });
            expectViolations(report, only, [
                "cfn-db: publiclyAccessible is not set and there is no dbSubnetGroupName: AWS places the instance in the default VPC, publicly accessible",
                "native-public: publiclyAccessible is true: the instance gets a public address",
                "native-cluster: publiclyAccessible is true: the DB cluster gets public addresses",
            ]);
        });
        it("evasion: publiclyAccessible as the strings \"1\" and \"true\", which the provider reads as true", async () => {
            const report = await evaluate(() => {
                new aws.rds.Instance("one", { instanceClass: "db.t4g.micro", engine: "postgres", allocatedStorage: 20, publiclyAccessible: "1" as unknown as boolean });
                new aws.rds.ClusterInstance("true-string", { clusterIdentifier: "c", instanceClass: "db.r6g.large", engine: "aurora-postgresql", publiclyAccessible: "True" as unknown as boolean });
                new aws.rds.Instance("zero", { instanceClass: "db.t4g.micro", engine: "postgres", allocatedStorage: 20, publiclyAccessible: "0" as unknown as boolean });
            }, { only });
            expectViolations(report, only, [
                'one: publiclyAccessible is "1": the instance gets a public address',
                'true-string: publiclyAccessible is "True": the cluster instance gets a public address',
            ]);
        });

        it("evasion: Redshift, Neptune, shard groups, Amazon MQ and Timestream for InfluxDB made public; DMS by default", async () => {
            const report = await evaluate(() => {
                new aws.redshift.Cluster("warehouse", { clusterIdentifier: "w", nodeType: "ra3.large", publiclyAccessible: true });
                new aws.redshiftserverless.Workgroup("serverless", { namespaceName: "n", workgroupName: "w", publiclyAccessible: true });
                new aws.neptune.ClusterInstance("graph-1", { clusterIdentifier: "g", instanceClass: "db.r6g.large", publiclyAccessible: true });
                new aws.neptunegraph.Graph("analytics", { provisionedMemory: 16, publicConnectivity: true });
                new aws.rds.ShardGroup("shards", { dbClusterIdentifier: "limitless", dbShardGroupIdentifier: "shards", maxAcu: 768, publiclyAccessible: true });
                new aws.mq.Broker("bus", { brokerName: "bus", engineType: "ActiveMQ", engineVersion: "5.18", hostInstanceType: "mq.m5.large", publiclyAccessible: true, users: [{ username: "admin", password: "not-a-password-1" }] });
                new aws.timestreaminfluxdb.DbInstance("metrics", { allocatedStorage: 20, bucket: "b", dbInstanceType: "db.influx.medium", organization: "o", username: "u", password: "not-a-password-1", vpcSecurityGroupIds: ["sg-1"], vpcSubnetIds: ["subnet-1"], publiclyAccessible: true });
                new aws.dms.ReplicationInstance("migrate", { replicationInstanceClass: "dms.t3.micro", replicationInstanceId: "m" });
                new aws.dms.ReplicationInstance("migrate-private", { replicationInstanceClass: "dms.t3.micro", replicationInstanceId: "p", publiclyAccessible: false });
                new aws.mq.Broker("private-bus", { brokerName: "p", engineType: "ActiveMQ", engineVersion: "5.18", hostInstanceType: "mq.m5.large", users: [{ username: "admin", password: "not-a-password-1" }] });
            }, { only });
            expectViolations(report, only, [
                "warehouse: publiclyAccessible is true: the Redshift cluster gets a public address",
                "serverless: publiclyAccessible is true: the Redshift Serverless workgroup is reachable from public networks",
                "graph-1: publiclyAccessible is true: the Neptune instance gets a public address",
                "analytics: publicConnectivity is true: the Neptune Analytics graph's endpoint resolves to a public address",
                "shards: publiclyAccessible is true: the shard group's endpoints get public addresses",
                "bus: publiclyAccessible is true: the broker's endpoints and web console accept connections from outside its VPC",
                "metrics: publiclyAccessible is true: the InfluxDB instance gets a public address",
                "migrate: publiclyAccessible is not false (AWS's default is public): the replication instance (which holds both databases' credentials) gets a public address",
            ]);
        });

        it("evasion: MSK brokers with public addresses, and an OpenSearch Serverless network policy allowing the public", async () => {
            const brokerNodeGroupInfo = { instanceType: "kafka.m5.large", clientSubnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"] };
            const rules = [{ ResourceType: "collection", Resource: ["collection/logs"] }];
            const report = await evaluate(() => {
                new aws.msk.Cluster("events", { kafkaVersion: "3.6.0", numberOfBrokerNodes: 2, brokerNodeGroupInfo: { ...brokerNodeGroupInfo, connectivityInfo: { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } } } });
                new aws.msk.Cluster("private-events", { kafkaVersion: "3.6.0", numberOfBrokerNodes: 2, brokerNodeGroupInfo: { ...brokerNodeGroupInfo, connectivityInfo: { publicAccess: { type: "DISABLED" } } } });
                new aws.opensearch.ServerlessSecurityPolicy("logs-public", { name: "logs-public", type: "network", policy: JSON.stringify([{ Rules: rules, AllowFromPublic: "true" }]) });
                new aws.opensearch.ServerlessSecurityPolicy("logs-vpc", { name: "logs-vpc", type: "network", policy: JSON.stringify([{ Rules: rules, AllowFromPublic: false, SourceVPCEs: ["vpce-1"] }]) });
            }, { only });
            expectViolations(report, only, [
                'events: brokerNodeGroupInfo.connectivityInfo.publicAccess.type is "SERVICE_PROVIDED_EIPS": every broker gets a public address; set "DISABLED"',
                "logs-public: the network policy sets AllowFromPublic: collection/logs is reachable from the internet; name SourceVPCEs instead",
            ]);
        });
    });

    describe("eks-public-endpoint", () => {
        const only = "eks-public-endpoint";
        const build = () => {
            new eks.Cluster("private", { endpointPublicAccess: false, skipDefaultNodeGroup: true });
            new eks.Cluster("vpn-only", { endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.10/32", "203.0.113.0/24"], skipDefaultNodeGroup: true });
            new eks.Cluster("defaults", { skipDefaultNodeGroup: true });
            new aws.eks.Cluster("open", { roleArn, vpcConfig: { ...vpcConfig, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } });
            new aws.eks.Cluster("plain-default", { roleArn, vpcConfig });
        };

        it("refuses an endpoint open to the internet (the default) unless config allows it", async () => {
            expectViolations(await evaluate(build, { only }), only, [
                `defaults: the public endpoint is open to the internet: 0.0.0.0/0 (the default) (${ALL_V4})`,
                `open: the public endpoint is open to the internet: 0.0.0.0/0 (${ALL_V4})`,
                `plain-default: the public endpoint is open to the internet: 0.0.0.0/0 (the default) (${ALL_V4})`,
            ]);
            expectViolations(await evaluate(build, { only, config: { [only]: { allowOpenToInternet: true } } }), only, []);
        });

        it("evasion: 0.0.0.0/1 plus 128.0.0.0/1, many /8s, ::/0 and a Cloud Control cluster are public too", async () => {
            const eighths = Array.from({ length: 8 }, (_, i) => `${i * 32}.0.0.0/3`);
            const report = await evaluate(() => {
                new eks.Cluster("halves", { publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"], skipDefaultNodeGroup: true });
                new aws.eks.Cluster("slices", { roleArn, vpcConfig: { ...vpcConfig, publicAccessCidrs: eighths.slice(1, 4) } });
                new aws.eks.Cluster("v6", { roleArn, vpcConfig: { ...vpcConfig, endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.10/32", "::/0"] } });
                new aws.cloudcontrol.Resource("cfn-cluster", { typeName: "AWS::EKS::Cluster", desiredState: JSON.stringify({ Name: "c", RoleArn: roleArn, ResourcesVpcConfig: { SubnetIds: ["subnet-1"] } }) });
            }, { only });
            expectViolations(report, only, [
                `halves: the public endpoint is open to the internet: 0.0.0.0/1, 128.0.0.0/1 (${ALL_V4})`,
                "slices: the public endpoint is open to the internet: 32.0.0.0/3, 64.0.0.0/3, 96.0.0.0/3 (1,589,641,216 internet IPv4 addresses)",
                "v6: the public endpoint is open to the internet: 198.51.100.10/32, ::/0 (1 internet IPv4 address, an IPv6 range wider than a /48)",
                `cfn-cluster: the public endpoint is open to the internet: 0.0.0.0/0 (the default) (${ALL_V4})`,
            ]);
        });
    });

    describe("internal-load-balancers", () => {
        const only = "internal-load-balancers";

        it("passes internal load balancers and other Service types; refuses LoadBalancers without the internal annotation", async () => {
            const report = await evaluate(() => {
                loadBalancer("internal", { [INTERNAL]: "true" });
                loadBalancer("internal-both", { [INTERNAL]: "true", [SCHEME]: "internal" });
                new k8s.core.v1.Service("cluster-ip", { metadata: { name: "cluster-ip", namespace: "shop" }, spec: { ports: [{ port: 80 }] } });
                loadBalancer("bare", undefined);
                loadBalancer("public-scheme", { [INTERNAL]: "true", [SCHEME]: "internet-facing" });
            }, { only });
            expectViolations(report, only, [
                `bare: Service shop/bare is a LoadBalancer that would face the internet: set ${INTERNAL}: "true" (and ${SCHEME}, if set, to internal)`,
                `public-scheme: Service shop/public-scheme is a LoadBalancer that would face the internet: set ${INTERNAL}: "true" (and ${SCHEME}, if set, to internal)`,
            ]);
        });

        it("evasion: only the scheme annotation internal leaves the in-tree controller internet-facing; a ConfigGroup, a patch and an Ingress are read too", async () => {
            const report = await evaluate(() => {
                loadBalancer("scheme-only", { [SCHEME]: "internal" });
                loadBalancer("internal-false", { [INTERNAL]: "false" });
                new k8s.yaml.v2.ConfigGroup("bundle", {
                    yaml: `apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  type: LoadBalancer\n  ports: [{ port: 443 }]\n`,
                });
                new k8s.core.v1.ServicePatch("flip", { metadata: { name: "web", namespace: "shop", annotations: { [SCHEME]: "internet-facing" } } });
                new k8s.networking.v1.Ingress("alb", {
                    metadata: { name: "alb", namespace: "shop", annotations: { "alb.ingress.kubernetes.io/scheme": "internet-facing" } },
                    spec: { rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }] },
                });
            }, { only });
            const why = `would face the internet: set ${INTERNAL}: "true" (and ${SCHEME}, if set, to internal)`;
            expectViolations(report, only, [
                `scheme-only: Service shop/scheme-only is a LoadBalancer that ${why}`,
                `internal-false: Service shop/internal-false is a LoadBalancer that ${why}`,
                `bundle: Service shop/api (in a ConfigGroup) is a LoadBalancer that ${why}`,
                "flip: Service shop/web (a patch) sets annotations that make a LoadBalancer Service face the internet",
                "alb: Ingress shop/alb asks the ALB controller for an internet-facing load balancer (alb.ingress.kubernetes.io/scheme: internet-facing)",
            ]);
        });

        it("evasion: IngressClassParams and LoadBalancerConfigurations set internet-facing for a class, Gateways' annotations (infrastructure or their own metadata), IngressGroups and TargetGroupBindings", async () => {
            const build = () => {
                const custom = (name: string, apiVersion: string, kind: string, metadata: object, spec: object) => new k8s.apiextensions.CustomResource(name, { apiVersion, kind, metadata, spec });
                custom("public-params", "elbv2.k8s.aws/v1beta1", "IngressClassParams", { name: "public" }, { scheme: "internet-facing" });
                custom("edge-params", "elbv2.k8s.aws/v1beta1", "IngressClassParams", { name: "edge" }, { scheme: "internet-facing", namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "edge" } } });
                custom("grouped-params", "elbv2.k8s.aws/v1beta1", "IngressClassParams", { name: "grouped" }, { group: { name: "shared" } });
                custom("internal-params", "elbv2.k8s.aws/v1beta1", "IngressClassParams", { name: "internal" }, { scheme: "internal", group: { name: "shared" } });
                custom("lbconf", "gateway.k8s.aws/v1beta1", "LoadBalancerConfiguration", { name: "public", namespace: "shop" }, { scheme: "internet-facing" });
                custom("gw", "gateway.networking.k8s.io/v1", "Gateway", { name: "gw", namespace: "shop" }, {
                    gatewayClassName: "istio",
                    infrastructure: { annotations: { [SCHEME]: "internet-facing" } },
                    listeners: [{ name: "http", protocol: "HTTP", port: 80 }],
                });
                custom("gw-meta", "gateway.networking.k8s.io/v1", "Gateway", { name: "gw-meta", namespace: "shop", annotations: { [SCHEME]: "internet-facing" } }, {
                    gatewayClassName: "istio",
                    listeners: [{ name: "http", protocol: "HTTP", port: 80 }],
                });
                custom("tgb", "elbv2.k8s.aws/v1beta1", "TargetGroupBinding", { name: "web", namespace: "shop" }, {
                    serviceRef: { name: "web", port: 80 },
                    targetGroupARN: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/public-web/0123456789abcdef",
                });
                const ingress = (name: string, annotations: Record<string, string>) =>
                    new k8s.networking.v1.Ingress(name, {
                        metadata: { name, namespace: "shop", annotations },
                        spec: { ingressClassName: "alb", rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: name, port: { number: 80 } } } }] } }] },
                    });
                ingress("joins", { "alb.ingress.kubernetes.io/group.name": "public-edge" });
                ingress("joins-internal", { "alb.ingress.kubernetes.io/group.name": "public-edge", "alb.ingress.kubernetes.io/scheme": "internal" });
            };
            expectViolations(await evaluate(build, { only, config: { [only]: { publicNamespaces: ["edge"] } } }), only, [
                "public-params: IngressClassParams public makes every Ingress of its class internet-facing (spec.scheme: internet-facing)",
                "grouped-params: IngressClassParams grouped puts its Ingresses in IngressGroup shared, whose load balancer any member may make internet-facing: set spec.scheme to internal",
                "lbconf: LoadBalancerConfiguration shop/public makes the Gateways that use it internet-facing (spec.scheme: internet-facing)",
                "gw: Gateway shop/gw passes annotations to its load balancer that make it face the internet (spec.infrastructure.annotations)",
                "gw-meta: Gateway shop/gw-meta passes annotations to its load balancer that make it face the internet (metadata.annotations)",
                "tgb: TargetGroupBinding shop/web puts pods behind target group arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/public-web/0123456789abcdef of a load balancer the cluster does not make, whose scheme cannot be judged here: expose them through an internal Service or Ingress, or list the namespace in publicNamespaces after review",
                "joins: Ingress shop/joins joins IngressGroup public-edge, whose load balancer another member may make internet-facing: set alb.ingress.kubernetes.io/scheme: internal",
            ]);
            expectViolations(await evaluate(build, { only, config: { [only]: { publicNamespaces: ["edge", "shop"] } } }), only, [
                "public-params: IngressClassParams public makes every Ingress of its class internet-facing (spec.scheme: internet-facing)",
                "grouped-params: IngressClassParams grouped puts its Ingresses in IngressGroup shared, whose load balancer any member may make internet-facing: set spec.scheme to internal",
            ]);
        });

        it("lets the namespaces config names face the internet", async () => {
            const build = () => {
                loadBalancer("storefront", undefined, "edge");
                loadBalancer("admin", undefined, "shop");
            };
            const report = await evaluate(build, { only, config: { [only]: { publicNamespaces: ["edge"] } } });
            expectViolations(report, only, [`admin: Service shop/admin is a LoadBalancer that would face the internet: set ${INTERNAL}: "true" (and ${SCHEME}, if set, to internal)`]);
        });
    });
});
