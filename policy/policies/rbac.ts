import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { byResourceView } from "./cloudControl";
import { describeObject, KubeObject, kubernetesObjects, podSpecOf, unreadableManifests } from "./kubernetes";
import { ReadYaml, readYaml } from "./kubernetesYaml";
import { matchesAny } from "./patterns";
import { eachKnown, known } from "./preview";
import {
    aggregatedUserRole,
    builtInPower,
    DEFAULT_SYSTEM_NAMESPACES,
    describeSelector,
    HOLDS_TAKEOVER,
    isBuiltInRole,
    Landing,
    landing,
    providerNamespaces,
    RolePower,
    rulesPower,
    selectorMatches,
    selectsOwnRolesOnly,
    systemLanding,
} from "./rbacRules";
import { byKubernetesObject, byType, GuardrailResourcePolicy, GuardrailStackPolicy, list, Props, T } from "./support";
import { documentOf } from "./flags";

/**
 * Guardrails on who gets the whole cluster: Kubernetes RBAC bindings to cluster-admin (or a role
 * that is as much), workloads and tokens of system service accounts, and EKS access policies,
 * access entries and aws-auth mappings that make an IAM principal a cluster administrator. Only
 * the principals config names may.
 */

const ACCESS_POLICY_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
const SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";

const systemNamespacesSchema = {
    type: "array" as const,
    items: { type: "string" as const },
    default: DEFAULT_SYSTEM_NAMESPACES,
    description: "Namespaces (* patterns) where the cluster's own controllers run: owning one (its secrets, pods as its service accounts) is owning the cluster.",
};

const roleKey = (kind: string, name: string, namespace: string) => (kind === "ClusterRole" ? `ClusterRole/${name}` : `Role/${namespace}/${name}`);

/** A subject as config names it: `User:alice`, `Group:platform-admins`, `ServiceAccount:ci/deployer`. */
function subjectName(subject: Props, bindingNamespace: string): string {
    return subject?.kind === "ServiceAccount" ? `ServiceAccount:${subject.namespace ?? bindingNamespace}/${subject.name}` : `${subject?.kind}:${subject?.name}`;
}
const UNKNOWN_SUBJECT = "a subject not known until the resources exist";

type Declared = { o: KubeObject; urn: string; landing?: Landing; rules: RolePower };
type Context = { allowedSubjects: string[]; systemNamespaces: string[]; stack: ReturnType<typeof providerNamespaces>; report: (m: string, urn: string) => void };

