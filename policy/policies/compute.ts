import { INSTANCE_TYPES } from "../../components/config/instanceTypes";
import { byType, Check, forEach, GuardrailResourcePolicy, list, Props, T } from "./support";

/** Guardrails on how clusters and nodes are reachable and what they run on. */

export const eksControlPlaneLogging: GuardrailResourcePolicy = {
    name: "eks-control-plane-logging",
    description: "EKS clusters send at least the api and audit control-plane logs to CloudWatch.",
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
    validateResource: byType(
        forEach([T.eksCluster, T.eksClusterComponent], (props, args, report) => {
            const { requiredLogTypes } = args.getConfig<{ requiredLogTypes: string[] }>();
            const enabled = list<string>(props.enabledClusterLogTypes);
            const missing = requiredLogTypes.filter((t) => !enabled.includes(t));
            if (missing.length > 0) report(`control-plane log types ${missing.join(", ")} are not enabled (enabled: ${enabled.join(", ") || "none"})`);
        }),
    ),
};

export const imdsv2Required: GuardrailResourcePolicy = {
    name: "imdsv2-required",
    description: "Nodes and instances require IMDSv2 (session tokens) for the instance metadata service.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set metadataOptions.httpTokens to \"required\" (launch templates, instances, EC2NodeClasses); give managed node groups such a launch template.",
    validateResource: byType({
        ...forEach([T.launchTemplate, T.instance], (props, _, report) => {
            const options = props.metadataOptions ?? {};
            if (options.httpEndpoint === "disabled") return;
            if (options.httpTokens !== "required") report(`metadataOptions.httpTokens is ${JSON.stringify(options.httpTokens ?? "optional (default)")}; IMDSv1 stays reachable`);
        }),
        [T.ec2NodeClass]: (props, _, report) => {
            // Karpenter's default is IMDSv2; only an explicit "optional" is a problem.
            const tokens = props.spec?.metadataOptions?.httpTokens;
            if (tokens !== undefined && tokens !== "required") report(`spec.metadataOptions.httpTokens is ${JSON.stringify(tokens)}; use "required"`);
        },
        [T.managedNodeGroupComponent]: (props, _, report) => {
            if (!props.launchTemplate) report("no launchTemplate: EKS's default template does not require IMDSv2");
        },
    }),
};

export const eksPublicEndpoint: GuardrailResourcePolicy = {
    name: "eks-public-endpoint",
    description: "An EKS API endpoint is never public to the whole internet, unless config allows it for this environment.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Turn the public endpoint off (private access only), or list your VPN and office CIDRs in publicAccessCidrs.",
    configSchema: {
        properties: {
            allowOpenToInternet: { type: "boolean", default: false, description: "Let a public endpoint open to 0.0.0.0/0 through (for throwaway environments only)." },
        },
    },
    validateResource: byType({
        [T.eksCluster]: (props, args, report) => checkEndpoint(props.vpcConfig?.endpointPublicAccess, props.vpcConfig?.publicAccessCidrs, args.getConfig(), report),
        [T.eksClusterComponent]: (props, args, report) => checkEndpoint(props.endpointPublicAccess, props.publicAccessCidrs, args.getConfig(), report),
    }),
};

function checkEndpoint(publicAccess: unknown, cidrs: unknown, config: { allowOpenToInternet?: boolean }, report: (m: string) => void): void {
    // Both AWS and @pulumi/eks default to a public endpoint open to everyone.
    if (publicAccess === false || config.allowOpenToInternet) return;
    const allowed = list<string>(cidrs as string[]);
    const open = allowed.length === 0 ? ["0.0.0.0/0 (the default)"] : allowed.filter((c) => c === "0.0.0.0/0" || c === "::/0");
    if (open.length > 0) report(`the public endpoint is open to ${open.join(", ")}`);
}

/** Every instance family in envstack's reviewed table, as `family.*` patterns. */
export const DEFAULT_ALLOWED_INSTANCE_TYPES = [...new Set(Object.keys(INSTANCE_TYPES).map((t) => `${t.split(".")[0]}.*`))];
export const DEFAULT_ALLOWED_CATEGORIES = ["c", "m", "r", "t"];

type AllowListConfig = { allowedInstanceTypes: string[]; allowedInstanceCategories: string[] };

function matches(type: string, patterns: string[]): boolean {
    return patterns.some((p) => (p.endsWith(".*") ? type.startsWith(p.slice(0, -1)) : type === p));
}

const checkTypes =
    (field: (props: Props) => unknown): Check =>
    (props, args, report) => {
        const { allowedInstanceTypes } = args.getConfig<AllowListConfig>();
        const refused = list<string>(field(props) as string[]).filter((t) => !matches(t, allowedInstanceTypes));
        if (refused.length > 0) report(`instance type(s) ${refused.join(", ")} are not on the allow-list (${allowedInstanceTypes.join(", ")})`);
    };

export const instanceTypeAllowList: GuardrailResourcePolicy = {
    name: "instance-type-allowlist",
    description: "Nodes use instance types, and Karpenter NodePools instance categories, from an allow-list.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Pick types from the allow-list, or extend the list in the policy config after review; NodePools must restrict karpenter.k8s.aws/instance-category (or instance-type/family) with operator In.",
    configSchema: {
        properties: {
            allowedInstanceTypes: { type: "array", items: { type: "string" }, default: DEFAULT_ALLOWED_INSTANCE_TYPES, description: "Exact types or family.* patterns." },
            allowedInstanceCategories: { type: "array", items: { type: "string" }, default: DEFAULT_ALLOWED_CATEGORIES, description: "Karpenter instance categories." },
        },
    },
    validateResource: byType({
        ...forEach([T.managedNodeGroupComponent, T.eksNodeGroup], checkTypes((p) => p.instanceTypes)),
        ...forEach([T.launchTemplate, T.instance], checkTypes((p) => p.instanceType)),
        [T.nodePool]: (props, args, report) => {
            const config = args.getConfig<AllowListConfig>();
            const requirements = list<Props>(props.spec?.template?.spec?.requirements);
            const valuesOf = (key: string) => requirements.find((r) => r.key === key && r.operator === "In")?.values as string[] | undefined;
            const categories = valuesOf("karpenter.k8s.aws/instance-category");
            const types = valuesOf("node.kubernetes.io/instance-type");
            const families = valuesOf("karpenter.k8s.aws/instance-family");
            if (!categories && !types && !families) {
                report("the NodePool may launch any instance type: add a karpenter.k8s.aws/instance-category requirement with operator In");
            }
            const refusedCategories = list(categories).filter((c) => !config.allowedInstanceCategories.includes(c));
            if (refusedCategories.length > 0) report(`instance categories ${refusedCategories.join(", ")} are not allowed (allowed: ${config.allowedInstanceCategories.join(", ")})`);
            const refusedTypes = [...list(types), ...list(families).map((f) => `${f}.*`)].filter((t) => !matches(t, config.allowedInstanceTypes) && !config.allowedInstanceTypes.includes(t));
            if (refusedTypes.length > 0) report(`instance types/families ${refusedTypes.join(", ")} are not on the allow-list`);
        },
    }),
};

export const computePolicies = [eksControlPlaneLogging, imdsv2Required, eksPublicEndpoint, instanceTypeAllowList];
