// Its own module: @kubernetes-models is a devDependency, and no public declaration may reach its types.
import type { IAppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { TeamGitOpsConfig } from "../config/types";
import { teamGroup } from "../shared/naming";

/** This cluster, as Argo CD names the one it runs in. */
export const IN_CLUSTER = "https://kubernetes.default.svc";
const MANAGED = { "app.kubernetes.io/managed-by": "envstack" };

/**
 * Kinds a team's repository may not manage even in its own namespace: the quota and container
 * defaults envstack sets, and RBAC, which grows through the environment's config. (envstack's own
 * NetworkPolicies are kept by the team network guard, which judges Argo CD's writes too.)
 */
export const NAMESPACE_BLACKLIST = [
    { group: "", kind: "ResourceQuota" },
    { group: "", kind: "LimitRange" },
    { group: "rbac.authorization.k8s.io", kind: "Role" },
    { group: "rbac.authorization.k8s.io", kind: "RoleBinding" },
];

/** A team's project: its repository only, into its namespace on this cluster only, namespaced kinds only; its group may manage its applications. */
export function teamProject(team: string, namespace: string, gitops: TeamGitOpsConfig | undefined): IAppProject {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: { name: team, namespace, labels: MANAGED },
        spec: {
            description: `Team ${team}: its repository, into its namespace only`,
            sourceRepos: gitops ? [gitops.repoURL] : [],
            destinations: [{ server: IN_CLUSTER, namespace: team }],
            clusterResourceWhitelist: [],
            namespaceResourceBlacklist: NAMESPACE_BLACKLIST,
            // See and sync: what runs is what Git holds, so no override, no edits of the Application, no actions.
            roles: [
                {
                    name: "team",
                    description: `Members of ${team}`,
                    policies: [`p, proj:${team}:team, applications, get, ${team}/*, allow`, `p, proj:${team}:team, applications, sync, ${team}/*, allow`, `p, proj:${team}:team, logs, get, ${team}/*, allow`],
                    groups: [teamGroup(team)],
                },
            ],
        },
    };
}

/** The team's Application: its repository's directory, synced into its namespace; automatically, pruned and self-healed, except in prod. */
export function teamApplication(team: string, namespace: string, gitops: TeamGitOpsConfig, automated: boolean): IApplication {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { name: team, namespace, labels: MANAGED },
        spec: {
            project: team,
            source: { repoURL: gitops.repoURL, path: gitops.path, targetRevision: gitops.targetRevision },
            destination: { server: IN_CLUSTER, namespace: team },
            syncPolicy: automated ? { automated: { prune: true, selfHeal: true } } : {},
        },
    };
}

/** Argo CD's controller may edit the team's namespace: the only place it writes. */
export function argoCdWriterBinding(team: string, argoCdNamespace: string, writers: string[]): IRoleBinding {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "argocd-edit", namespace: team, labels: MANAGED },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
        subjects: writers.map((name) => ({ kind: "ServiceAccount", name, namespace: argoCdNamespace })),
    };
}
