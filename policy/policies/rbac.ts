import { load } from "js-yaml";
import { describeObject, KubeObject, kubernetesObjects } from "./kubernetes";
import { matchesAny } from "./patterns";
import { eachKnown, known } from "./preview";
import { byKubernetesObject, byType, GuardrailResourcePolicy, GuardrailStackPolicy, list, Props, T } from "./support";

/**
 * Guardrails on who gets the whole cluster: Kubernetes RBAC bindings to cluster-admin (or a role
 * that is as much), and EKS access policies, access entries and aws-auth mappings that make an IAM
 * principal a cluster administrator. Only the principals config names may.
 */

const ACCESS_POLICY_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
/** ClusterRoles that, bound cluster-wide, reach every namespace's secrets and pods (kube-system's too). */
const BROAD_WHEN_CLUSTER_WIDE = ["admin", "edit"];
const SELF_GRANTING_VERBS = ["escalate", "bind", "impersonate"];

/** Why a role's rules amount to cluster-admin, or undefined. */
function adminEquivalent(rules: unknown): string | undefined {
    for (const rule of list<Props>(rules as Props[])) {
        const verbs = list<string>(rule?.verbs);
        const resources = list<string>(rule?.resources);
        if (verbs.includes("*") && resources.includes("*")) return "every verb on every resource";
        const selfGranting = verbs.filter((v) => SELF_GRANTING_VERBS.includes(v));
        if (selfGranting.length > 0) return `the ${selfGranting.join(", ")} verb(s), with which it can grant itself anything`;
        if (verbs.includes("*") && resources.some((r) => r === "roles" || r === "clusterroles")) return "every verb on roles, escalate included";
    }
    return undefined;
}

const roleKey = (kind: string, name: string, namespace: string) => (kind === "ClusterRole" ? `ClusterRole/${name}` : `Role/${namespace}/${name}`);

/** A subject as config names it: `User:alice`, `Group:platform-admins`, `ServiceAccount:ci/deployer`. */
function subjectName(subject: Props, bindingNamespace: string): string {
    return subject?.kind === "ServiceAccount" ? `ServiceAccount:${subject.namespace ?? bindingNamespace}/${subject.name}` : `${subject?.kind}:${subject?.name}`;
}

export const clusterAdminBindings: GuardrailStackPolicy = {
    name: "cluster-admin-bindings",
    description:
        "ClusterRoleBindings and RoleBindings, however declared, grant cluster-admin (or a role the stack declares with every verb on every resource, or escalate, bind or impersonate; or admin or edit cluster-wide) only to subjects config allows. Roles that widen built-in ones (a patch, or an aggregate-to-* label) with such rules are refused.",
    why: "cluster-admin, or a role that can grant itself more, lets its holder read every secret and run anything on every node: one leaked token of that principal is the whole cluster.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Bind a namespaced role (view, edit or admin through a RoleBinding in the team's namespace), or list the subject in allowedSubjects after review (User:<name>, Group:<name>, ServiceAccount:<namespace>/<name>).",
    configSchema: {
        properties: {
            allowedSubjects: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Subjects that may hold cluster-admin, as User:<name>, Group:<name> or ServiceAccount:<namespace>/<name> (* patterns). None by default; envstack's own stacks grant it only through EKS access entries.",
            },
        },
    },
    validateStack: (args, report) => {
        const { allowedSubjects } = args.getConfig<{ allowedSubjects: string[] }>();
        const admin = new Map<string, string>([["ClusterRole/cluster-admin", "cluster-admin"]]);
        const bindings: { o: KubeObject; urn: string }[] = [];
        eachKnown(args.resources, (r) => {
            for (const o of kubernetesObjects(r.type, r.props)) {
                const meta = o.object?.metadata ?? {};
                if (o.kind === "ClusterRole" || o.kind === "Role") {
                    const why = adminEquivalent(o.object?.rules);
                    if (!why) continue;
                    admin.set(roleKey(o.kind, meta.name, meta.namespace ?? "default"), `${o.kind} ${meta.name} (${why})`);
                    const aggregates = Object.entries(meta.labels ?? {}).some(([k, v]) => k.startsWith("rbac.authorization.k8s.io/aggregate-to-") && String(v) === "true");
                    if (o.via === "patch" || aggregates) report(`${describeObject(o)} gives ${why} to everyone bound to ${aggregates ? "the roles it aggregates into" : "the existing role"}`, r.urn);
                } else if (o.kind === "ClusterRoleBinding" || o.kind === "RoleBinding") {
                    bindings.push({ o, urn: r.urn });
                }
            }
        });
        eachKnown(bindings, ({ o, urn }) => {
            const namespace = o.object?.metadata?.namespace ?? "default";
            const ref: Props = o.object?.roleRef ?? {};
            const granted =
                admin.get(roleKey(ref.kind, ref.name, namespace)) ??
                (o.kind === "ClusterRoleBinding" && ref.kind === "ClusterRole" && BROAD_WHEN_CLUSTER_WIDE.includes(ref.name) ? `${ref.name} in every namespace` : undefined);
            if (!granted) return;
            for (const subject of list<Props>(o.object?.subjects)) {
                // A subject computed from another resource's output cannot be allowed before it is known.
                const name = known(() => subjectName(subject, namespace)) ?? "a subject not known until the resources exist";
                if (!matchesAny(name, allowedSubjects)) report(`${describeObject(o)} grants ${granted} to ${name}, which config does not allow`, urn);
            }
        });
    },
};

