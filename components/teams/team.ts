import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { teamSchema } from "../config/schema";
import { teamAllowance } from "../config/teamPresets";
import type { TeamConfig, TeamLimits, TeamQuota, TeamServiceAccount, TeamSize } from "../config/types";
import { partitionOf } from "../shared/aws";
import { policyDocument, scopedPodIdentityTrust } from "../shared/iam";
import { teamGroup } from "../shared/naming";
import type { Tags } from "../shared/tags";
import { checkTeamArguments } from "./args";
import * as manifests from "./manifests";

/** StorageClasses EKS itself creates; a team is never granted storage in them (gp2 is unencrypted). */
const EKS_CREATED_CLASSES = ["gp2"];

/** What a team is built from: its config entry (everything but name and role has a default) and where it lives. */
export interface TeamArgs {
    /** Namespace name, a DNS-1123 label; not a reserved name. */
    name: string;
    /** The team's IAM role: an access entry with AmazonEKSEditPolicy on its namespace only. */
    roleArn: string;
    /** Preset for the quota and limits (default small). */
    size?: TeamSize;
    /** Pod Security admission level enforced (default baseline); warn and audit are always `restricted`. */
    podSecurity?: TeamConfig["podSecurity"];
    /** Whether egress is open (default) or limited to DNS and the namespace itself. */
    egress?: TeamConfig["egress"];
    /** Whether the team's LoadBalancer Services and Ingresses may face the internet (default internal); the admission guard enforces it. */
    ingress?: TeamConfig["ingress"];
    /** Overrides of the preset's quota. */
    quota?: Partial<TeamQuota>;
    /** Overrides of the preset's limits. */
    limits?: Partial<TeamLimits>;
    /** ClusterRoles bound in the namespace on top of Edit, e.g. [view]. */
    clusterRoles?: string[];
    /** Pod Identity roles for the team's service accounts. */
    serviceAccounts?: TeamServiceAccount[];
    /** The environment's name, for labels. */
    environmentName: string;
    /** The EKS cluster the namespace, access entry and Pod Identity associations belong to. */
    clusterName: string;
    /** The cluster's region: the partition of the access policy ARN. */
    region: string;
    /** The cluster's account: Pod Identity trust accepts sessions from this account only. */
    accountId: string;
    /** Pins the Pod Security admission version, e.g. 1.35 -> v1.35. */
    kubernetesVersion: string;
    /** The StorageClasses the environment creates; the team's quota grants storage in these only. */
    storageClasses: string[];
    /** Whether the Prometheus operator's CRDs exist, so members may manage ServiceMonitors and rules. */
    monitoring: boolean;
    /** Protect the namespace: deleting it deletes every workload and claim in it. */
    protect: boolean;
    /** Provider for the cluster. */
    k8sProvider: k8s.Provider;
    /** The cluster, and anything the namespace must outlive: the load balancer controller, which deletes its load balancers. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** Tags on the access entry, roles and associations. */
    tags: Tags;
}

/**
 * One team: a namespace fenced by a quota and LimitRange, isolated by NetworkPolicies, reachable
 * by the team's IAM role with the EKS Edit policy scoped to that namespace, and optionally
 * service accounts whose pods get IAM roles through Pod Identity trusted by that namespace only.
 */
export class Team extends pulumi.ComponentResource {
    /** The validated entry, with the preset and defaults applied. */
    readonly config: TeamConfig;
    /** The team's namespace. */
    readonly namespace: k8s.core.v1.Namespace;
    /** The access entry of the team's role. */
    readonly accessEntry: aws.eks.AccessEntry;
    /** Pod Identity roles by service account name. */
    readonly serviceAccountRoles: Record<string, aws.iam.Role>;

    constructor(name: string, args: TeamArgs, opts?: pulumi.ComponentResourceOptions) {
        const config = validateTeam(args, name);
        super("envstack:index:Team", name, {}, opts);
        this.config = config;
        const id = { team: config.name, environment: args.environmentName };
        const { quota, limits } = teamAllowance(config);
        const onCluster = { parent: this, provider: args.k8sProvider };

        this.namespace = new k8s.core.v1.Namespace(name, manifests.teamNamespace(id, config.podSecurity, config.egress, config.ingress, args.kubernetesVersion) as k8s.core.v1.NamespaceArgs, {
            ...onCluster,
            // Deleted before what it depends on, such as the load balancer controller, which removes the namespace's load balancers.
            dependsOn: args.dependsOn,
            protect: args.protect,
        });
        const inNamespace = { ...onCluster, dependsOn: [this.namespace] };
        new k8s.core.v1.ResourceQuota(`${name}-quota`, manifests.teamResourceQuota(id, quota, [...EKS_CREATED_CLASSES, ...args.storageClasses]) as k8s.core.v1.ResourceQuotaArgs, inNamespace);
        new k8s.core.v1.LimitRange(`${name}-limits`, manifests.teamLimitRange(id, limits) as k8s.core.v1.LimitRangeArgs, inNamespace);
        for (const policy of manifests.teamNetworkPolicies(id, config.egress)) {
            new k8s.networking.v1.NetworkPolicy(`${name}-${policy.metadata!.name}`, policy as k8s.networking.v1.NetworkPolicyArgs, inNamespace);
        }
        this.createRbac(name, id, config, args, inNamespace);
        this.accessEntry = this.createAccess(name, config, args);
        this.serviceAccountRoles = this.createServiceAccounts(name, id, config, args, inNamespace);
        this.registerOutputs({ namespace: this.namespace.metadata.name });
    }

