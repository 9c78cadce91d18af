import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { evaluate, expectViolations } from "./guardrails";

class Native extends pulumi.CustomResource {
    constructor(type: string, name: string, props: Record<string, unknown>) {
        super(type, name, props);
    }
}

const roleArn = "arn:aws:iam::111122223333:role/nodes";
const scaling = (maxSize: number) => ({ minSize: 0, maxSize, desiredSize: 0 });
const GPU_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" };
const GROUP_GPU_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" };
const category = (...values: string[]) => ({ key: "karpenter.k8s.aws/instance-category", operator: "In", values });
const nodeClassRef = { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" };

type PoolSpec = { requirements?: object[]; taints?: object[]; startupTaints?: object[]; limits?: Record<string, unknown>; nodeClassRef?: object };

function nodePool(name: string, spec: PoolSpec, opts?: pulumi.CustomResourceOptions) {
    const { limits, ...template } = spec;
    return new k8s.apiextensions.CustomResource(
        name,
        { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name }, spec: { template: { spec: { nodeClassRef, ...template } }, ...(limits ? { limits } : {}) } },
        opts,
    );
}

function nodeGroup(name: string, args: Partial<aws.eks.NodeGroupArgs>, opts?: pulumi.CustomResourceOptions) {
    return new aws.eks.NodeGroup(name, { clusterName: "c", nodeRoleArn: roleArn, subnetIds: ["subnet-1"], scalingConfig: scaling(2), ...args }, opts);
}