/** The cluster-admin an EKS access policy grants, or undefined. */
function eksAdminPolicy(policyArn: unknown, scopeType: unknown): string | undefined {
    const policy = String(policyArn ?? "").split("/").pop();
    // Anything but an explicit namespace scope is the whole cluster.
    const clusterWide = scopeType !== "namespace";
    if (policy === "AmazonEKSClusterAdminPolicy") return `AmazonEKSClusterAdminPolicy (${clusterWide ? "cluster" : "namespace"} scope)`;
    if (policy === "AmazonEKSAdminPolicy" && clusterWide) return "AmazonEKSAdminPolicy at cluster scope";
    return undefined;
}

const MASTERS = "system:masters";

export const eksClusterAdminAccess: GuardrailResourcePolicy = {
    name: "eks-cluster-admin-access",
    description:
        "EKS access policy associations (and @pulumi/eks accessEntries) with AmazonEKSClusterAdminPolicy, or AmazonEKSAdminPolicy at cluster scope, and aws-auth or roleMappings/userMappings into system:masters, name only IAM principals config allows.",
    why: "An IAM principal with the cluster-admin access policy is root in the cluster; anyone who can assume that role, in any account that trusts it, owns every workload and secret.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Give teams AmazonEKSEditPolicy or AmazonEKSViewPolicy at namespace scope (envstack's Team does), or list the role ARN in allowedPrincipals after review. envstack's presets allow the adminRoleArns of its own stacks (Pulumi.<stack>.yaml).",
    configSchema: {
        properties: {
            allowedPrincipals: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "IAM principal ARNs (* patterns) that may be cluster administrators. None by default; each preset lists the adminRoleArns of envstack's stack of that tier.",
            },
        },
    },
    validateResource: [
        byType({
            [ACCESS_POLICY_ASSOCIATION]: (props, args, report) => checkPrincipal(props.principalArn, eksAdminPolicy(props.policyArn, props.accessScope?.type), args.getConfig(), report),
            [T.eksClusterComponent]: (props, args, report) => {
                for (const [key, entry] of Object.entries<Props>(props.accessEntries ?? {})) {
                    for (const policy of Object.values<Props>(entry?.accessPolicies ?? {})) {
                        checkPrincipal(entry?.principalArn, eksAdminPolicy(policy?.policyArn, policy?.accessScope?.type), args.getConfig(), report, `accessEntries.${key}: `);
                    }
                }
                for (const [field, arnField] of [["roleMappings", "roleArn"], ["userMappings", "userArn"]] as const) {
                    for (const m of list<Props>(props[field])) if (list(m?.groups).includes(MASTERS)) checkPrincipal(m[arnField], `${MASTERS} (${field})`, args.getConfig(), report);
                }
            },
        }),
        byKubernetesObject((o, args, report) => {
            const meta = o.object?.metadata ?? {};
            if (o.kind !== "ConfigMap" || meta.name !== "aws-auth" || meta.namespace !== "kube-system") return;
            for (const [field, arnField] of [["mapRoles", "rolearn"], ["mapUsers", "userarn"]] as const) {
                const text = o.object?.data?.[field];
                if (text === undefined) continue;
                let entries: unknown;
                try {
                    entries = typeof text === "string" ? load(text) : text;
                } catch {
                    entries = undefined;
                }
                if (!Array.isArray(entries)) {
                    report(`${describeObject(o)}: data.${field} cannot be read as a list of mappings, so its grants cannot be checked`);
                    continue;
                }
                for (const m of entries as Props[]) if (list(m?.groups).includes(MASTERS)) checkPrincipal(m[arnField], `${MASTERS} (aws-auth ${field})`, args.getConfig(), report, `${describeObject(o)}: `);
            }
        }),
    ],
};

function checkPrincipal(principal: unknown, grant: string | undefined, config: { allowedPrincipals: string[] }, report: (m: string) => void, prefix = ""): void {
    if (!grant) return;
    const arn = typeof principal === "string" ? principal : "";
    if (!matchesAny(arn, config.allowedPrincipals)) {
        report(`${prefix}${JSON.stringify(principal ?? null)} gets ${grant}; allowed principals: ${config.allowedPrincipals.join(", ") || "none"}`);
    }
}

export const rbacPolicies = [clusterAdminBindings, eksClusterAdminAccess];
