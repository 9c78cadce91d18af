import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EksAddonName, KubernetesRelease } from "../config/versions";
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
