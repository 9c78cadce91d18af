import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkStorageArguments } from "./args";
import type { StorageConfig } from "../config/types";
import type { AddonSwitches, VersionMap } from "../config/versions";
import type { Tags } from "../shared/tags";
import { createAddonWithPodIdentity } from "../cluster/addons";
import { createSharedFileSystem } from "./efs";
import { attachEfsNodeRole, createEfsNodeRole, fileSystemArn } from "./efsNode";
import { DEFAULT_CLASS_ANNOTATION, ebsCsiKmsPolicy, ebsClass, efsClass } from "./manifests";
import { StaticVolume } from "./staticVolume";

/** Where storage is built, on top of its config. */
export interface StorageArgs extends StorageConfig {
    /** The EKS cluster's name. */
    clusterName: string;
    /** The cluster's account: the drivers' roles trust only its Pod Identity sessions. */
    accountId: string;
    /** AWS region. */
    region: string;
    /** The cluster's Kubernetes version: picks the drivers' versions. */
    kubernetesVersion: string;
    /** Pinned versions: the drivers. */
    versions: VersionMap;
    /** The VPC: the EFS security group is created in it. */
    vpcId: pulumi.Input<string>;
    /** Private subnets, one per AZ, in the order of `availabilityZones`. */
    privateSubnetIds: pulumi.Input<string[]>;
    /** The cluster's AZs, in the order of `privateSubnetIds`. */
    availabilityZones: string[];
    /**
     * Security groups of everything that mounts EFS, by label. In envstack the EKS cluster
     * security group is the control plane's, the managed nodes' and (by its discovery tag) the
     * one Karpenter gives its nodes.
     */
    nfsClients: Record<string, pulumi.Input<string>>;
    /** The environment key: EBS volumes and the file system. */
    kmsKeyArn: pulumi.Input<string>;
    /** Protect the file system and static volumes (prod). */
    protect: boolean;
    /** Provider for the cluster. */
    k8sProvider: k8s.Provider;
    /** The pod identity agent and the system nodes: the drivers need both before they are healthy. */
    dependsOn: pulumi.Resource[];
    /** EKS managed add-ons to install; a driver turned off is left to you (its role and association are still made). */
    addons?: Partial<AddonSwitches>;
    /** Namespaces this program creates, by name: a static volume's claim waits for its namespace. */
    namespaces?: Record<string, pulumi.Input<pulumi.Resource>>;
    /** Tags on every taggable resource. */
    tags: Tags;
}

/**
 * Persistent storage: the EBS CSI driver with the default encrypted gp3 class (and extra classes
 * from config), gp2 explicitly not default; the shared EFS file system with its CSI driver and
 * the `efs` class for per-claim access points; and static volumes for existing data.
 */
export class Storage extends pulumi.ComponentResource {
    /** The EBS CSI driver add-on; undefined when it runs self-managed. */
    readonly ebsDriver?: aws.eks.Addon;
    /** The StorageClasses envstack created, by name. */
    readonly classes: Record<string, k8s.storage.v1.StorageClass>;
    /** The shared EFS file system; undefined when EFS is off. */
    readonly fileSystem?: aws.efs.FileSystem;
    /** The security group of the EFS mount targets. */
    readonly efsSecurityGroup?: aws.ec2.SecurityGroup;
    /** The EFS CSI node pods' role: the only principal that may mount the file system. */
    readonly efsNodeRole?: aws.iam.Role;
    /** Static volumes, by name. */
    readonly staticVolumes: Record<string, StaticVolume>;

    constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
        checkStorageArguments(args);
        super("envstack:index:Storage", name, {}, opts);
        const release = args.versions.kubernetes[args.kubernetesVersion];
        const onCluster = { parent: this, provider: args.k8sProvider };

