import { expect } from "chai";
import { json, planStack } from "./harness";

const STACKS = {
    dev: { account: "111122223333", cluster: "acme-dev", nodeGroups: 2, nat: "Single", publicEndpoint: true, teams: ["payments", "analytics"] },
    staging: { account: "444455556666", cluster: "acme-staging", nodeGroups: 3, nat: "OnePerAz", publicEndpoint: true, teams: ["payments", "analytics"] },
    prod: { account: "777788889999", cluster: "acme-prod", nodeGroups: 3, nat: "OnePerAz", publicEndpoint: false, teams: [] },
} as const;

/** Types that take tags, each of which must carry the environment's tags. */
const TAGGED = [
    "aws:kms/key:Key",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:iam/role:Role",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:ec2/flowLog:FlowLog",
    "aws:eks/addon:Addon",
    "aws:eks/accessEntry:AccessEntry",
    "awsx:ec2:Vpc",
    "eks:index:Cluster",
    "eks:index:ManagedNodeGroup",
    "aws:sqs/queue:Queue",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:iam/policy:Policy",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
];

describe("the stack program, for each real Pulumi.<stack>.yaml", () => {
    for (const [stack, expected] of Object.entries(STACKS)) {
        describe(stack, () => {
            let plan: Awaited<ReturnType<typeof planStack>>;
            before(async () => {
                plan = await planStack(stack);
            });

            it("plans without errors and exports what a user needs", () => {
                expect(plan.failure).to.equal(undefined);
                expect(plan.outputs.clusterName).to.equal(expected.cluster);
                expect(plan.outputs.endpoint).to.match(/^https:\/\/.+\.eks\.amazonaws\.com$/);
                expect(plan.outputs.kubeconfig).to.equal("[secret]");
                expect(plan.outputs.vpcId).to.match(/^vpc-/);
                expect(plan.outputs.privateSubnetIds).to.have.length(3);
                expect(plan.outputs.publicSubnetIds).to.have.length(3);
                expect(plan.outputs.kmsKeyArn).to.match(new RegExp(`^arn:aws:kms:eu-west-1:${expected.account}:key/`));
            });

            it("pins every AWS resource to a provider that refuses any other account", () => {
                const provider = plan.registered.one("pulumi:providers:aws");
                // Providers receive structured config as JSON, as the engine passes it.
                expect(json(provider.inputs.allowedAccountIds)).to.deep.equal([expected.account]);
                expect(provider.inputs.region).to.equal("eu-west-1");
                const aws = plan.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
                expect(aws.length).to.be.greaterThan(10);
                for (const r of aws) expect(r.provider?.startsWith(`${provider.urn}::`), r.urn).to.equal(true);
            });

            it("builds the tier's network and cluster from the stack file", () => {
                const r = plan.registered;
                expect(r.one("awsx:ec2:Vpc").inputs.natGateways).to.deep.equal({ strategy: expected.nat });
                expect(r.one("eks:index:Cluster").inputs.endpointPublicAccess).to.equal(expected.publicEndpoint);
                expect(r.ofType("eks:index:ManagedNodeGroup")).to.have.length(expected.nodeGroups);
                expect(r.ofType("aws:eks/addon:Addon").map((a) => a.inputs.addonName).sort()).to.deep.equal(["amazon-cloudwatch-observability", "aws-ebs-csi-driver", "aws-efs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
                expect(r.one("aws:kms/key:Key").protect).to.equal(stack === "prod");
            });

            it("builds the stack file's example teams, each with a quota and limits", () => {
                const r = plan.registered;
                const teams = r.ofType("kubernetes:core/v1:Namespace").filter((n) => (n.inputs as any).metadata.labels["envstack.io/team"]);
                expect(teams.map((n) => (n.inputs as any).metadata.name)).to.deep.equal(expected.teams);
                for (const team of expected.teams) {
                    const inNamespace = (type: string) => r.ofType(type).filter((x) => (x.inputs as any).metadata.namespace === team);
                    expect(inNamespace("kubernetes:core/v1:ResourceQuota"), team).to.have.length(1);
                    expect(inNamespace("kubernetes:core/v1:LimitRange"), team).to.have.length(1);
                }
            });

            it("tags every taggable resource with environment, owner and managed-by", () => {
                for (const type of TAGGED) {
                    const found = plan.registered.ofType(type);
                    expect(found.length, type).to.be.greaterThan(0);
                    for (const r of found) {
                        expect(r.inputs.tags, r.urn).to.include({ environment: expected.cluster, owner: "platform-team", "managed-by": "envstack" });
                    }
                }
            });
        });
    }
});
