import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { evaluatePack } from "../plan/policy";
import { resolvePolicyConfig } from "../plan/policyConfig";
import { PolicyResource, unknownCheckingProxy } from "@pulumi/policy";
import { environmentVcpuCeiling, GuardrailStackPolicy, guardrails, PACK, securityGroupAdminPorts } from "../policy/policies";
import { RealAnalyzer } from "./analyzer";
import { evaluate, expectViolations } from "./guardrails";
import { register } from "./harness";
import { otherCapacity } from "./otherCapacity";

class Native extends pulumi.CustomResource {
    constructor(type: string, name: string, props: Record<string, unknown>) {
        super(type, name, props);
    }
}

const lt = { id: "lt-0123456789abcdef0", version: "1" };
const ami = "ami-0123456789abcdef0";
const roleArn = "arn:aws:iam::111122223333:role/nodes";
const scaling = (maxSize: number) => ({ minSize: 0, maxSize, desiredSize: 0 });

function nodePool(name: string, limits?: Record<string, string>, apiVersion = "karpenter.sh/v1") {
    return new k8s.apiextensions.CustomResource(name, {
        apiVersion,
        kind: "NodePool",
        metadata: { name },
        spec: { template: { spec: { requirements: [{ key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["m"] }] } }, ...(limits ? { limits } : {}) },
    });
}

const POOL_YAML = (name: string, limits = "") =>
    `apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      requirements: [{ key: karpenter.k8s.aws/instance-category, operator: In, values: [m] }]\n${limits}`;