        // What both CSI drivers share: their cluster, versions, switches and tags; both run in kube-system.
        const driver = { namespace: "kube-system", clusterName: args.clusterName, accountId: args.accountId, region: args.region, release, addons: args.addons, tags: args.tags };
        const ebs = createAddonWithPodIdentity(
            name,
            {
                ...driver,
                addonName: "aws-ebs-csi-driver",
                serviceAccount: "ebs-csi-controller-sa",
                managedPolicy: "service-role/AmazonEBSCSIDriverPolicy",
                inlinePolicy: pulumi.output(args.kmsKeyArn).apply((arn) => JSON.stringify(ebsCsiKmsPolicy(arn, args.region, args.accountId))),
                dependsOn: args.dependsOn,
            },
            this,
        );
        this.ebsDriver = ebs.addon;
        const afterEbs = { ...onCluster, dependsOn: [ebs.ready] };
        this.classes = {};
        for (const c of [{ name: "gp3", type: "gp3" as const, ...args.gp3, isDefault: true }, ...args.extraClasses]) {
            const rendered = pulumi.output(args.kmsKeyArn).apply((arn) => ebsClass(c, arn, args.reclaimPolicy));
            this.classes[c.name] = new k8s.storage.v1.StorageClass(`${name}-${c.name}`, storageClassArgs(rendered), afterEbs);
        }
        // EKS creates gp2 on new clusters; make sure it is never the default.
        new k8s.storage.v1.StorageClassPatch(
            `${name}-gp2-not-default`,
            { metadata: { name: "gp2", annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" } }, provisioner: "kubernetes.io/aws-ebs" },
            afterEbs,
        );

        if (args.efs.enabled) {
            // The node pods mount with their own role (the `iam` option); only it may mount the file system.
            const nodeRole = createEfsNodeRole(name, driver, this);
            const shared = createSharedFileSystem(name, { ...args, efs: args.efs, nodeRoleArn: nodeRole.arn }, this);
            this.fileSystem = shared.fileSystem;
            this.efsSecurityGroup = shared.securityGroup;
            this.efsNodeRole = nodeRole;
            const staticFileSystems = args.staticVolumes.flatMap((v) => (v.efs ? [fileSystemArn(args.region, args.accountId, v.efs.fileSystemId)] : []));
            const nodeAssociation = attachEfsNodeRole(name, nodeRole, { ...driver, fileSystemArns: [shared.fileSystem.arn, ...staticFileSystems], dependsOn: args.dependsOn });
            const efs = createAddonWithPodIdentity(
                name,
                {
                    ...driver,
                    addonName: "aws-efs-csi-driver",
                    serviceAccount: "efs-csi-controller-sa",
                    managedPolicy: "service-role/AmazonEFSCSIDriverPolicy",
                    dependsOn: [...args.dependsOn, ...shared.mountTargets, nodeAssociation],
                },
                this,
            );
            const rendered = shared.fileSystem.id.apply((id) => efsClass(id, args.efs.basePath, args.reclaimPolicy));
            this.classes.efs = new k8s.storage.v1.StorageClass(`${name}-efs`, storageClassArgs(rendered), { ...onCluster, dependsOn: [efs.ready] });
        }

        this.staticVolumes = Object.fromEntries(
            args.staticVolumes.map((v) => [
                v.name,
                new StaticVolume(
                    `${name}-${v.name}`,
                    {
                        ...v,
                        protect: args.protect,
                        availabilityZones: args.availabilityZones,
                        dependsOn: [ebs.ready, ...(args.namespaces?.[v.namespace] ? [args.namespaces[v.namespace]] : [])],
                    },
                    onCluster,
                ),
            ]),
        );
        this.registerOutputs({ fileSystemId: this.fileSystem?.id });
    }
}

/** StorageClass args from a rendered (upstream-typed) class whose fields are known once the key or file system is. */
function storageClassArgs(rendered: pulumi.Output<import("kubernetes-models/storage.k8s.io/v1/StorageClass").IStorageClass>): k8s.storage.v1.StorageClassArgs {
    return {
        metadata: rendered.metadata as pulumi.Output<k8s.types.input.meta.v1.ObjectMeta>,
        provisioner: rendered.provisioner,
        parameters: rendered.parameters as pulumi.Output<Record<string, string>>,
        reclaimPolicy: rendered.reclaimPolicy as pulumi.Output<string>,
        volumeBindingMode: rendered.volumeBindingMode as pulumi.Output<string>,
        allowVolumeExpansion: rendered.allowVolumeExpansion as pulumi.Output<boolean>,
        mountOptions: rendered.mountOptions as pulumi.Output<string[]>,
    };
}
