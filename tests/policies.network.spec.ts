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
    describe("security-group-admin-ports", () => {
        const only = "security-group-admin-ports";

        it("passes groups that admit the internet on web ports only, or admin ports from a VPN range or another group", async () => {
            const report = await evaluate(() => {
                new aws.ec2.SecurityGroup("web", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }] });
                new aws.ec2.SecurityGroup("vpn-ssh", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["198.51.100.0/24", "10.0.0.0/8"] }] });
                const db = new aws.ec2.SecurityGroup("db", {});
                new aws.vpc.SecurityGroupIngressRule("db-from-app", { securityGroupId: db.id, referencedSecurityGroupId: "sg-0123456789abcdef0", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
                new aws.ec2.SecurityGroupRule("db-egress", { type: "egress", securityGroupId: db.id, protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] });
                new aws.ec2.SecurityGroup("ping", { ingress: [{ protocol: "icmp", fromPort: 22, toPort: -1, cidrBlocks: ["0.0.0.0/0"] }] });
            }, { only });
            expectViolations(report, only, []);
        });

        it("refuses inline rules, rule resources and ingress rules open to the internet on admin ports", async () => {
            const report = await evaluate(() => {
                new aws.ec2.SecurityGroup("bastion", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });
                const db = new aws.ec2.SecurityGroup("db", {});
                new aws.ec2.SecurityGroupRule("mysql", { type: "ingress", securityGroupId: db.id, protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: ["0.0.0.0/0"] });
                const cache = new aws.ec2.SecurityGroup("cache", {});
                new aws.vpc.SecurityGroupIngressRule("redis", { securityGroupId: cache.id, ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "0.0.0.0/0" });
            }, { only });
            expectViolations(report, only, [
                `bastion: port 22 admits the internet: 0.0.0.0/0 (${ALL_V4})`,
                `db: port 3306 admits the internet: 0.0.0.0/0 (${ALL_V4}) (rules mysql)`,
                `cache: port 6379 admits the internet: 0.0.0.0/0 (${ALL_V4}) (rules redis)`,
            ]);
        });

        it("evasion: 0.0.0.0/1 and 128.0.0.0/1 in two rule resources on port 22 add up to the internet", async () => {
            const report = await evaluate(() => {
                const sg = new aws.ec2.SecurityGroup("split", {});
                new aws.vpc.SecurityGroupIngressRule("low-half", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/1" });
                new aws.vpc.SecurityGroupIngressRule("high-half", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "128.0.0.0/1" });
            }, { only });
            expectViolations(report, only, [`split: port 22 admits the internet: 0.0.0.0/1, 128.0.0.0/1 (${ALL_V4}) (rules low-half, high-half)`]);
        });

        it("evasion: many small ranges, each under the threshold, are judged together", async () => {
            const slices = Array.from({ length: 32 }, (_, i) => `${i + 1}.0.0.0/8`);
            const report = await evaluate(() => {
                new aws.ec2.SecurityGroup("many", { ingress: slices.map((cidr) => ({ protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: [cidr] })) });
            }, { only, config: { [only]: { ports: [3389] } } });
            expectViolations(report, only, [`many: port 3389 admits the internet: ${[...slices].sort().join(", ")} (520,093,696 internet IPv4 addresses)`]);
        });

        it("evasion: a range 0-65535, protocol -1 and ::/0 on 3389 all open admin ports", async () => {
            const report = await evaluate(() => {
                new aws.ec2.SecurityGroup("all-ports", { ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }] });
                new aws.ec2.SecurityGroup("any-protocol", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
                const rdp = new aws.ec2.SecurityGroup("rdp", {});
                new aws.vpc.SecurityGroupIngressRule("rdp-v6", { securityGroupId: rdp.id, ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv6: "::/0" });
            }, { only, config: { [only]: { ports: [22, 3389] } } });
            expectViolations(report, only, [
                `all-ports: ports 22, 3389 admit the internet: 0.0.0.0/0 (${ALL_V4})`,
                `any-protocol: ports 22, 3389 admit the internet: 0.0.0.0/0 (${ALL_V4})`,
                "rdp: port 3389 admits the internet: ::/0 (an IPv6 range wider than a /48) (rules rdp-v6)",
            ]);
        });

        it("evasion: a prefix list the program fills with 0.0.0.0/0, a rule on a group made elsewhere, and Cloud Control groups", async () => {
            const report = await evaluate(() => {
                const list = new aws.ec2.ManagedPrefixList("everyone", { addressFamily: "IPv4", maxEntries: 2, entries: [{ cidr: "0.0.0.0/0" }] });
                new aws.ec2.SecurityGroup("listed", { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, prefixListIds: [list.id] }] });
                new aws.ec2.SecurityGroupRule("existing-group", { type: "ingress", securityGroupId: "sg-0aaaaaaaaaaaaaaaa", protocol: "tcp", fromPort: 27017, toPort: 27017, cidrBlocks: ["0.0.0.0/0"] });
                native("aws-native:ec2:SecurityGroup", "native", { groupDescription: "n", securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 9200, toPort: 9200, cidrIp: "0.0.0.0/0" }] });
                new aws.cloudcontrol.Resource("cfn-ingress", {
                    typeName: "AWS::EC2::SecurityGroupIngress",
                    desiredState: JSON.stringify({ GroupId: "sg-0bbbbbbbbbbbbbbbb", IpProtocol: "tcp", FromPort: 2379, ToPort: 2379, CidrIp: "0.0.0.0/0" }),
                });
            }, { only });
            expectViolations(report, only, [
                `listed: port 5432 admits the internet: 0.0.0.0/0 (${ALL_V4})`,
                `existing-group: port 27017 admits the internet: 0.0.0.0/0 (${ALL_V4}) (rules existing-group)`,
                `native: port 9200 admits the internet: 0.0.0.0/0 (${ALL_V4})`,
                `cfn-ingress: port 2379 admits the internet: 0.0.0.0/0 (${ALL_V4}) (rules cfn-ingress)`,
            ]);
        });

        it("takes its ports and address threshold from config", async () => {
            const build = () => new aws.ec2.SecurityGroup("office", { ingress: [{ protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["203.0.113.0/24"] }] });
            expectViolations(await evaluate(build, { only }), only, []);
            const strict = await evaluate(build, { only, config: { [only]: { ports: [8443], maxAddresses: 16 } } });
            expectViolations(strict, only, ["office: port 8443 admits the internet: 203.0.113.0/24 (256 internet IPv4 addresses)"]);
        });
    });

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

        it("evasion: IngressClassParams and LoadBalancerConfigurations set internet-facing for a class, Gateways' annotations, IngressGroups and TargetGroupBindings", async () => {
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