export const clusterAdminBindings: GuardrailStackPolicy = {
    name: "cluster-admin-bindings",
    description:
        "ClusterRoleBindings and RoleBindings, however declared, grant cluster-admin (or a role that is as much by what its rules allow: every verb on every resource, escalate, bind, impersonating users, an aggregationRule picking roles the stack does not declare, built-in system:* roles) only to subjects config allows; nor admin, edit or any role that reads secrets or runs pods, cluster-wide or in a system namespace. Roles that widen built-in ones (a patch, a declaration of a built-in name, or an aggregate-to-* label) with such rules are refused, and so are workloads and service-account-token Secrets in system namespaces for accounts config does not allow.",
    why: "cluster-admin, or a role that can grant itself more, lets its holder read every secret and run anything on every node: one leaked token of that principal is the whole cluster. In kube-system, reading secrets or running a pod as a controller's service account is the same.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Bind a namespaced role (view, edit or admin through a RoleBinding in the team's namespace), or list the subject in allowedSubjects after review (User:<name>, Group:<name>, ServiceAccount:<namespace>/<name>). Run workloads in the team's namespace, as its own service accounts.",
    configSchema: {
        properties: {
            allowedSubjects: {
                type: "array",
                items: { type: "string" },
                default: [],
                description:
                    "Subjects that may hold cluster-admin, as User:<name>, Group:<name> or ServiceAccount:<namespace>/<name> (* patterns); a service account listed may also run workloads and have a token Secret in a system namespace. None by default; envstack's own stacks grant it only through EKS access entries.",
            },
            systemNamespaces: systemNamespacesSchema,
        },
    },
    validateStack: (args, report) => {
        const config = args.getConfig<{ allowedSubjects: string[]; systemNamespaces: string[] }>();
        const context: Context = { ...config, stack: providerNamespaces(args.resources), report };
        const roles = new Map<string, Declared>();
        const bindings: { o: KubeObject; r: PolicyResource }[] = [];
        eachKnown(args.resources, (r) => {
            for (const why of unreadableManifests(r.type, r.props)) report(why, r.urn);
            for (const o of kubernetesObjects(r.type, r.props)) {
                if (o.kind === "ClusterRole" || o.kind === "Role") {
                    const l = o.kind === "Role" ? landing(o.object, r.provider, context.stack) : undefined;
                    const rules = rulesPower(o.object?.rules);
                    // A patch keeps the rules the role already has: a built-in's are known.
                    if (o.via === "patch") {
                        const existing = builtInPower(o.kind, o.object?.metadata?.name, l !== undefined && systemLanding(l, context.systemNamespaces) !== undefined);
                        rules.admin ??= existing.admin;
                        rules.takeover ??= existing.takeover;
                    }
                    const role: Declared = { o, urn: r.urn, landing: l, rules };
                    for (const ns of l?.namespaces ?? ["default"]) roles.set(roleKey(o.kind, o.object?.metadata?.name, ns), role);
                } else if (o.kind === "ClusterRoleBinding" || o.kind === "RoleBinding") {
                    bindings.push({ o, r });
                } else {
                    checkRunsAs(o, r, context);
                }
            }
        });
        const power = rolePowers([...roles.values()]);
        for (const role of new Set(roles.values())) known(() => checkWidening(role, power(role), context));
        eachKnown(bindings, ({ o, r }) => checkBinding(o, r, roles, power, context));
    },
};

/** Each declared role's power, its aggregationRule resolved against the stack's ClusterRoles. */
function rolePowers(declared: Declared[]): (role: Declared) => RolePower {
    const clusterRoles = declared.filter((d) => d.o.kind === "ClusterRole");
    const memo = new Map<Declared, RolePower>();
    const powerOf = (role: Declared, seen: Set<Declared>): RolePower => {
        const cached = memo.get(role);
        if (cached) return cached;
        if (seen.has(role)) return {};
        seen.add(role);
        const power = { ...role.rules };
        const aggregation = role.o.kind === "ClusterRole" ? known(() => role.o.object?.aggregationRule) : undefined;
        for (const selector of list<Props>(aggregation?.clusterRoleSelectors)) {
            const userRole = aggregatedUserRole(selector);
            if (userRole) {
                // The stack's own roles carrying that label are judged where they are declared.
                const held = builtInPower("ClusterRole", userRole, false).takeover;
                if (held) power.takeover ??= `aggregates what ${held} aggregates`;
                continue;
            }
            if (!selectsOwnRolesOnly(selector)) {
                power.admin ??= `aggregates every ClusterRole labelled ${describeSelector(selector)}: roles the stack does not declare, cluster-admin possibly among them`;
                continue;
            }
            for (const other of clusterRoles) {
                if (other === role || !selectorMatches(selector, known(() => other.o.object?.metadata?.labels) ?? {})) continue;
                const absorbed = powerOf(other, seen);
                const name = other.o.object?.metadata?.name;
                if (absorbed.admin) power.admin ??= `aggregates ClusterRole ${name}: ${absorbed.admin}`;
                if (absorbed.takeover) power.takeover ??= `aggregates ClusterRole ${name}: ${absorbed.takeover}`;
            }
        }
        memo.set(role, power);
        return power;
    };
    return (role) => powerOf(role, new Set());
}