describe("capacity guardrails", () => {
    describe("node-group-max-size", () => {
        const only = "node-group-max-size";

        it("passes groups within maxNodes and refuses larger managed, plain and Auto Scaling groups", async () => {
            const report = await evaluate(() => {
                new eks.ManagedNodeGroup("small", { cluster: {} as never, launchTemplate: lt, scalingConfig: scaling(5) });
                new aws.autoscaling.Group("asg", { maxSize: 21, minSize: 0, launchTemplate: lt });
            }, { only });
            expectViolations(report, only, ["asg: maxSize is 21; at most 20 is allowed here"]);
        });

        it("evasion: a warm pool, a separate warm pool and a scheduled action raise a group beyond maxNodes", async () => {
            const report = await evaluate(() => {
                new aws.autoscaling.Group("warm", { maxSize: 2, minSize: 0, launchTemplate: lt, warmPool: { poolState: "Running", minSize: 500, maxGroupPreparedCapacity: 500 } });
                const group = new aws.autoscaling.Group("scheduled", { maxSize: 2, minSize: 0, launchTemplate: lt });
                new aws.autoscaling.Schedule("burst", { autoscalingGroupName: group.name, scheduledActionName: "burst", minSize: 500, maxSize: 500, desiredCapacity: 500, recurrence: "0 * * * *" });
                new Native("aws-native:autoscaling:WarmPool", "native-warm", { autoScalingGroupName: "legacy", minSize: 50 });
            }, { only });
            expectViolations(report, only, [
                "warm: maxSize 2 and its warm pool come to 502 instances; at most 20 is allowed here",
                "burst: the scheduled action sizes its group to 500; at most 20 is allowed here",
                "native-warm: the warm pool keeps up to 50 instances; at most 20 is allowed here",
            ]);
        });

        it("evasion: @pulumi/eks self-managed groups, a default node group and a Cloud Control group with its size as a string", async () => {
            const report = await evaluate(() => {
                new eks.NodeGroupV2("self-managed", { cluster: {} as never, instanceType: "m7i.large", maxSize: 50 });
                new eks.Cluster("default-group", { maxSize: 30 });
                new aws.cloudcontrol.Resource("cfn-asg", { typeName: "AWS::AutoScaling::AutoScalingGroup", desiredState: JSON.stringify({ MaxSize: "60", MinSize: "0" }) });
            }, { only });
            expectViolations(report, only, [
                "self-managed: maxSize is 50; at most 20 is allowed here",
                "default-group: maxSize is 30; at most 20 is allowed here",
                "cfn-asg: maxSize is 60; at most 20 is allowed here",
            ]);
        });
        it("evasion: Elastic Beanstalk environments and templates size their group with aws:autoscaling:asg MaxSize", async () => {
            const asg = (value: string) => [{ namespace: "aws:autoscaling:asg", name: "MaxSize", value }];
            const report = await evaluate(() => {
                new aws.elasticbeanstalk.Environment("env", { application: "app", solutionStackName: "node", settings: asg("200") });
                new aws.elasticbeanstalk.Environment("small", { application: "app", solutionStackName: "node", settings: asg("10") });
                new aws.elasticbeanstalk.Environment("default", { application: "app", solutionStackName: "node" });
                new Native("aws-native:elasticbeanstalk:ConfigurationTemplate", "template", { applicationName: "app", optionSettings: [{ namespace: "aws:autoscaling:asg", optionName: "MaxSize", value: "50" }] });
            }, { only });
            expectViolations(report, only, ["env: maxSize is 200; at most 20 is allowed here", "template: maxSize is 50; at most 20 is allowed here"]);
        });

    });

    describe("nodepool-limits", () => {
        const only = "nodepool-limits";

        it("evasion: a NodePool inside a ConfigGroup with no limits, a v1beta1 NodePool and a Provisioner", async () => {
            const report = await evaluate(() => {
                new k8s.yaml.v2.ConfigGroup("pools", { yaml: POOL_YAML("hidden") });
                new k8s.yaml.v2.ConfigGroup("bounded-pools", { yaml: POOL_YAML("fine", "  limits: { cpu: '8', memory: 32Gi }\n") });
                nodePool("beta", { cpu: "5000", memory: "64Gi" }, "karpenter.sh/v1beta1");
                new k8s.apiextensions.CustomResource("provisioner", { apiVersion: "karpenter.sh/v1alpha5", kind: "Provisioner", metadata: { name: "old" }, spec: { limits: { resources: { cpu: "8" } } } });
            }, { only });
            expectViolations(report, only, [
                "pools: NodePool hidden (in a ConfigGroup): spec.limits.cpu is not set: the NodePool could grow without bound",
                "pools: NodePool hidden (in a ConfigGroup): spec.limits.memory is not set: the NodePool could grow without bound",
                "beta: spec.limits.cpu is 5000; the ceiling here is 1000",
                "provisioner: spec.limits.resources.memory is not set: the NodePool could grow without bound",
            ]);
        });

        it("evasion: a patch that raises limits.cpu is judged; one that leaves the limits alone is not", async () => {
            const report = await evaluate(() => {
                new k8s.apiextensions.CustomResource("raise", { apiVersion: "karpenter.sh/v1", kind: "NodePoolPatch", metadata: { name: "burst" }, spec: { limits: { cpu: "100000" } } } as never);
                new k8s.apiextensions.CustomResource("relabel", { apiVersion: "karpenter.sh/v1", kind: "NodePoolPatch", metadata: { name: "burst", labels: { team: "a" } } } as never);
            }, { only });
            expectViolations(report, only, ["raise: NodePool burst (a patch): spec.limits.cpu is 100000; the ceiling here is 1000"]);
        });

        it("evasion: a patch that carries a nodeClassRef may create the NodePool, so the limits it leaves out are missing", async () => {
            const report = await evaluate(() => {
                const nodeClassRef = { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" };
                new k8s.apiextensions.CustomResourcePatch("burst", { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "burst-new" }, spec: { template: { spec: { nodeClassRef } } } } as never);
            }, { only });
            expectViolations(report, only, [
                "burst: NodePool burst-new (a patch): spec.limits.cpu is not set: the NodePool could grow without bound",
                "burst: NodePool burst-new (a patch): spec.limits.memory is not set: the NodePool could grow without bound",
            ]);
        });
    });

    describe("environment-vcpu-ceiling", () => {
        const only = "environment-vcpu-ceiling";
        const tight = (maxVcpu: number) => ({ only, config: { [only]: { maxVcpu } } });

        it("counts instances, Spot requests, fleets, Batch and ASGs through their overrides or templates", async () => {
            const build = () => {
                const template = new aws.ec2.LaunchTemplate("big", { instanceType: "m7i.24xlarge" });
                new aws.autoscaling.Group("through-template", { maxSize: 2, minSize: 0, launchTemplate: { id: template.id, version: "$Latest" } });
                new aws.autoscaling.Group("override", {
                    maxSize: 3,
                    minSize: 0,
                    mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: "lt-1" }, overrides: [{ instanceType: "m7i.large" }, { instanceType: "m7i.48xlarge" }] } },
                });
                new aws.ec2.Instance("vm", { ami, instanceType: "c7i.4xlarge" });
                new aws.ec2.SpotInstanceRequest("spot", { ami, instanceType: "r7i.2xlarge" });
                new aws.ec2.SpotFleetRequest("fleet", { iamFleetRole: roleArn, targetCapacity: 10, launchSpecifications: [{ ami, instanceType: "m7i.xlarge" }] });
                new aws.ec2.Fleet("vcpu-fleet", {
                    launchTemplateConfigs: [{ launchTemplateSpecification: { launchTemplateId: "lt-1", version: "1" }, overrides: [{ instanceType: "c7i.2xlarge" }] }],
                    targetCapacitySpecification: { defaultTargetCapacityType: "spot", totalTargetCapacity: 32, targetCapacityUnitType: "vcpu" },
                });
                new aws.batch.ComputeEnvironment("batch", { type: "MANAGED", computeResources: { type: "SPOT", maxVcpus: 64, subnets: ["subnet-1"], instanceRole: roleArn, instanceTypes: ["c7i.large"] } });
            };
            expectViolations(await evaluate(build, { only }), only, []);
            // 2 x 96 + 3 x 192 + 16 + 8 + 10 x 4 + 32 + 64
            expectViolations(await evaluate(build, tight(900)), only, [
                "(stack): the environment can grow to 928 vCPUs (batch: maxVcpus 64; fleet: 10 x 4 vCPU; override: 3 x 192 vCPU; spot: 1 x 8 vCPU; through-template: 2 x 96 vCPU; vcpu-fleet: 32 units, up to 32 vCPU; vm: 1 x 16 vCPU); the ceiling is 900",
            ]);
        });

        it("counts a component and the resource that realizes it once, and anything else parented to it as well", async () => {
            const report = await evaluate(() => {
                const group = new eks.ManagedNodeGroup("managed", { cluster: {} as never, instanceTypes: ["m7i.xlarge"], launchTemplate: lt, scalingConfig: scaling(10) });
                new aws.eks.NodeGroup("managed-realized", { clusterName: "c", nodeRoleArn: roleArn, subnetIds: ["subnet-1"], instanceTypes: ["m7i.xlarge"], scalingConfig: scaling(10) }, { parent: group });
                new aws.autoscaling.Group("hidden-under", { maxSize: 4, minSize: 0, mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: "lt-1" }, overrides: [{ instanceType: "c7i.8xlarge" }] } } }, { parent: group });
            }, tight(1));
            expectViolations(report, "environment-vcpu-ceiling", ["(stack): the environment can grow to 168 vCPUs (hidden-under: 4 x 32 vCPU; managed: 10 x 4 vCPU); the ceiling is 1"]);
        });

        it("evasion: capacity that cannot be counted is reported, never guessed: unknown types, open instance requirements, NodePools without limits, Auto Mode", async () => {
            const report = await evaluate(() => {
                new aws.ec2.SpotInstanceRequest("gpu-spot", { ami, instanceType: "dl1.24xlarge" });
                new aws.autoscaling.Group("open-requirements", {
                    maxSize: 2,
                    minSize: 0,
                    mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: "lt-1" }, overrides: [{ instanceRequirements: { vcpuCount: { min: 2 }, memoryMib: { min: 1024 } } }] } },
                });
                new aws.autoscaling.Group("external-template", { maxSize: 2, minSize: 0, launchTemplate: { id: "lt-0fffffffffffffff0" } });
                new k8s.yaml.v2.ConfigGroup("pools", { yaml: POOL_YAML("unbounded") });
                new aws.eks.Cluster("auto", { roleArn, vpcConfig: { subnetIds: ["subnet-1"] }, computeConfig: { enabled: true, nodePools: ["general-purpose"], nodeRoleArn: roleArn } });
            }, { only });
            expectViolations(report, only, [
                "gpu-spot: instance type(s) dl1.24xlarge are not in envstack's instance-type table, so their vCPUs cannot be counted",
                "open-requirements: mixedInstancesPolicy.launchTemplate.overrides[0].instanceRequirements set no vcpuCount.max (nor only allowedInstanceTypes in the table), so their vCPUs cannot be counted",
                "external-template: its instance types (or launch template) are not declared in this program, so its vCPUs cannot be counted",
                "pools: NodePool unbounded (in a ConfigGroup): the NodePool sets no valid limits.cpu, so the environment's vCPUs are unbounded",
                "auto: EKS Auto Mode's built-in node pools (general-purpose) have no limits, so the environment's vCPUs are unbounded",
            ]);
        });

        it("evasion: @pulumi/eks self-managed groups, a default node group, a plain NodeGroup's template and a ConfigGroup NodePool count too", async () => {
            const report = await evaluate(() => {
                new eks.NodeGroupV2("self-managed", { cluster: {} as never, instanceType: "c7i.4xlarge", maxSize: 5 });
                new eks.Cluster("default-group", { instanceType: "m7i.2xlarge", maxSize: 3 });
                const template = new aws.ec2.LaunchTemplate("plain-template", { instanceType: "r7i.8xlarge" });
                new aws.eks.NodeGroup("plain", { clusterName: "c", nodeRoleArn: roleArn, subnetIds: ["subnet-1"], scalingConfig: scaling(2), launchTemplate: { id: template.id, version: "1" } });
                new k8s.yaml.v2.ConfigGroup("pools", { yaml: POOL_YAML("grouped", "  limits: { cpu: '100', memory: 400Gi }\n") });
            }, tight(100));
            // 5 x 16 + 3 x 8 + 2 x 32 + 100
            expectViolations(report, only, [
                "(stack): the environment can grow to 268 vCPUs (default-group: 3 x 8 vCPU; plain: 2 x 32 vCPU; pools (NodePool grouped (in a ConfigGroup)): limits.cpu 100; self-managed: 5 x 16 vCPU); the ceiling is 100",
            ]);
        });

        it("evasion: a NodePool patch that raises limits.cpu counts at its larger value", async () => {
            const report = await evaluate(() => {
                nodePool("burst", { cpu: "16", memory: "64Gi" });
                new k8s.apiextensions.CustomResource("burst-raise", { apiVersion: "karpenter.sh/v1", kind: "NodePoolPatch", metadata: { name: "burst" }, spec: { limits: { cpu: "900" } } } as never);
            }, tight(100));
            expectViolations(report, only, ["(stack): the environment can grow to 900 vCPUs (burst-raise (NodePool burst (a patch)): limits.cpu 900); the ceiling is 100"]);
        });

        it("evasion: Cloud9, capacity reservations, Dedicated Hosts, EMR clusters, NodeClaims and SageMaker notebooks count; Fargate profiles and creating NodePool patches are reported", async () => {
            const build = () => {
                otherCapacity({ ide: "m7i.4xlarge", reserved: "c7i.8xlarge", hostFamily: "r7i", core: "m6i.4xlarge", claim: "m7i.48xlarge" });
                new aws.sagemaker.NotebookInstance("notebook", { roleArn, instanceType: "ml.m7i.4xlarge" });
            };
            expectViolations(await evaluate(build, tight(100)), only, [
                "(stack): the environment can grow to 1860 vCPUs (claim: a NodeClaim of up to 192 vCPU; host: a Dedicated Host of 192 vCPU; ide: 1 x 16 vCPU; notebook: 1 x 16 vCPU; reserved: 20 x 32 vCPU; spark: 1 x 4 vCPU + 50 x 16 vCPU); the ceiling is 100",
            ]);
            const report = await evaluate(() => {
                new aws.eks.FargateProfile("all", { clusterName: "c", podExecutionRoleArn: roleArn, subnetIds: ["subnet-1"], selectors: [{ namespace: "*" }] });
                const nodeClassRef = { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" };
                new k8s.apiextensions.CustomResourcePatch("burst", { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "burst-new" }, spec: { template: { spec: { nodeClassRef } } } } as never);
            }, { only });
            expectViolations(report, only, [
                "all: the Fargate profile runs any number of pods (up to 16 vCPU each) for the namespaces it selects, so the environment's vCPUs are unbounded",
                "burst: NodePool burst-new (a patch): the NodePool sets no valid limits.cpu, so the environment's vCPUs are unbounded",
            ]);
        });

        it("evasion: CloudFormation node groups, Spot fleets, EC2 fleets and EMR clusters count as their AWS counterparts", async () => {
            const report = await evaluate(() => {
                new Native("aws-native:eks:Nodegroup", "native-group", { clusterName: "c", nodeRole: roleArn, subnets: ["subnet-1"], instanceTypes: ["m7i.4xlarge"], scalingConfig: scaling(10) });
                new Native("aws-native:ec2:SpotFleet", "native-spot", { spotFleetRequestConfigData: { iamFleetRole: roleArn, targetCapacity: 10, launchSpecifications: [{ imageId: ami, instanceType: "c7i.2xlarge" }] } });
                new Native("aws-native:ec2:Ec2Fleet", "native-fleet", {
                    launchTemplateConfigs: [{ launchTemplateSpecification: { launchTemplateId: "lt-1", version: "1" }, overrides: [{ instanceType: "r7i.xlarge" }] }],
                    targetCapacitySpecification: { totalTargetCapacity: 5 },
                });
                new Native("aws-native:emr:Cluster", "native-emr", {
                    instances: { masterInstanceGroup: { instanceCount: 1, instanceType: "m6i.xlarge" }, coreInstanceGroup: { instanceCount: 2, instanceType: "m6i.4xlarge" } },
                    managedScalingPolicy: { computeLimits: { unitType: "Instances", minimumCapacityUnits: 2, maximumCapacityUnits: 20 } },
                });
                new Native("aws-native:emr:InstanceGroupConfig", "native-task", { instanceRole: "TASK", instanceType: "c7i.xlarge", instanceCount: 1, autoScalingPolicy: { constraints: { minCapacity: 1, maxCapacity: 30 } } });
            }, tight(100));
            // 10 x 16 + 10 x 8 + 5 x 4 + (4 + 20 x 16) + 30 x 4
            expectViolations(report, only, [
                "(stack): the environment can grow to 704 vCPUs (native-emr: 1 x 4 vCPU + 20 x 16 vCPU; native-fleet: 5 x 4 vCPU; native-group: 10 x 16 vCPU; native-spot: 10 x 8 vCPU; native-task: 30 x 4 vCPU); the ceiling is 100",
            ]);
        });

        it("evasion: warm pools and scheduled actions count at the size they give their group", async () => {
            const report = await evaluate(() => {
                const template = new aws.ec2.LaunchTemplate("nodes", { instanceType: "m6i.large" });
                const launchTemplate = { id: template.id, version: "$Latest" };
                new aws.autoscaling.Group("warm", { maxSize: 2, minSize: 0, launchTemplate, warmPool: { poolState: "Running", minSize: 500, maxGroupPreparedCapacity: 500 } });
                const group = new aws.autoscaling.Group("scheduled", { maxSize: 2, minSize: 0, launchTemplate });
                new aws.autoscaling.Schedule("burst", { autoscalingGroupName: group.name, scheduledActionName: "burst", minSize: 500, maxSize: 500, desiredCapacity: 500, recurrence: "0 * * * *" });
                new aws.autoscaling.Schedule("elsewhere", { autoscalingGroupName: "legacy", scheduledActionName: "burst", maxSize: 500, recurrence: "0 * * * *" });
            }, { only });
            expectViolations(report, only, [
                "elsewhere: it resizes Auto Scaling group legacy, which this program does not declare, so its vCPUs cannot be counted",
                "(stack): the environment can grow to 2004 vCPUs (scheduled: 500 x 2 vCPU; warm: 502 x 2 vCPU); the ceiling is 1000",
            ]);
        });

        it("evasion: NodePools of the same name in different clusters each count", async () => {
            const report = await evaluate(() => {
                for (const c of ["a", "b", "c"]) {
                    const provider = new k8s.Provider(`cluster-${c}`, { kubeconfig: "{}", context: c });
                    new k8s.apiextensions.CustomResource(`general-${c}`, {
                        apiVersion: "karpenter.sh/v1",
                        kind: "NodePool",
                        metadata: { name: "general" },
                        spec: { limits: { cpu: "400", memory: "1600Gi" }, template: { spec: { requirements: [{ key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["m"] }] } } },
                    }, { provider });
                }
            }, { only });
            expectViolations(report, only, ["(stack): the environment can grow to 1200 vCPUs (general-a: limits.cpu 400; general-b: limits.cpu 400; general-c: limits.cpu 400); the ceiling is 1000"]);
        });
        it("evasion: ECS Fargate services, EMR Serverless, SageMaker endpoints and Studio, Beanstalk count; what has no count is reported", async () => {
            const build = () => {
                const td = new aws.ecs.TaskDefinition("td", { family: "web", requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: "4096", memory: "8192", containerDefinitions: "[]" });
                const web = new aws.ecs.Service("web", { cluster: "c", taskDefinition: td.arn, desiredCount: 10, launchType: "FARGATE" });
                new aws.appautoscaling.Target("web", { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: "service/c/web", minCapacity: 1, maxCapacity: 50 }, { dependsOn: [web] });
                new aws.ecs.Service("api", { name: "api", cluster: "c", taskDefinition: td.arn, desiredCount: 2, capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] });
                new aws.appautoscaling.ScheduledAction("api-burst", { name: "burst", serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: "service/c/api", schedule: "cron(0 8 * * ? *)", scalableTargetAction: { maxCapacity: 80 } });
                new aws.ecs.Service("on-ec2", { cluster: "c", taskDefinition: td.arn, desiredCount: 1000, launchType: "EC2" });
                new aws.ecs.Service("elsewhere", { cluster: "c", taskDefinition: "arn:aws:ecs:eu-west-1:111122223333:task-definition/other:3", desiredCount: 1, launchType: "FARGATE" });
                new aws.appautoscaling.Target("legacy", { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: "service/c/legacy", minCapacity: 1, maxCapacity: 5000 });
                new aws.emrserverless.Application("spark", { releaseLabel: "emr-7.1.0", type: "spark", maximumCapacity: { cpu: "400 vCPU", memory: "1600 GB" } });
                new aws.emrserverless.Application("open", { releaseLabel: "emr-7.1.0", type: "spark" });
                new aws.sagemaker.EndpointConfiguration("endpoint", {
                    productionVariants: [
                        { variantName: "a", modelName: "m", instanceType: "ml.m5.xlarge", initialInstanceCount: 3 },
                        { variantName: "b", modelName: "m", instanceType: "ml.m5.large", initialInstanceCount: 1, managedInstanceScaling: { status: "ENABLED", minInstanceCount: 1, maxInstanceCount: 10 } },
                    ],
                });
                new aws.sagemaker.EndpointConfiguration("serverless", { productionVariants: [{ variantName: "a", modelName: "m", serverlessConfig: { maxConcurrency: 200, memorySizeInMb: 6144 } }] });
                new aws.sagemaker.Space("space", { domainId: "d-1", spaceName: "s", spaceSettings: { jupyterLabAppSettings: { defaultResourceSpec: { instanceType: "ml.m5.4xlarge" } } } });
                new aws.elasticbeanstalk.Environment("beanstalk", { application: "app", solutionStackName: "node", settings: [{ namespace: "aws:ec2:instances", name: "InstanceTypes", value: "m5.large" }, { namespace: "aws:autoscaling:asg", name: "MaxSize", value: "10" }] });
                new aws.elasticbeanstalk.Environment("default-env", { application: "app", solutionStackName: "node" });
                new aws.ecs.CapacityProvider("managed", { managedInstancesProvider: { infrastructureRoleArn: roleArn, instanceLaunchTemplate: { ec2InstanceProfileArn: roleArn, networkConfiguration: { subnets: ["subnet-1"] } } } });
                new Native("aws:gamelift/fleet:Fleet", "games", { ec2InstanceType: "c5.large", buildId: "build-1" });
            };
            expectViolations(await evaluate(build, tight(100)), only, [
                "elsewhere: the Fargate service runs a task definition this program does not declare, so its vCPUs cannot be counted",
                "legacy: it scales ECS service legacy, which this program does not declare, so its vCPUs cannot be counted",
                "open: the EMR Serverless application sets no maximumCapacity.cpu, so its workers' vCPUs are unbounded",
                "serverless: productionVariants[0] is serverless, whose vCPUs SageMaker does not state, so they cannot be counted",
                "managed: ECS Managed Instances launch as many instances as the cluster's tasks need, with no maximum, so the environment's vCPUs are unbounded",
                "games: a GameLift fleet launches compute whose size the vCPU ceiling cannot read, so its vCPUs cannot be counted",
                "(stack): the environment can grow to 996 vCPUs (api: 80 Fargate tasks x 4 vCPU; beanstalk: 10 x 2 vCPU; default-env: 4 x 2 vCPU; endpoint: 3 x 4 vCPU + 10 x 2 vCPU; space: 1 x 16 vCPU; spark: maximumCapacity.cpu 400; web: 50 Fargate tasks x 4 vCPU); the ceiling is 100",
            ]);
        });

        it("passes ordinary ECS, Beanstalk and SageMaker resources within the ceiling", async () => {
            const report = await evaluate(() => {
                new aws.ecs.Cluster("cluster", {});
                const td = new aws.ecs.TaskDefinition("td", { family: "web", requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: "512", memory: "1024", containerDefinitions: "[]" });
                new aws.ecs.Service("web", { cluster: "c", taskDefinition: td.arn, desiredCount: 2, launchType: "FARGATE" });
                new aws.elasticbeanstalk.Environment("single", { application: "app", solutionStackName: "node", settings: [{ namespace: "aws:elasticbeanstalk:environment", name: "EnvironmentType", value: "SingleInstance" }] });
                new aws.sagemaker.Domain("studio", { domainName: "studio", authMode: "IAM", vpcId: "vpc-1", subnetIds: ["subnet-1"], defaultUserSettings: { executionRole: roleArn } });
                new aws.imagebuilder.InfrastructureConfiguration("build", { instanceProfileName: "imagebuilder", instanceTypes: ["m5.large"] });
            }, { only });
            expectViolations(report, only, []);
        });

    });
});