describe("GPU guardrails", () => {
    describe("gpu-capacity-tainted", () => {
        const only = "gpu-capacity-tainted";

        it("passes general pools and tainted GPU capacity, and refuses an untainted GPU pool and node group", async () => {
            const report = await evaluate(() => {
                nodePool("general", { requirements: [category("c", "m", "r")] });
                nodePool("gpu", { requirements: [category("g")], taints: [GPU_TAINT] });
                nodePool("no-gpu-count", { requirements: [{ key: "karpenter.k8s.aws/instance-gpu-count", operator: "DoesNotExist" }] });
                nodePool("below-one-gpu", { requirements: [{ key: "karpenter.k8s.aws/instance-gpu-count", operator: "Lt", values: ["1"] }] });
                nodePool("no-gpu-maker", { requirements: [{ key: "karpenter.k8s.aws/instance-gpu-manufacturer", operator: "DoesNotExist" }] });
                nodePool("general-families", { requirements: [{ key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m7i", "c7g"] }] });
                nodePool("untainted", { requirements: [{ key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["g5"] }] });
                new eks.ManagedNodeGroup("tainted-group", { cluster: {} as never, instanceTypes: ["g5.xlarge"], scalingConfig: scaling(2), taints: [GROUP_GPU_TAINT] });
                nodeGroup("general-group", { instanceTypes: ["m7i.large"] });
                nodeGroup("untainted-group", { instanceTypes: ["g6.xlarge"] });
            }, { only });
            expectViolations(report, only, [
                "untainted: the NodePool may launch GPU instances (instance families g5) but spec.template.spec.taints has no nvidia.com/gpu taint with effect NoSchedule or NoExecute, so any pod can land on its GPU nodes",
                "untainted-group: the node group launches GPU nodes (instance type(s) g6.xlarge) but has no nvidia.com/gpu taint with effect NO_SCHEDULE or NO_EXECUTE, so any pod can land on them",
            ]);
        });

        it("evasion: a pool with no category requirement, g spelt beside m, an exclusion list and the gr category all launch GPUs", async () => {
            const report = await evaluate(() => {
                nodePool("anything", { requirements: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }] });
                nodePool("mixed", { requirements: [category("m", "g")] });
                nodePool("excluded", { requirements: [{ key: "karpenter.k8s.aws/instance-category", operator: "NotIn", values: ["g", "p"] }] });
                nodePool("graphics", { requirements: [category("gr")] });
                nodePool("typed", { requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["m7i.large", "p5.48xlarge"] }] });
            }, { only });
            const untainted = "but spec.template.spec.taints has no nvidia.com/gpu taint with effect NoSchedule or NoExecute, so any pod can land on its GPU nodes";
            expectViolations(report, only, [
                `anything: the NodePool may launch GPU instances (its requirements do not rule them out) ${untainted}`,
                `mixed: the NodePool may launch GPU instances (instance categories g) ${untainted}`,
                `excluded: the NodePool may launch GPU instances (its requirements do not rule them out) ${untainted}`,
                `graphics: the NodePool may launch GPU instances (instance categories gr) ${untainted}`,
                `typed: the NodePool may launch GPU instances (instance types p5.48xlarge) ${untainted}`,
            ]);
        });

        it("evasion: a taint with the wrong key, effect PreferNoSchedule or only as a startup taint keeps no pod off", async () => {
            const report = await evaluate(() => {
                nodePool("wrong-key", { requirements: [category("g")], taints: [{ ...GPU_TAINT, key: "nvidia.com/GPU" }] });
                nodePool("prefer", { requirements: [category("g")], taints: [{ ...GPU_TAINT, effect: "PreferNoSchedule" }] });
                nodePool("startup", { requirements: [category("g")], startupTaints: [GPU_TAINT] });
                nodePool("evicting", { requirements: [category("g")], taints: [{ ...GPU_TAINT, effect: "NoExecute" }] });
                nodeGroup("group-prefer", { instanceTypes: ["g5.xlarge"], taints: [{ ...GROUP_GPU_TAINT, effect: "PREFER_NO_SCHEDULE" }] });
                nodeGroup("group-karpenter-spelling", { instanceTypes: ["g5.xlarge"], taints: [{ ...GROUP_GPU_TAINT, effect: "NoSchedule" }] });
            }, { only });
            const untainted = "but spec.template.spec.taints has no nvidia.com/gpu taint with effect NoSchedule or NoExecute, so any pod can land on its GPU nodes";
            const group = "the node group launches GPU nodes (instance type(s) g5.xlarge) but has no nvidia.com/gpu taint with effect NO_SCHEDULE or NO_EXECUTE, so any pod can land on them";
            expectViolations(report, only, [
                `wrong-key: the NodePool may launch GPU instances (instance categories g) ${untainted}`,
                `prefer: the NodePool may launch GPU instances (instance categories g) ${untainted}`,
                `startup: the NodePool may launch GPU instances (instance categories g) ${untainted}`,
                `group-prefer: ${group}`,
                `group-karpenter-spelling: ${group}`,
            ]);
        });

        it("evasion: a NodePool as YAML in a ConfigGroup, a patch that opens a pool to GPUs, Auto Mode's keys and a NodeClaim", async () => {
            const report = await evaluate(() => {
                new k8s.yaml.v2.ConfigGroup("pools", {
                    yaml: "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: hidden\nspec:\n  template:\n    spec:\n      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }\n      requirements: [{ key: karpenter.k8s.aws/instance-category, operator: In, values: [g, p] }]\n",
                });
                new k8s.apiextensions.CustomResource("open-up", { apiVersion: "karpenter.sh/v1", kind: "NodePoolPatch", metadata: { name: "general" }, spec: { template: { spec: { requirements: [category("g")] } } } } as never);
                new k8s.apiextensions.CustomResource("untaint", { apiVersion: "karpenter.sh/v1", kind: "NodePoolPatch", metadata: { name: "gpu" }, spec: { template: { spec: { taints: [] } } } } as never);
                new k8s.apiextensions.CustomResource("relabel", { apiVersion: "karpenter.sh/v1", kind: "NodePoolPatch", metadata: { name: "gpu", labels: { team: "a" } } } as never);
                const autoMode = { group: "eks.amazonaws.com", kind: "NodeClass", name: "default" };
                nodePool("auto-foreign-key", { nodeClassRef: autoMode, requirements: [category("m")] });
                nodePool("auto-general", { nodeClassRef: autoMode, requirements: [{ key: "eks.amazonaws.com/instance-category", operator: "In", values: ["c", "m"] }] });
                new k8s.apiextensions.CustomResource("claim", { apiVersion: "karpenter.sh/v1", kind: "NodeClaim", metadata: { name: "one" }, spec: { nodeClassRef, requirements: [category("p")] } });
            }, { only });
            const untainted = "has no nvidia.com/gpu taint with effect NoSchedule or NoExecute, so any pod can land on its GPU nodes";
            expectViolations(report, only, [
                `pools: NodePool hidden (in a ConfigGroup): the NodePool may launch GPU instances (instance categories g, p) but spec.template.spec.taints ${untainted}`,
                `open-up: NodePool general (a patch): the NodePool may launch GPU instances (instance categories g) but spec.template.spec.taints ${untainted}`,
                `untaint: NodePool gpu (a patch): the NodePool may launch GPU instances (the patch does not show its requirements) but spec.template.spec.taints ${untainted}`,
                `auto-foreign-key: the NodePool may launch GPU instances (its requirements do not rule them out) but spec.template.spec.taints ${untainted}`,
                `claim: the NodeClaim may launch GPU instances (instance categories p) but spec.taints ${untainted}`,
            ]);
        });

        it("evasion: a GPU type second of several, an NVIDIA AMI with a general type, the gpu flag, a launch template's type and Cloud Control groups", async () => {
            const report = await evaluate(() => {
                new eks.ManagedNodeGroup("second", { cluster: {} as never, instanceTypes: ["m7i.xlarge", "g5.xlarge"], scalingConfig: scaling(2) });
                nodeGroup("nvidia-ami", { instanceTypes: ["m7i.large"], amiType: "AL2023_x86_64_NVIDIA" });
                new eks.NodeGroupV2("self-managed", { cluster: {} as never, instanceType: "m7i.large", gpu: true, taints: { "nvidia.com/gpu": { value: "true", effect: "PreferNoSchedule" } } });
                new eks.NodeGroupV2("self-managed-tainted", { cluster: {} as never, instanceType: "g5.xlarge", taints: { "nvidia.com/gpu": { value: "true", effect: "NoSchedule" } } });
                const template = new aws.ec2.LaunchTemplate("gpu-template", { instanceType: "g6e.2xlarge" });
                nodeGroup("from-template", { launchTemplate: { id: template.id, version: "1" } });
                nodeGroup("from-template-tainted", { launchTemplate: { id: template.id, version: "1" }, taints: [GROUP_GPU_TAINT] });
                new Native("aws-native:eks:Nodegroup", "native", { clusterName: "c", nodeRole: roleArn, subnets: ["subnet-1"], instanceTypes: ["p5.48xlarge"] });
            }, { only });
            const untainted = (why: string, effects = "NO_SCHEDULE or NO_EXECUTE") =>
                `the node group launches GPU nodes (${why}) but has no nvidia.com/gpu taint with effect ${effects}, so any pod can land on them`;
            expectViolations(report, only, [
                `second: ${untainted("instance type(s) g5.xlarge")}`,
                `nvidia-ami: ${untainted("amiType AL2023_x86_64_NVIDIA")}`,
                `self-managed: ${untainted("gpu: true", "NoSchedule or NoExecute")}`,
                `from-template: ${untainted("its launch template's instance type(s) g6e.2xlarge")}`,
                `native: ${untainted("instance type(s) p5.48xlarge")}`,
            ]);
        });
    });

    describe("environment-gpu-ceiling", () => {
        const only = "environment-gpu-ceiling";
        const ceiling = (maxGpus: number) => ({ only, config: { [only]: { maxGpus } } });

        it("counts GPU pools' limits and node groups' GPUs, not general pools, within the ceiling", async () => {
            const build = () => {
                nodePool("general", { requirements: [category("m")], limits: { cpu: "100", "nvidia.com/gpu": "50" } });
                nodePool("gpu", { requirements: [category("g")], taints: [GPU_TAINT], limits: { cpu: "64", "nvidia.com/gpu": "8" } });
                new eks.ManagedNodeGroup("training", { cluster: {} as never, instanceTypes: ["g5.12xlarge"], scalingConfig: scaling(1), taints: [GROUP_GPU_TAINT] });
                nodeGroup("web", { instanceTypes: ["m7i.large"], scalingConfig: scaling(10) });
            };
            expectViolations(await evaluate(build, { only }), only, []);
            expectViolations(await evaluate(build, ceiling(4)), only, [
                '(stack): the environment can have 12 GPUs (gpu: spec.limits["nvidia.com/gpu"] 8; training: 1 x 4 GPUs (g5.12xlarge)); the ceiling is 4',
            ]);
        });

        it("evasion: two pools that each fit the ceiling exceed it together, in one cluster or two", async () => {
            const report = await evaluate(() => {
                nodePool("inference", { requirements: [category("g")], limits: { "nvidia.com/gpu": 3 } });
                for (const c of ["a", "b"]) {
                    const provider = new k8s.Provider(`cluster-${c}`, { kubeconfig: "{}", context: c });
                    nodePool(`training-${c}`, { requirements: [category("p")], limits: { "nvidia.com/gpu": "2" } }, { provider });
                }
            }, ceiling(4));
            expectViolations(report, only, [
                '(stack): the environment can have 7 GPUs (inference: spec.limits["nvidia.com/gpu"] 3; training-a: spec.limits["nvidia.com/gpu"] 2; training-b: spec.limits["nvidia.com/gpu"] 2); the ceiling is 4',
            ]);
        });

        it("evasion: a GPU limit as a quantity string counts as its number; a pool without one, or with one that is no quantity, could grow without bound", async () => {
            const report = await evaluate(() => {
                nodePool("as-string", { requirements: [category("g")], limits: { "nvidia.com/gpu": "8" } });
                nodePool("as-number", { requirements: [category("g")], limits: { "nvidia.com/gpu": 8 } });
                nodePool("as-kilo", { requirements: [category("g")], limits: { "nvidia.com/gpu": "1k" } });
                nodePool("unlimited", { requirements: [category("g")], limits: { cpu: "64" } });
                nodePool("nonsense", { requirements: [category("g")], limits: { "nvidia.com/gpu": "lots" } });
                new k8s.yaml.v2.ConfigGroup("pools", { yaml: "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: hidden\nspec:\n  template:\n    spec:\n      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }\n" });
                new k8s.apiextensions.CustomResource("raise", { apiVersion: "karpenter.sh/v1", kind: "NodePoolPatch", metadata: { name: "as-string" }, spec: { limits: { "nvidia.com/gpu": "12" } } } as never);
            }, ceiling(16));
            expectViolations(report, only, [
                'unlimited: the NodePool may launch GPU instances but sets no valid spec.limits["nvidia.com/gpu"]: it could grow without bound',
                'nonsense: the NodePool may launch GPU instances but sets no valid spec.limits["nvidia.com/gpu"]: it could grow without bound',
                'pools: NodePool hidden (in a ConfigGroup): the NodePool may launch GPU instances but sets no valid spec.limits["nvidia.com/gpu"]: it could grow without bound',
                '(stack): the environment can have 1020 GPUs (as-kilo: spec.limits["nvidia.com/gpu"] 1k; as-number: spec.limits["nvidia.com/gpu"] 8; raise (NodePool as-string (a patch)): spec.limits["nvidia.com/gpu"] 12); the ceiling is 16',
            ]);
        });

        it("evasion: a GPU type not in the catalogue is reported, never guessed; NodeClaims, templates and realized groups count once each", async () => {
            const report = await evaluate(() => {
                nodeGroup("unknown-gpu", { instanceTypes: ["m7i.large", "g4dn.xlarge"] });
                const group = new eks.ManagedNodeGroup("managed", { cluster: {} as never, instanceTypes: ["m7i.xlarge", "g6.48xlarge"], scalingConfig: scaling(2) });
                nodeGroup("managed-realized", { instanceTypes: ["m7i.xlarge", "g6.48xlarge"], scalingConfig: scaling(2) }, { parent: group });
                const template = new aws.ec2.LaunchTemplate("gpu-template", { instanceType: "g6e.12xlarge" });
                nodeGroup("from-template", { launchTemplate: { id: template.id, version: "1" }, scalingConfig: scaling(3) });
                new k8s.apiextensions.CustomResource("claim", {
                    apiVersion: "karpenter.sh/v1",
                    kind: "NodeClaim",
                    metadata: { name: "one" },
                    spec: { nodeClassRef, requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["p5.48xlarge"] }] },
                });
            }, ceiling(16));
            expectViolations(report, only, [
                "unknown-gpu: instance type(s) g4dn.xlarge may carry GPUs but are not in envstack's instance catalogue, so the group's GPUs cannot be counted",
                "(stack): the environment can have 36 GPUs (claim: a NodeClaim of up to 8 GPUs (p5.48xlarge); from-template: 3 x 4 GPUs (g6e.12xlarge); managed: 2 x 8 GPUs (g6.48xlarge)); the ceiling is 16",
            ]);
        });
    });
});