/** A declared role that replaces or feeds roles others are bound to: a patch, a built-in name, an aggregate-to-* label. */
function checkWidening(role: Declared, power: RolePower, context: Context): void {
    const { o } = role;
    const meta = o.object?.metadata ?? {};
    const inSystemNamespace = role.landing !== undefined && systemLanding(role.landing, context.systemNamespaces) !== undefined;
    const aggregatesInto = Object.entries(meta.labels ?? {})
        .filter(([k, v]) => k.startsWith("rbac.authorization.k8s.io/aggregate-to-") && String(v) === "true")
        .map(([k]) => k.slice("rbac.authorization.k8s.io/aggregate-to-".length));
    const builtIn = isBuiltInRole(o.kind, meta.name, inSystemNamespace);
    let whom: string;
    let holdsTakeover: boolean;
    if (aggregatesInto.length > 0) {
        whom = "the roles it aggregates into";
        holdsTakeover = aggregatesInto.every((target) => HOLDS_TAKEOVER.includes(target));
    } else if (o.via === "patch" || builtIn) {
        whom = o.via === "patch" ? "the existing role" : "the built-in role it replaces";
        // A takeover added to a role only bound in its own team namespace reaches nothing new.
        holdsTakeover = (o.kind === "ClusterRole" && HOLDS_TAKEOVER.includes(meta.name)) || (o.kind === "Role" && !inSystemNamespace);
    } else return;
    const gives = power.admin ?? (holdsTakeover ? undefined : power.takeover);
    if (gives) context.report(`${describeObject(o)} gives ${gives} to everyone bound to ${whom}`, role.urn);
}

function checkBinding(o: KubeObject, r: PolicyResource, roles: Map<string, Declared>, power: (role: Declared) => RolePower, context: Context): void {
    const clusterWide = o.kind === "ClusterRoleBinding";
    const l = clusterWide ? undefined : landing(o.object, r.provider, context.stack);
    const namespace = l?.namespaces[0] ?? "default";
    const system = l && systemLanding(l, context.systemNamespaces);
    const ref: Props = o.object?.roleRef ?? existingRoleRef(o, system !== undefined);
    const declared = roles.get(roleKey(ref.kind, ref.name, namespace));
    const own = declared ? power(declared) : {};
    const builtIn = ref.name === undefined && (clusterWide || system) ? { admin: `whatever role the existing ${o.kind} binds (the program does not show it)` } : builtInPower(ref.kind, ref.name, system !== undefined);
    const label = (why: string) => `${ref.kind} ${ref.name} (${why})`;
    const admin = own.admin ? label(own.admin) : builtIn.admin;
    const takeover = own.takeover ? label(own.takeover) : builtIn.takeover;
    const granted = admin ?? (takeover && (clusterWide ? `${takeover} in every namespace` : system ? `${takeover} in ${system.text}` : undefined));
    if (!granted) return;
    for (const subject of list<Props>(o.object?.subjects)) {
        // A subject computed from another resource's output cannot be allowed before it is known.
        const name = known(() => subjectName(subject, namespace)) ?? UNKNOWN_SUBJECT;
        if (!matchesAny(name, context.allowedSubjects)) context.report(`${describeObject(o)} grants ${granted} to ${name}, which config does not allow`, r.urn);
    }
}

/** A binding patch without roleRef keeps the existing one: the built-in bindings are named after their roles. */
function existingRoleRef(o: KubeObject, systemNamespace: boolean): Props {
    const name = o.object?.metadata?.name;
    const kind = o.kind === "ClusterRoleBinding" ? "ClusterRole" : "Role";
    return o.via === "patch" && isBuiltInRole(kind, name, systemNamespace) ? { kind, name } : {};
}

/**
 * Workloads and service-account-token Secrets in a system namespace act as its service accounts:
 * a pod there runs with its account's rights and can mount any Secret of the namespace, and a
 * token Secret puts the account's credential in the stack's state.
 */
