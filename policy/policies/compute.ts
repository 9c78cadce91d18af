import type { StackValidationPolicy } from "@pulumi/policy";
import { INSTANCE_TYPES } from "../../components/config/instanceTypes";
import { byResourceView } from "./cloudControl";
import { choiceWithinAllowList, COMPUTE_TYPES as C, hasDefaultNodeGroup, instanceChoices, requirementsProblem, withinAllowList } from "./instanceChoices";
import { describeObject } from "./kubernetes";
import { templateIndex, templateRefsOf } from "./launchTemplates";
import { isKarpenterCapacity, requirementsOf, restriction } from "./nodePools";
import { emrMetadataChecks, securityConfigurations, undeclaredSecurityConfiguration } from "./emrMetadata";
import { matchesAny } from "./patterns";
import { computeView, withNative } from "./nativeCompute";
import { eachKnown } from "./preview";
import { beanstalkMetadataProblem, BEANSTALK_TYPES, SERVICE_TYPES } from "./serviceCompute";
import { byKubernetesObject, Check, forEach, GuardrailResourcePolicy, list, Props, T } from "./support";
import { judgedWhole } from "./upserts";

/** Guardrails on what clusters log, and what nodes run on and expose to their containers. */

const NATIVE_EKS_CLUSTER = "aws-native:eks:Cluster";

function checkLogTypes(enabled: string[], config: { requiredLogTypes: string[] }, report: (m: string) => void): void {
    const missing = config.requiredLogTypes.filter((t) => !enabled.includes(t));
    if (missing.length > 0) report(`control-plane log types ${missing.join(", ")} are not enabled (enabled: ${enabled.join(", ") || "none"})`);
}

export const eksControlPlaneLogging: GuardrailResourcePolicy = {
    name: "eks-control-plane-logging",
    description: "EKS clusters send at least the api and audit control-plane logs to CloudWatch.",
    why: "Without the audit log, who did what to the cluster (a leaked credential, a deleted namespace) cannot be found out afterwards.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Add the missing types to enabledClusterLogTypes (envstack enables all five: api, audit, authenticator, controllerManager, scheduler).",
    configSchema: {
        properties: {
            requiredLogTypes: {
                type: "array",
                items: { type: "string", enum: ["api", "audit", "authenticator", "controllerManager", "scheduler"] },
                default: ["api", "audit"],
                description: "Control-plane log types every cluster must enable.",
            },
        },
    },
    validateResource: byResourceView({
        ...forEach([T.eksCluster, T.eksClusterComponent], (props, args, report) => checkLogTypes(list<string>(props.enabledClusterLogTypes), args.getConfig(), report)),
        [NATIVE_EKS_CLUSTER]: (props, args, report) => {
            const enabled = list<Props>(props.logging?.clusterLogging?.enabledTypes).map((t) => t?.type);
            checkLogTypes(enabled.filter((t): t is string => typeof t === "string"), args.getConfig(), report);
        },
    }),
};

type MetadataDefaults = { tokens?: string; hop?: number | "ami" };

/**
 * What a metadataOptions block leaves open. `defaults` are what applies to a field left out: a
 * patch has none (it changes only what it states); "ami" means the AMI decides (1 or 2 hops).
 */
function metadataProblems(field: string, options: Props | undefined, maxHopLimit: number, defaults: MetadataDefaults): string[] {
    const o = options ?? {};
    if (o.httpEndpoint === "disabled") return [];
    const problems: string[] = [];
    const tokens = o.httpTokens ?? defaults.tokens;
    if (tokens !== undefined && tokens !== "required") problems.push(`${field}.httpTokens is ${JSON.stringify(o.httpTokens ?? `${tokens} (default)`)}; IMDSv1 stays reachable`);
    const hop = o.httpPutResponseHopLimit ?? defaults.hop;
    if (hop === "ami" && maxHopLimit < 2) {
        problems.push(`${field}.httpPutResponseHopLimit is not set: AMIs that default to IMDSv2 allow 2 hops, so containers reach the node's credentials; set it to 1`);
    } else if (hop !== undefined && hop !== "ami" && !(Number(hop) <= maxHopLimit)) {
        problems.push(`${field}.httpPutResponseHopLimit is ${hop}; at most ${maxHopLimit} here, or containers reach the node's credentials`);
    }
    return problems;
}