    /** Extra rights by RoleBinding to the team's group: monitoring CRDs, and any ClusterRoles config names. */
    private createRbac(name: string, id: manifests.TeamIdentity, config: TeamConfig, args: TeamArgs, opts: pulumi.CustomResourceOptions): void {
        if (args.monitoring) {
            const role = manifests.teamMonitoringRole(id);
            const created = new k8s.rbac.v1.Role(`${name}-monitoring`, role as k8s.rbac.v1.RoleArgs, opts);
            new k8s.rbac.v1.RoleBinding(`${name}-monitoring`, manifests.teamRoleBinding(id, { kind: "Role", name: role.metadata!.name! }) as k8s.rbac.v1.RoleBindingArgs, {
                ...opts,
                dependsOn: [this.namespace, created],
            });
        }
        for (const clusterRole of config.clusterRoles) {
            const binding = manifests.teamRoleBinding(id, { kind: "ClusterRole", name: clusterRole });
            new k8s.rbac.v1.RoleBinding(`${name}-${binding.metadata!.name}`, binding as k8s.rbac.v1.RoleBindingArgs, opts);
        }
    }

    /** The team's role: an access entry in the team's group, with AmazonEKSEditPolicy on the namespace only. */
    private createAccess(name: string, config: TeamConfig, args: TeamArgs): aws.eks.AccessEntry {
        const entry = new aws.eks.AccessEntry(
            `${name}-access`,
            { clusterName: args.clusterName, principalArn: config.roleArn, type: "STANDARD", kubernetesGroups: [teamGroup(config.name)], tags: args.tags },
            { parent: this, dependsOn: args.dependsOn },
        );
        new aws.eks.AccessPolicyAssociation(
            `${name}-edit`,
            {
                clusterName: args.clusterName,
                principalArn: entry.principalArn,
                policyArn: `arn:${partitionOf(args.region)}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy`,
                accessScope: { type: "namespace", namespaces: [config.name] },
            },
            { parent: entry },
        );
        return entry;
    }

    /** Per service account: the account, an IAM role only it can assume, its permissions, and the association. */
    private createServiceAccounts(name: string, id: manifests.TeamIdentity, config: TeamConfig, args: TeamArgs, opts: pulumi.CustomResourceOptions): Record<string, aws.iam.Role> {
        const roles: Record<string, aws.iam.Role> = {};
        for (const account of config.serviceAccounts) {
            const resourceName = `${name}-${account.name}`;
            const trust = scopedPodIdentityTrust({ accountId: args.accountId, region: args.region, clusterName: args.clusterName, namespace: config.name, serviceAccount: account.name });
            const role = new aws.iam.Role(
                resourceName,
                { description: `Pod Identity for ${config.name}/${account.name} on ${args.clusterName}`, assumeRolePolicy: JSON.stringify(trust), tags: args.tags },
                { parent: this },
            );
            const permissions = policyDocument(...account.statements.map((s) => ({ Effect: "Allow" as const, Action: s.actions, Resource: s.resources })));
            const grant = new aws.iam.RolePolicy(resourceName, { role: role.name, policy: JSON.stringify(permissions) }, { parent: role });
            const serviceAccount = new k8s.core.v1.ServiceAccount(resourceName, manifests.teamServiceAccount(id, account.name) as k8s.core.v1.ServiceAccountArgs, opts);
            new aws.eks.PodIdentityAssociation(
                resourceName,
                { clusterName: args.clusterName, namespace: config.name, serviceAccount: account.name, roleArn: role.arn, tags: args.tags },
                { parent: role, dependsOn: [...(args.dependsOn ?? []), serviceAccount, grant] },
            );
            roles[account.name] = role;
        }
        return roles;
    }
}

/** Every argument checked (the entry as a stack's `teams` entry is), then the entry with its defaults. */
function validateTeam(args: TeamArgs, resourceName: string): TeamConfig {
    checkTeamArguments(args, resourceName);
    const { name, size, roleArn, podSecurity, egress, ingress, alerts, quota, limits, clusterRoles, serviceAccounts } = args as TeamArgs & { alerts?: unknown };
    return teamSchema.parse({ name, size, roleArn, podSecurity, egress, ingress, alerts, quota, limits, clusterRoles, serviceAccounts }) as TeamConfig;
}
