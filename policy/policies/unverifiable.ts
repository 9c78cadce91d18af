import { existsSync } from "node:fs";
import { CONFIG_FILES, CONFIG_GROUPS, describeObject, HELM_TYPES, KubeObject, kubernetesObjects, rendersInCluster } from "./kubernetes";
import { matchesAny } from "./patterns";
import { GuardrailResourcePolicy, list, Props } from "./support";

/**
 * What the pack cannot see into is reported, never passed in silence: Kubernetes objects a
 * provider renders (Helm releases, kustomize directories, manifests at URLs or globs), and
 * resources whose effect is opaque to every guardrail (Cloud Control, AWS Native, CloudFormation,
 * commands and dynamic providers).
 */

const KUSTOMIZE_DIRECTORIES = ["kubernetes:kustomize/v2:Directory", "kubernetes:kustomize:Directory"];
/** The SDK's v1 yaml: read here too, but transformations (code) run on every object before it is registered. */
const V1_YAML = ["kubernetes:yaml:ConfigGroup", "kubernetes:yaml:ConfigFile"];
/** awsx's components are remote: the awsx provider registers their resources, which only a real preview shows. */
const AWSX = "awsx:";
/** Components whose resources the offline plan registers as awsx would (plan/constructs.ts; a test keeps the two lists equal). */
export const AWSX_BUILT_OFFLINE = ["awsx:lb:ApplicationLoadBalancer", "awsx:lb:NetworkLoadBalancer", "awsx:ecr:Repository"];
const CLOUD_CONTROL = "aws:cloudcontrol/resource:Resource";
const CLOUDFORMATION = ["aws:cloudformation/stack:Stack", "aws:cloudformation/stackSet:StackSet"];
/** Resources that run what they are given: the pack sees a command line or a function, not its effect. */
const OPAQUE_TOKENS = ["command:local:Command", "command:remote:Command", "pulumi-nodejs:dynamic:Resource", "pulumi-python:dynamic:Resource"];

/** Crossplane's Object holds a manifest its provider applies, maybe in another cluster: the pack checks the manifest where it can, but not the cluster it lands in. */
const CROSSPLANE_OBJECT = "kubernetes.crossplane.io";

