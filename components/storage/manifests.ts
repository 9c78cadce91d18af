import type { IStorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import type { IPersistentVolume } from "kubernetes-models/v1/PersistentVolume";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { EbsClassConfig, ReclaimPolicy, StaticVolumeConfig } from "../config/types";
import { dnsSuffixOf } from "../shared/aws";
import { PolicyDocument, policyDocument } from "../shared/iam";

/** The annotation that makes a StorageClass the cluster default. */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
export const EBS_PROVISIONER = "ebs.csi.aws.com";
export const EFS_PROVISIONER = "efs.csi.aws.com";
/** TLS, and the node pods' IAM identity (efs-utils `iam`): without it a client is anonymous. */
const EFS_MOUNT_OPTIONS = ["tls", "iam"];

/**
 * An encrypted EBS class. Parameters are strings (the CSI driver ignores a YAML boolean for
 * `encrypted`, and its default is unencrypted). WaitForFirstConsumer creates the volume in the
 * AZ of the pod that first uses it.
 */
export function ebsClass(c: EbsClassConfig & { isDefault?: boolean }, kmsKeyArn: string, reclaimPolicy: ReclaimPolicy): IStorageClass {
    const parameters: Record<string, string> = {
        type: c.type,
        encrypted: "true",
        kmsKeyId: kmsKeyArn,
        "csi.storage.k8s.io/fstype": c.fsType ?? "ext4",
    };
    if (c.iops !== undefined) parameters.iops = String(c.iops);
    if (c.throughputMiBps !== undefined) parameters.throughput = String(c.throughputMiBps);
    return {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: c.name, annotations: { [DEFAULT_CLASS_ANNOTATION]: c.isDefault ? "true" : "false" } },
        provisioner: EBS_PROVISIONER,
        parameters,
        reclaimPolicy: c.reclaimPolicy ?? reclaimPolicy,
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
    };
}

/**
 * The `efs` class: each claim gets its own access point, directory (mode 700) under `basePath`
 * and POSIX uid/gid from the range, so applications sharing the file system cannot read each
 * other's files. Mounts use TLS and the CSI node's IAM role, which the file system policy requires.
 */
export function efsClass(fileSystemId: string, basePath: string, reclaimPolicy: ReclaimPolicy): IStorageClass {
    return {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: "efs", annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" } },
        provisioner: EFS_PROVISIONER,
        parameters: {
            provisioningMode: "efs-ap",
            fileSystemId,
            directoryPerms: "700",
            basePath,
            gidRangeStart: "50000",
            gidRangeEnd: "7000000",
            ensureUniqueDirectory: "true",
        },
        reclaimPolicy,
        volumeBindingMode: "Immediate",
        mountOptions: [...EFS_MOUNT_OPTIONS],
    };
}

/** The CSI volume handle for a static EFS volume: `fs-id`, `fs-id:/path`, `fs-id::fsap-id` or `fs-id:/path:fsap-id`. */
export function efsVolumeHandle(efs: NonNullable<StaticVolumeConfig["efs"]>): string {
    if (efs.accessPointId) return `${efs.fileSystemId}:${efs.path ?? ""}:${efs.accessPointId}`;
    return efs.path ? `${efs.fileSystemId}:${efs.path}` : efs.fileSystemId;
}

/** A PersistentVolume for existing data: no class, Retain; EFS mounted as the `efs` class mounts, EBS pinned to the volume's AZ. */
export function staticPersistentVolume(v: StaticVolumeConfig): IPersistentVolume {
    const csi = v.efs
        ? { driver: EFS_PROVISIONER, volumeHandle: efsVolumeHandle(v.efs) }
        : { driver: EBS_PROVISIONER, volumeHandle: v.ebs!.volumeId, fsType: v.ebs!.fsType ?? "ext4" };
    return {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name: v.name, labels: { "envstack.io/static-volume": v.name } },
        spec: {
            capacity: { storage: v.capacity },
            accessModes: [v.accessMode],
            persistentVolumeReclaimPolicy: "Retain",
            storageClassName: "",
            volumeMode: "Filesystem",
            // Pre-bound to its own claim: no other namespace's claim can take the data while it is unbound.
            claimRef: { namespace: v.namespace, name: v.name },
            csi,
            ...(v.efs ? { mountOptions: [...EFS_MOUNT_OPTIONS] } : {}),
            ...(v.ebs
                ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [v.ebs.availabilityZone] }] }] } } }
                : {}),
        },
    };
}

/** The claim bound to that volume by name (an empty class keeps dynamic provisioning out of it). */
export function staticPersistentVolumeClaim(v: StaticVolumeConfig): IPersistentVolumeClaim {
    return {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: v.name, namespace: v.namespace },
        spec: {
            accessModes: [v.accessMode],
            storageClassName: "",
            volumeName: v.name,
            resources: { requests: { storage: v.capacity } },
        },
    };
}

/**
 * The EBS CSI driver's use of the environment key: only through EC2 in this account (EC2 calls
 * KMS for the volumes it creates and attaches; the driver never needs the key directly), grants
 * only for AWS resources, on that key only.
 */
export function ebsCsiKmsPolicy(kmsKeyArn: string, region: string, accountId: string): PolicyDocument {
    const viaEc2 = { "kms:ViaService": `ec2.${region}.${dnsSuffixOf(region)}`, "kms:CallerAccount": accountId };
    return policyDocument(
        {
            Sid: "GrantsForAttachedVolumes",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: kmsKeyArn,
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" }, StringEquals: viaEc2 },
        },
        {
            Sid: "EncryptVolumesWithEnvironmentKey",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: kmsKeyArn,
            Condition: { StringEquals: viaEc2 },
        },
    );
}