function checkRunsAs(o: KubeObject, r: PolicyResource, context: Context): void {
    const token = o.kind === "Secret" && o.object?.type === SERVICE_ACCOUNT_TOKEN;
    const spec = o.kind === "PodTemplate" ? undefined : podSpecOf(o.kind, o.object);
    if (!token && !spec) return;
    const system = systemLanding(landing(o.object, r.provider, context.stack), context.systemNamespaces);
    // A workload's namespace not known yet in a preview is left to `pulumi up`; there are too many to report.
    if (!system || (!token && system.namespace === undefined)) return;
    const account = known((): string | null =>
        token ? o.object?.metadata?.annotations?.["kubernetes.io/service-account.name"] : spec?.serviceAccountName || spec?.serviceAccount || (o.via === "patch" ? null : "default"),
    );
    const subject =
        system.namespace === undefined || account === undefined ? UNKNOWN_SUBJECT : `ServiceAccount:${system.namespace}/${account ?? "(the account it already runs as)"}`;
    if (matchesAny(subject, context.allowedSubjects)) return;
    const [what, why] = token
        ? [`asks for a long-lived token of ${subject}`, "the token lands in the stack's state"]
        : [`runs as ${subject}`, "its pods act with that account's rights and can mount any Secret there"];
    context.report(`${describeObject(o)} ${what} in ${system.text}, which config does not allow: ${why}`, r.urn);
}

/** Access policies that, reaching a system namespace or every namespace, read its secrets or run its pods. */
const EKS_TAKEOVER_POLICIES = ["AmazonEKSAdminPolicy", "AmazonEKSEditPolicy", "AmazonEKSAdminViewPolicy", "AmazonEKSSecretReaderPolicy"];
/** Names EKS namespace wildcards are tried on, beside the config's own. */
const SYSTEM_WITNESSES = ["kube-system", "kube-public", "kube-node-lease"];

/** The system namespace an EKS scope namespace (a name, or a pattern with `*`) reaches, if any. */
function reachedSystemNamespace(scoped: string, systemNamespaces: string[]): string | undefined {
    const witnesses = [...SYSTEM_WITNESSES, ...systemNamespaces.map((s) => s.replace(/\*/g, ""))];
    return witnesses.find((w) => matchesAny(w, [scoped]) && matchesAny(w, systemNamespaces)) ?? (matchesAny(scoped.replace(/\*/g, ""), systemNamespaces) ? scoped : undefined);
}

/** The cluster-admin an EKS access policy grants, or undefined. */
function eksAdminPolicy(policyArn: unknown, scope: Props | undefined, systemNamespaces: string[]): string | undefined {
    const policy = String(policyArn ?? "").split("/").pop() ?? "";
    // Anything but an explicit namespace scope is the whole cluster.
    const clusterWide = scope?.type !== "namespace";
    if (policy === "AmazonEKSClusterAdminPolicy") return `AmazonEKSClusterAdminPolicy (${clusterWide ? "cluster" : "namespace"} scope)`;
    if (!EKS_TAKEOVER_POLICIES.includes(policy)) return undefined;
    if (clusterWide) return `${policy} at cluster scope`;
    for (const scoped of list<unknown>(scope?.namespaces).map(String)) {
        const reached = reachedSystemNamespace(scoped, systemNamespaces);
        if (reached) return `${policy} on namespace ${scoped}${scoped === reached ? "" : ` (${reached} among them)`}, a system namespace`;
    }
    return undefined;
}

const MASTERS = "system:masters";
type EksConfig = { allowedPrincipals: string[]; systemNamespaces: string[]; allowClusterCreatorAdmin: boolean };

