import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesRelease } from "../config/versions";
import { managedPolicyArn } from "../shared/aws";
import { podIdentityTrust } from "../shared/iam";
import type { Tags } from "../shared/tags";

export interface CsiDriverArgs {
    addonName: "aws-ebs-csi-driver" | "aws-efs-csi-driver";
    /** The controller's service account in kube-system. */
    serviceAccount: string;
    /** The AWS-managed policy for the driver, e.g. `service-role/AmazonEBSCSIDriverPolicy`. */
    managedPolicy: string;
    /** An extra inline policy document (JSON), if any. */
    inlinePolicy?: pulumi.Input<string>;
    clusterName: string;
    region: string;
    release: KubernetesRelease;
    tags: Tags;
    /** The pod identity agent and the nodes the controller runs on. */
    dependsOn: pulumi.Resource[];
}

/**
 * A CSI driver as an EKS managed add-on at its pinned version, with its controller's IAM role
 * attached through the add-on's own Pod Identity association.
 */
export function createCsiDriver(name: string, args: CsiDriverArgs, parent: pulumi.Resource) {
    const role = new aws.iam.Role(
        `${name}-${args.addonName}`,
        { description: `${args.addonName} controller of ${args.clusterName}`, assumeRolePolicy: JSON.stringify(podIdentityTrust()), tags: args.tags },
        { parent },
    );
    const attachments: pulumi.Resource[] = [
        new aws.iam.RolePolicyAttachment(`${name}-${args.addonName}`, { role: role.name, policyArn: managedPolicyArn(args.region, args.managedPolicy) }, { parent: role }),
    ];
    if (args.inlinePolicy) {
        attachments.push(new aws.iam.RolePolicy(`${name}-${args.addonName}-kms`, { role: role.name, policy: args.inlinePolicy }, { parent: role }));
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
            tags: args.tags,
        },
        { parent, dependsOn: [...args.dependsOn, ...attachments] },
    );
    return { role, addon };
}
