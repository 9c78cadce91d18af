import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import { DEFAULT_ALLOWED_INSTANCE_TYPES } from "../policy/policies";
import { evaluate, expectViolations } from "./guardrails";

const vpcConfig = { subnetIds: ["subnet-1", "subnet-2"] };
const roleArn = "arn:aws:iam::111122223333:role/eks";
const lt = { id: "lt-0123456789abcdef0", version: "1" };

function nodePool(name: string, requirements: object[]) {
    return new k8s.apiextensions.CustomResource(name, {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name },
        spec: { template: { spec: { requirements, nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" } } }, limits: { cpu: "10", memory: "40Gi" } },
    });
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

    it("imdsv2-required: launch templates, instances and EC2NodeClasses require tokens", async () => {
        const report = await evaluate(() => {
            new aws.ec2.LaunchTemplate("v2", { metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" } });
            new aws.ec2.LaunchTemplate("v1", { metadataOptions: { httpTokens: "optional" } });
            new aws.ec2.LaunchTemplate("off", { metadataOptions: { httpEndpoint: "disabled" } });
            new aws.ec2.Instance("vm", { ami: "ami-0123456789abcdef0", instanceType: "m7i.large" });
            new k8s.apiextensions.CustomResource("class-default", { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name: "a" }, spec: {} });
            new k8s.apiextensions.CustomResource("class-v1", { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name: "b" }, spec: { metadataOptions: { httpTokens: "optional" } } });
            new eks.ManagedNodeGroup("with-template", { cluster: {} as never, launchTemplate: lt });
        }, { only: "imdsv2-required" });
        expectViolations(report, "imdsv2-required", [
            'v1: metadataOptions.httpTokens is "optional"; IMDSv1 stays reachable',
            'vm: metadataOptions.httpTokens is "optional (default)"; IMDSv1 stays reachable',
            'class-v1: spec.metadataOptions.httpTokens is "optional"; use "required"',
        ]);
    });

    it("eks-public-endpoint: refuses an endpoint open to the internet unless config allows it", async () => {
        const build = () => {
            new eks.Cluster("private", { endpointPublicAccess: false, skipDefaultNodeGroup: true });
            new eks.Cluster("vpn-only", { endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.10/32"], skipDefaultNodeGroup: true });
            new eks.Cluster("defaults", { skipDefaultNodeGroup: true });
            new aws.eks.Cluster("open", { roleArn, vpcConfig: { ...vpcConfig, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } });
        };
        expectViolations(await evaluate(build, { only: "eks-public-endpoint" }), "eks-public-endpoint", [
            "defaults: the public endpoint is open to 0.0.0.0/0 (the default)",
            "open: the public endpoint is open to 0.0.0.0/0",
        ]);
        const sandbox = await evaluate(build, { only: "eks-public-endpoint", config: { "eks-public-endpoint": { allowOpenToInternet: true } } });
        expectViolations(sandbox, "eks-public-endpoint", []);
    });

    it("instance-type-allowlist: node group types and NodePool categories come from the allow-list", async () => {
        const build = () => {
            new eks.ManagedNodeGroup("general", { cluster: {} as never, instanceTypes: ["m7i.large", "m6i.large"], launchTemplate: lt });
            new eks.ManagedNodeGroup("gpu", { cluster: {} as never, instanceTypes: ["p5.48xlarge"], launchTemplate: lt });
            new aws.ec2.LaunchTemplate("memory", { instanceType: "x2idn.32xlarge" });
            nodePool("mcr", [{ key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["m", "c", "r"] }]);
            nodePool("accelerated", [{ key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["m", "p"] }]);
            nodePool("anything", [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }]);
        };
        expectViolations(await evaluate(build, { only: "instance-type-allowlist" }), "instance-type-allowlist", [
            violationFor("gpu", "p5.48xlarge"),
            violationFor("memory", "x2idn.32xlarge"),
            "accelerated: instance categories p are not allowed (allowed: c, m, r, t)",
            "anything: the NodePool may launch any instance type: add a karpenter.k8s.aws/instance-category requirement with operator In",
        ]);
        const narrow = await evaluate(build, {
            only: "instance-type-allowlist",
            config: { "instance-type-allowlist": { allowedInstanceTypes: ["m7i.*", "p5.48xlarge", "x2idn.32xlarge"], allowedInstanceCategories: ["m", "c", "r", "p"] } },
        });
        expectViolations(narrow, "instance-type-allowlist", [
            "general: instance type(s) m6i.large are not on the allow-list (m7i.*, p5.48xlarge, x2idn.32xlarge)",
            "anything: the NodePool may launch any instance type: add a karpenter.k8s.aws/instance-category requirement with operator In",
        ]);
    });
});

/** The message for a type outside the default allow-list (which lists every reviewed family). */
function violationFor(name: string, type: string): string {
    return `${name}: instance type(s) ${type} are not on the allow-list (${DEFAULT_ALLOWED_INSTANCE_TYPES.join(", ")})`;
}