const FROM_TEMPLATE = "no launchTemplate: EKS's default template does not require IMDSv2 with hop limit 1";

const awsMetadata = byResourceView(withNative({
    ...forEach([T.launchTemplate, C.launchConfiguration], (props, args, report) => {
        for (const p of metadataProblems("metadataOptions", props.metadataOptions, args.getConfig<ImdsConfig>().maxHopLimit, { tokens: "optional", hop: "ami" })) report(p);
    }),
    // An instance launched from a template takes the template's options unless it states its own; the template is judged where it is declared.
    ...forEach([T.instance, C.spotInstanceRequest], (props, args, report) => {
        if (props.launchTemplate && !props.metadataOptions) return;
        for (const p of metadataProblems("metadataOptions", props.metadataOptions, args.getConfig<ImdsConfig>().maxHopLimit, { tokens: "optional", hop: "ami" })) report(p);
    }),
    [C.nativeLaunchTemplate]: (props, args, report) => {
        const options = props.launchTemplateData?.metadataOptions;
        for (const p of metadataProblems("launchTemplateData.metadataOptions", options, args.getConfig<ImdsConfig>().maxHopLimit, { tokens: "optional", hop: "ami" })) report(p);
    },
    [C.nativeInstance]: (props, _, report) => {
        if (!props.launchTemplate) report("a CloudFormation instance cannot set metadata options: launch it from a launch template that requires IMDSv2");
    },
    [C.spotFleetRequest]: (props, _, report) => {
        if (list(props.launchSpecifications).length > 0) report("launchSpecifications cannot set metadata options: use launchTemplateConfigs with a template that requires IMDSv2");
    },
    [T.managedNodeGroupComponent]: (props, args, report) => {
        if (props.launchTemplate) return;
        const { maxHopLimit } = args.getConfig<ImdsConfig>();
        // @pulumi/eks's own template for enableIMDSv2 requires tokens with 2 hops.
        if (props.enableIMDSv2 === true) {
            if (maxHopLimit < 2) report("enableIMDSv2 makes a template with httpPutResponseHopLimit 2, so containers reach the node's credentials: give the group a launch template with hop limit 1");
        } else report(FROM_TEMPLATE);
    },
    [T.eksNodeGroup]: (props, _, report) => {
        if (!props.launchTemplate) report(FROM_TEMPLATE);
    },
    ...forEach([C.nodeGroupComponent, C.nodeGroupV2Component], (_, __, report) => {
        report("@pulumi/eks self-managed node groups cannot set metadata options, so the AMI's defaults apply: use a managed node group with a launch template");
    }),
    [T.eksClusterComponent]: (props, _, report) => {
        if (hasDefaultNodeGroup(props)) report("the default node group cannot set metadata options: set skipDefaultNodeGroup and add managed node groups with launch templates");
    },
    ...forEach([C.batchComputeEnvironment, C.nativeBatchComputeEnvironment], (props, _, report) => {
        const resources = props.computeResources;
        // Fargate compute has no instance metadata; an unmanaged environment launches nothing itself.
        if (!resources || String(resources.type).toUpperCase().startsWith("FARGATE") || resources.launchTemplate) return;
        report("computeResources has no launchTemplate: Batch launches its instances with the AMI's metadata defaults, IMDSv1 included; give it a launch template that requires IMDSv2 with hop limit 1");
    }),
    ...emrMetadataChecks(),
    ...forEach([SERVICE_TYPES.imageBuilderInfrastructure, SERVICE_TYPES.nativeImageBuilderInfrastructure], (props, args, report) => {
        const options = props.instanceMetadataOptions;
        for (const p of metadataProblems("instanceMetadataOptions", options, args.getConfig<ImdsConfig>().maxHopLimit, { tokens: "optional", hop: "ami" })) report(p);
    }),
    // Beanstalk sets no hop limit; DisableIMDSv1 is the one option it has.
    ...Object.fromEntries(BEANSTALK_TYPES.map((type): [string, Check] => [type, (props, _, report) => {
        const problem = beanstalkMetadataProblem(type, props);
        if (problem) report(problem);
    }])),
    ...forEach([C.notebook, C.nativeNotebook], (props, _, report) => {
        const version = props.instanceMetadataServiceConfiguration?.minimumInstanceMetadataServiceVersion;
        if (String(version) !== "2") report(`instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion is ${JSON.stringify(version ?? "1 (default)")}; IMDSv1 stays reachable`);
    }),
    ...forEach([C.cloud9, C.nativeCloud9], (props, args, report) => {
        // Amazon Linux 2023 images require tokens with 2 hops; the others leave IMDSv1 on.
        const twoHops = /amazonlinux-2023/.test(String(props.imageId ?? ""));
        if (twoHops && args.getConfig<ImdsConfig>().maxHopLimit >= 2) return;
        report(`a Cloud9 environment cannot set metadata options, so its image's defaults apply (${twoHops ? "2 hops" : "IMDSv1 reachable"}): run the IDE on an instance whose options you set`);
    }),
}));