describe("network and capacity guardrails under the analyzer protocol", function () {
    let analyzer: RealAnalyzer;
    before(async () => {
        analyzer = await RealAnalyzer.start();
    });
    after(() => analyzer?.stop());

    it("reach the same verdicts as the offline plan where they read parents, dependencies and ConfigGroups", async () => {
        const { all } = await register(() => {
            const sg = new aws.ec2.SecurityGroup("split", {});
            new aws.vpc.SecurityGroupIngressRule("low-half", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/1" });
            new aws.vpc.SecurityGroupIngressRule("high-half", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "128.0.0.0/1" });
            const template = new aws.ec2.LaunchTemplate("big", { instanceType: "m7i.48xlarge", metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } });
            const group = new eks.ManagedNodeGroup("managed", { cluster: {} as never, instanceTypes: ["m7i.xlarge"], launchTemplate: lt, scalingConfig: scaling(10) });
            new aws.autoscaling.Group("under", { maxSize: 4, minSize: 0, launchTemplate: { id: template.id } }, { parent: group });
            new k8s.yaml.v2.ConfigGroup("pools", { yaml: POOL_YAML("unbounded") });
        });
        const policies = guardrails.filter((p) => ["security-group-admin-ports", "environment-vcpu-ceiling"].includes(p.name));
        const config = resolvePolicyConfig({ "environment-vcpu-ceiling": { maxVcpu: 100 } }, guardrails);
        await analyzer.configure(config, PACK.enforcementLevel);
        const names = new Set(policies.map((p) => p.name));
        const real = (await analyzer.analyzeAll(all)).filter((d) => names.has(d.policy)).map((d) => `${d.policy} ${d.urn} ${d.message}`).sort();
        const offline = (await evaluatePack({ name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies }, all, config)).violations.map((v) => `${v.policy} ${v.urn ?? ""} ${v.message}`).sort();
        expect(offline).to.deep.equal(real);
        expect(offline.map((v) => v.split(" ").slice(2).join(" "))).to.have.members([
            `port 22 admits the internet: 0.0.0.0/1, 128.0.0.0/1 (3,702,390,784 internet IPv4 addresses) (rules low-half, high-half)`,
            "NodePool unbounded (in a ConfigGroup): the NodePool sets no valid limits.cpu, so the environment's vCPUs are unbounded",
            "the environment can grow to 808 vCPUs (managed: 10 x 4 vCPU; under: 4 x 192 vCPU); the ceiling is 100",
        ]);
    });
});