/** Manifest files the pack reads itself; a URL, a glob or a missing path is read only by the provider. */
const unreadable = (f: unknown) => typeof f === "string" && (/^[a-z][a-z0-9+.-]*:\/\//i.test(f) || /[*?[{]/.test(f) || !existsSync(f));

/** What a renderer installs, for the message: `Helm chart karpenter 1.2.3 from oci://...`. */
function rendered(type: string, p: Props): string | undefined {
    if (HELM_TYPES.includes(type)) {
        const repo = p.repositoryOpts?.repo ?? p.fetchOpts?.repo ?? p.repo;
        return `Helm chart ${p.chart ?? p.path ?? "(unnamed)"}${p.version ? ` ${p.version}` : ""}${repo ? ` from ${repo}` : ""}`;
    }
    if (KUSTOMIZE_DIRECTORIES.includes(type)) return `kustomization ${p.directory}`;
    if (V1_YAML.includes(type)) return `yaml v1 ${type.split(":")[2]}`;
    if (CONFIG_GROUPS.includes(type) || CONFIG_FILES.includes(type)) {
        const files = [...list<unknown>(p.files), ...list<unknown>(p.file)].filter(unreadable);
        return files.length > 0 ? `manifests ${files.map((f) => JSON.stringify(f)).join(", ")}` : undefined;
    }
    return undefined;
}

/** Why an object's effect in the cluster is not what the pack sees: it installs manifests from elsewhere. */
function inClusterRenderer(o: KubeObject): string | undefined {
    const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
    if (group === CROSSPLANE_OBJECT && o.kind === "Object") return `${describeObject(o)} applies its manifest (checked here) in the cluster its ProviderConfig names, which the pack cannot see: where it lands is not verifiable offline`;
    if (rendersInCluster(o)) return `${describeObject(o)} installs manifests its controller fetches or renders in the cluster: its objects are not verifiable offline`;
    return undefined;
}

export const notVerifiableOffline: GuardrailResourcePolicy = {
    name: "not-verifiable-offline",
    description:
        "What the pack cannot see is reported: awsx components (their provider creates their resources, which a preview checks and an offline plan does not see, except load balancers and ECR repositories, which the offline plan builds as awsx does), and Kubernetes objects: Helm releases and charts (v2, v3, v4), kustomize directories, yaml v1 ConfigGroups and ConfigFiles (their transformations may change what they create), ConfigGroup/ConfigFile manifests at a URL, a glob or a path that cannot be read, GitOps objects that install manifests from elsewhere (Flux HelmRelease and Kustomization, Argo CD Application and ApplicationSet, and the like). Advisory: what they install is not checked offline.",
    why: "A chart or a GitOps source can hold privileged DaemonSets, cluster-admin bindings and namespaces without quotas, and an awsx load balancer its own security group; a finding keeps them from passing as if they had been checked.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Review the rendered manifests (helm template, kustomize build, the GitOps source at its pinned revision) against the guardrails, or declare the objects as typed resources or inline ConfigGroup YAML so the pack checks them; keep versions pinned. Run pulumi preview --policy-pack on programs with awsx components, or declare their resources with the aws provider.",
    validateResource: (args, report) => {
        if (args.type.startsWith(AWSX) && !AWSX_BUILT_OFFLINE.includes(args.type)) {
            report(`${args.type} is a component its provider builds: pulumi preview --policy-pack checks the resources it creates, an offline plan sees only its arguments`);
            return;
        }
        const what = rendered(args.type, args.props);
        if (what && V1_YAML.includes(args.type)) report(`${what}: its objects are checked as written, but the SDK's transformations (code) may change them before they are created`);
        else if (what) report(`${what} is rendered by the provider: its objects are not verifiable offline`);
        for (const o of kubernetesObjects(args.type, args.props)) {
            const why = inClusterRenderer(o);
            if (why) report(why);
        }
    },
};

/** The CloudFormation type a resource creates: a Cloud Control typeName, or an AWS Native token read as one. */
function cloudFormationTypes(type: string, p: Props): { types: string[]; via: string } | undefined {
    if (type === CLOUD_CONTROL) return { types: [typeof p.typeName === "string" ? p.typeName : "(unknown typeName)"], via: "Cloud Control" };
    if (type.startsWith("aws-native:")) {
        const [, service, name] = type.split(":");
        return { types: [`AWS::${service}::${name}`], via: `AWS Native (${type})` };
    }
    if (CLOUDFORMATION.includes(type)) {
        if (typeof p.templateBody !== "string") return { types: [`(template at ${p.templateUrl ?? "an unknown place"})`], via: "CloudFormation" };
        // JSON ("Type": "AWS::...") and YAML (Type: AWS::...) templates alike.
        const types = [...p.templateBody.matchAll(/["']?\bType["']?\s*:\s*["']?((?:AWS|Alexa|Custom)::[\w:-]+)/g)].map((m) => m[1]);
        return { types: [...new Set(types)], via: "a CloudFormation template" };
    }
    return undefined;
}

export const opaqueResourceTypes: GuardrailResourcePolicy = {
    name: "opaque-resource-types",
    description:
        "Resources no guardrail can reason about are reported unless their type is allowed: Cloud Control resources (by typeName), AWS Native resources, CloudFormation stacks and stack sets (by the types in their template), commands and dynamic providers. Mandatory unless config sets another level.",
    why: "A Cloud Control AWS::EKS::Nodegroup or an AWS Native cluster creates the same thing as the typed resource every other guardrail checks, without any of the checks.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Declare the resource with the aws or kubernetes provider so the guardrails check it, or add its type to allowedTypes after review.",
    configSchema: {
        properties: {
            allowedTypes: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "CloudFormation type names (AWS::Logs::LogGroup, AWS::CloudWatch::*) or Pulumi type tokens (command:local:Command) that may be used; case-insensitive, * patterns.",
            },
        },
    },
    validateResource: (args, report) => {
        const { allowedTypes } = args.getConfig<{ allowedTypes: string[] }>();
        const allowed = (t: string) => matchesAny(t, allowedTypes, { ignoreCase: true });
        if (OPAQUE_TOKENS.includes(args.type)) {
            if (!allowed(args.type)) report(`${args.type} runs code whose effect no guardrail can see`);
            return;
        }
        const created = cloudFormationTypes(args.type, args.props);
        const refused = created?.types.filter((t) => !allowed(t) && !allowed(args.type)) ?? [];
        if (refused.length > 0) report(`${created!.via} creates ${refused.join(", ")}, which no guardrail checks; allowed types: ${allowedTypes.join(", ") || "none"}`);
    },
};

export const unverifiablePolicies = [notVerifiableOffline, opaqueResourceTypes];
