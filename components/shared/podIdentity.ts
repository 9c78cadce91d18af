import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PodIdentityScope, PolicyDocument, scopedPodIdentityTrust } from "./iam";
import type { Tags } from "./tags";

/** A controller's AWS identity: who may use it, and what it may do. */
export interface PodIdentityRoleArgs extends PodIdentityScope {
    /** What the role is for, on the role. */
    description: string;
    /** Inline policies by name suffix. */
    policies: Record<string, pulumi.Input<PolicyDocument>>;
    /** The Pod Identity agent and the cluster: the association waits for them. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** Tags on the role and the association. */
    tags: Tags;
}

/** A role, its inline policies and its Pod Identity association. */
export interface PodIdentityRole {
    /** The role, trusted by one service account of one cluster. */
    role: aws.iam.Role;
    /** Its permissions. */
    policies: aws.iam.RolePolicy[];
    /** The association that hands it to the service account's pods. */
    association: aws.eks.PodIdentityAssociation;
}

/**
 * A controller's role, trusted by its service account only, with its inline policies. The
 * association waits for the policies, so a pod never starts with a role that cannot yet act.
 */
export function createPodIdentityRole(name: string, args: PodIdentityRoleArgs, parent: pulumi.Resource): PodIdentityRole {
    const role = new aws.iam.Role(name, { description: args.description, assumeRolePolicy: JSON.stringify(scopedPodIdentityTrust(args)), tags: args.tags }, { parent });
    const policies = Object.entries(args.policies).map(
        ([suffix, document]) => new aws.iam.RolePolicy(`${name}-${suffix}`, { role: role.name, policy: pulumi.output(document).apply((d) => JSON.stringify(d)) }, { parent: role }),
    );
    const association = new aws.eks.PodIdentityAssociation(
        name,
        { clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: role.arn, tags: args.tags },
        { parent, dependsOn: pulumi.output(args.dependsOn ?? []).apply((d) => [...d, ...policies]) },
    );
    return { role, policies, association };
}