const karpenterMetadata = byKubernetesObject((o, args, report) => {
    if (!o.apiVersion.startsWith("karpenter.k8s.aws/") || (o.kind !== "EC2NodeClass" && o.kind !== "AWSNodeTemplate")) return;
    // Karpenter's v1 default is tokens required with 1 hop; earlier versions defaulted to 2 hops. A patch that may create the class gets them too.
    const defaults: MetadataDefaults = judgedWhole(o) ? { tokens: "required", hop: o.apiVersion === "karpenter.k8s.aws/v1" ? 1 : 2 } : {};
    const problems = metadataProblems("spec.metadataOptions", o.object?.spec?.metadataOptions, args.getConfig<ImdsConfig>().maxHopLimit, defaults);
    const prefix = o.via === "resource" ? "" : `${describeObject(o)}: `;
    for (const p of problems) report(`${prefix}${p}`);
});

type ImdsConfig = { maxHopLimit: number; trustedLaunchTemplates: string[] };

/** What a resource leaves to the templates it launches from: metadata options, its root volume. */
function leftToTemplate(type: string, props: Props): string | undefined {
    switch (type) {
        case T.instance:
        case C.spotInstanceRequest: {
            const left = [props.metadataOptions ? "" : "IMDS options", props.rootBlockDevice ? "" : "root-volume encryption"].filter(Boolean);
            return left.length > 0 ? left.join(" and ") : undefined;
        }
        case C.nativeInstance:
        case T.autoscalingGroup:
        case C.nativeAutoScalingGroup:
        case T.eksNodeGroup:
        case T.managedNodeGroupComponent:
        case C.spotFleetRequest:
        case C.fleet:
        case C.batchComputeEnvironment:
        case C.nativeBatchComputeEnvironment:
            return "IMDS options and root-volume encryption";
        default:
            return undefined;
    }
}

/**
 * A template the program does not declare cannot be judged: whatever launches from one is
 * reported, unless config trusts the template's id or name. In a preview a new template has no
 * id yet; a resource that depends on a declared template is then taken to use it.
 */
