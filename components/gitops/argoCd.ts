import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { systemPlacement } from "../cluster/nodeGroups";
import type { GitOpsSsoConfig } from "../config/types";
import { createGuard } from "../shared/admission";
import { ChartAddonArgs, chartRelease } from "../shared/chart";
import { ARGOCD_NAMESPACE, MONITORING_NAMESPACE } from "../shared/naming";
import { checkArgoCdArguments } from "./args";
import { gitopsGuardPolicy } from "./guard";
import { argoCdFence, argoCdNamespace, argoCdNetworkPolicies } from "./manifests";
import { gitopsRules } from "./rules";

/** How Argo CD runs. */
export interface ArgoCdArgs extends ChartAddonArgs {
    /** Several replicas of the server, repo server and ApplicationSet controller, and Redis HA. */
    ha: boolean;
    /** OIDC login; without it only cluster admins reach Argo CD, through `kubectl port-forward`. */
    sso?: GitOpsSsoConfig;
    /** Whether Prometheus runs: then Argo CD's metrics are scraped, and sync failures alert. */
    monitoring: boolean;
    /** Teams with their own alert route: their sync failures go there, everyone else's to the platform's. */
    teamsWithAlertRoutes?: string[];
}

/**
 * Argo CD, installed fenced: no local admin, no anonymous access and no exec; login through SSO
 * or, without it, only by port-forward; on the system nodes, in a namespace with a quota and
 * default-deny ingress. Teams get their projects from `TeamGitOps`.
 */
export class ArgoCd extends pulumi.ComponentResource {
    /** The chart's release (and the CRDs). */
    readonly release: k8s.helm.v3.Release;
    /** Its namespace. */
    readonly namespace: k8s.core.v1.Namespace;

    constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
        checkArgoCdArguments(args);
        super("envstack:index:ArgoCd", name, {}, opts);
        const onCluster = { parent: this, provider: args.k8sProvider };
        this.namespace = new k8s.core.v1.Namespace(name, argoCdNamespace(ARGOCD_NAMESPACE) as k8s.core.v1.NamespaceArgs, { ...onCluster, dependsOn: args.dependsOn });
        const inNamespace = { ...onCluster, dependsOn: [this.namespace] };
        const fence = argoCdFence(ARGOCD_NAMESPACE, args.ha).map((o) =>
            o.kind === "ResourceQuota" ? new k8s.core.v1.ResourceQuota(`${name}-quota`, o as k8s.core.v1.ResourceQuotaArgs, inNamespace) : new k8s.core.v1.LimitRange(`${name}-limits`, o as k8s.core.v1.LimitRangeArgs, inNamespace),
        );
        for (const policy of argoCdNetworkPolicies(ARGOCD_NAMESPACE, MONITORING_NAMESPACE)) {
            new k8s.networking.v1.NetworkPolicy(`${name}-${policy.metadata!.name}`, policy as k8s.networking.v1.NetworkPolicyArgs, inNamespace);
        }
        createGuard(`${name}-team-gitops-guard`, gitopsGuardPolicy(), onCluster);
        this.release = chartRelease(name, args.versions.charts.argoCd, { name: "argo-cd", namespace: ARGOCD_NAMESPACE, values: argoCdValues(args) }, {
            ...onCluster,
            dependsOn: pulumi.output(args.dependsOn ?? []).apply((d) => [...d, this.namespace, ...fence]),
        });
        if (args.monitoring) {
            new k8s.apiextensions.CustomResource(`${name}-rules`, gitopsRules(MONITORING_NAMESPACE, args.teamsWithAlertRoutes ?? []) as unknown as k8s.apiextensions.CustomResourceArgs, {
                ...onCluster,
                dependsOn: [this.release],
            });
        }
        this.registerOutputs({});
    }
}

/** What Argo CD's controller and server may do cluster-wide: read, to cache and show state. */
export const READ_ONLY = [
    { apiGroups: ["*"], resources: ["*"], verbs: ["get", "list", "watch"] },
    { nonResourceURLs: ["*"], verbs: ["get", "list"] },
];
/** Argo CD's service account that writes into team namespaces: the controller, which syncs. The server, which faces users, writes nowhere. */
export const ARGOCD_WRITERS = ["argocd-application-controller"];

/** The chart's values. */
export function argoCdValues(args: Pick<ArgoCdArgs, "ha" | "sso" | "monitoring">) {
    const replicas = args.ha ? 2 : 1;
    const requests = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { memory } });
    const metrics = { enabled: args.monitoring, serviceMonitor: { enabled: args.monitoring } };
    const oidc = args.sso
        ? { "oidc.config": stringify({ name: "SSO", issuer: args.sso.issuer, clientID: args.sso.clientId, clientSecret: `$${args.sso.clientSecretName}:oidc.clientSecret`, requestedScopes: ["openid", "profile", "email", "groups"] }) }
        : {};
    return {
        // Plain names: argocd-server, argocd-repo-server, argocd-application-controller (the network guard names the controller).
        fullnameOverride: "argocd",
        crds: { install: true, keep: true },
        global: systemPlacement(),
        configs: {
            // No local admin (nor its initial secret), no anonymous users, no terminal into pods.
            cm: { "admin.enabled": false, "users.anonymous.enabled": false, "exec.enabled": false, ...oidc },
            // Nothing is granted unless a project role grants it.
            rbac: { "policy.default": "" },
        },
        // SSO goes straight to the OIDC provider; Dex would be one more login service to run.
        dex: { enabled: false },
        notifications: { enabled: false },
        "redis-ha": { enabled: args.ha },
        // Cluster-wide, the controller and the server only read (to cache and show state); each team's
        // namespace grants the controller edit there (TeamGitOps), so it writes nowhere else.
        controller: { replicas: 1, resources: requests("250m", "1Gi"), metrics, clusterRoleRules: { enabled: true, rules: READ_ONLY } },
        server: { replicas, resources: requests("100m", "256Mi"), service: { type: "ClusterIP" }, ingress: { enabled: false }, metrics, clusterRoleRules: { enabled: true, rules: READ_ONLY } },
        repoServer: { replicas, resources: requests("100m", "256Mi"), metrics },
        applicationSet: { replicas, resources: requests("50m", "128Mi"), metrics },
        redis: { resources: requests("50m", "128Mi") },
    };
}