describe("network and capacity guardrails in a preview, where new resources' ids are not known yet", () => {
    /** CrossGuard's unknown string, and its props proxy that throws on reading one. */
    const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const resource = (type: string, name: string, props: object, dependencies: PolicyResource[] = []): PolicyResource =>
        ({ type, name, urn: `urn:pulumi:preview::p::${type}::${name}`, props: unknownCheckingProxy(props), dependencies, propertyDependencies: {}, opts: {} }) as unknown as PolicyResource;
    const run = (policy: GuardrailStackPolicy, resources: PolicyResource[], config: object) => {
        const found: string[] = [];
        policy.validateStack({ resources, getConfig: () => config } as never, (message, urn) => found.push(`${urn?.split("::").pop() ?? "(stack)"}: ${message}`));
        return found;
    };

    it("read rules and groups through their dependencies instead of switching off", () => {
        const sg = resource("aws:ec2/securityGroup:SecurityGroup", "split", { arn: UNKNOWN, ingress: [] });
        const rule = (name: string, cidr: string) =>
            resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name, { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: cidr }, [sg]);
        const computed = resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "computed", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: UNKNOWN }, [sg]);
        expect(run(securityGroupAdminPorts, [sg, rule("low", "0.0.0.0/1"), rule("high", "128.0.0.0/1"), computed], { ports: [22], maxAddresses: 4096 })).to.deep.equal([
            "split: port 22 admits the internet: 0.0.0.0/1, 128.0.0.0/1 (3,702,390,784 internet IPv4 addresses) (rules low, high)",
        ]);

        const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "big", { name: UNKNOWN, arn: UNKNOWN, instanceType: "m7i.48xlarge" });
        const asg = resource("aws:autoscaling/group:Group", "asg", { maxSize: 4, launchTemplate: { id: UNKNOWN, version: "$Latest" } }, [template]);
        expect(run(environmentVcpuCeiling, [template, asg], { maxVcpu: 100 })).to.deep.equal(["(stack): the environment can grow to 768 vCPUs (asg: 4 x 192 vCPU); the ceiling is 100"]);
    });

    it("evasion: a scheduled action on a new group, whose name is not known yet, raises it through its dependency", () => {
        const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "small", { name: UNKNOWN, arn: UNKNOWN, instanceType: "m6i.large" });
        const asg = resource("aws:autoscaling/group:Group", "asg", { name: UNKNOWN, maxSize: 2, launchTemplate: { id: UNKNOWN, version: "$Latest" } }, [template]);
        const schedule = resource("aws:autoscaling/schedule:Schedule", "burst", { autoscalingGroupName: UNKNOWN, maxSize: 500 }, [asg]);
        expect(run(environmentVcpuCeiling, [template, asg, schedule], { maxVcpu: 100 })).to.deep.equal(["(stack): the environment can grow to 1000 vCPUs (asg: 500 x 2 vCPU); the ceiling is 100"]);
    });
});