export const eksClusterAdminAccess: GuardrailResourcePolicy = {
    name: "eks-cluster-admin-access",
    description:
        "EKS access policy associations (also @pulumi/eks accessEntries and aws-native AccessEntries) with AmazonEKSClusterAdminPolicy, or AmazonEKSAdminPolicy, EditPolicy or AdminViewPolicy at cluster scope or on a system namespace, aws-auth or roleMappings/userMappings into system:masters, and clusters that make their creator admin (bootstrapClusterCreatorAdminPermissions), name only IAM principals config allows.",
    why: "An IAM principal with the cluster-admin access policy is root in the cluster; anyone who can assume that role, in any account that trusts it, owns every workload and secret. Admin, edit or secret reads in kube-system or cluster-wide amount to the same.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Give teams AmazonEKSEditPolicy or AmazonEKSViewPolicy at namespace scope (envstack's Team does), or list the role ARN in allowedPrincipals after review. envstack's presets allow the adminRoleArns of its own stacks (Pulumi.<stack>.yaml). Set accessConfig.bootstrapClusterCreatorAdminPermissions to false and grant admins through access entries.",
    configSchema: {
        properties: {
            allowedPrincipals: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "IAM principal ARNs (* patterns) that may be cluster administrators. None by default; each preset lists the adminRoleArns of envstack's stack of that tier.",
            },
            systemNamespaces: systemNamespacesSchema,
            allowClusterCreatorAdmin: {
                type: "boolean",
                default: false,
                description:
                    "Whether the identity that deploys may be admin of the @pulumi/eks Clusters it creates (@pulumi/eks always sets bootstrapClusterCreatorAdminPermissions). Clusters declared otherwise must set it to false, or be deployed through an AWS provider assuming an allowed principal. Off by default; envstack's presets allow it, since envstack's own cluster is an @pulumi/eks Cluster administered through the deploying identity's kubeconfig.",
            },
        },
    },
    validateResource: [
        byType({
            [ACCESS_POLICY_ASSOCIATION]: (props, args, report) => {
                const config = args.getConfig<EksConfig>();
                checkPrincipal(props.principalArn, eksAdminPolicy(props.policyArn, props.accessScope, config.systemNamespaces), config, report);
            },
            [T.eksCluster]: (props, args, report) => checkCreatorAdmin(props.accessConfig, "accessConfig.bootstrapClusterCreatorAdminPermissions, true unless set to false", args, report),
            [T.eksClusterComponent]: (props, args, report) => {
                const config = args.getConfig<EksConfig>();
                for (const [key, entry] of Object.entries<Props>(props.accessEntries ?? {})) {
                    for (const policy of Object.values<Props>(entry?.accessPolicies ?? {})) {
                        checkPrincipal(entry?.principalArn, eksAdminPolicy(policy?.policyArn, policy?.accessScope, config.systemNamespaces), config, report, `accessEntries.${key}: `);
                    }
                }
                for (const [field, arnField] of [["roleMappings", "roleArn"], ["userMappings", "userArn"]] as const) {
                    for (const m of list<Props>(props[field])) if (list(m?.groups).includes(MASTERS)) checkPrincipal(m[arnField], `${MASTERS} (${field})`, config, report);
                }
                checkCreatorAdmin({}, "@pulumi/eks always sets bootstrapClusterCreatorAdminPermissions", args, report);
            },
        }),
        byResourceView({
            "aws-native:eks:AccessEntry": (props, args, report) => {
                const config = args.getConfig<EksConfig>();
                for (const policy of list<Props>(props.accessPolicies)) checkPrincipal(props.principalArn, eksAdminPolicy(policy?.policyArn, policy?.accessScope, config.systemNamespaces), config, report);
            },
            "aws-native:eks:Cluster": (props, args, report) => checkCreatorAdmin(props.accessConfig, "accessConfig.bootstrapClusterCreatorAdminPermissions, true unless set to false", args, report),
        }),
        byKubernetesObject((o, args, report) => {
            if (o.kind !== "ConfigMap" || o.object?.metadata?.name !== "aws-auth" || !mayBeKubeSystem(o, args.provider)) return;
            for (const [field, arnField] of [["mapRoles", "rolearn"], ["mapUsers", "userarn"]] as const) {
                const text = o.object?.data?.[field];
                if (text === undefined) continue;
                const read: ReadYaml = typeof text === "string" ? readYaml(text) : { documents: [text] };
                const entries = read.documents.length === 1 ? read.documents[0] : undefined;
                if (!Array.isArray(entries)) {
                    report(`${describeObject(o)}: data.${field} cannot be read as a list of mappings, so its grants cannot be checked`);
                    continue;
                }
                if (read.unreadable) {
                    report(`${describeObject(o)}: data.${field} cannot be read as aws-iam-authenticator reads it: ${read.unreadable}, which go-yaml resolves otherwise than the guardrails could`);
                    continue;
                }
                for (const m of entries as Props[]) {
                    if (!fields(m, "groups").flatMap((g) => list(g)).includes(MASTERS)) continue;
                    const arns = fields(m, arnField);
                    for (const arn of arns.length > 0 ? arns : [undefined]) checkPrincipal(arn, `${MASTERS} (aws-auth ${field})`, args.getConfig(), report, `${describeObject(o)}: `);
                }
            }
        }),
    ],
};

