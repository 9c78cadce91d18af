import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { evaluate, expectViolations } from "./guardrails";

const ALL_V4 = "3,702,390,784 internet IPv4 addresses";

/** A resource of a provider the tests do not install (aws-native), registered by its token. */
class Native extends pulumi.CustomResource {
    constructor(type: string, name: string, props: Record<string, unknown>) {
        super(type, name, props);
    }
}
const native = (type: string, name: string, props: Record<string, unknown>) => new Native(type, name, props);


describe("network exposure guardrails: security groups", () => {
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

        it("evasion: protocols spelled \"06\", \"-01\" or \"TCP\" are read as the provider reads them", async () => {
            const report = await evaluate(() => {
                new aws.ec2.SecurityGroup("zero-six", { ingress: [{ protocol: "06", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });
                const db = new aws.ec2.SecurityGroup("db", {});
                new aws.ec2.SecurityGroupRule("db-any", { type: "ingress", securityGroupId: db.id, protocol: "-01", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] });
                new aws.ec2.SecurityGroup("upper", { ingress: [{ protocol: "TCP", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }] });
                new aws.ec2.SecurityGroup("gre", { ingress: [{ protocol: "47", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
            }, { only, config: { [only]: { ports: [22, 5432] } } });
            expectViolations(report, only, [
                `zero-six: port 22 admits the internet: 0.0.0.0/0 (${ALL_V4})`,
                `db: ports 22, 5432 admit the internet: 0.0.0.0/0 (${ALL_V4}) (rules db-any)`,
                `upper: port 5432 admits the internet: 0.0.0.0/0 (${ALL_V4})`,
            ]);
        });

        it("evasion: a prefix list holding the internet inline, with a harmless entry resource added to it", async () => {
            const report = await evaluate(() => {
                const list = new aws.ec2.ManagedPrefixList("admins", { name: "admins", addressFamily: "IPv4", maxEntries: 5, entries: [{ cidr: "0.0.0.0/0" }] });
                new aws.ec2.ManagedPrefixListEntry("office", { prefixListId: list.id, cidr: "10.20.30.40/32" });
                new aws.ec2.SecurityGroup("bastion", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, prefixListIds: [list.id] }] });
                const vpn = new aws.ec2.ManagedPrefixList("vpn", { name: "vpn", addressFamily: "IPv4", maxEntries: 5 });
                new aws.ec2.ManagedPrefixListEntry("vpn-range", { prefixListId: vpn.id, cidr: "198.51.100.0/24" });
                new aws.ec2.SecurityGroup("vpn-ssh", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, prefixListIds: [vpn.id] }] });
            }, { only });
            expectViolations(report, only, [`bastion: port 22 admits the internet: 0.0.0.0/0, 10.20.30.40/32 (${ALL_V4})`]);
        });

        it("evasion: admin ports beyond the classic list: the Docker API, NFS, Kafka, Redshift and the Kubernetes API", async () => {
            const open = (fromPort: number, toPort = fromPort) => ({ protocol: "tcp", fromPort, toPort, cidrBlocks: ["0.0.0.0/0"] });
            const report = await evaluate(() => {
                new aws.ec2.SecurityGroup("builders", { ingress: [open(2375, 2376), open(2049), open(9092, 9098), open(5439), open(6443)] });
            }, { only });
            expectViolations(report, only, [`builders: ports 2049, 2375-2376, 5439, 6443, 9092-9098 admit the internet: 0.0.0.0/0 (${ALL_V4})`]);
        });

        it("evasion: an internet-facing load balancer forwarding SSH to targets whose group admits only the VPC", async () => {
            const vpcId = "vpc-0123456789abcdef0";
            const subnets = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];
            const report = await evaluate(() => {
                new aws.ec2.SecurityGroup("bastion", { vpcId, ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/16"] }] });
                const nlb = new aws.lb.LoadBalancer("edge", { loadBalancerType: "network", internal: false, subnets });
                const ssh = new aws.lb.TargetGroup("ssh", { port: 22, protocol: "TCP", vpcId, targetType: "ip", preserveClientIp: "false" });
                new aws.lb.Listener("ssh", { loadBalancerArn: nlb.arn, port: 22, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: ssh.arn }] });
                // A listener on a web port whose targets listen on a database port, by an attachment's port.
                const db = new aws.lb.TargetGroup("db", { port: 443, protocol: "TCP", vpcId, targetType: "ip" });
                new aws.lb.TargetGroupAttachment("db-target", { targetGroupArn: db.arn, targetId: "10.0.1.20", port: 5432 });
                new aws.lb.Listener("tls", { loadBalancerArn: nlb.arn, port: 443, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: db.arn }] });
                new aws.elb.LoadBalancer("classic", { subnets, listeners: [{ lbPort: 443, lbProtocol: "tcp", instancePort: 3389, instanceProtocol: "tcp" }] });
                // Internal load balancers, and web ports to web ports, pass.
                const inside = new aws.lb.LoadBalancer("inside", { loadBalancerType: "network", internal: "1" as unknown as boolean, subnets });
                new aws.lb.Listener("inside-ssh", { loadBalancerArn: inside.arn, port: 22, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: ssh.arn }] });
                const alb = new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets });
                const app = new aws.lb.TargetGroup("app", { port: 8443, protocol: "HTTPS", vpcId });
                new aws.lb.Listener("https", { loadBalancerArn: alb.arn, port: 443, protocol: "HTTPS", defaultActions: [{ type: "forward", targetGroupArn: app.arn }] });
            }, { only });
            expectViolations(report, only, [
                "ssh: port 22 reaches the internet through the internet-facing load balancer edge (listener port 22, target group ssh port 22)",
                "tls: port 5432 reaches the internet through the internet-facing load balancer edge (target group db port 5432)",
                "classic: port 3389 reaches the internet through the internet-facing load balancer classic (instance port 3389)",
            ]);
        });

        it("evasion: an ECS service registering a container's admin port in a web target group of an internet-facing load balancer", async () => {
            const vpcId = "vpc-0123456789abcdef0";
            const report = await evaluate(() => {
                const alb = new aws.lb.LoadBalancer("public", { loadBalancerType: "application", subnets: ["subnet-1", "subnet-2"] });
                const web = new aws.lb.TargetGroup("web", { port: 80, protocol: "HTTP", vpcId, targetType: "ip" });
                const listener = new aws.lb.Listener("http", { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }] });
                new aws.lb.ListenerRule("to-kibana", { listenerArn: listener.arn, conditions: [{ pathPattern: { values: ["/*"] } }], actions: [{ type: "forward", targetGroupArn: web.arn }] });
                new aws.ecs.Service("kibana", { cluster: "c", taskDefinition: "kibana:1", loadBalancers: [{ targetGroupArn: web.arn, containerName: "kibana", containerPort: 5601 }] });
            }, { only });
            expectViolations(report, only, ["to-kibana: port 5601 reaches the internet through the internet-facing load balancer public (target group web port 5601)"]);
        });

        it("evasion: Global Accelerator listening on an admin port, or mapping a web port to one on an internal load balancer", async () => {
            const report = await evaluate(() => {
                const accelerator = new aws.globalaccelerator.Accelerator("edge", { name: "edge", ipAddressType: "IPV4" });
                new aws.globalaccelerator.Listener("ssh", { acceleratorArn: accelerator.arn, protocol: "TCP", portRanges: [{ fromPort: 22, toPort: 22 }] });
                const web = new aws.globalaccelerator.Listener("web", { acceleratorArn: accelerator.arn, protocol: "TCP", portRanges: [{ fromPort: 443, toPort: 443 }] });
                new aws.globalaccelerator.EndpointGroup("to-db", {
                    listenerArn: web.arn,
                    portOverrides: [{ listenerPort: 443, endpointPort: 5432 }],
                    endpointConfigurations: [{ endpointId: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/internal/0123456789abcdef" }],
                });
            }, { only, config: { [only]: { ports: [22, 5432] } } });
            expectViolations(report, only, [
                "ssh: port 22 reaches the internet through Global Accelerator (listener port 22)",
                "to-db: port 5432 reaches the internet through Global Accelerator (endpoint port 5432)",
            ]);
        });

        it("evasion: a listener, listener rule or target attachment on a load balancer, listener or target group not declared in this program", async () => {
            const vpcId = "vpc-0123456789abcdef0";
            const report = await evaluate(() => {
                const shared = aws.lb.getLoadBalancerOutput({ name: "platform-public" });
                const es = new aws.lb.TargetGroup("es", { port: 9200, protocol: "HTTP", vpcId, targetType: "ip" });
                new aws.lb.Listener("es", { loadBalancerArn: shared.arn, port: 9200, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: es.arn }] });
                const docker = new aws.lb.TargetGroup("docker", { port: 2375, protocol: "HTTP", vpcId, targetType: "ip" });
                new aws.lb.ListenerRule("docker", { listenerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared/1/2", conditions: [{ hostHeader: { values: ["d.example.com"] } }], actions: [{ type: "forward", targetGroupArn: docker.arn }] });
                new aws.lb.TargetGroupAttachment("db", { targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shared/3", targetId: "10.0.1.25", port: 5432 });
                new aws.ecs.Service("kibana", { cluster: "c", taskDefinition: "kibana:1", loadBalancers: [{ targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shared/4", containerName: "k", containerPort: 5601 }] });
                // An internal load balancer declared here, and web ports on shared ones, pass.
                const internal = new aws.lb.LoadBalancer("internal", { internal: true, loadBalancerType: "network", subnets: ["subnet-1"] });
                new aws.lb.Listener("internal-db", { loadBalancerArn: internal.arn, port: 5432, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: es.arn }] });
                new aws.lb.TargetGroupAttachment("web", { targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shared/3", targetId: "10.0.1.26", port: 8443 });
            }, { only });
            const unknown = "not declared in this program, so whether it faces the internet cannot be known";
            expectViolations(report, only, [
                `es: port 9200 goes to a load balancer looked up (listener port 9200, target group es port 9200), ${unknown}`,
                `docker: port 2375 goes to the listener arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared/1/2 (target group docker port 2375), ${unknown}`,
                `db: port 5432 goes to the target group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shared/3 (target port 5432), ${unknown}`,
                `kibana: port 5601 goes to the target group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shared/4 (container port 5601), ${unknown}`,
            ]);
        });

        it("evasion: CloudFront VPC and custom origins and API Gateway VPC links reaching admin ports on internal load balancers", async () => {
            const vpcId = "vpc-0123456789abcdef0";
            const report = await evaluate(() => {
                const alb = new aws.lb.LoadBalancer("es", { internal: true, loadBalancerType: "application", subnets: ["subnet-1", "subnet-2"] });
                const origin = new aws.cloudfront.VpcOrigin("es", {
                    vpcOriginEndpointConfig: { name: "es", arn: alb.arn, httpPort: 9200, httpsPort: 443, originProtocolPolicy: "http-only", originSslProtocols: { items: ["TLSv1.2"], quantity: 1 } },
                });
                new aws.cloudfront.VpcOrigin("web", {
                    vpcOriginEndpointConfig: { name: "web", arn: alb.arn, httpPort: 5432, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: { items: ["TLSv1.2"], quantity: 1 } },
                });
                new aws.cloudfront.Distribution("cdn", {
                    enabled: true,
                    origins: [
                        { domainName: alb.dnsName, originId: "es", vpcOriginConfig: { vpcOriginId: origin.id } },
                        { domainName: "kibana.example.com", originId: "kibana", customOriginConfig: { httpPort: 80, httpsPort: 5601, originProtocolPolicy: "match-viewer", originSslProtocols: ["TLSv1.2"] } },
                    ],
                    defaultCacheBehavior: { targetOriginId: "es", viewerProtocolPolicy: "allow-all", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], forwardedValues: { queryString: true, cookies: { forward: "all" } } },
                    restrictions: { geoRestriction: { restrictionType: "none" } },
                    viewerCertificate: { cloudfrontDefaultCertificate: true },
                });
                const redis = new aws.lb.TargetGroup("redis", { port: 6379, protocol: "HTTP", vpcId, targetType: "ip" });
                const listener = new aws.lb.Listener("internal", { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: redis.arn }] });
                new aws.apigatewayv2.Integration("http-api", { apiId: "a1", integrationType: "HTTP_PROXY", integrationMethod: "ANY", connectionType: "VPC_LINK", connectionId: "vl-1", integrationUri: listener.arn });
                new aws.apigateway.Integration("rest-api", { restApi: "r1", resourceId: "x", httpMethod: "ANY", type: "HTTP_PROXY", integrationHttpMethod: "ANY", connectionType: "VPC_LINK", connectionId: "vl-2", uri: "http://internal-nlb.example.com:9092/{proxy}" });
                new aws.apigateway.Integration("rest-web", { restApi: "r1", resourceId: "y", httpMethod: "ANY", type: "HTTP_PROXY", integrationHttpMethod: "ANY", connectionType: "VPC_LINK", connectionId: "vl-2", uri: "https://internal-nlb.example.com/{proxy}" });
            }, { only });
            expectViolations(report, only, [
                "es: port 9200 reaches the internet through a CloudFront VPC origin (HTTP port 9200)",
                "cdn: port 5601 reaches the internet through CloudFront (HTTPS port 5601)",
                "http-api: port 6379 reaches the internet through an API Gateway VPC link (target group redis port 6379)",
                "rest-api: port 9092 reaches the internet through an API Gateway VPC link (integration port 9092)",
            ]);
        });

        it("evasion: Lightsail firewalls: InstancePublicPorts open to the internet, an instance left with SSH (RDP on Windows) open by default, Cloud Control ports", async () => {
            const report = await evaluate(() => {
                new aws.lightsail.Instance("vm", { name: "vm", availabilityZone: "eu-west-1a", blueprintId: "ubuntu_22_04", bundleId: "small_3_0" });
                new aws.lightsail.InstancePublicPorts("vm-ports", {
                    instanceName: "vm",
                    portInfos: [
                        { protocol: "tcp", fromPort: 22, toPort: 22, cidrs: ["10.0.0.0/8"] },
                        { protocol: "tcp", fromPort: 5432, toPort: 5432 },
                        { protocol: "tcp", fromPort: 443, toPort: 443, cidrs: ["0.0.0.0/0"] },
                    ],
                });
                new aws.lightsail.Instance("bare", { name: "bare", availabilityZone: "eu-west-1a", blueprintId: "ubuntu_22_04", bundleId: "small_3_0" });
                new aws.lightsail.Instance("win", { name: "win", availabilityZone: "eu-west-1a", blueprintId: "windows_server_2022", bundleId: "small_win_3_0" });
                new aws.lightsail.Instance("closed", { name: "closed", availabilityZone: "eu-west-1a", blueprintId: "ubuntu_22_04", bundleId: "small_3_0" });
                new aws.lightsail.InstancePublicPorts("closed-ports", { instanceName: "closed", portInfos: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrListAliases: ["lightsail-connect"] }] });
                native("aws-native:lightsail:Instance", "native-vm", { instanceName: "n", blueprintId: "ubuntu_22_04", bundleId: "small_3_0", networking: { ports: [{ protocol: "all", cidrs: ["0.0.0.0/0"] }] } });
            }, { only, config: { [only]: { ports: [22, 3389, 5432] } } });
            expectViolations(report, only, [
                `vm: port 5432 admits the internet: 0.0.0.0/0 (${ALL_V4}) (rules vm-ports)`,
                `bare: port 22 admits the internet: 0.0.0.0/0 (${ALL_V4})`,
                `win: port 3389 admits the internet: 0.0.0.0/0 (${ALL_V4})`,
                `native-vm: ports 22, 3389, 5432 admit the internet: 0.0.0.0/0 (${ALL_V4})`,
            ]);
        });

        it("evasion: an admin port admitting a prefix list the program does not declare, unless config trusts it", async () => {
            const build = () => {
                const sg = new aws.ec2.SecurityGroup("bastion", { vpcId: "vpc-0123456789abcdef0" });
                new aws.vpc.SecurityGroupIngressRule("ssh", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, prefixListId: "pl-0a1b2c3d4e5f60789" });
                new aws.vpc.SecurityGroupIngressRule("https", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-0fffffffffffffff0" });
                new aws.ec2.SecurityGroup("db", { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, prefixListIds: ["pl-0123"] }] });
            };
            expectViolations(await evaluate(build, { only }), only, [
                "bastion: port 22 admits the prefix list pl-0a1b2c3d4e5f60789 (rules ssh), not declared in this program, so whom it admits cannot be known: list it in trustedPrefixLists after review",
                "db: port 5432 admits the prefix list pl-0123, not declared in this program, so whom it admits cannot be known: list it in trustedPrefixLists after review",
            ]);
            expectViolations(await evaluate(build, { only, config: { [only]: { trustedPrefixLists: ["pl-0a1b2c3d4e5f60789", "pl-0123"] } } }), only, []);
        });

        it("takes its ports and address threshold from config", async () => {
            const build = () => new aws.ec2.SecurityGroup("office", { ingress: [{ protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["203.0.113.0/24"] }] });
            expectViolations(await evaluate(build, { only }), only, []);
            const strict = await evaluate(build, { only, config: { [only]: { ports: [8443], maxAddresses: 16 } } });
            expectViolations(strict, only, ["office: port 8443 admits the internet: 203.0.113.0/24 (256 internet IPv4 addresses)"]);
        });
    });
});
