import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "../shared/aws";
import { PolicyDocument, policyDocument, scopedPodIdentityTrust } from "../shared/iam";
import type { Tags } from "../shared/tags";

/** The EFS CSI node pods' service account (chart value `node.serviceAccount.name`); they mount with the `iam` option. */
export const EFS_NODE_SERVICE_ACCOUNT = "efs-csi-node-sa";
const NAMESPACE = "kube-system";

/** The NFS client actions: mount (read), write, and root, which no one gets. */
const MOUNT_AND_WRITE = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"];
const CLIENT_ACTIONS = [...MOUNT_AND_WRITE, "elasticfilesystem:ClientRootAccess"];
const viaMountTarget = { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } };

/** The ARN of a file system of this account and region, e.g. a static volume's. */
export function fileSystemArn(region: string, accountId: string, fileSystemId: string): string {
    return `arn:${partitionOf(region)}:elasticfilesystem:${region}:${accountId}:file-system/${fileSystemId}`;
}

/**
 * The node role's identity policy: mount and write (never root) on these file systems, through a
 * mount target. The file system policy narrows the environment's further.
 */
export function efsNodeMountPolicy(fileSystemArns: string[]): PolicyDocument {
    return policyDocument({ Sid: "MountThroughMountTargets", Effect: "Allow", Action: MOUNT_AND_WRITE, Resource: fileSystemArns, Condition: viaMountTarget });
}

/**
 * Only the EFS CSI node role mounts, through a mount target and an access point, over TLS, never
 * as root. A pod's own role is denied too: in one account, access is the union of the identity
 * and the file system policy, so only a deny stops a role that grants itself client actions.
 * The denies name the client actions only, so API calls (the deployer's PutFileSystemPolicy, the
 * CSI controller's access points) are untouched.
 */
export function fileSystemPolicy(fileSystemArn: string, nodeRoleArn: string): PolicyDocument {
    const anyone = { AWS: "*" };
    return policyDocument(
        {
            Sid: "NodeRoleMountsThroughAccessPoints",
            Effect: "Allow",
            Principal: { AWS: nodeRoleArn },
            Action: MOUNT_AND_WRITE,
            Resource: fileSystemArn,
            Condition: { ...viaMountTarget, Null: { "elasticfilesystem:AccessPointArn": "false" } },
        },
        { Sid: "DenyOtherPrincipals", Effect: "Deny", Principal: anyone, Action: CLIENT_ACTIONS, Resource: fileSystemArn, Condition: { ArnNotEquals: { "aws:PrincipalArn": nodeRoleArn } } },
        // Without an access point a client sees every claim's directory.
        { Sid: "DenyWithoutAccessPoint", Effect: "Deny", Principal: anyone, Action: CLIENT_ACTIONS, Resource: fileSystemArn, Condition: { Null: { "elasticfilesystem:AccessPointArn": "true" } } },
        { Sid: "DenyRootAccess", Effect: "Deny", Principal: anyone, Action: "elasticfilesystem:ClientRootAccess", Resource: fileSystemArn },
        { Sid: "DenyUnencryptedTransport", Effect: "Deny", Principal: anyone, Action: "*", Resource: fileSystemArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
    );
}

/** Where the node role is used. */
export interface EfsNodeRoleArgs {
    clusterName: string;
    accountId: string;
    region: string;
    tags: Tags;
}

/** The EFS CSI node pods' role, trusted by Pod Identity for their service account only. */
export function createEfsNodeRole(name: string, args: EfsNodeRoleArgs, parent: pulumi.Resource): aws.iam.Role {
    const trust = scopedPodIdentityTrust({ accountId: args.accountId, region: args.region, clusterName: args.clusterName, namespace: NAMESPACE, serviceAccount: EFS_NODE_SERVICE_ACCOUNT });
    return new aws.iam.Role(`${name}-efs-csi-node`, { description: `EFS CSI node mounts of ${args.clusterName}`, assumeRolePolicy: JSON.stringify(trust), tags: args.tags }, { parent });
}

/**
 * The node role's mount policy and its Pod Identity association. The managed add-on associates
 * only the controller's service account (kubernetes-sigs/aws-efs-csi-driver#1759), so the node's
 * is standalone, and the add-on must wait for it: pods read their credentials when they start.
 */
export function attachEfsNodeRole(
    name: string,
    role: aws.iam.Role,
    args: EfsNodeRoleArgs & { fileSystemArns: pulumi.Input<string>[]; dependsOn: pulumi.Resource[] },
): aws.eks.PodIdentityAssociation {
    const policy = new aws.iam.RolePolicy(
        `${name}-efs-csi-node-mount`,
        { role: role.name, policy: pulumi.all(args.fileSystemArns).apply((arns) => JSON.stringify(efsNodeMountPolicy([...new Set(arns)]))) },
        { parent: role },
    );
    return new aws.eks.PodIdentityAssociation(
        `${name}-efs-csi-node`,
        { clusterName: args.clusterName, namespace: NAMESPACE, serviceAccount: EFS_NODE_SERVICE_ACCOUNT, roleArn: role.arn, tags: args.tags },
        { parent: role, dependsOn: [...args.dependsOn, policy] },
    );
}
