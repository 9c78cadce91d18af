import { expect } from "chai";
import { ConfigError, Environment, EnvironmentInput, Network, NetworkArgs } from "../components";
import { json, register, validInput } from "./harness";

const VPC = "awsx:ec2:Vpc";

async function environment(input: EnvironmentInput) {
    return register(() => new Environment(input.name as string, input));
}

describe("Network", () => {
    for (const [tier, strategy] of [["dev", "Single"], ["staging", "OnePerAz"], ["prod", "OnePerAz"]] as const) {
        it(`uses the ${strategy} NAT strategy in ${tier}, with explicit AZs and the configured CIDR`, async () => {
            const registered = await environment(validInput(tier));
            const vpc = registered.one(VPC);
            expect(vpc.remote).to.equal(true);
            expect(vpc.inputs.natGateways).to.deep.equal({ strategy });
            expect(vpc.inputs.availabilityZoneNames).to.deep.equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
            expect(vpc.inputs.cidrBlock).to.equal("10.40.0.0/16");
            expect(vpc.inputs.subnetStrategy).to.equal("Auto");
        });
    }

    it("tags public subnets for ELBs and private subnets for internal ELBs and Karpenter discovery", async () => {
        const vpc = (await environment(validInput("dev"))).one(VPC);
        const specs = vpc.inputs.subnetSpecs as { type: string; cidrMask: number; tags: Record<string, string> }[];
        const byType = Object.fromEntries(specs.map((s) => [s.type, s]));
        expect(Object.keys(byType)).to.deep.equal(["Private", "Public"]);
        expect(byType.Public.tags["kubernetes.io/role/elb"]).to.equal("1");
        expect(byType.Public.tags).not.to.have.property("karpenter.sh/discovery");
        expect(byType.Private.tags["kubernetes.io/role/internal-elb"]).to.equal("1");
        expect(byType.Private.tags["karpenter.sh/discovery"]).to.equal("acme-dev");
        expect(byType.Private.cidrMask).to.equal(19);
        expect(byType.Private.tags.environment).to.equal("acme-dev");
    });

    it("adds isolated subnets when asked (prod's profile does)", async () => {
        const specs = (await environment(validInput("prod"))).one(VPC).inputs.subnetSpecs as { type: string }[];
        expect(specs.map((s) => s.type)).to.deep.equal(["Private", "Public", "Isolated"]);
    });

    it("sends flow logs to a KMS-encrypted group with the tier's retention, through a least-privilege role", async () => {
        const registered = await environment(validInput("dev"));
        const key = registered.one("aws:kms/key:Key");
        const group = registered.one("aws:cloudwatch/logGroup:LogGroup", "acme-dev-flow-logs");
        expect(group.inputs.name).to.equal("/aws/vpc/acme-dev/flow-logs");
        expect(group.inputs.kmsKeyId).to.match(/^arn:aws:kms:eu-west-1:111122223333:key\//);
        expect(group.dependencies).to.include(key.urn);
        expect(group.inputs.retentionInDays).to.equal(7);

        const flowLog = registered.one("aws:ec2/flowLog:FlowLog");
        expect(flowLog.inputs.logDestinationType).to.equal("cloud-watch-logs");
        expect(flowLog.inputs.logDestination).to.equal("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/vpc/acme-dev/flow-logs");
        expect(flowLog.inputs.trafficType).to.equal("REJECT");
        expect(flowLog.inputs.vpcId).to.match(/^vpc-/);

        const role = registered.one("aws:iam/role:Role", "acme-dev-flow-logs");
        const trust = json(role.inputs.assumeRolePolicy).Statement[0];
        expect(trust.Principal).to.deep.equal({ Service: "vpc-flow-logs.amazonaws.com" });
        expect(trust.Condition.StringEquals["aws:SourceAccount"]).to.equal("111122223333");
        const policy = json(registered.one("aws:iam/rolePolicy:RolePolicy", "acme-dev-flow-logs").inputs.policy);
        expect(policy.Statement).to.have.length(1);
        expect(policy.Statement[0].Action).to.deep.equal(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
        expect(policy.Statement[0].Resource).to.deep.equal([flowLog.inputs.logDestination, `${flowLog.inputs.logDestination}:*`]);
    });

    it("keeps prod flow logs for a year and logs all traffic", async () => {
        const registered = await environment(validInput("prod"));
        expect(registered.one("aws:cloudwatch/logGroup:LogGroup", "acme-prod-flow-logs").inputs.retentionInDays).to.equal(365);
        expect(registered.one("aws:ec2/flowLog:FlowLog").inputs.trafficType).to.equal("ALL");
    });

    it("adds a free S3 gateway endpoint on every route table of the VPC", async () => {
        const registered = await environment(validInput("dev"));
        const endpoint = registered.one("aws:ec2/vpcEndpoint:VpcEndpoint");
        expect(endpoint.inputs.serviceName).to.equal("com.amazonaws.eu-west-1.s3");
        expect(endpoint.inputs.vpcEndpointType).to.equal("Gateway");
        // 3 AZs x (private + public) route tables, resolved from the VPC's outputs.
        expect(endpoint.inputs.routeTableIds).to.have.length(6);
        expect((endpoint.inputs.routeTableIds as string[]).every((id) => id.startsWith("rtb-"))).to.equal(true);
    });

    it("adopts an existing VPC: no new VPC, role tags on its subnets, the endpoint on its route tables", async () => {
        const input = validInput("dev");
        input.network = {
            ...input.network,
            existingVpc: {
                vpcId: "vpc-0a1b2c3d4e5f67890",
                publicSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b", "subnet-0000000000000000c"],
                privateSubnetIds: ["subnet-1000000000000000a", "subnet-1000000000000000b", "subnet-1000000000000000c"],
                routeTableIds: ["rtb-0000000000000000a"],
            },
        };
        const registered = await environment(input);
        expect(registered.ofType(VPC)).to.have.length(0);
        const tags = registered.ofType("aws:ec2/tag:Tag");
        const discovery = tags.filter((t) => t.inputs.key === "karpenter.sh/discovery" && String(t.inputs.resourceId).startsWith("subnet-"));
        expect(discovery.map((t) => t.inputs.resourceId)).to.deep.equal(input.network.existingVpc!.privateSubnetIds);
        expect(discovery.every((t) => t.inputs.value === "acme-dev")).to.equal(true);
        expect(tags.filter((t) => t.inputs.key === "kubernetes.io/role/elb")).to.have.length(3);
        expect(registered.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs.routeTableIds).to.deep.equal(["rtb-0000000000000000a"]);
        expect(registered.one("eks:index:Cluster").inputs.vpcId).to.equal("vpc-0a1b2c3d4e5f67890");
        expect(registered.one("aws:ec2/flowLog:FlowLog").inputs.vpcId).to.equal("vpc-0a1b2c3d4e5f67890");
    });

    it("used on its own, checks its arguments before registering anything", async () => {
        const args: NetworkArgs = {
            clusterName: "solo",
            region: "us-west-2",
            accountId: "111122223333",
            cidr: "10.1.0.0/22",
            availabilityZones: ["us-west-2a", "eu-west-1b"],
            natGateways: "Single",
            subnetMasks: { public: 24, private: 20, isolated: 24 },
            isolatedSubnets: false,
            flowLogs: { enabled: false, retentionInDays: 7, trafficType: "ALL" },
            kmsKeyArn: "arn:aws:kms:us-west-2:111122223333:key/0b3a6c1e-1f1e-4f8e-9a55-0c2d3e4f5a6b",
            tags: {},
        };
        let thrown: unknown;
        const registered = await register(() => {
            try {
                new Network("solo", args);
            } catch (err) {
                thrown = err;
            }
        });
        expect(thrown).to.be.instanceOf(ConfigError);
        expect((thrown as ConfigError).problems.map((p) => p.path)).to.deep.equal(["availabilityZones[1]", "cidr"]);
        expect(registered.all).to.deep.equal([]);
    });

    it("can be used on its own, with flow logs off", async () => {
        const registered = await register(
            () =>
                new Network("solo", {
                    clusterName: "solo",
                    region: "us-west-2",
                    accountId: "111122223333",
                    cidr: "10.1.0.0/16",
                    availabilityZones: ["us-west-2a", "us-west-2b"],
                    natGateways: "Single",
                    subnetMasks: { public: 24, private: 20, isolated: 24 },
                    isolatedSubnets: false,
                    flowLogs: { enabled: false, retentionInDays: 7, trafficType: "ALL" },
                    kmsKeyArn: "arn:aws:kms:us-west-2:111122223333:key/0b3a6c1e-1f1e-4f8e-9a55-0c2d3e4f5a6b",
                    tags: { environment: "solo" },
                }),
            { region: "us-west-2", accountId: "111122223333" },
        );
        expect(registered.ofType("aws:ec2/flowLog:FlowLog")).to.have.length(0);
        expect(registered.one(VPC).inputs.availabilityZoneNames).to.deep.equal(["us-west-2a", "us-west-2b"]);
        expect(registered.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs.serviceName).to.equal("com.amazonaws.us-west-2.s3");
    });
});
