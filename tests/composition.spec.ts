import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { ALL_ADDONS_ON, DEFAULT_VERSIONS, Environment, EnvironmentInput, Observability, resolveEnvironmentConfig, Storage, Team } from "../components";
import { register, validInput } from "./harness";

/** How application teams compose envstack with plain Pulumi: their providers, their cluster, their choice of add-ons and versions. */
describe("Composing with plain Pulumi", () => {
    it("puts every AWS resource, remote components included, on the AWS provider it is given", async () => {
        const r = await register(() => {
            const provider = new aws.Provider("team-account", { region: "eu-west-1", allowedAccountIds: ["111122223333"] });
            new Environment("acme-dev", validInput("dev"), { providers: { aws: provider } });
        });
        const provider = r.one("pulumi:providers:aws");
        const onAws = r.all.filter((x) => (x.custom && x.type.startsWith("aws:")) || x.type.startsWith("eks:") || x.type.startsWith("awsx:"));
        expect(onAws.length).to.be.greaterThan(40);
        const elsewhere = onAws.filter((x) => x.custom && !x.provider?.startsWith(`${provider.urn}::`));
        expect(elsewhere.map((x) => x.urn)).to.deep.equal([]);
    });

    it("turns any managed add-on off, keeping the roles and Pod Identity associations a self-managed copy needs", async () => {
        const allOff = Object.fromEntries(Object.keys(ALL_ADDONS_ON).map((a) => [a, false]));
        const input = { ...validInput("dev"), addons: allOff, observability: { prometheus: { enabled: false } } } as EnvironmentInput;
        const r = await register(() => new Environment("acme-dev", input));
        expect(r.ofType("aws:eks/addon:Addon")).to.deep.equal([]);
        const associations = r.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").map((a) => `${a.inputs.namespace}/${a.inputs.serviceAccount}`);
        expect(associations).to.include.members(["kube-system/ebs-csi-controller-sa", "kube-system/efs-csi-controller-sa", "kube-system/efs-csi-node-sa", "amazon-cloudwatch/cloudwatch-agent"]);
        const gp3 = r.one("kubernetes:storage.k8s.io/v1:StorageClass", "acme-dev-gp3");
        expect(r.dependencyNames(gp3)).to.include("acme-dev-aws-ebs-csi-driver");

        // One off, the rest on.
        const some = await register(() => new Environment("acme-dev", { ...validInput("dev"), addons: { "kube-proxy": false } } as EnvironmentInput));
        expect(some.ofType("aws:eks/addon:Addon").map((a) => a.inputs.addonName).sort()).to.deep.equal(["amazon-cloudwatch-observability", "aws-ebs-csi-driver", "aws-efs-csi-driver", "coredns", "eks-pod-identity-agent", "vpc-cni"]);
    });

    it("overrides any pinned version from config", async () => {
        const input = {
            ...validInput("dev"),
            versions: { kubernetes: { "1.35": { addons: { coredns: "v1.13.9-eksbuild.1" } } }, charts: { karpenter: { version: "1.15.0" }, karpenterCrd: { version: "1.15.0" } } },
        } as EnvironmentInput;
        const r = await register(() => new Environment("acme-dev", input));
        expect(r.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "coredns")!.inputs.addonVersion).to.equal("v1.13.9-eksbuild.1");
        expect(r.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "vpc-cni")!.inputs.addonVersion).to.equal(DEFAULT_VERSIONS.kubernetes["1.35"].addons["vpc-cni"]);
        expect(r.ofType("kubernetes:helm.sh/v3:Release").filter((h) => String(h.inputs.chart).includes("karpenter")).map((h) => h.inputs.version)).to.deep.equal(["1.15.0", "1.15.0"]);
    });

    it("builds storage, observability and a team on a cluster envstack did not create, with the team's own Kubernetes provider", async () => {
        const config = resolveEnvironmentConfig(validInput("dev"));
        const r = await register(() => {
            const provider = new k8s.Provider("legacy", { kubeconfig: "{}" });
            const common = { clusterName: "legacy", accountId: "111122223333", region: "eu-west-1", kubernetesVersion: "1.35", versions: config.versions, k8sProvider: provider, dependsOn: [], tags: { team: "search" } };
            new Storage("legacy", {
                ...config.storage,
                ...common,
                vpcId: "vpc-0123456789abcdef0",
                privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"],
                availabilityZones: config.network.availabilityZones,
                nfsClients: { nodes: "sg-0123456789abcdef0" },
                kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/0b3a6c1e-1f1e-4f8e-9a55-0c2d3e4f5a6b",
                protect: false,
            });
            new Observability("legacy", {
                ...config.observability,
                ...common,
                logRetentionInDays: 30,
                kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/0b3a6c1e-1f1e-4f8e-9a55-0c2d3e4f5a6b",
                storageClassName: "gp3",
                scrapeKarpenter: false,
            });
            const { versions: _versions, ...teamContext } = common;
            new Team("legacy-search", {
                ...teamContext,
                name: "search",
                roleArn: "arn:aws:iam::111122223333:role/search-developers",
                environmentName: "legacy",
                accountId: "111122223333",
                storageClasses: ["gp3", "efs"],
                monitoring: false,
                protect: false,
            });
        });
        expect(r.ofType("eks:index:Cluster")).to.deep.equal([]);
        const provider = r.one("pulumi:providers:kubernetes");
        const onCluster = r.all.filter((x) => x.custom && x.type.startsWith("kubernetes:"));
        expect(onCluster.length).to.be.greaterThan(8);
        expect(onCluster.filter((x) => !x.provider?.startsWith(`${provider.urn}::`)).map((x) => x.urn)).to.deep.equal([]);
        expect(r.ofType("aws:eks/addon:Addon").every((a) => a.inputs.clusterName === "legacy")).to.equal(true);
    });
});
