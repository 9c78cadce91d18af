import type { ILimitRange } from "kubernetes-models/v1/LimitRange";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { TeamLimits, TeamQuota } from "../config/types";
import { GPU_RESOURCE } from "../config/instanceTypes";
import { MONITORING_NAMESPACE, TEAM_LABEL, teamGroup } from "../shared/naming";
import { EGRESS_LABEL, INGRESS_LABEL, ENVIRONMENT_LABEL, GUARDED_LABEL } from "./labels";

/**
 * A team's Kubernetes objects, typed with the upstream models so that tests can validate them
 * against the Kubernetes schema. Everything here is plain data; `team.ts` registers it.
 */

const MANAGED_BY = { "app.kubernetes.io/managed-by": "envstack" };
const POD_SECURITY = "pod-security.kubernetes.io";
const ALL_PODS = {};

export interface TeamIdentity {
    team: string;
    environment: string;
}

function meta(id: TeamIdentity, name: string, guarded = false) {
    return { name, namespace: id.team, labels: { ...MANAGED_BY, [TEAM_LABEL]: id.team, ...(guarded ? { [GUARDED_LABEL]: "true" } : {}) } };
}

/** The namespace, with the team and environment labels and Pod Security admission pinned to the cluster's version. */
export function teamNamespace(id: TeamIdentity, podSecurity: "baseline" | "restricted", egress: "open" | "restricted", ingress: "internal" | "public", kubernetesVersion: string): INamespace {
    const version = `v${kubernetesVersion}`;
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
            name: id.team,
            labels: {
                ...MANAGED_BY,
                [TEAM_LABEL]: id.team,
                [ENVIRONMENT_LABEL]: id.environment,
                [EGRESS_LABEL]: egress,
                [INGRESS_LABEL]: ingress,
                [`${POD_SECURITY}/enforce`]: podSecurity,
                [`${POD_SECURITY}/enforce-version`]: version,
                [`${POD_SECURITY}/warn`]: "restricted",
                [`${POD_SECURITY}/warn-version`]: version,
                [`${POD_SECURITY}/audit`]: "restricted",
                [`${POD_SECURITY}/audit-version`]: version,
            },
        },
    };
}

/**
 * The quota. Storage is granted per class: the classes the team's quota names get their size,
 * every other class in the cluster (gp2, which EKS creates unencrypted, among them) gets 0.
 */
export function teamResourceQuota(id: TeamIdentity, quota: TeamQuota, clusterClasses: readonly string[]): IResourceQuota {
    const perClass: Record<string, string> = {};
    for (const name of new Set([...clusterClasses, ...Object.keys(quota.storageByClass)])) {
        perClass[`${name}.storageclass.storage.k8s.io/requests.storage`] = quota.storageByClass[name] ?? "0";
    }
    return {
        apiVersion: "v1",
        kind: "ResourceQuota",
        metadata: meta(id, "team-quota"),
        spec: {
            hard: {
                "requests.cpu": quota.requestsCpu,
                "limits.cpu": quota.limitsCpu,
                "requests.memory": quota.requestsMemory,
                "limits.memory": quota.limitsMemory,
                pods: String(quota.pods),
                services: String(quota.services),
                "services.loadbalancers": String(quota.loadBalancers),
                // Extended resources are quota'd by requests only; 0 keeps GPU nodes off limits to a team without a grant.
                [`requests.${GPU_RESOURCE}`]: String(quota.gpus),
                // An Ingress can be an ALB of its own: Ingresses count against the same allowance.
                "count/ingresses.networking.k8s.io": String(quota.loadBalancers),
                persistentvolumeclaims: String(quota.persistentVolumeClaims),
                // Each ExternalSecret polls AWS on the account's shared request quota: at most one per pod.
                "count/externalsecrets.external-secrets.io": String(quota.pods),
                "requests.storage": quota.requestsStorage,
                ...perClass,
            },
        },
    };
}

/** Defaults for containers that state no resources (the quota would refuse them otherwise), and a per-container maximum. */
export function teamLimitRange(id: TeamIdentity, limits: TeamLimits): ILimitRange {
    return {
        apiVersion: "v1",
        kind: "LimitRange",
        metadata: meta(id, "team-limits"),
        spec: {
            limits: [
                {
                    type: "Container",
                    default: { cpu: limits.defaultCpu, memory: limits.defaultMemory },
                    defaultRequest: { cpu: limits.defaultRequestCpu, memory: limits.defaultRequestMemory },
                    max: { cpu: limits.maxCpu, memory: limits.maxMemory },
                },
            ],
        },
    };
}

const byName = (namespace: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } });

/**
 * Isolation: ingress only from the namespace itself and from Prometheus; egress to CoreDNS and,
 * unless config restricts it, anywhere. With restricted egress only the namespace and DNS remain.
 */
export function teamNetworkPolicies(id: TeamIdentity, egress: "open" | "restricted"): INetworkPolicy[] {
    const restricted = egress === "restricted";
    const policy = (name: string, spec: INetworkPolicy["spec"]): INetworkPolicy => ({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: meta(id, name, true),
        spec,
    });
    const policies = [
        policy("default-deny", { podSelector: ALL_PODS, policyTypes: restricted ? ["Ingress", "Egress"] : ["Ingress"] }),
        policy("allow-same-namespace", {
            podSelector: ALL_PODS,
            policyTypes: restricted ? ["Ingress", "Egress"] : ["Ingress"],
            ingress: [{ from: [{ podSelector: ALL_PODS }] }],
            ...(restricted ? { egress: [{ to: [{ podSelector: ALL_PODS }] }] } : {}),
        }),
        policy("allow-dns", {
            podSelector: ALL_PODS,
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [{ ...byName("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
            ],
        }),
        policy("allow-monitoring-scrape", {
            podSelector: ALL_PODS,
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ ...byName(MONITORING_NAMESPACE), podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }] }],
        }),
    ];
    // Any policy with Egress makes egress deny-by-default for the pods it selects, so open egress is explicit.
    if (!restricted) policies.push(policy("allow-all-egress", { podSelector: ALL_PODS, policyTypes: ["Egress"], egress: [{}] }));
    return policies;
}

/** Lets members manage their own scrape targets and alert rules (the EKS Edit policy does not cover these CRDs). */
export function teamMonitoringRole(id: TeamIdentity): IRole {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: meta(id, "envstack-team-monitoring"),
        rules: [
            {
                apiGroups: ["monitoring.coreos.com"],
                resources: ["servicemonitors", "podmonitors", "prometheusrules"],
                verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
            },
        ],
    };
}

/** Binds a Role or ClusterRole in the namespace to the team's Kubernetes group. */
export function teamRoleBinding(id: TeamIdentity, roleRef: { kind: "Role" | "ClusterRole"; name: string }): IRoleBinding {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: meta(id, `envstack-team-${roleRef.name.replace(/^envstack-team-/, "").replace(/:/g, "-")}`),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
        subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: teamGroup(id.team) }],
    };
}

/** A service account whose pods get an IAM role through Pod Identity. */
export function teamServiceAccount(id: TeamIdentity, name: string): IServiceAccount {
    return { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(id, name) };
}
