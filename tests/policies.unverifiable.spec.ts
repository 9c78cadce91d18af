import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { policyConfig } from "../policy/policies";
import { evaluate, expectViolations } from "./guardrails";

const OFFLINE = "not-verifiable-offline";
const OPAQUE = "opaque-resource-types";
const NOT_VERIFIABLE = "is rendered by the provider: its objects are not verifiable offline";

/** A resource of any type token, as a program using another provider (aws-native, command) registers it. */
class Raw extends pulumi.CustomResource {
    constructor(type: string, name: string, props: Record<string, unknown>) {
        super(type, name, props);
    }
}
const raw = (type: string, name: string, props: Record<string, unknown>) => new Raw(type, name, props);

describe("guardrails on what the pack cannot see", () => {
    describe("not-verifiable-offline", () => {
        it("is silent about objects the pack reads: typed resources, inline YAML and readable files", async () => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "envstack-")), "ns.yaml");
            fs.writeFileSync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n");
            const report = await evaluate(() => {
                new k8s.core.v1.ConfigMap("settings", { metadata: { name: "settings" }, data: { a: "b" } });
                new k8s.yaml.v2.ConfigGroup("inline", { yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inline}\n", files: [file] });
                new k8s.yaml.v2.ConfigFile("file", { file });
            }, { only: OFFLINE });
            expectViolations(report, OFFLINE, []);
        });

        it("reports a Helm release as not verifiable offline, at advisory level, in every preset", async () => {
            const build = () => {
                new k8s.helm.v3.Release("ingress", { chart: "ingress-nginx", version: "4.11.0", repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" }, namespace: "ingress" });
            };
            for (const tier of ["dev", "staging", "prod"] as const) {
                const { all, [OFFLINE]: own } = policyConfig(tier);
                const report = await evaluate(build, { only: OFFLINE, config: { ...(all ? { all } : {}), ...(own ? { [OFFLINE]: own } : {}) } });
                expectViolations(report, OFFLINE, [`ingress: Helm chart ingress-nginx 4.11.0 from https://kubernetes.github.io/ingress-nginx ${NOT_VERIFIABLE}`]);
                expect(report.violations.map((v) => v.level), tier).to.deep.equal(["advisory"]);
            }
        });

        it("evasion: a Helm v4 chart, a kustomize directory, and manifests at a URL, behind a glob or at a missing path", async () => {
            const report = await evaluate(() => {
                new k8s.helm.v4.Chart("v4", { chart: "oci://registry.example/charts/agent", version: "1.0.0" });
                new k8s.kustomize.v2.Directory("kustomized", { directory: "https://github.com/example/deploy//overlays/prod" });
                new k8s.yaml.v2.ConfigFile("remote", { file: "https://example.com/privileged.yaml" });
                new k8s.yaml.v2.ConfigGroup("globbed", { files: ["manifests/*.yaml", "missing/pod.yaml"] });
            }, { only: OFFLINE });
            expectViolations(report, OFFLINE, [
                `v4: Helm chart oci://registry.example/charts/agent 1.0.0 ${NOT_VERIFIABLE}`,
                `kustomized: kustomization https://github.com/example/deploy//overlays/prod ${NOT_VERIFIABLE}`,
                `remote: manifests "https://example.com/privileged.yaml" ${NOT_VERIFIABLE}`,
                `globbed: manifests "manifests/*.yaml", "missing/pod.yaml" ${NOT_VERIFIABLE}`,
            ]);
        });
        it("evasion: an awsx component whose resources only a real preview shows; the load balancers and repositories the offline plan builds pass", async () => {
            const awsx = await import("@pulumi/awsx");
            const report = await evaluate(() => {
                new awsx.cloudtrail.Trail("audit", {});
                new awsx.ecr.Repository("images", { forceDelete: true });
                new awsx.lb.ApplicationLoadBalancer("edge", { subnetIds: ["subnet-1"], internal: true });
            }, { only: OFFLINE });
            expectViolations(report, OFFLINE, ["audit: awsx:cloudtrail:Trail is a component its provider builds: pulumi preview --policy-pack checks the resources it creates, an offline plan sees only its arguments"]);
        });

        it("evasion: yaml v1, a Helm v3 Chart component, a kustomize v1 directory, and GitOps objects that install from elsewhere (Flux, Argo CD)", async () => {
            const report = await evaluate(() => {
                new k8s.yaml.ConfigGroup("legacy", { yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: legacy}\n" });
                new k8s.helm.v3.Chart("agent", { chart: "node-agent", fetchOpts: { repo: "https://charts.example.com" }, values: { hostPID: true } });
                new k8s.kustomize.Directory("overlay", { directory: "https://github.com/example/agent//deploy?ref=main" });
                const cr = (name: string, apiVersion: string, kind: string, spec: object) => new k8s.apiextensions.CustomResource(name, { apiVersion, kind, metadata: { name, namespace: "gitops" }, spec });
                cr("flux-release", "helm.toolkit.fluxcd.io/v2", "HelmRelease", { chart: { spec: { chart: "agent" } }, values: { privileged: true } });
                cr("flux-kustomization", "kustomize.toolkit.fluxcd.io/v1", "Kustomization", { path: "./privileged", sourceRef: { kind: "GitRepository", name: "tools" } });
                cr("argo-app", "argoproj.io/v1alpha1", "Application", { source: { repoURL: "https://github.com/example/tools", path: "privileged" }, destination: { server: "https://kubernetes.default.svc" } });
                cr("argo-set", "argoproj.io/v1alpha1", "ApplicationSet", { generators: [], template: { spec: { source: { repoURL: "https://github.com/example/tools" } } } });
            }, { only: OFFLINE });
            const gitops = "installs manifests its controller fetches or renders in the cluster: its objects are not verifiable offline";
            expectViolations(report, OFFLINE, [
                "legacy: yaml v1 ConfigGroup: its objects are checked as written, but the SDK's transformations (code) may change them before they are created",
                `agent: Helm chart node-agent from https://charts.example.com ${NOT_VERIFIABLE}`,
                `overlay: kustomization https://github.com/example/agent//deploy?ref=main ${NOT_VERIFIABLE}`,
                `flux-release: HelmRelease gitops/flux-release ${gitops}`,
                `flux-kustomization: Kustomization gitops/flux-kustomization ${gitops}`,
                `argo-app: Application gitops/argo-app ${gitops}`,
                `argo-set: ApplicationSet gitops/argo-set ${gitops}`,
            ]);
        });
    });

    describe("opaque-resource-types", () => {
        it("is silent about the providers' typed resources and about allowed types", async () => {
            const build = () => {
                new aws.eks.NodeGroup("typed", { clusterName: "c", nodeRoleArn: "arn:aws:iam::111122223333:role/n", subnetIds: ["subnet-1"], scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 } });
                new aws.cloudcontrol.Resource("log-group", { typeName: "AWS::Logs::LogGroup", desiredState: JSON.stringify({ LogGroupName: "x" }) });
            };
            expectViolations(await evaluate(build, { only: OPAQUE, config: { [OPAQUE]: { allowedTypes: ["aws::logs::*"] } } }), OPAQUE, []);
        });

        it("refuses a Cloud Control AWS::EKS::Nodegroup (no NodePool, no node group the other guardrails see)", async () => {
            const report = await evaluate(() => {
                new aws.cloudcontrol.Resource("nodes", { typeName: "AWS::EKS::Nodegroup", desiredState: JSON.stringify({ ClusterName: "c", InstanceTypes: ["p5.48xlarge"], ScalingConfig: { MaxSize: 100 } }) });
            }, { only: OPAQUE });
            expectViolations(report, OPAQUE, ["nodes: Cloud Control creates AWS::EKS::Nodegroup, which no guardrail checks; allowed types: none"]);
        });

        it("evasion: an AWS Native cluster, a CloudFormation stack with an RDS instance or a template URL, a command and a dynamic provider", async () => {
            const build = () => {
                raw("aws-native:eks:Cluster", "native", { roleArn: "arn:aws:iam::111122223333:role/c", resourcesVpcConfig: { subnetIds: ["subnet-1"] } });
                new aws.cloudformation.Stack("cfn", {
                    templateBody: JSON.stringify({ Resources: { Db: { Type: "AWS::RDS::DBInstance", Properties: { PubliclyAccessible: true } }, Logs: { Type: "AWS::Logs::LogGroup" } } }),
                });
                new aws.cloudformation.Stack("cfn-yaml", { templateBody: "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Name\n" });
                new aws.cloudformation.Stack("cfn-url", { templateUrl: "https://s3.amazonaws.com/bucket/template.yaml" });
                raw("command:local:Command", "kubectl", { create: "kubectl apply -f privileged.yaml" });
                raw("pulumi-nodejs:dynamic:Resource", "dynamic", { __provider: "serialized" });
            };
            expectViolations(await evaluate(build, { only: OPAQUE, config: { [OPAQUE]: { allowedTypes: ["AWS::Logs::LogGroup"] } } }), OPAQUE, [
                "native: AWS Native (aws-native:eks:Cluster) creates AWS::eks::Cluster, which no guardrail checks; allowed types: AWS::Logs::LogGroup",
                "cfn: a CloudFormation template creates AWS::RDS::DBInstance, which no guardrail checks; allowed types: AWS::Logs::LogGroup",
                "cfn-yaml: a CloudFormation template creates AWS::S3::Bucket, which no guardrail checks; allowed types: AWS::Logs::LogGroup",
                "cfn-url: CloudFormation creates (template at https://s3.amazonaws.com/bucket/template.yaml), which no guardrail checks; allowed types: AWS::Logs::LogGroup",
                "kubectl: command:local:Command runs code whose effect no guardrail can see",
                "dynamic: pulumi-nodejs:dynamic:Resource runs code whose effect no guardrail can see",
            ]);
            // Config sets the level; the default is mandatory.
            const advisory = await evaluate(build, { only: OPAQUE, config: { [OPAQUE]: "advisory" } });
            expect(new Set(advisory.violations.map((v) => v.level))).to.deep.equal(new Set(["advisory"]));
            expect(new Set((await evaluate(build, { only: OPAQUE })).violations.map((v) => v.level))).to.deep.equal(new Set(["mandatory"]));
        });
    });
});
