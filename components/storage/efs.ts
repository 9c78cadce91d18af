import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StorageConfig } from "../config/types";
import type { Tags } from "../shared/tags";
import { fileSystemPolicy } from "./efsNode";

export interface SharedFileSystemArgs {
    clusterName: string;
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string[]>;
    /** One mount target per AZ, in the private subnet of that AZ (same order as the subnets). */
    availabilityZones: string[];
    /** Security groups allowed to mount over NFS, by a short label. */
    nfsClients: Record<string, pulumi.Input<string>>;
    kmsKeyArn: pulumi.Input<string>;
    /** The EFS CSI node pods' role: the only principal the file system policy lets mount. */
    nodeRoleArn: pulumi.Input<string>;
    efs: StorageConfig["efs"];
    protect: boolean;
    tags: Tags;
}

/**
 * The shared EFS file system: encrypted with the environment key, elastic throughput, files
 * moved to Infrequent Access when cold, automatic backups on, mounts by the CSI node role only
 * (TLS, access points, no root), a mount target in each AZ, and NFS reachable only from the
 * cluster's security groups. Its creation token is derived from the cluster name alone, so
 * nothing that changes between runs can replace it.
 */
export function createSharedFileSystem(name: string, args: SharedFileSystemArgs, parent: pulumi.Resource) {
    const fileSystem = new aws.efs.FileSystem(
        `${name}-efs`,
        {
            creationToken: `${args.clusterName}-shared`,
            encrypted: true,
            kmsKeyId: args.kmsKeyArn,
            performanceMode: "generalPurpose",
            throughputMode: "elastic",
            lifecyclePolicies: [{ transitionToIa: args.efs.transitionToIa }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
            tags: { ...args.tags, Name: `${args.clusterName}-shared` },
        },
        { parent, protect: args.protect },
    );
    new aws.efs.BackupPolicy(`${name}-efs`, { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } }, { parent: fileSystem });
    new aws.efs.FileSystemPolicy(`${name}-efs`, { fileSystemId: fileSystem.id, policy: pulumi.all([fileSystem.arn, args.nodeRoleArn]).apply(([arn, role]) => JSON.stringify(fileSystemPolicy(arn, role))) }, { parent: fileSystem });

    const securityGroup = new aws.ec2.SecurityGroup(
        `${name}-efs`,
        { vpcId: args.vpcId, description: `NFS to the shared file system of ${args.clusterName}, from the cluster only`, tags: { ...args.tags, Name: `${args.clusterName}-efs` } },
        { parent },
    );
    for (const [label, groupId] of Object.entries(args.nfsClients)) {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-efs-nfs-from-${label}`,
            { securityGroupId: securityGroup.id, referencedSecurityGroupId: groupId, ipProtocol: "tcp", fromPort: 2049, toPort: 2049, description: `NFS from the ${label} security group`, tags: args.tags },
            { parent: securityGroup },
        );
    }
    const mountTargets = args.availabilityZones.map(
        (az, i) =>
            new aws.efs.MountTarget(
                `${name}-efs-${az}`,
                { fileSystemId: fileSystem.id, subnetId: pulumi.output(args.privateSubnetIds).apply((ids) => ids[i]), securityGroups: [securityGroup.id] },
                { parent: fileSystem },
            ),
    );
    return { fileSystem, securityGroup, mountTargets };
}