const undeclaredTemplates: StackValidationPolicy["validateStack"] = (args, report) => {
    const { trustedLaunchTemplates } = args.getConfig<ImdsConfig>();
    const templates = templateIndex(args.resources);
    const emrConfigurations = securityConfigurations(args.resources);
    eachKnown(args.resources, (r) => {
        const { type, props } = computeView(r.type, r.props);
        const configuration = type === C.emrCluster ? undeclaredSecurityConfiguration(r, props, emrConfigurations) : undefined;
        if (configuration) report(`EMR security configuration ${configuration} is not declared in this program, so its IMDS options cannot be judged: declare it here`, r.urn);
        const left = leftToTemplate(type, props);
        if (!left) return;
        for (const ref of templateRefsOf(props)) {
            if (ref.pending || ref.refs.some((k) => templates.has(k) || matchesAny(k, trustedLaunchTemplates))) continue;
            report(`launch template ${ref.refs.join(" / ")} is not declared in this program, so its ${left} cannot be judged: declare the template here, or list it in trustedLaunchTemplates after review`, r.urn);
        }
    });
};

export const imdsv2Required: GuardrailResourcePolicy & Pick<StackValidationPolicy, "validateStack"> = {
    name: "imdsv2-required",
    description:
        "Instances and nodes require IMDSv2 with a response hop limit of 1 (2 where config allows): launch templates and configurations, instances, Spot requests and fleets, node groups, Batch compute environments, Cloud9 environments, Image Builder infrastructure configurations, Elastic Beanstalk environments and templates (DisableIMDSv1), EMR clusters (through their security configuration), SageMaker notebooks, and Karpenter EC2NodeClasses however declared; whatever launches from a template (or EMR security configuration) the program does not declare is reported unless config trusts it.",
    why: "With IMDSv1 or a second hop, an SSRF bug or any container on the node can read the node role's credentials from the metadata service.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set metadataOptions.httpTokens to \"required\" and httpPutResponseHopLimit to 1 (launch templates, instances, launch configurations, EC2NodeClasses); give node groups, Batch and launches from elsewhere such a launch template declared here; EMR clusters a security configuration with MinimumInstanceMetadataServiceVersion 2; SageMaker notebooks minimumInstanceMetadataServiceVersion 2; use Pod Identity rather than node credentials.",
    configSchema: {
        properties: {
            maxHopLimit: { type: "integer", enum: [1, 2], default: 1, description: "Largest httpPutResponseHopLimit allowed (2 only where pods need the node's metadata)." },
            trustedLaunchTemplates: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Ids or names (* patterns) of launch templates and configurations declared elsewhere, reviewed for IMDSv2 and root-volume encryption, that resources may launch from.",
            },
        },
    },
    validateResource: (args, report) => {
        awsMetadata(args, report);
        karpenterMetadata(args, report);
    },
    validateStack: undeclaredTemplates,
};

/** Every instance family in envstack's reviewed table but the GPU ones, as `family.*` patterns: a tier opts into GPUs by name. */
export const DEFAULT_ALLOWED_INSTANCE_TYPES = [...new Set(Object.keys(INSTANCE_TYPES).filter((t) => !INSTANCE_TYPES[t].gpus).map((t) => `${t.split(".")[0]}.*`))];
export const DEFAULT_ALLOWED_CATEGORIES = ["c", "m", "r", "t"];

type AllowListConfig = { allowedInstanceTypes: string[]; allowedInstanceCategories: string[]; allowedGpuInstanceTypes: string[] };
/** The configured list with the tier's GPU types added. */
const allowList = (config: AllowListConfig) => [...config.allowedInstanceTypes, ...(config.allowedGpuInstanceTypes ?? [])];

const CHOICE_TYPES = [
    T.managedNodeGroupComponent, T.eksNodeGroup, T.eksClusterComponent, T.launchTemplate, T.instance, T.autoscalingGroup,
    ...Object.values(C), ...Object.values(SERVICE_TYPES),
];

