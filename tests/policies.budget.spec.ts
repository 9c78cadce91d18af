import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import * as path from "node:path";
import { guardrails, PACK } from "../policy/policies";
import { evaluatePack } from "../plan/policy";
import { readPolicyConfigFile, resolvePolicyConfig } from "../plan/policyConfig";
import { evaluate, expectViolations, violations } from "./guardrails";
import { planStack, REPO } from "./harness";

const only = "environment-budget";
const withBudget = (budget: Record<string, number>, extra: Record<string, unknown> = {}) => ({ only, config: { [only]: { tier: "dev", budget, ...extra } } });
const NODE_ROLE = "arn:aws:iam::111122223333:role/node";

/** One On-Demand group of m7i.large: 0.11235 an hour each in eu-west-1, with a 20 GiB gp3 root at 0.088. */
const group = (name: string, sizes: { minSize: number; desiredSize: number; maxSize: number }) =>
    new aws.eks.NodeGroup(name, { clusterName: "c", nodeRoleArn: NODE_ROLE, subnetIds: ["subnet-a"], instanceTypes: ["m7i.large"], scalingConfig: sizes });

describe("the budget guardrail", () => {
    describe("environment-budget", () => {
        it("passes within the budget and fails over it, naming the figure, the prices' date and the largest items", async () => {
            const build = () => {
                new aws.eks.Cluster("c", { roleArn: "arn:aws:iam::111122223333:role/eks", version: "1.35", vpcConfig: { subnetIds: ["subnet-a"] } });
                group("web", { minSize: 1, desiredSize: 2, maxSize: 4 });
            };
            // Expected: 73 + 2 x (0.11235 x 730 + 1.76) = 240.55.
            expectViolations(await evaluate(build, withBudget({ expected: 241 })), only, []);
            expectViolations(await evaluate(build, withBudget({ expected: 240, floor: 200 })), only, [
                "(stack): the expected estimate is $240.55 a month (eu-west-1, prices of 2026-11-30, dev usage), over the budget of $240.00; largest items: web m7i.large On-Demand $164.03; c EKS control plane (standard support) $73.00; web node volumes (20 GiB gp3) $3.52",
            ]);
        });

        it("passes the repository's stacks on their own presets, and fails dev when its floor budget is cut", async () => {
            for (const stack of ["dev", "staging", "prod"]) {
                const plan = await planStack(stack);
                const file = path.join(REPO, "policy", "config", `${stack}.json`);
                const config = resolvePolicyConfig(readPolicyConfigFile(file), guardrails, file);
                const report = await evaluatePack({ name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies: guardrails.filter((p) => p.name === only) }, plan.resources, config);
                expect(violations(report, only), stack).to.deep.equal([]);
            }
            const dev = await planStack("dev");
            const cut = resolvePolicyConfig({ [only]: { tier: "dev", budget: { floor: 100 } } }, guardrails);
            const report = await evaluatePack({ name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies: guardrails.filter((p) => p.name === only) }, dev.resources, cut);
            const [message] = violations(report, only);
            expect(message).to.match(/^\(stack\): the floor estimate is \$149\.33 a month \(eu-west-1, prices of 2026-11-30, dev usage\), over the budget of \$100\.00; largest items: acme-dev EKS control plane \(standard support\) \$73\.00; acme-dev NAT gateway hours \$35\.04; /);
        });

        it("evasion: capacity declared another way (an Auto Scaling group through its template, a NodePool in ConfigGroup YAML) counts at its ceiling", async () => {
            const build = () => {
                const template = new aws.ec2.LaunchTemplate("big", { instanceType: "c7i.4xlarge" });
                new aws.autoscaling.Group("fleet", { minSize: 0, maxSize: 10, launchTemplate: { id: template.id, version: "1" }, vpcZoneIdentifiers: ["subnet-a"] });
                new k8s.yaml.v2.ConfigGroup("pools", {
                    yaml: "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: hidden\nspec:\n  limits:\n    cpu: '64'\n  template:\n    spec:\n      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }\n      requirements:\n        - { key: karpenter.k8s.aws/instance-family, operator: In, values: [c7i] }\n",
                });
            };
            expectViolations(await evaluate(build, withBudget({ floor: 1 })), only, []);
            const [message] = violations(await evaluate(build, withBudget({ ceiling: 1000 })), only);
            // c7i.4xlarge at 0.09576 x 8 an hour: 10 in the group, 4 within the pool's 64 vCPUs; the group's roots at 20 GiB.
            expect(message).to.equal(
                "(stack): the ceiling estimate is $7,846.94 a month (eu-west-1, prices of 2026-11-30, dev usage), over the budget of $1,000.00; largest items: fleet c7i.4xlarge On-Demand $5,592.38; pools hidden at its limits (On-Demand) $2,236.95; fleet node volumes (20 GiB gp3) $17.60",
            );
        });

        it("evasion: a patch that raises a pool's limits is priced at the pool's dearest reading, not skipped", async () => {
            const pool = (name: string, resource: string, cpu: string) =>
                new k8s.apiextensions.CustomResource(resource, {
                    apiVersion: "karpenter.sh/v1",
                    kind: "NodePool",
                    metadata: { name },
                    spec: { limits: { cpu }, template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" }, requirements: [{ key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m7i"] }] } } },
                });
            const small = await evaluate(() => pool("general", "general", "8"), withBudget({ ceiling: 500 }, { region: "eu-west-1" }));
            expectViolations(small, only, []);
            const raised = await evaluate(() => {
                pool("general", "general", "8");
                pool("general", "general-raised", "800");
            }, withBudget({ ceiling: 500 }, { region: "eu-west-1" }));
            // 800 vCPUs of m7i at 0.2247 / 4 a vCPU-hour; the smaller reading of the same pool is not added.
            expect(violations(raised, only)[0]).to.match(/^\(stack\): the ceiling estimate is \$32,806\.20 a month .* largest items: general-raised general at its limits \(On-Demand\) \$32,806\.20$/);
        });

        it("evasion: a cheap child cannot hide a dear group, warm pools and schedules raise the ceiling, and instance requirements beside a named type are not priced as that type", async () => {
            const tiny = () => new aws.ec2.LaunchTemplate("tiny", { instanceType: "t4g.nano" });
            // Two c7i.48xlarge at 0.09576 / 2 x 192 an hour, whatever sits below them.
            const decoy = await evaluate(() => {
                const big = new aws.eks.NodeGroup("big", { clusterName: "c", nodeRoleArn: NODE_ROLE, subnetIds: ["subnet-a"], instanceTypes: ["c7i.48xlarge"], scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 2 } });
                new aws.autoscaling.Group("decoy", { minSize: 0, maxSize: 0, launchTemplate: { id: tiny().id, version: "1" }, vpcZoneIdentifiers: ["subnet-a"] }, { parent: big });
            }, withBudget({ expected: 1000 }));
            expect(violations(decoy, only)[0]).to.match(/^\(stack\): the expected estimate is \$13,425\.24 a month .*largest items: big c7i\.48xlarge On-Demand \$13,421\.72;/);
            const warm = await evaluate(() => {
                const template = new aws.ec2.LaunchTemplate("dear", { instanceType: "c7i.48xlarge" });
                const group = new aws.autoscaling.Group("warm", { minSize: 0, maxSize: 1, warmPool: { poolState: "Running", minSize: 3 }, launchTemplate: { id: template.id, version: "1" }, vpcZoneIdentifiers: ["subnet-a"] });
                new aws.autoscaling.Schedule("burst", { autoscalingGroupName: group.name, scheduledActionName: "burst", minSize: 0, maxSize: 6, desiredCapacity: 6 });
            }, withBudget({ ceiling: 50_000 }));
            // c7i.48xlarge at 0.09576 / 2 x 192 an hour: the schedule's 6 plus the warm pool's 3, not the group's 1.
            expect(violations(warm, only)[0]).to.match(/^\(stack\): the ceiling estimate is \$60,413\.59 a month/);
            const requirements = await evaluate(() => {
                const template = new aws.ec2.LaunchTemplate("mixed", { instanceType: "t4g.nano" });
                new aws.autoscaling.Group("mixed", {
                    minSize: 10,
                    maxSize: 10,
                    mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: template.id, version: "1" }, overrides: [{ instanceType: "t4g.nano" }, { instanceRequirements: { vcpuCount: { min: 96 }, memoryMib: { min: 1 } } }] } },
                    vpcZoneIdentifiers: ["subnet-a"],
                });
            }, withBudget({ ceiling: 1e9 }));
            expectViolations(requirements, only, ["mixed: it cannot be priced, so the budget cannot be proven: it chooses instances by requirements, a family or a template the plan does not declare, so no type can be priced"]);
        });

        it("evasion: a pool naming families outside the catalogue, and capacity of kinds the estimate does not price (Cloud9, Beanstalk), are named", async () => {
            const report = await evaluate(() => {
                new k8s.apiextensions.CustomResource("wide", {
                    apiVersion: "karpenter.sh/v1",
                    kind: "NodePool",
                    metadata: { name: "wide" },
                    spec: { limits: { cpu: "1000" }, template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" }, requirements: [{ key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m7i", "u7i-12tb"] }] } } },
                });
                new aws.cloud9.EnvironmentEC2("ide", { instanceType: "m7i.large", imageId: "amazonlinux-2023-x86_64" });
            }, withBudget({ ceiling: 1e9 }, { region: "eu-west-1" }));
            expectViolations(report, only, [
                "wide: it cannot be priced, so the budget cannot be proven: its requirements allow family u7i-12tb, which envstack's instance catalogue does not price",
                "ide: it cannot be priced, so the budget cannot be proven: it may run 2 vCPUs (aws:cloud9/environmentEC2:EnvironmentEC2), which envstack's price table does not price yet, so their cost is not in the figures",
            ]);
        });

        it("evasion: a type it cannot price, or a region without prices, is reported rather than counted as zero", async () => {
            const unknownType = await evaluate(() => new aws.eks.NodeGroup("odd", { clusterName: "c", nodeRoleArn: NODE_ROLE, subnetIds: ["subnet-a"], instanceTypes: ["x2idn.16xlarge"], scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 1 } }), withBudget({ ceiling: 1e9 }));
            expectViolations(unknownType, only, ["odd: it cannot be priced, so the budget cannot be proven: no price for instance type(s) x2idn.16xlarge in eu-west-1; the table prices the instance catalogue's types"]);
            const elsewhere = await evaluate(() => {
                const mumbai = new aws.Provider("mumbai", { region: "ap-south-1" });
                new aws.kms.Key("k", { enableKeyRotation: true }, { provider: mumbai });
            }, withBudget({ ceiling: 1e9 }));
            expectViolations(elsewhere, only, ["(stack): the plan cannot be priced: no prices for region ap-south-1: envstack's price table has eu-west-1, us-east-1; add the region to cost/prices, with its source"]);
        });

        it("evasion: capacity or a data store of a kind the table does not price (a Spot fleet, an RDS instance) is named, not left out", async () => {
            const report = await evaluate(() => {
                new aws.ec2.SpotFleetRequest("fleet", { iamFleetRole: "arn:aws:iam::111122223333:role/fleet", targetCapacity: 50, launchSpecifications: [{ ami: "ami-1", instanceType: "c7i.48xlarge" }] });
                new aws.rds.Instance("orders", { instanceClass: "db.r7g.16xlarge", engine: "postgres", allocatedStorage: 100, storageEncrypted: true, username: "u", manageMasterUserPassword: true });
            }, withBudget({ ceiling: 1e9 }));
            expectViolations(report, only, [
                "fleet: it cannot be priced, so the budget cannot be proven: a Spot fleet bills, and envstack's price table does not price it yet, so its cost is not in the figures",
                "orders: it cannot be priced, so the budget cannot be proven: an RDS instance bills, and envstack's price table does not price it yet, so its cost is not in the figures",
            ]);
        });

        it("reports a config it cannot use, every problem at once", async () => {
            const report = await evaluate(() => group("web", { minSize: 1, desiredSize: 1, maxSize: 1 }), { only, config: { [only]: { tier: "dev", usage: { natGb: 5 }, prices: { "ec2.m7i.large": -1 } } } });
            const [message] = violations(report, only);
            expect(message).to.match(/^\(stack\): the budget's config is invalid: environment-budget\.usage\.natGb: not a usage assumption; .*; environment-budget\.prices\.ec2\.m7i\.large: -1 is not a price/);
        });
    });
});
