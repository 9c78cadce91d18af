import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { addonInstalled } from "../config/versions";
import type { AddonSwitches, EksAddonName, KubernetesRelease } from "../config/versions";
import { managedPolicyArn } from "../shared/aws";
import { scopedPodIdentityTrust } from "../shared/iam";
import type { Tags } from "../shared/tags";

/** Per-add-on configuration values, as the add-on's JSON schema expects them. */
export const ADDON_CONFIGURATION: Partial<Record<EksAddonName, object>> = {
    // The VPC CNI's network policy agent enforces the NetworkPolicies of team namespaces.
    "vpc-cni": { enableNetworkPolicy: "true" },
};

/**
 * An EKS managed add-on at its pinned version. envstack is its only owner: EKS does not
 * bootstrap self-managed copies and eks.Cluster installs none, so conflicts are overwritten.
 */
export function createAddon(
    name: string,
    addonName: EksAddonName,
    clusterName: string,
    release: KubernetesRelease,
    tags: Tags,
    opts: pulumi.CustomResourceOptions,
): aws.eks.Addon {
    const configuration = ADDON_CONFIGURATION[addonName];
    return new aws.eks.Addon(
        `${name}-${addonName}`,
        {
            clusterName,
            addonName,
            addonVersion: release.addons[addonName],
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
            tags,
        },
        opts,
    );
}

/** An EKS managed add-on whose pods get AWS access through Pod Identity. */
export interface IdentityAddonArgs {
    /** The EKS add-on name. */
    addonName: EksAddonName;
    /** The namespace the add-on's pods run in (fixed by the add-on). */
    namespace: string;
    /** The service account the add-on's pods use (fixed by the add-on). */
    serviceAccount: string;
    /** The AWS-managed policy the add-on needs, e.g. `service-role/AmazonEBSCSIDriverPolicy`. */
    managedPolicy: string;
    /** An extra inline policy document (JSON), if any. */
    inlinePolicy?: pulumi.Input<string>;
    /** Configuration values, as the add-on's JSON schema expects them. */
    configuration?: object;
    /** Which add-ons envstack installs; one switched off runs self-managed: the role and association are made, the add-on is not. */
    addons?: Partial<AddonSwitches>;
    /** The EKS cluster's name. */
    clusterName: string;
    /** The cluster's account: the role trusts only its Pod Identity sessions. */
    accountId: string;
    /** AWS region: the cluster's ARN and the partition of the managed policy ARN. */
    region: string;
    /** The pinned versions of the cluster's Kubernetes version. */
    release: KubernetesRelease;
    /** Tags on the role and add-on. */
    tags: Tags;
    /** The pod identity agent, the nodes the add-on runs on, and anything else it needs first. */
    dependsOn: pulumi.Resource[];
}

/** What an identity add-on made: its role, the add-on when managed, and what dependents wait for. */
export interface IdentityAddon {
    /** The add-on's role, trusted by Pod Identity. */
    role: aws.iam.Role;
    /** The managed add-on; undefined when self-managed. */
    addon?: aws.eks.Addon;
    /** The add-on, or for a self-managed piece the Pod Identity association its pods need. */
    ready: pulumi.Resource;
}

/**
 * An EKS managed add-on at its pinned version whose pods get AWS access through their own role,
 * attached by the add-on's Pod Identity association (no node-role permissions, no OIDC). With the
 * add-on switched off, the role gets a standalone association for the same service account instead.
 */
export function createAddonWithPodIdentity(name: string, args: IdentityAddonArgs, parent: pulumi.Resource): IdentityAddon {
    const role = new aws.iam.Role(
        `${name}-${args.addonName}`,
        {
            description: `${args.addonName} of ${args.clusterName}`,
            assumeRolePolicy: JSON.stringify(scopedPodIdentityTrust({ accountId: args.accountId, region: args.region, clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount })),
            tags: args.tags,
        },
        { parent },
    );
    const grants: pulumi.Resource[] = [
        new aws.iam.RolePolicyAttachment(`${name}-${args.addonName}`, { role: role.name, policyArn: managedPolicyArn(args.region, args.managedPolicy) }, { parent: role }),
    ];
    if (args.inlinePolicy) {
        grants.push(new aws.iam.RolePolicy(`${name}-${args.addonName}-kms`, { role: role.name, policy: args.inlinePolicy }, { parent: role }));
    }
    if (!addonInstalled(args.addons, args.addonName)) {
        const association = new aws.eks.PodIdentityAssociation(
            `${name}-${args.addonName}`,
            { clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: role.arn, tags: args.tags },
            { parent: role, dependsOn: [...args.dependsOn, ...grants] },
        );
        return { role, ready: association };
    }
    const addon = new aws.eks.Addon(
        `${name}-${args.addonName}`,
        {
            clusterName: args.clusterName,
            addonName: args.addonName,
            addonVersion: args.release.addons[args.addonName],
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            podIdentityAssociations: [{ roleArn: role.arn, serviceAccount: args.serviceAccount }],
            ...(args.configuration ? { configurationValues: JSON.stringify(args.configuration) } : {}),
            tags: args.tags,
        },
        { parent, dependsOn: [...args.dependsOn, ...grants] },
    );
    return { role, addon, ready: addon };
}