const awsInstanceTypes = byResourceView(
    withNative(Object.fromEntries(
        CHOICE_TYPES.map((type): [string, Check] => [
            type,
            (props, args, report) => {
                const allowedInstanceTypes = allowList(args.getConfig<AllowListConfig>());
                const choices = instanceChoices(type, props);
                const named = (c: (typeof choices)[number]) => (c.launches && c.launches[0] !== `${c.instanceType}.*` ? `${c.instanceType} (${c.launches.join(", ")})` : c.instanceType!);
                const refused = [...new Set(choices.flatMap((c) => (c.instanceType && !choiceWithinAllowList(c, allowedInstanceTypes) ? [named(c)] : [])))];
                if (refused.length > 0) report(`instance type(s) ${refused.join(", ")} are not on the allow-list (${allowedInstanceTypes.join(", ")})`);
                for (const c of choices) {
                    const problem = c.requirements ? requirementsProblem(c.requirements, allowedInstanceTypes) : undefined;
                    if (problem) report(`${c.where} ${problem}`);
                }
                if (type === C.capacityBlock) report("a Capacity Block's instance type comes from its offering, which cannot be checked against the allow-list");
            },
        ]),
    )),
);

const nodePoolInstanceTypes = byKubernetesObject((o, args, report) => {
    if (!isKarpenterCapacity(o)) return;
    // A patch that leaves the requirements alone changes nothing here, unless it may create the object.
    if (!judgedWhole(o) && requirementsOf(o) === undefined) return;
    const config = args.getConfig<AllowListConfig>();
    const prefix = o.via === "resource" ? "" : `${describeObject(o)}: `;
    const { unrestricted, categories, families, types } = restriction(o);
    if (unrestricted) report(`${prefix}${unrestricted}`);
    const refusedCategories = categories.filter((c) => !config.allowedInstanceCategories.includes(c));
    if (refusedCategories.length > 0) report(`${prefix}instance categories ${refusedCategories.join(", ")} are not allowed (allowed: ${config.allowedInstanceCategories.join(", ")})`);
    const refusedTypes = [...new Set([...types, ...families.map((f) => `${f}.*`)])].filter((t) => !withinAllowList(t, allowList(config)));
    if (refusedTypes.length > 0) report(`${prefix}instance types/families ${refusedTypes.join(", ")} are not on the allow-list`);
});

export const instanceTypeAllowList: GuardrailResourcePolicy = {
    name: "instance-type-allowlist",
    description:
        "Everything that launches instances picks them from an allow-list: node groups, launch templates and configurations, instances, Spot requests, Auto Scaling group and fleet overrides, instance requirements (allowedInstanceTypes), Batch (families and keywords by what they may launch), Cloud9, capacity reservations, Dedicated Hosts, EMR, Image Builder, Elastic Beanstalk option settings, ECS Managed Instances (instance requirements), SageMaker notebooks, endpoints (ml. types) and Studio domains, profiles, spaces and apps, and Karpenter NodePools and NodeClaims (categories, families, types, read by the keys their node class uses) however declared.",
    why: "One GPU or very large instance type slipped into a node group, an override or open instance requirements costs more per hour than a whole environment.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
        "Pick types from the allow-list, or extend the list in the policy config after review (GPU types in allowedGpuInstanceTypes); list allowedInstanceTypes in instance requirements; NodePools must restrict karpenter.k8s.aws/instance-category (eks.amazonaws.com/instance-category on EKS Auto Mode; or instance-type/family) with operator In.",
    configSchema: {
        properties: {
            allowedInstanceTypes: { type: "array", items: { type: "string" }, default: DEFAULT_ALLOWED_INSTANCE_TYPES, description: "Exact types or family.* patterns." },
            allowedInstanceCategories: { type: "array", items: { type: "string" }, default: DEFAULT_ALLOWED_CATEGORIES, description: "Karpenter instance categories." },
            allowedGpuInstanceTypes: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "GPU types or family.* patterns this tier may run, on top of the list (none by default); their capacity must also be tainted and within the GPU ceiling.",
            },
        },
    },
    validateResource: (args, report) => {
        awsInstanceTypes(args, report);
        nodePoolInstanceTypes(args, report);
    },
};

export const computePolicies = [eksControlPlaneLogging, imdsv2Required, instanceTypeAllowList];

