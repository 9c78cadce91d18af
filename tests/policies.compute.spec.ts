import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_ALLOWED_INSTANCE_TYPES } from "../policy/policies";
import { evaluate, expectViolations } from "./guardrails";
import { otherCapacity } from "./otherCapacity";

const vpcConfig = { subnetIds: ["subnet-1", "subnet-2"] };
const roleArn = "arn:aws:iam::111122223333:role/eks";
const lt = { id: "lt-0123456789abcdef0", version: "1" };
const ami = "ami-0123456789abcdef0";
const V2 = { httpTokens: "required", httpPutResponseHopLimit: 1 };
const NO_HOP = "metadataOptions.httpPutResponseHopLimit is not set: AMIs that default to IMDSv2 allow 2 hops, so containers reach the node's credentials; set it to 1";

const OSS_CLASS = { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" };
const AUTO_MODE_CLASS = { group: "eks.amazonaws.com", kind: "NodeClass", name: "default" };

function nodePool(name: string, requirements: object[], nodeClassRef: object = OSS_CLASS) {
    return new k8s.apiextensions.CustomResource(name, {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name },
        spec: { template: { spec: { requirements, nodeClassRef } }, limits: { cpu: "10", memory: "40Gi" } },
    });
}

function nodeClass(name: string, apiVersion: string, metadataOptions?: object) {
    return new k8s.apiextensions.CustomResource(name, { apiVersion, kind: "EC2NodeClass", metadata: { name }, spec: metadataOptions ? { metadataOptions } : {} });
}

class Native extends pulumi.CustomResource {
    constructor(type: string, name: string, props: Record<string, unknown>) {
        super(type, name, props);
    }
}

/** The message for a type outside the default allow-list (which lists every reviewed family). */
function violationFor(name: string, type: string): string {
    return `${name}: instance type(s) ${type} are not on the allow-list (${DEFAULT_ALLOWED_INSTANCE_TYPES.join(", ")})`;
}

