import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { MONITORING_NAMESPACE } from "../components/shared/naming";
import { SYSTEM_NAMESPACES } from "../policy/policies";
import { evaluate, expectViolations, violations } from "./guardrails";

const lt = { id: "lt-0123456789abcdef0", version: "1" };

function nodePool(name: string, limits?: Record<string, string>) {
    return new k8s.apiextensions.CustomResource(name, {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name },
        spec: {
            template: { spec: { requirements: [{ key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["m"] }], nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" } } },
            ...(limits ? { limits } : {}),
        },
    });
}

function group(name: string, maxSize: number, instanceTypes: string[]) {
    return new eks.ManagedNodeGroup(name, { cluster: {} as never, instanceTypes, launchTemplate: lt, scalingConfig: { minSize: 0, maxSize, desiredSize: 0 } });
}

describe("quota guardrails", () => {
    const fullQuota = { "requests.cpu": "4", "limits.cpu": "8", "requests.memory": "8Gi", pods: "40", "requests.storage": "200Gi" };
    const limits = { limits: [{ type: "Container", default: { cpu: "500m" }, defaultRequest: { cpu: "100m" } }] };
    const quotaIn = (name: string, namespace: string, hard: object, extra: object = {}) =>
        new k8s.core.v1.ResourceQuota(name, { metadata: { name: "quota", namespace }, spec: { hard, ...extra } as any });
    const limitsIn = (name: string, namespace: string, spec: object = limits) => new k8s.core.v1.LimitRange(name, { metadata: { name: "limits", namespace }, spec: spec as any });

    it("namespace-quota-and-limits: every non-system namespace has quotas bounding cpu, memory, pods and storage, and a LimitRange", async () => {
        const build = () => {
            new k8s.core.v1.Namespace("team-a", { metadata: { name: "team-a" } });
            quotaIn("team-a", "team-a", fullQuota);
            limitsIn("team-a", "team-a");
            new k8s.core.v1.Namespace("team-b", { metadata: { name: "team-b" } });
            quotaIn("team-b", "team-b", fullQuota);
            new k8s.core.v1.Namespace("tools", { metadata: { name: "tools" } });
            new k8s.core.v1.Namespace("kube-system", { metadata: { name: "kube-system" } });
            new k8s.core.v1.Namespace("monitoring", { metadata: { name: MONITORING_NAMESPACE } });
        };
        // Exempt by default: the system namespaces only. A namespace named like the platform's is fenced like any other.
        expect(SYSTEM_NAMESPACES).not.to.include(MONITORING_NAMESPACE);
        expectViolations(await evaluate(build, { only: "namespace-quota-and-limits" }), "namespace-quota-and-limits", [
            "monitoring: namespace monitoring has no ResourceQuota and no LimitRange",
            "team-b: namespace team-b has no LimitRange",
            "tools: namespace tools has no ResourceQuota and no LimitRange",
        ]);
        const exempt = await evaluate(build, { only: "namespace-quota-and-limits", config: { "namespace-quota-and-limits": { exemptNamespaces: ["kube-system", "tools"] } } });
        expectViolations(exempt, "namespace-quota-and-limits", ["team-b: namespace team-b has no LimitRange", "monitoring: namespace monitoring has no ResourceQuota and no LimitRange"]);
    });

    it("namespace-quota-and-limits, evasion: a ResourceQuota with hard: {}, only pods, a scoped quota, an empty LimitRange", async () => {
        const report = await evaluate(() => {
            for (const ns of ["empty", "pods-only", "scoped"]) new k8s.core.v1.Namespace(ns, { metadata: { name: ns } });
            quotaIn("empty", "empty", {});
            limitsIn("empty", "empty", { limits: [] });
            quotaIn("pods-only", "pods-only", { pods: "10" });
            limitsIn("pods-only", "pods-only");
            quotaIn("scoped", "scoped", fullQuota, { scopes: ["BestEffort"] });
            limitsIn("scoped", "scoped");
        }, { only: "namespace-quota-and-limits" });
        expectViolations(report, "namespace-quota-and-limits", [
            "empty: namespace empty has no ResourceQuota bound on cpu, memory, pods or storage and no LimitRange",
            "pods-only: namespace pods-only has no ResourceQuota bound on cpu, memory or storage",
            "scoped: namespace scoped has no ResourceQuota bound on cpu, memory, pods or storage (a scoped quota bounds only the pods it selects)",
        ]);
    });

    it("namespace-quota-and-limits, evasion: namespaces from a ConfigGroup, a NamespacePatch, a CustomResource and a Helm release's createNamespace; quotas from patches and ConfigGroups count", async () => {
        const report = await evaluate(() => {
            new k8s.yaml.v2.ConfigGroup("bundle", {
                yaml: "apiVersion: v1\nkind: Namespace\nmetadata: {name: hidden}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: fenced}\n",
                objs: [
                    { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q", namespace: "fenced" }, spec: { hard: fullQuota } },
                    { apiVersion: "v1", kind: "LimitRange", metadata: { name: "l", namespace: "fenced" }, spec: limits },
                ],
            });
            new k8s.core.v1.NamespacePatch("patched", { metadata: { name: "patched" } });
            new k8s.core.v1.ResourceQuotaPatch("patched-quota", { metadata: { name: "q", namespace: "patched" }, spec: { hard: { pods: "10" } } });
            new k8s.apiextensions.CustomResource("custom", { apiVersion: "v1", kind: "Namespace", metadata: { name: "custom" } });
            new k8s.helm.v3.Release("chart", { chart: "some-chart", namespace: "from-helm", createNamespace: true });
        }, { only: "namespace-quota-and-limits" });
        expectViolations(report, "namespace-quota-and-limits", [
            "bundle: namespace hidden has no ResourceQuota and no LimitRange",
            "patched: namespace patched has no ResourceQuota bound on cpu, memory or storage and no LimitRange",
            "custom: namespace custom has no ResourceQuota and no LimitRange",
            "chart: namespace from-helm has no ResourceQuota and no LimitRange",
        ]);
    });

    it("namespace-quota-and-limits, evasion: quotas in another cluster's namespace of the same name, a namespace in the items of any kind, GitOps createNamespace", async () => {
        const kubeconfig = JSON.stringify({ apiVersion: "v1", clusters: [], contexts: [], users: [] });
        const report = await evaluate(() => {
            const a = new k8s.Provider("cluster-a", { kubeconfig, context: "a" });
            const b = new k8s.Provider("cluster-b", { kubeconfig, context: "b" });
            new k8s.core.v1.Namespace("team-x", { metadata: { name: "team-x" } }, { provider: a });
            new k8s.core.v1.ResourceQuota("team-x", { metadata: { name: "quota", namespace: "team-x" }, spec: { hard: fullQuota } }, { provider: b });
            new k8s.core.v1.LimitRange("team-x", { metadata: { name: "limits", namespace: "team-x" }, spec: limits as any }, { provider: b });
            new k8s.yaml.v2.ConfigGroup("bundle", { objs: [{ apiVersion: "v1", kind: "Bundle", items: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "in-items" } }] }] });
            new k8s.apiextensions.CustomResource("flux", {
                apiVersion: "helm.toolkit.fluxcd.io/v2",
                kind: "HelmRelease",
                metadata: { name: "agent", namespace: "flux-system" },
                spec: { targetNamespace: "agents", install: { createNamespace: true }, chart: { spec: { chart: "agent" } } },
            });
            new k8s.apiextensions.CustomResource("argo", {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "Application",
                metadata: { name: "tools", namespace: "argocd" },
                spec: { destination: { server: "https://kubernetes.default.svc", namespace: "tools" }, syncPolicy: { syncOptions: ["CreateNamespace=true"] } },
            });
        }, { only: "namespace-quota-and-limits" });
        expectViolations(report, "namespace-quota-and-limits", [
            "team-x: namespace team-x has no ResourceQuota and no LimitRange",
            "bundle: namespace in-items has no ResourceQuota and no LimitRange",
            "flux: namespace agents has no ResourceQuota and no LimitRange",
            "argo: namespace tools has no ResourceQuota and no LimitRange",
        ]);
    });

    it("namespace-quota-and-limits: a quota and LimitRange placed by their provider's default namespace count for it", async () => {
        const report = await evaluate(() => {
            const ns = new k8s.core.v1.Namespace("team-b", { metadata: { name: "team-b" } });
            const provider = new k8s.Provider("team-b", { namespace: "team-b" }, { dependsOn: ns });
            new k8s.core.v1.ResourceQuota("quota", { metadata: { name: "quota" }, spec: { hard: fullQuota } }, { provider });
            new k8s.core.v1.LimitRange("limits", { metadata: { name: "limits" }, spec: limits as any }, { provider });
        }, { only: "namespace-quota-and-limits" });
        expectViolations(report, "namespace-quota-and-limits", []);
    });

    it("namespace-quota-and-limits, evasion: bounds that are not quantities or exceed the ceilings, wherever the quota is", async () => {
        const build = () => {
            new k8s.core.v1.Namespace("team-a", { metadata: { name: "team-a" } });
            quotaIn("team-a", "team-a", { ...fullQuota, "limits.cpu": "1000000", "requests.memory": "lots" });
            limitsIn("team-a", "team-a");
            new k8s.core.v1.ResourceQuotaPatch("raise", { metadata: { name: "team-quota", namespace: "payments" }, spec: { hard: { pods: "100000", "requests.storage": "1Ei" } } });
        };
        expectViolations(await evaluate(build, { only: "namespace-quota-and-limits" }), "namespace-quota-and-limits", [
            "team-a: ResourceQuota team-a/quota: hard.limits.cpu is 1000000; a namespace may have at most 512",
            'team-a: ResourceQuota team-a/quota: hard.requests.memory is "lots", not a Kubernetes quantity',
            "team-a: namespace team-a has no ResourceQuota bound on memory",
            "raise: ResourceQuota payments/team-quota (a patch): hard.pods is 100000; a namespace may have at most 2000",
            "raise: ResourceQuota payments/team-quota (a patch): hard.requests.storage is 1Ei; a namespace may have at most 20Ti",
        ]);
        const dev = await evaluate(build, { only: "namespace-quota-and-limits", config: { "namespace-quota-and-limits": { maxCpu: "2", maxPods: 20 } } });
        expect(violations(dev, "namespace-quota-and-limits")).to.include.members([
            "team-a: ResourceQuota team-a/quota: hard.requests.cpu is 4; a namespace may have at most 2",
            "team-a: ResourceQuota team-a/quota: hard.pods is 40; a namespace may have at most 20",
        ]);
    });

    it("node-group-max-size: a configured ceiling on maxSize", async () => {
        const build = () => {
            group("small", 5, ["m7i.large"]);
            group("huge", 30, ["m7i.large"]);
            new aws.eks.NodeGroup("plain", { clusterName: "c", nodeRoleArn: "arn:aws:iam::111122223333:role/n", subnetIds: ["subnet-1"], scalingConfig: { minSize: 1, maxSize: 25, desiredSize: 1 } });
        };
        expectViolations(await evaluate(build, { only: "node-group-max-size" }), "node-group-max-size", [
            "huge: maxSize is 30; at most 20 is allowed here",
            "plain: maxSize is 25; at most 20 is allowed here",
        ]);
        expectViolations(await evaluate(build, { only: "node-group-max-size", config: { "node-group-max-size": { maxNodes: 40 } } }), "node-group-max-size", []);
    });

    it("nodepool-limits: cpu and memory limits are set and within the ceilings", async () => {
        const build = () => {
            nodePool("bounded", { cpu: "100", memory: "400Gi" });
            nodePool("unbounded");
            nodePool("greedy", { cpu: "2000", memory: "100Gi" });
            nodePool("typo", { cpu: "10", memory: "64Gb" });
        };
        expectViolations(await evaluate(build, { only: "nodepool-limits" }), "nodepool-limits", [
            "unbounded: spec.limits.cpu is not set: the NodePool could grow without bound",
            "unbounded: spec.limits.memory is not set: the NodePool could grow without bound",
            "greedy: spec.limits.cpu is 2000; the ceiling here is 1000",
            'typo: spec.limits.memory is "64Gb", not a Kubernetes quantity',
        ]);
        const dev = await evaluate(build, { only: "nodepool-limits", config: { "nodepool-limits": { maxCpu: "64", maxMemory: "256Gi" } } });
        expect(violations(dev, "nodepool-limits")).to.include("bounded: spec.limits.cpu is 100; the ceiling here is 64");
        expect(violations(dev, "nodepool-limits")).to.include("bounded: spec.limits.memory is 400Gi; the ceiling here is 256Gi");
    });

    it("environment-vcpu-ceiling: sums node groups (maxSize x vCPUs) and NodePool cpu limits; unknown types are reported", async () => {
        const build = () => {
            group("general", 10, ["m7i.large", "m7i.xlarge"]); // 10 x 4
            group("spot", 6, ["c7g.2xlarge", "m7g.2xlarge"]); // 6 x 8
            nodePool("burst", { cpu: "64", memory: "256Gi" });
        };
        expectViolations(await evaluate(build, { only: "environment-vcpu-ceiling" }), "environment-vcpu-ceiling", []);
        const tight = await evaluate(build, { only: "environment-vcpu-ceiling", config: { "environment-vcpu-ceiling": { maxVcpu: 150 } } });
        expectViolations(tight, "environment-vcpu-ceiling", [
            "(stack): the environment can grow to 152 vCPUs (burst: limits.cpu 64; general: 10 x 4 vCPU; spot: 6 x 8 vCPU); the ceiling is 150",
        ]);
        const unknown = await evaluate(() => group("exotic", 2, ["z9q.metal"]), { only: "environment-vcpu-ceiling" });
        expectViolations(unknown, "environment-vcpu-ceiling", [
            "exotic: instance type(s) z9q.metal are not in envstack's instance-type table, so their vCPUs cannot be counted",
        ]);
    });

    it("ebs-volume-size: bounds volumes, node disks and EBS PersistentVolumes where a size is stated", async () => {
        const report = await evaluate(() => {
            new aws.ebs.Volume("ok", { availabilityZone: "eu-west-1a", size: 100 });
            new aws.ebs.Volume("big", { availabilityZone: "eu-west-1a", size: 5000 });
            new k8s.apiextensions.CustomResource("class", { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name: "c" }, spec: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "3000Gi" } }] } });
            new k8s.core.v1.PersistentVolume("pv", { spec: { capacity: { storage: "4Ti" }, accessModes: ["ReadWriteOnce"], csi: { driver: "ebs.csi.aws.com", volumeHandle: "vol-0123456789abcdef0" } } });
        }, { only: "ebs-volume-size" });
        expectViolations(report, "ebs-volume-size", [
            "big: size is 5000 GiB; at most 2048 GiB is allowed",
            "class: spec.blockDeviceMappings[0].ebs.volumeSize is 3000Gi; at most 2048 GiB is allowed",
            "pv: spec.capacity.storage is 4Ti; at most 2048 GiB is allowed",
        ]);
    });

    it("ebs-volume-size, evasion: an in-tree awsElasticBlockStore PV in a ConfigGroup, a Spot request's root disk, a node group's disk, an ECS service's volume per task", async () => {
        const report = await evaluate(() => {
            new k8s.yaml.v2.ConfigGroup("pvs", {
                objs: [{ apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "legacy" }, spec: { capacity: { storage: "10Ti" }, accessModes: ["ReadWriteOnce"], awsElasticBlockStore: { volumeID: "vol-0123456789abcdef0" } } }],
            });
            new aws.ec2.SpotInstanceRequest("spot", { ami: "ami-0123456789abcdef0", instanceType: "m7i.large", rootBlockDevice: { volumeSize: 16384 } });
            new aws.eks.NodeGroup("disks", { clusterName: "c", nodeRoleArn: "arn:aws:iam::111122223333:role/n", subnetIds: ["subnet-1"], diskSize: 4096, scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 } });
            new aws.ecs.Service("tasks", {
                taskDefinition: "app:1",
                volumeConfiguration: { name: "data", managedEbsVolume: { roleArn: "arn:aws:iam::111122223333:role/ecs-ebs", encrypted: true, sizeInGb: 16000 } },
            });
        }, { only: "ebs-volume-size" });
        expectViolations(report, "ebs-volume-size", [
            "pvs: PersistentVolume legacy (in a ConfigGroup): spec.capacity.storage is 10Ti; at most 2048 GiB is allowed",
            "spot: rootBlockDevice.volumeSize is 16384 GiB; at most 2048 GiB is allowed",
            "disks: diskSize is 4096 GiB; at most 2048 GiB is allowed",
            "tasks: volumeConfiguration.managedEbsVolume.sizeInGb is 16000 GiB; at most 2048 GiB is allowed",
        ]);
    });

    it("pvc-size: claims and StatefulSet claim templates request at most the configured size", async () => {
        const build = () => {
            new k8s.core.v1.PersistentVolumeClaim("small", { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } } });
            new k8s.core.v1.PersistentVolumeClaim("large", { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "2Ti" } } } });
            new k8s.core.v1.PersistentVolumeClaim("typo", { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gb" } } } });
            new k8s.apps.v1.StatefulSet("db", {
                spec: {
                    selector: { matchLabels: { app: "db" } },
                    serviceName: "db",
                    template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "db", image: "postgres:17" }] } },
                    volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "200Gi" } } } }],
                },
            });
        };
        expectViolations(await evaluate(build, { only: "pvc-size" }), "pvc-size", [
            "large: spec.resources.requests.storage is 2Ti; at most 1Ti (1Ti) is allowed",
            'typo: spec.resources.requests.storage is "10Gb", not a Kubernetes quantity (e.g. 10Gi)',
        ]);
        expectViolations(await evaluate(build, { only: "pvc-size", config: { "pvc-size": { maxStorage: "100Gi" } } }), "pvc-size", [
            "large: spec.resources.requests.storage is 2Ti; at most 100Gi (100Gi) is allowed",
            'typo: spec.resources.requests.storage is "10Gb", not a Kubernetes quantity (e.g. 10Gi)',
            "db: spec.volumeClaimTemplates[0] (data) storage is 200Gi; at most 100Gi (100Gi) is allowed",
        ]);
    });

    it("pvc-size, evasion: a generic ephemeral volume in a Deployment, a claim in a ConfigGroup, a PersistentVolumeClaimPatch, and a CloneSet's claim templates", async () => {
        const report = await evaluate(() => {
            new k8s.apps.v1.Deployment("scratch", {
                spec: {
                    selector: { matchLabels: { app: "s" } },
                    template: {
                        metadata: { labels: { app: "s" } },
                        spec: {
                            containers: [{ name: "s", image: "x" }],
                            volumes: [{ name: "scratch", ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Ti" } } } } } }],
                        },
                    },
                },
            });
            new k8s.yaml.v2.ConfigGroup("claims", { yaml: "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: big, namespace: team-a}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Ti}}}\n" });
            new k8s.core.v1.PersistentVolumeClaimPatch("grow", { metadata: { name: "data", namespace: "team-a" }, spec: { resources: { requests: { storage: "3Ti" } } } });
            new k8s.apiextensions.CustomResource("cloneset", {
                apiVersion: "apps.kruise.io/v1alpha1",
                kind: "CloneSet",
                metadata: { name: "db", namespace: "team-a" },
                spec: { template: { spec: { containers: [{ name: "db", image: "x" }] } }, volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Ti" } } } }] },
            });
        }, { only: "pvc-size" });
        expectViolations(report, "pvc-size", [
            "scratch: ephemeral volume scratch storage is 50Ti; at most 1Ti (1Ti) is allowed",
            "claims: PersistentVolumeClaim team-a/big (in a ConfigGroup): spec.resources.requests.storage is 5Ti; at most 1Ti (1Ti) is allowed",
            "grow: PersistentVolumeClaim team-a/data (a patch): spec.resources.requests.storage is 3Ti; at most 1Ti (1Ti) is allowed",
            "cloneset: spec.volumeClaimTemplates[0] (data) storage is 50Ti; at most 1Ti (1Ti) is allowed",
        ]);
    });
});