/** aws-auth without a namespace lands in its provider's: kube-system unless that provider names another. */
function mayBeKubeSystem(o: KubeObject, provider: { props: Props } | undefined): boolean {
    const l = landing(o.object, provider, { namespaces: ["kube-system"], unknown: false });
    const providerNamed = l.via === "provider" && typeof known(() => provider?.props?.namespace) === "string";
    return l.unknown || l.namespaces.includes("kube-system") || (l.via === "provider" && !providerNamed);
}

/**
 * An aws-auth mapping's fields as the authenticator reads them: encoding/json matches keys
 * case-insensitively (`RoleARN`, `Groups`), folding the Kelvin sign and the long s too.
 */
function fields(entry: unknown, name: string): unknown[] {
    if (typeof entry !== "object" || entry === null) return [];
    return Object.entries(entry).filter(([k]) => k.toUpperCase().toLowerCase() === name).map(([, v]) => v);
}

/** The role an AWS provider assumes (the last of its chain), which is who creates the cluster. */
function deployerRole(provider: Props | undefined): string | undefined {
    const chain = list<Props>(documentOf(known(() => provider?.assumeRoles)) as Props[]).concat(list<Props>(documentOf(known(() => provider?.assumeRole)) as Props));
    const arn = chain[chain.length - 1]?.roleArn;
    return typeof arn === "string" ? arn : undefined;
}

/** Whether a cluster is made by @pulumi/eks, which always makes its creator admin: the component, or its own aws.eks.Cluster. */
function byEksComponent(type: string, urn: string): boolean {
    const chain = (urn.split("::")[2] ?? "").split("$");
    return type === T.eksClusterComponent || chain[chain.length - 2] === T.eksClusterComponent;
}

function checkCreatorAdmin(accessConfig: Props | undefined, how: string, args: ResourceValidationArgs, report: (m: string) => void): void {
    const bootstrap = accessConfig?.bootstrapClusterCreatorAdminPermissions;
    if (bootstrap === false || bootstrap === "false") return;
    const config = args.getConfig<EksConfig>();
    // The knob covers only what cannot be turned off; a cluster declared directly can set the flag to false.
    if (config.allowClusterCreatorAdmin && byEksComponent(args.type, args.urn)) return;
    const creator = deployerRole(args.provider?.props);
    if (creator !== undefined && matchesAny(creator, config.allowedPrincipals)) return;
    report(
        `the identity that deploys (${creator ?? "not named by the program's AWS provider"}) gets AmazonEKSClusterAdminPolicy on the cluster it creates (${how}); allowed principals: ${config.allowedPrincipals.join(", ") || "none"}`,
    );
}

function checkPrincipal(principal: unknown, grant: string | undefined, config: { allowedPrincipals: string[] }, report: (m: string) => void, prefix = ""): void {
    if (!grant) return;
    const arn = typeof principal === "string" ? principal : "";
    if (!matchesAny(arn, config.allowedPrincipals)) {
        report(`${prefix}${JSON.stringify(principal ?? null)} gets ${grant}; allowed principals: ${config.allowedPrincipals.join(", ") || "none"}`);
    }
}

export const rbacPolicies = [clusterAdminBindings, eksClusterAdminAccess];