describe("cluster and compute guardrails", () => {
    it("eks-control-plane-logging: api and audit by default; the required set comes from config", async () => {
        const build = () => {
            new aws.eks.Cluster("all", { roleArn, vpcConfig, enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"] });
            new aws.eks.Cluster("api-audit", { roleArn, vpcConfig, enabledClusterLogTypes: ["api", "audit"] });
            new aws.eks.Cluster("api-only", { roleArn, vpcConfig, enabledClusterLogTypes: ["api"] });
            new eks.Cluster("none", { skipDefaultNodeGroup: true });
        };
        expectViolations(await evaluate(build, { only: "eks-control-plane-logging" }), "eks-control-plane-logging", [
            "api-only: control-plane log types audit are not enabled (enabled: api)",
            "none: control-plane log types api, audit are not enabled (enabled: none)",
        ]);
        const stricter = await evaluate(build, { only: "eks-control-plane-logging", config: { "eks-control-plane-logging": { requiredLogTypes: ["api", "audit", "authenticator"] } } });
        expectViolations(stricter, "eks-control-plane-logging", [
            "api-audit: control-plane log types authenticator are not enabled (enabled: api, audit)",
            "api-only: control-plane log types audit, authenticator are not enabled (enabled: api)",
            "none: control-plane log types api, audit, authenticator are not enabled (enabled: none)",
        ]);
    });

    it("eks-control-plane-logging evasion: a Cloud Control cluster logging only the api", async () => {
        const report = await evaluate(() => {
            new aws.cloudcontrol.Resource("cfn-cluster", {
                typeName: "AWS::EKS::Cluster",
                desiredState: JSON.stringify({ Name: "c", Logging: { ClusterLogging: { EnabledTypes: [{ Type: "api" }] } } }),
            });
        }, { only: "eks-control-plane-logging" });
        expectViolations(report, "eks-control-plane-logging", ["cfn-cluster: control-plane log types audit are not enabled (enabled: api)"]);
    });

    describe("imdsv2-required", () => {
        const only = "imdsv2-required";

        it("passes tokens required with hop limit 1, IMDS off, Karpenter v1's defaults and instances from a template", async () => {
            const report = await evaluate(() => {
                new aws.ec2.LaunchTemplate("v2", { metadataOptions: { ...V2, httpEndpoint: "enabled" } });
                new aws.ec2.LaunchTemplate("off", { metadataOptions: { httpEndpoint: "disabled" } });
                new aws.ec2.Instance("from-template", { launchTemplate: lt });
                new aws.ec2.LaunchConfiguration("lc", { imageId: ami, instanceType: "m7i.large", metadataOptions: V2 });
                nodeClass("class-default", "karpenter.k8s.aws/v1");
                new eks.ManagedNodeGroup("with-template", { cluster: {} as never, launchTemplate: lt });
                new aws.eks.NodeGroup("plain-with-template", { clusterName: "c", nodeRoleArn: roleArn, subnetIds: ["subnet-1"], scalingConfig: { minSize: 0, maxSize: 1, desiredSize: 0 }, launchTemplate: lt });
            }, { only, config: { [only]: { trustedLaunchTemplates: [lt.id] } } });
            expectViolations(report, only, []);
        });

        it("refuses IMDSv1 on launch templates, instances, Spot requests, launch configurations and EC2NodeClasses, and node groups without a template", async () => {
            const report = await evaluate(() => {
                new aws.ec2.LaunchTemplate("v1", { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } });
                new aws.ec2.Instance("vm", { ami, instanceType: "m7i.large" });
                new aws.ec2.SpotInstanceRequest("spot", { ami, instanceType: "m7i.large", metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } });
                new aws.ec2.LaunchConfiguration("lc", { imageId: ami, instanceType: "m7i.large" });
                nodeClass("class-v1", "karpenter.k8s.aws/v1", { httpTokens: "optional" });
                new eks.ManagedNodeGroup("no-template", { cluster: {} as never });
                new aws.eks.NodeGroup("plain", { clusterName: "c", nodeRoleArn: roleArn, subnetIds: ["subnet-1"], scalingConfig: { minSize: 0, maxSize: 1, desiredSize: 0 } });
            }, { only });
            expectViolations(report, only, [
                'v1: metadataOptions.httpTokens is "optional"; IMDSv1 stays reachable',
                'vm: metadataOptions.httpTokens is "optional (default)"; IMDSv1 stays reachable',
                `vm: ${NO_HOP}`,
                'spot: metadataOptions.httpTokens is "optional"; IMDSv1 stays reachable',
                'lc: metadataOptions.httpTokens is "optional (default)"; IMDSv1 stays reachable',
                `lc: ${NO_HOP}`,
                'class-v1: spec.metadataOptions.httpTokens is "optional"; IMDSv1 stays reachable',
                "no-template: no launchTemplate: EKS's default template does not require IMDSv2 with hop limit 1",
                "plain: no launchTemplate: EKS's default template does not require IMDSv2 with hop limit 1",
            ]);
        });

        it("evasion: tokens required but a hop limit of 3, or left to the AMI, lets containers reach the node's credentials", async () => {
            const build = () => {
                new aws.ec2.LaunchTemplate("three-hops", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 3 } });
                new aws.ec2.LaunchTemplate("two-hops", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } });
                new aws.ec2.LaunchTemplate("ami-decides", { metadataOptions: { httpTokens: "required" } });
                nodeClass("class-hops", "karpenter.k8s.aws/v1", { httpTokens: "required", httpPutResponseHopLimit: 2 });
                nodeClass("class-beta", "karpenter.k8s.aws/v1beta1", { httpTokens: "required" });
                new eks.ManagedNodeGroup("imdsv2-flag", { cluster: {} as never, enableIMDSv2: true });
            };
            expectViolations(await evaluate(build, { only }), only, [
                "three-hops: metadataOptions.httpPutResponseHopLimit is 3; at most 1 here, or containers reach the node's credentials",
                "two-hops: metadataOptions.httpPutResponseHopLimit is 2; at most 1 here, or containers reach the node's credentials",
                `ami-decides: ${NO_HOP}`,
                "class-hops: spec.metadataOptions.httpPutResponseHopLimit is 2; at most 1 here, or containers reach the node's credentials",
                "class-beta: spec.metadataOptions.httpPutResponseHopLimit is 2; at most 1 here, or containers reach the node's credentials",
                "imdsv2-flag: enableIMDSv2 makes a template with httpPutResponseHopLimit 2, so containers reach the node's credentials: give the group a launch template with hop limit 1",
            ]);
            // Where config allows two hops, only the third is refused.
            expectViolations(await evaluate(build, { only, config: { [only]: { maxHopLimit: 2 } } }), only, [
                "three-hops: metadataOptions.httpPutResponseHopLimit is 3; at most 2 here, or containers reach the node's credentials",
            ]);
        });

        it("evasion: the same nodes through a ConfigGroup, a patch, a Spot fleet, self-managed groups and Cloud Control", async () => {
            const report = await evaluate(() => {
                new k8s.yaml.v2.ConfigGroup("classes", {
                    objs: [{ apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name: "loose" }, spec: { metadataOptions: { httpTokens: "optional" } } }],
                });
                new k8s.apiextensions.CustomResource("class-patch", {
                    apiVersion: "karpenter.k8s.aws/v1",
                    kind: "EC2NodeClassPatch",
                    metadata: { name: "default" },
                    spec: { metadataOptions: { httpPutResponseHopLimit: 4 } },
                } as never);
                new aws.ec2.SpotFleetRequest("fleet", { iamFleetRole: roleArn, targetCapacity: 2, launchSpecifications: [{ ami, instanceType: "m7i.large" }] });
                new eks.NodeGroupV2("self-managed", { cluster: {} as never, instanceType: "m7i.large" });
                new eks.Cluster("default-group", {});
                new aws.cloudcontrol.Resource("cfn-template", {
                    typeName: "AWS::EC2::LaunchTemplate",
                    desiredState: JSON.stringify({ LaunchTemplateData: { MetadataOptions: { HttpTokens: "optional", HttpPutResponseHopLimit: 1 } } }),
                });
                new Native("aws-native:ec2:Instance", "native-vm", { imageId: ami, instanceType: "m7i.large" });
            }, { only });
            expectViolations(report, only, [
                'classes: EC2NodeClass loose (in a ConfigGroup): spec.metadataOptions.httpTokens is "optional"; IMDSv1 stays reachable',
                "class-patch: EC2NodeClass default (a patch): spec.metadataOptions.httpPutResponseHopLimit is 4; at most 1 here, or containers reach the node's credentials",
                "fleet: launchSpecifications cannot set metadata options: use launchTemplateConfigs with a template that requires IMDSv2",
                "self-managed: @pulumi/eks self-managed node groups cannot set metadata options, so the AMI's defaults apply: use a managed node group with a launch template",
                "default-group: the default node group cannot set metadata options: set skipDefaultNodeGroup and add managed node groups with launch templates",
                'cfn-template: launchTemplateData.metadataOptions.httpTokens is "optional"; IMDSv1 stays reachable',
                "native-vm: a CloudFormation instance cannot set metadata options: launch it from a launch template that requires IMDSv2",
            ]);
        });
        it("evasion: a patch that carries an EC2NodeClass's role may create the class, so its version's defaults (v1beta1: 2 hops) are judged", async () => {
            const report = await evaluate(() => {
                const spec = { amiFamily: "AL2023", subnetSelectorTerms: [{ tags: { team: "a" } }] };
                new k8s.apiextensions.CustomResourcePatch("creates", { apiVersion: "karpenter.k8s.aws/v1beta1", kind: "EC2NodeClass", metadata: { name: "hop2" }, spec: { ...spec, role: "KarpenterNodeRole" } } as never);
                new k8s.apiextensions.CustomResourcePatch("changes", { apiVersion: "karpenter.k8s.aws/v1beta1", kind: "EC2NodeClass", metadata: { name: "default" }, spec } as never);
            }, { only });
            expectViolations(report, only, ["creates: EC2NodeClass hop2 (a patch): spec.metadataOptions.httpPutResponseHopLimit is 2; at most 1 here, or containers reach the node's credentials"]);
        });

        it("evasion: instances, node groups and Batch launched from a template the program does not declare", async () => {
            const build = () => {
                const declared = new aws.ec2.LaunchTemplate("declared", { metadataOptions: V2 });
                new aws.ec2.Instance("worker", { instanceType: "t3.medium", launchTemplate: { id: "lt-0fffffffffffffff0", version: "$Latest" }, rootBlockDevice: { encrypted: true } });
                new aws.ec2.Instance("own-options", { instanceType: "t3.medium", launchTemplate: { id: "lt-0fffffffffffffff0" }, metadataOptions: V2 });
                new aws.eks.NodeGroup("workers", { clusterName: "c", nodeRoleArn: roleArn, subnetIds: ["subnet-1"], scalingConfig: { minSize: 0, maxSize: 1, desiredSize: 0 }, launchTemplate: { name: "legacy-nodes", version: "1" } });
                new aws.batch.ComputeEnvironment("batch", {
                    type: "MANAGED",
                    computeResources: { type: "EC2", maxVcpus: 16, instanceTypes: ["m6i"], instanceRole: roleArn, subnets: ["subnet-1"], launchTemplate: { launchTemplateName: "legacy-batch" } },
                });
                new aws.autoscaling.Group("from-declared", { maxSize: 1, minSize: 0, launchTemplate: { id: declared.id, version: "$Latest" } });
            };
            expectViolations(await evaluate(build, { only }), only, [
                "worker: launch template lt-0fffffffffffffff0 is not declared in this program, so its IMDS options cannot be judged: declare the template here, or list it in trustedLaunchTemplates after review",
                "own-options: launch template lt-0fffffffffffffff0 is not declared in this program, so its root-volume encryption cannot be judged: declare the template here, or list it in trustedLaunchTemplates after review",
                "batch: launch template legacy-batch is not declared in this program, so its IMDS options and root-volume encryption cannot be judged: declare the template here, or list it in trustedLaunchTemplates after review",
                "workers: launch template legacy-nodes is not declared in this program, so its IMDS options and root-volume encryption cannot be judged: declare the template here, or list it in trustedLaunchTemplates after review",
            ]);
            expectViolations(await evaluate(build, { only, config: { [only]: { trustedLaunchTemplates: ["lt-0fffffffffffffff0", "legacy-*"] } } }), only, []);
        });

        it("evasion: CloudFormation node groups and Spot fleets are judged as their AWS counterparts", async () => {
            const report = await evaluate(() => {
                new Native("aws-native:eks:Nodegroup", "native-group", { clusterName: "c", nodeRole: roleArn, subnets: ["subnet-1"], instanceTypes: ["m7i.large"] });
                new Native("aws-native:eks:Nodegroup", "native-external", { clusterName: "c", nodeRole: roleArn, subnets: ["subnet-1"], launchTemplate: { name: "legacy-nodes" } });
                new Native("aws-native:ec2:SpotFleet", "native-spot", { spotFleetRequestConfigData: { iamFleetRole: roleArn, targetCapacity: 1, launchSpecifications: [{ imageId: ami, instanceType: "m7i.large" }] } });
            }, { only });
            expectViolations(report, only, [
                "native-group: no launchTemplate: EKS's default template does not require IMDSv2 with hop limit 1",
                "native-external: launch template legacy-nodes is not declared in this program, so its IMDS options and root-volume encryption cannot be judged: declare the template here, or list it in trustedLaunchTemplates after review",
                "native-spot: launchSpecifications cannot set metadata options: use launchTemplateConfigs with a template that requires IMDSv2",
            ]);
            const types = await evaluate(() => {
                new Native("aws-native:eks:Nodegroup", "native-gpu", { clusterName: "c", nodeRole: roleArn, subnets: ["subnet-1"], instanceTypes: ["p4d.24xlarge"] });
                new aws.cloudcontrol.Resource("cfn-fleet", {
                    typeName: "AWS::EC2::EC2Fleet",
                    desiredState: JSON.stringify({ LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: "lt-1" }, Overrides: [{ InstanceType: "p5.48xlarge" }] }] }),
                });
            }, { only: "instance-type-allowlist" });
            expectViolations(types, "instance-type-allowlist", [violationFor("native-gpu", "p4d.24xlarge"), violationFor("cfn-fleet", "p5.48xlarge")]);
        });

        it("evasion: EMR clusters keep IMDSv1 unless a declared security configuration requires version 2", async () => {
            const report = await evaluate(() => {
                const cluster = (name: string, securityConfiguration?: pulumi.Input<string>) =>
                    new aws.emr.Cluster(name, { releaseLabel: "emr-7.1.0", serviceRole: "EMR_DefaultRole", masterInstanceGroup: { instanceType: "m6i.xlarge" }, securityConfiguration });
                const imds = (version: number) => JSON.stringify({ InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: version, HttpPutResponseHopLimit: 1 } });
                const v2 = new aws.emr.SecurityConfiguration("v2", { configuration: imds(2) });
                const v1 = new aws.emr.SecurityConfiguration("v1", { configuration: imds(1) });
                cluster("default");
                cluster("with-v2", v2.name);
                cluster("with-v1", v1.name);
                cluster("elsewhere", "legacy-emr");
            }, { only });
            expectViolations(report, only, [
                "v1: InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion is 1; IMDSv1 stays reachable on the clusters that use it",
                "default: no securityConfiguration: EMR launches its instances with IMDSv1 reachable; name a security configuration that requires IMDSv2",
                "elsewhere: EMR security configuration legacy-emr is not declared in this program, so its IMDS options cannot be judged: declare it here",
            ]);
        });

        it("evasion: SageMaker notebook instances keep IMDSv1 by default and name their types with an ml. prefix", async () => {
            const build = () => {
                new aws.sagemaker.NotebookInstance("default", { roleArn, instanceType: "ml.p4d.24xlarge" });
                new aws.sagemaker.NotebookInstance("v2", { roleArn, instanceType: "ml.t3.medium", instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "2" } });
            };
            expectViolations(await evaluate(build, { only }), only, ['default: instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion is "1 (default)"; IMDSv1 stays reachable']);
            expectViolations(await evaluate(build, { only: "instance-type-allowlist" }), "instance-type-allowlist", [violationFor("default", "p4d.24xlarge")]);
        });

        it("evasion: Batch compute environments (ECS or EKS) without a launch template and Cloud9 environments keep their image's IMDS defaults", async () => {
            const report = await evaluate(() => {
                const computeResources = { type: "EC2", maxVcpus: 16, instanceTypes: ["m6i.large"], instanceRole: roleArn, subnets: ["subnet-1"] };
                new aws.batch.ComputeEnvironment("jobs", { type: "MANAGED", computeResources });
                new aws.batch.ComputeEnvironment("eks-jobs", { type: "MANAGED", eksConfiguration: { eksClusterArn: "arn:aws:eks:eu-west-1:111122223333:cluster/c", kubernetesNamespace: "batch" }, computeResources });
                new aws.batch.ComputeEnvironment("fargate", { type: "MANAGED", computeResources: { type: "FARGATE", maxVcpus: 16, subnets: ["subnet-1"] } });
                new aws.cloud9.EnvironmentEC2("ide", { instanceType: "t3.large", imageId: "amazonlinux-2023-x86_64" });
            }, { only });
            expectViolations(report, only, [
                "jobs: computeResources has no launchTemplate: Batch launches its instances with the AMI's metadata defaults, IMDSv1 included; give it a launch template that requires IMDSv2 with hop limit 1",
                "eks-jobs: computeResources has no launchTemplate: Batch launches its instances with the AMI's metadata defaults, IMDSv1 included; give it a launch template that requires IMDSv2 with hop limit 1",
                "ide: a Cloud9 environment cannot set metadata options, so its image's defaults apply (2 hops): run the IDE on an instance whose options you set",
            ]);
        });

        it("evasion: Image Builder's build instances and Elastic Beanstalk's group set their own metadata options", async () => {
            const report = await evaluate(() => {
                const base = { instanceProfileName: "imagebuilder", subnetId: "subnet-1" };
                new aws.imagebuilder.InfrastructureConfiguration("build", { ...base, instanceTypes: ["m5.large"], instanceMetadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 } });
                new aws.imagebuilder.InfrastructureConfiguration("build-v2", { ...base, instanceMetadataOptions: V2 });
                new Native("aws-native:imagebuilder:InfrastructureConfiguration", "native-build", { ...base, instanceMetadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } });
                const launch = (name: string, value: string) => ({ namespace: "aws:autoscaling:launchconfiguration", name, value });
                new aws.elasticbeanstalk.Environment("env", { application: "app", solutionStackName: "node", settings: [launch("DisableIMDSv1", "false")] });
                new aws.elasticbeanstalk.Environment("unset", { application: "app", solutionStackName: "node" });
                new aws.elasticbeanstalk.Environment("v2", { application: "app", solutionStackName: "node", settings: [launch("DisableIMDSv1", "true")] });
                new aws.elasticbeanstalk.Environment("from-template", { application: "app", templateName: "reviewed" });
                new Native("aws-native:elasticbeanstalk:ConfigurationTemplate", "native-template", { applicationName: "app", optionSettings: [{ namespace: "aws:autoscaling:launchconfiguration", optionName: "DisableIMDSv1", value: "false" }] });
            }, { only });
            expectViolations(report, only, [
                'build: instanceMetadataOptions.httpTokens is "optional"; IMDSv1 stays reachable',
                "build: instanceMetadataOptions.httpPutResponseHopLimit is 2; at most 1 here, or containers reach the node's credentials",
                'native-build: instanceMetadataOptions.httpTokens is "optional"; IMDSv1 stays reachable',
                'env: aws:autoscaling:launchconfiguration DisableIMDSv1 is "false"; IMDSv1 stays reachable',
                "unset: aws:autoscaling:launchconfiguration DisableIMDSv1 is not set, so the platform's default decides and IMDSv1 may stay reachable; set it to true",
                'native-template: aws:autoscaling:launchconfiguration DisableIMDSv1 is "false"; IMDSv1 stays reachable',
            ]);
        });

    });

    describe("instance-type-allowlist", () => {
        const only = "instance-type-allowlist";

        it("node group types and NodePool categories come from the allow-list", async () => {
            const build = () => {
                new eks.ManagedNodeGroup("general", { cluster: {} as never, instanceTypes: ["m7i.large", "m6i.large"], launchTemplate: lt });
                new eks.ManagedNodeGroup("gpu", { cluster: {} as never, instanceTypes: ["p5.48xlarge"], launchTemplate: lt });
                new aws.ec2.LaunchTemplate("memory", { instanceType: "x2idn.32xlarge" });
                nodePool("mcr", [{ key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["m", "c", "r"] }]);
                nodePool("accelerated", [{ key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["m", "p"] }]);
                nodePool("anything", [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }]);
            };
            expectViolations(await evaluate(build, { only }), only, [
                violationFor("gpu", "p5.48xlarge"),
                violationFor("memory", "x2idn.32xlarge"),
                "accelerated: instance categories p are not allowed (allowed: c, m, r, t)",
                "anything: the NodePool may launch any instance type: add a karpenter.k8s.aws/instance-category requirement with operator In",
            ]);
            const narrow = await evaluate(build, {
                only,
                config: { [only]: { allowedInstanceTypes: ["m7i.*", "p5.48xlarge", "x2idn.32xlarge"], allowedInstanceCategories: ["m", "c", "r", "p"] } },
            });
            expectViolations(narrow, only, [
                "general: instance type(s) m6i.large are not on the allow-list (m7i.*, p5.48xlarge, x2idn.32xlarge)",
                "anything: the NodePool may launch any instance type: add a karpenter.k8s.aws/instance-category requirement with operator In",
            ]);
        });

        it("evasion: an ASG override adds p4d.24xlarge; Spot requests, Spot fleets, EC2 fleets and Batch name types too", async () => {
            const report = await evaluate(() => {
                const template = new aws.ec2.LaunchTemplate("base", { instanceType: "m7i.large", metadataOptions: V2 });
                new aws.autoscaling.Group("mixed", {
                    maxSize: 4,
                    minSize: 0,
                    mixedInstancesPolicy: {
                        launchTemplate: {
                            launchTemplateSpecification: { launchTemplateId: template.id },
                            overrides: [{ instanceType: "m7i.large" }, { instanceType: "p4d.24xlarge", weightedCapacity: "8" }],
                        },
                    },
                });
                new aws.ec2.SpotInstanceRequest("spot", { ami, instanceType: "g5.48xlarge", launchTemplate: lt });
                new aws.ec2.SpotFleetRequest("spot-fleet", { iamFleetRole: roleArn, targetCapacity: 2, launchTemplateConfigs: [{ launchTemplateSpecification: { id: "lt-1", version: "1" }, overrides: [{ instanceType: "trn1.32xlarge" }] }] });
                new aws.ec2.Fleet("fleet", {
                    launchTemplateConfigs: [{ launchTemplateSpecification: { launchTemplateId: "lt-1", version: "1" }, overrides: [{ instanceType: "inf2.48xlarge" }] }],
                    targetCapacitySpecification: { defaultTargetCapacityType: "spot", totalTargetCapacity: 1 },
                });
                new aws.batch.ComputeEnvironment("batch", { type: "MANAGED", computeResources: { type: "EC2", maxVcpus: 16, subnets: ["subnet-1"], securityGroupIds: ["sg-1"], instanceRole: roleArn, instanceTypes: ["p3.16xlarge"] } });
            }, { only });
            expectViolations(report, only, [
                violationFor("mixed", "p4d.24xlarge"),
                violationFor("spot", "g5.48xlarge"),
                violationFor("spot-fleet", "trn1.32xlarge"),
                violationFor("fleet", "inf2.48xlarge"),
                violationFor("batch", "p3.16xlarge"),
            ]);
        });

        it("evasion: instance requirements with acceleratorCount and no allowedInstanceTypes, or wildcards beyond a family", async () => {
            const report = await evaluate(() => {
                new aws.ec2.LaunchTemplate("gpus", { instanceRequirements: { vcpuCount: { min: 4 }, memoryMib: { min: 16384 }, acceleratorCount: { min: 1 } } });
                new aws.ec2.LaunchTemplate("fenced", { instanceRequirements: { vcpuCount: { min: 2, max: 8 }, memoryMib: { min: 4096 }, allowedInstanceTypes: ["m7i.*", "c7g.large"] } });
                new aws.ec2.LaunchTemplate("wild", { instanceRequirements: { vcpuCount: { min: 2 }, memoryMib: { min: 4096 }, allowedInstanceTypes: ["m7*", "p5.*"] } });
                new aws.autoscaling.Group("attribute-based", {
                    maxSize: 2,
                    minSize: 0,
                    mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: "lt-1" }, overrides: [{ instanceRequirements: { vcpuCount: { min: 2, max: 16 }, memoryMib: { min: 1024 } } }] } },
                });
            }, { only });
            expectViolations(report, only, [
                "gpus: instanceRequirements choose among every instance type that fits the attributes, accelerated ones included: list allowedInstanceTypes from the allow-list",
                "wild: instanceRequirements allowedInstanceTypes m7*, p5.* reach beyond the allow-list",
                "attribute-based: mixedInstancesPolicy.launchTemplate.overrides[0].instanceRequirements choose among every instance type that fits the attributes: list allowedInstanceTypes from the allow-list",
            ]);
        });

        it("evasion: NodePools through a ConfigGroup, Auto Mode labels, a family requirement and a Cloud Control template", async () => {
            const report = await evaluate(() => {
                new k8s.yaml.v2.ConfigGroup("pools", {
                    yaml: "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: hidden\nspec:\n  template:\n    spec:\n      requirements:\n        - key: karpenter.k8s.aws/instance-category\n          operator: In\n          values: [p, g]\n",
                });
                nodePool("auto-mode", [{ key: "eks.amazonaws.com/instance-category", operator: "In", values: ["g"] }], AUTO_MODE_CLASS);
                nodePool("family", [{ key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m7i", "p4d"] }]);
                nodePool("not-in", [{ key: "karpenter.k8s.aws/instance-category", operator: "NotIn", values: ["t"] }]);
                new aws.cloudcontrol.Resource("cfn-template", { typeName: "AWS::EC2::LaunchTemplate", desiredState: JSON.stringify({ LaunchTemplateData: { InstanceType: "p5.48xlarge" } }) });
            }, { only });
            expectViolations(report, only, [
                "pools: NodePool hidden (in a ConfigGroup): instance categories p, g are not allowed (allowed: c, m, r, t)",
                "auto-mode: instance categories g are not allowed (allowed: c, m, r, t)",
                "family: instance types/families p4d.* are not on the allow-list",
                "not-in: the NodePool may launch any instance type: add a karpenter.k8s.aws/instance-category requirement with operator In",
                violationFor("cfn-template", "p5.48xlarge"),
            ]);
        });

        it("evasion: Cloud9, capacity reservations, Dedicated Hosts, EMR clusters and NodeClaims name types outside the allow-list", async () => {
            const report = await evaluate(() => {
                otherCapacity({ ide: "p4d.24xlarge", reserved: "p5.48xlarge", hostFamily: "p4d", core: "p4d.24xlarge", claim: "p5.48xlarge" });
            }, { only });
            expectViolations(report, only, [
                violationFor("ide", "p4d.24xlarge"),
                violationFor("reserved", "p5.48xlarge"),
                violationFor("host", "p4d"),
                violationFor("spark", "p4d.24xlarge"),
                "claim: instance types/families p5.48xlarge are not on the allow-list",
            ]);
        });

        it("evasion: EKS Auto Mode's labels restrict nothing on an open-source Karpenter NodePool", async () => {
            const report = await evaluate(() => {
                nodePool("general", [{ key: "eks.amazonaws.com/instance-category", operator: "In", values: ["m"] }]);
                nodePool("auto", [{ key: "eks.amazonaws.com/instance-category", operator: "In", values: ["m"] }], AUTO_MODE_CLASS);
            }, { only });
            expectViolations(report, only, [
                "general: the NodePool may launch any instance type (eks.amazonaws.com/instance-category restricts nothing for a nodeClassRef of group karpenter.k8s.aws): add a karpenter.k8s.aws/instance-category requirement with operator In",
            ]);
        });

        it("passes Batch's bare families on the allow-list (m6i: every m6i size) and refuses keywords that may leave it", async () => {
            const report = await evaluate(() => {
                const computeResources = (instanceTypes: string[]) => ({ type: "EC2", maxVcpus: 16, instanceRole: roleArn, subnets: ["subnet-1"], instanceTypes });
                new aws.batch.ComputeEnvironment("family", { type: "MANAGED", computeResources: computeResources(["m6i", "c7g.large"]) });
                new aws.batch.ComputeEnvironment("optimal", { type: "MANAGED", computeResources: computeResources(["optimal"]) });
            }, { only });
            expectViolations(report, only, [violationFor("optimal", "optimal (c4.*, m4.*, r4.*, c5.*, m5.*, r5.*, m6i.*, c6i.*, r6i.*, c7i.*)")]);
        });
        it("evasion: Image Builder, Beanstalk option settings, ECS Managed Instances, SageMaker endpoints and Studio name their own types", async () => {
            const report = await evaluate(() => {
                new aws.imagebuilder.InfrastructureConfiguration("build", { instanceProfileName: "imagebuilder", instanceTypes: ["m5.large", "p5.48xlarge"] });
                const setting = (namespace: string, name: string, value: string) => ({ namespace, name, value });
                new aws.elasticbeanstalk.Environment("env", { application: "app", solutionStackName: "node", settings: [setting("aws:autoscaling:launchconfiguration", "InstanceType", "p4d.24xlarge"), setting("aws:autoscaling:launchconfiguration", "DisableIMDSv1", "true")] });
                new aws.elasticbeanstalk.ConfigurationTemplate("template", { application: "app", settings: [setting("aws:ec2:instances", "InstanceTypes", "t3.small, g5.xlarge")] });
                new aws.elasticbeanstalk.Environment("defaults", { application: "app", solutionStackName: "node" });
                const instanceLaunchTemplate = { ec2InstanceProfileArn: roleArn, networkConfiguration: { subnets: ["subnet-1"] }, instanceRequirements: { vcpuCount: { min: 96 }, memoryMib: { min: 16384 }, acceleratorCount: { min: 8 } } };
                new aws.ecs.CapacityProvider("gpu", { managedInstancesProvider: { infrastructureRoleArn: roleArn, instanceLaunchTemplate } });
                new aws.sagemaker.EndpointConfiguration("endpoint", { productionVariants: [{ variantName: "a", modelName: "m", instanceType: "ml.m5.large" }, { variantName: "b", modelName: "m", instanceType: "ml.p5.48xlarge" }] });
                new Native("aws-native:sagemaker:EndpointConfig", "native-endpoint", { productionVariants: [{ variantName: "a", modelName: "m", instanceType: "ml.g5.12xlarge" }] });
                const spec = (instanceType: string) => ({ defaultResourceSpec: { instanceType } });
                new aws.sagemaker.Domain("studio", { domainName: "studio", authMode: "IAM", vpcId: "vpc-1", subnetIds: ["subnet-1"], defaultUserSettings: { executionRole: roleArn, jupyterServerAppSettings: spec("system"), jupyterLabAppSettings: spec("ml.p5.48xlarge") } });
                new aws.sagemaker.Space("space", { domainId: "d-1", spaceName: "s", spaceSettings: { codeEditorAppSettings: { defaultResourceSpec: { instanceType: "ml.g6.xlarge" } } } });
                new aws.sagemaker.UserProfile("user", { domainId: "d-1", userProfileName: "u", userSettings: { executionRole: roleArn, kernelGatewayAppSettings: { defaultResourceSpec: { instanceType: "ml.m5.large" } } } });
            }, { only });
            expectViolations(report, only, [
                ...[["build", "p5.48xlarge"], ["env", "p4d.24xlarge"], ["template", "g5.xlarge"], ["endpoint", "p5.48xlarge"], ["native-endpoint", "g5.12xlarge"], ["studio", "p5.48xlarge"], ["space", "g6.xlarge"]].map(([n, t]) => violationFor(n, t)),
                "gpu: managedInstancesProvider.instanceLaunchTemplate.instanceRequirements choose among every instance type that fits the attributes, accelerated ones included: list allowedInstanceTypes from the allow-list",
            ]);
        });
    });
});
