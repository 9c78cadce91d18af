import type { IEC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { expect } from "chai";
import { ConfigError, ConfigProblem, EnvironmentInput, resolveEnvironmentConfig } from "../components";
import { releaseNamed } from "./addons";
import { planStack, register, Registered, validInput } from "./harness";
import { Environment } from "../components";
import * as k8s from "@pulumi/kubernetes";
import { gpuNodePool } from "../components/karpenter/gpu";
import { evaluate, violations } from "./guardrails";
import { admit } from "./cel";
import { gpuGuardPolicy } from "../components/gpu/guard";

const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
const NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
const I = (r: { inputs: unknown }): any => r.inputs;

function problemsOf(input: object): ConfigProblem[] {
    try {
        resolveEnvironmentConfig(input as EnvironmentInput);
        return [];
    } catch (err) {
        return [...(err as ConfigError).problems];
    }
}
const at = (list: ConfigProblem[], path: string) => list.filter((p) => p.path === path).map((p) => p.message).join(" | ");

describe("GPU capacity", () => {
    let staging: Registered;
    before(async () => {
        staging = (await planStack("staging")).registered;
    });
    const gpuPool = () => staging.ofType(NODE_POOL).find((p) => I(p).metadata.name === "gpu")!;

    it("renders the staging stack's GPU pool and its node class valid against Karpenter's v1 schemas", async () => {
        const { NodePool } = await import("@kubernetes-models/karpenter/karpenter.sh/v1");
        const { EC2NodeClass } = await import("@kubernetes-models/karpenter/karpenter.k8s.aws/v1");
        new NodePool(I(gpuPool()) as INodePool).validate();
        new EC2NodeClass(I(staging.one(NODE_CLASS, "acme-staging-karpenter-gpu-nodeclass")) as IEC2NodeClass).validate();
        const bad = { ...(I(gpuPool()) as INodePool) };
        bad.spec = { ...bad.spec, template: { ...bad.spec.template, spec: { ...bad.spec.template.spec, taints: [{ key: "nvidia.com/gpu", effect: "Sometimes" as never }] } } };
        expect(() => new NodePool(bad).validate()).to.throw(/effect/);
    });

    it("taints the pool, bounds it in GPUs, CPU and memory, and limits it to the configured NVIDIA families and capacity types", () => {
        const spec = (I(gpuPool()) as INodePool).spec;
        expect(spec.template.spec.taints).to.deep.equal([{ key: "nvidia.com/gpu", effect: "NoSchedule" }]);
        expect(spec.limits).to.deep.equal({ cpu: "64", memory: "256Gi", "nvidia.com/gpu": "4" });
        expect(spec.template.spec.requirements).to.deep.equal([
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
            { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["g6"] },
            { key: "karpenter.k8s.aws/instance-gpu-manufacturer", operator: "In", values: ["nvidia"] },
            { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
            { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
        ]);
        expect(spec.template.metadata!.labels).to.deep.equal({ "envstack.io/node-pool": "gpu", "envstack.io/accelerator": "nvidia" });
        expect(spec.template.spec.nodeClassRef).to.deep.equal({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "gpu" });
        // Long jobs: only empty nodes go, one at a time, and a node lives the tier's two weeks.
        expect(spec.disruption).to.deep.equal({ consolidationPolicy: "WhenEmpty", consolidateAfter: "10m", budgets: [{ nodes: "1" }] });
        expect(spec.template.spec.expireAfter).to.equal("336h");
    });

    it("launches GPU nodes from the same pinned AL2023 alias, with a larger encrypted root and IMDSv2", () => {
        const gpu = (I(staging.one(NODE_CLASS, "acme-staging-karpenter-gpu-nodeclass")) as IEC2NodeClass).spec!;
        const general = (I(staging.one(NODE_CLASS, "acme-staging-karpenter-nodeclass")) as IEC2NodeClass).spec!;
        expect(gpu.amiSelectorTerms).to.deep.equal(general.amiSelectorTerms);
        expect(gpu.blockDeviceMappings![0].ebs).to.deep.equal({ ...general.blockDeviceMappings![0].ebs, volumeSize: "200Gi" });
        expect(gpu.blockDeviceMappings![0].ebs!.encrypted).to.equal(true);
        expect(gpu.metadataOptions).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    });

    it("is refused by the pack without its taint, outside the tier's GPU types, or beyond the GPU ceiling", async () => {
        const config = resolveEnvironmentConfig({ ...validInput("staging"), karpenter: { gpu: { enabled: true } } } as EnvironmentInput).karpenter.gpu;
        const pool = (name: string, change: (p: INodePool) => void = () => undefined) => {
            const manifest = gpuNodePool(config);
            change(manifest);
            return new k8s.apiextensions.CustomResource(name, { ...manifest, metadata: { name } } as unknown as k8s.apiextensions.CustomResourceArgs);
        };
        const untainted = await evaluate(() => pool("untainted", (p) => delete p.spec.template.spec.taints), { only: "gpu-capacity-tainted" });
        expect(violations(untainted, "gpu-capacity-tainted")).to.have.length(1);
        expect(violations(await evaluate(() => pool("ours"), { only: "gpu-capacity-tainted" }), "gpu-capacity-tainted")).to.deep.equal([]);
        // GPU types are opt-in per tier: the default allow-list has none, staging's policy config allows g6.
        expect(violations(await evaluate(() => pool("ours"), { only: "instance-type-allowlist" }), "instance-type-allowlist")).to.have.length(1);
        const staged = { "instance-type-allowlist": { allowedGpuInstanceTypes: ["g6.*"] } };
        expect(violations(await evaluate(() => pool("ours"), { only: "instance-type-allowlist", config: staged }), "instance-type-allowlist")).to.deep.equal([]);
        const ceiling = await evaluate(() => pool("ours"), { only: "environment-gpu-ceiling", config: { "environment-gpu-ceiling": { maxGpus: 2 } } });
        expect(violations(ceiling, "environment-gpu-ceiling").join()).to.include("the ceiling is 2");
    });

    describe("the team guard: GPU nodes for GPU work", () => {
        const policy = gpuGuardPolicy();
        const request = (operation: string, spec: object) =>
            admit(policy, { request: { operation, resource: { resource: "pods" } }, object: { metadata: { name: "p" }, spec }, oldObject: null, namespaceObject: { metadata: { name: "analytics", labels: { "envstack.io/team": "analytics" } } } });
        const create = (spec: object) => request("CREATE", spec);
        const gpuTaint = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };
        const container = (resources: object = {}) => ({ name: "c", image: "busybox", resources });

        it("admits a pod that asks for a GPU, and pods that do not tolerate the taint", async () => {
            expect(await create({ tolerations: [gpuTaint], containers: [container({ limits: { "nvidia.com/gpu": 1 } })] })).to.equal("admitted");
            expect(await create({ tolerations: [gpuTaint], containers: [container(), container({ requests: { "nvidia.com/gpu": "2" } })] })).to.equal("admitted");
            expect(await create({ containers: [container()] })).to.equal("admitted");
            expect(await create({ tolerations: [{ key: "spot", operator: "Exists" }], containers: [container()] })).to.equal("admitted");
        });

        it("evasion: refuses CPU work that tolerates the taint by its key, by tolerating everything, or with a GPU request of 0", async () => {
            const refused = ["a pod that tolerates the nvidia.com/gpu taint must request nvidia.com/gpu: GPU nodes are for GPU work"];
            expect(await create({ tolerations: [gpuTaint], containers: [container()] })).to.deep.equal(refused);
            expect(await create({ tolerations: [{ operator: "Exists" }], containers: [container()] })).to.deep.equal(refused);
            expect(await create({ tolerations: [{ key: "", operator: "Exists" }], containers: [container({ limits: { cpu: "4" } })] })).to.deep.equal(refused);
            expect(await create({ tolerations: [gpuTaint], containers: [container({ limits: { "nvidia.com/gpu": "0" } })] })).to.deep.equal(refused);
            // A gated pod that gains the toleration before it is scheduled.
            expect(await request("UPDATE", { schedulingGates: [{ name: "hold" }], tolerations: [gpuTaint], containers: [container()] })).to.deep.equal(refused);
        });

        it("evasion: refuses a pod that names its node, which would skip every NoSchedule taint", async () => {
            expect(await create({ nodeName: "ip-10-50-32-7.eu-west-1.compute.internal", containers: [container()] })).to.deep.equal([
                "a pod in a team namespace may not name its node (spec.nodeName): the scheduler places it, within the taints",
            ]);
            // Once scheduled, a pod carries its node; updates to it are not refused for that.
            expect(await request("UPDATE", { nodeName: "ip-10-50-32-7.eu-west-1.compute.internal", containers: [container()] })).to.equal("admitted");
        });

        it("is created with the GPU add-ons", () => {
            expect(staging.ofType("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").map((p) => I(p).metadata.name)).to.include("envstack-team-gpu-guard");
        });
    });

    it("runs the device plugin and the DCGM exporter on GPU nodes only, tolerating the GPU taint, with requests set", () => {
        for (const name of ["nvidia-device-plugin", "dcgm-exporter"]) {
            const release = releaseNamed(staging, name);
            expect(release.inputs).to.include({ namespace: "kube-system" });
            const values = I(release).values;
            expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).to.deep.equal([
                { matchExpressions: [{ key: "karpenter.k8s.aws/instance-gpu-manufacturer", operator: "In", values: ["nvidia"] }] },
                { matchExpressions: [{ key: "envstack.io/accelerator", operator: "In", values: ["nvidia"] }] },
            ]);
            expect(values.tolerations).to.deep.equal([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
            expect(values.resources.requests).to.have.keys("cpu", "memory");
        }
        expect(I(releaseNamed(staging, "nvidia-device-plugin")).version).to.equal("0.20.0");
        expect(I(releaseNamed(staging, "dcgm-exporter")).version).to.equal("4.8.2");
        expect(I(releaseNamed(staging, "dcgm-exporter")).values.serviceMonitor).to.deep.equal({ enabled: true, interval: "30s" });
    });

    it("alerts a team whose pod holds a GPU it does not use, routed by the pod's namespace", async () => {
        const { PrometheusRule } = await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule");
        const rule = staging.ofType("kubernetes:monitoring.coreos.com/v1:PrometheusRule").find((r) => I(r).metadata.name === "envstack-gpu")!;
        new PrometheusRule(I(rule) as IPrometheusRule).validate();
        const alert = (I(rule) as IPrometheusRule).spec!.groups![0].rules![0];
        expect(alert.alert).to.equal("GpuAllocatedButIdle");
        expect(alert.expr).to.include('DCGM_FI_DEV_GPU_UTIL{exported_pod!=""}').and.to.include('label_replace(').and.to.include('"namespace", "$1", "exported_namespace"');
    });

    it("grants GPUs in the team quota only where the team's config does", () => {
        const hard = (ns: string) => I(staging.ofType("kubernetes:core/v1:ResourceQuota").find((q) => I(q).metadata.namespace === ns && I(q).metadata.name === "team-quota")!).spec.hard;
        expect(hard("analytics")["requests.nvidia.com/gpu"]).to.equal("2");
        expect(hard("payments")["requests.nvidia.com/gpu"]).to.equal("0");
    });

    it("refuses team GPU grants beyond the GPU capacity, naming the teams", () => {
        const input = { ...validInput("staging"), karpenter: { gpu: { enabled: true, maxGpus: 4 } }, teamOvercommitFactor: 1, teams: [{ name: "ml", roleArn: "arn:aws:iam::111122223333:role/ml", quota: { gpus: 3 } }, { name: "vision", roleArn: "arn:aws:iam::111122223333:role/vision", quota: { gpus: 2 } }] };
        expect(at(problemsOf(input), "teams")).to.include("the teams' GPU grants add up to 5, over the 4 GPUs of the GPU pool (4) x teamOvercommitFactor 1 = 4").and.to.include("ml (3), vision (2)");
        expect(at(problemsOf({ ...input, karpenter: { gpu: { enabled: false } } }), "teams")).to.include("over the 0 GPUs of no GPU pool or GPU node group");
        expect(at(problemsOf({ ...input, teamOvercommitFactor: 1.25 }), "teams")).to.equal("");
    });

    it("refuses GPU types outside tainted capacity, and other GPU config that would not work", () => {
        const input = validInput("dev");
        const list = problemsOf({
            ...input,
            karpenter: { enabled: false, instanceCategories: ["m", "g"], gpu: { enabled: true, instanceFamilies: ["g4dn"] } },
            cluster: {
                ...input.cluster,
                nodeGroups: [
                    { name: "general", capacityType: "ON_DEMAND", instanceTypes: ["m7i.large", "g6.xlarge"], minSize: 0, maxSize: 2, desiredSize: 0 },
                    { name: "gpu", capacityType: "ON_DEMAND", accelerator: "nvidia", instanceTypes: ["m7i.large"], minSize: 0, maxSize: 2, desiredSize: 0 },
                ],
            },
        });
        expect(at(list, "karpenter.instanceCategories[1]")).to.include('got "g"').and.to.include("GPU capacity belongs in karpenter.gpu");
        expect(at(list, "karpenter.gpu.instanceFamilies[0]")).to.include('got "g4dn"').and.to.include("g5, g6, g6e");
        expect(at(list, "karpenter.gpu.enabled")).to.include("while karpenter.enabled is false");
        expect(at(list, "cluster.nodeGroups[0].instanceTypes[1]")).to.include('got "g6.xlarge"').and.to.include("set accelerator: nvidia");
        expect(at(list, "cluster.nodeGroups[1].instanceTypes[0]")).to.include('got "m7i.large"').and.to.include("NVIDIA GPU types only");
    });

    it("without Karpenter, a node group with accelerator: nvidia gets the NVIDIA AMI type, the taint and the label, and the device plugin", async () => {
        const input = validInput("dev");
        const r = await register(
            () =>
                new Environment("acme-dev", {
                    ...input,
                    karpenter: { enabled: false },
                    cluster: { ...input.cluster, nodeGroups: [{ name: "gpu", capacityType: "ON_DEMAND", accelerator: "nvidia", instanceTypes: ["g6.xlarge", "g6.2xlarge"], minSize: 0, maxSize: 2, desiredSize: 0 }] },
                } as EnvironmentInput),
        );
        const group = I(r.one("eks:index:ManagedNodeGroup", "acme-dev-gpu"));
        expect(group.amiType).to.equal("AL2023_x86_64_NVIDIA");
        expect(group.taints).to.deep.equal([{ key: "nvidia.com/gpu", value: "", effect: "NO_SCHEDULE" }]);
        expect(group.labels).to.include({ "envstack.io/accelerator": "nvidia" });
        expect(I(r.one("aws:ec2/launchTemplate:LaunchTemplate", "acme-dev-gpu")).metadataOptions).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
        expect(releaseNamed(r, "nvidia-device-plugin")).to.not.equal(undefined);
    });

    it("turned off, removes exactly the GPU pool, its node class and the GPU add-ons", async () => {
        const build = (enabled: boolean) => () => new Environment("acme-staging", { ...validInput("staging"), karpenter: { gpu: { enabled } } } as EnvironmentInput);
        const key = (x: Registered) => new Set(x.all.map((y) => `${y.type}::${y.name}`));
        const [withGpu, without] = [key(await register(build(true))), key(await register(build(false)))];
        const removed = [...withGpu].filter((n) => !without.has(n)).sort();
        const added = [...without].filter((n) => !withGpu.has(n));
        expect(added).to.deep.equal([]);
        expect(removed).to.deep.equal([
            "envstack:index:GpuSupport::acme-staging-gpu",
            "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy::acme-staging-gpu-team-gpu-guard",
            "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding::acme-staging-gpu-team-gpu-guard",
            "kubernetes:helm.sh/v3:Release::acme-staging-gpu-dcgm-exporter",
            "kubernetes:helm.sh/v3:Release::acme-staging-gpu-nvidia-device-plugin",
            "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass::acme-staging-karpenter-gpu-nodeclass",
            "kubernetes:karpenter.sh/v1:NodePool::acme-staging-karpenter-gpu",
            "kubernetes:monitoring.coreos.com/v1:PrometheusRule::acme-staging-gpu-gpu-rules",
        ]);
    });
});
