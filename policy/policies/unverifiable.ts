import * as fs from "node:fs";
import { HELM_TYPES } from "./kubernetes";
import { matchesAny } from "./patterns";
import { GuardrailResourcePolicy, list, Props } from "./support";

/**
 * What the pack cannot see into is reported, never passed in silence: Kubernetes objects a
 * provider renders (Helm releases, kustomize directories, manifests at URLs or globs), and
 * resources whose effect is opaque to every guardrail (Cloud Control, AWS Native, CloudFormation,
 * commands and dynamic providers).
 */

const KUSTOMIZE_DIRECTORY = "kubernetes:kustomize/v2:Directory";
const CONFIG_GROUP = "kubernetes:yaml/v2:ConfigGroup";
const CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile";
const CLOUD_CONTROL = "aws:cloudcontrol/resource:Resource";
const CLOUDFORMATION = ["aws:cloudformation/stack:Stack", "aws:cloudformation/stackSet:StackSet"];
/** Resources that run what they are given: the pack sees a command line or a function, not its effect. */
const OPAQUE_TOKENS = ["command:local:Command", "command:remote:Command", "pulumi-nodejs:dynamic:Resource", "pulumi-python:dynamic:Resource"];

/** Manifest files the pack reads itself; a URL, a glob or a missing path is read only by the provider. */
const unreadable = (f: unknown) => typeof f === "string" && (/^[a-z][a-z0-9+.-]*:\/\//i.test(f) || /[*?[{]/.test(f) || !fs.existsSync(f));

/** What a renderer installs, for the message: `chart karpenter 1.2.3 from oci://...`. */
function rendered(type: string, p: Props): string | undefined {
    if (HELM_TYPES.includes(type)) {
        const repo = p.repositoryOpts?.repo ? ` from ${p.repositoryOpts.repo}` : "";
        return `Helm chart ${p.chart ?? "(unnamed)"}${p.version ? ` ${p.version}` : ""}${repo}`;
    }
    if (type === KUSTOMIZE_DIRECTORY) return `kustomization ${p.directory}`;
    if (type === CONFIG_GROUP || type === CONFIG_FILE) {
        const files = [...list<unknown>(p.files), ...list<unknown>(p.file)].filter(unreadable);
        return files.length > 0 ? `manifests ${files.map((f) => JSON.stringify(f)).join(", ")}` : undefined;
    }
    return undefined;
}

export const kubernetesNotVerifiable: GuardrailResourcePolicy = {
    name: "kubernetes-not-verifiable-offline",
    description:
        "Kubernetes objects the pack cannot see are reported: a Helm release or Helm v4 chart (rendered in the provider), a kustomize directory, ConfigGroup/ConfigFile manifests at a URL, a glob or a path that cannot be read. Advisory: the chart's workloads, namespaces and bindings are not checked offline.",
    why: "A chart can hold privileged DaemonSets, cluster-admin bindings and namespaces without quotas; a finding keeps an unreviewed chart from passing as if it had been checked.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        "Review the rendered manifests (helm template, kustomize build) against the guardrails, or declare the objects as typed resources or inline ConfigGroup YAML so the pack checks them; keep the chart version pinned.",
    validateResource: (args, report) => {
        const what = rendered(args.type, args.props);
        if (what) report(`${what} is rendered by the provider: its objects are not verifiable offline`);
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

export const unverifiablePolicies = [kubernetesNotVerifiable, opaqueResourceTypes];
