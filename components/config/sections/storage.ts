/** The storage section of a stack's config: classes, EFS and static volumes. */

/** What happens to a volume when its claim is deleted. */
export const RECLAIM_POLICIES = ["Retain", "Delete"] as const;
/** Retain or Delete. */
export type ReclaimPolicy = (typeof RECLAIM_POLICIES)[number];
/** EBS volume types a StorageClass may use (gp2 is left out: gp3 is cheaper and faster). */
export const EBS_VOLUME_TYPES = ["gp3", "io2", "io1", "st1", "sc1"] as const;
/** One of the EBS volume types. */
export type EbsVolumeType = (typeof EBS_VOLUME_TYPES)[number];
/** Filesystems created on EBS volumes. */
export const FS_TYPES = ["ext4", "xfs"] as const;
/** Kubernetes volume access modes. */
export const ACCESS_MODES = ["ReadWriteOnce", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteMany"] as const;
/** One of the access modes. */
export type AccessMode = (typeof ACCESS_MODES)[number];
/** When EFS moves files to Infrequent Access. */
export const EFS_TRANSITIONS = ["AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS", "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS"] as const;

/** An extra EBS StorageClass, e.g. io2 for databases or a faster gp3. */
export interface EbsClassConfig {
    /** StorageClass name, a DNS label. */
    name: string;
    /** EBS volume type. */
    type: EbsVolumeType;
    /** Provisioned IOPS (gp3, io1, io2), within what the type accepts. */
    iops?: number;
    /** Throughput in MiB/s (gp3 only). */
    throughputMiBps?: number;
    /** Filesystem created on the volume. */
    fsType?: (typeof FS_TYPES)[number];
    /** Overrides the environment's reclaim policy. */
    reclaimPolicy?: ReclaimPolicy;
}

/** Existing data mounted into a namespace: an EFS file system (or access point) or an EBS volume. */
export interface StaticVolumeConfig {
    /** Name of the PersistentVolume (cluster-wide) and the claim. */
    name: string;
    /** Namespace of the claim. */
    namespace: string;
    /** How pods mount it; EBS volumes cannot be ReadWriteMany. */
    accessMode: AccessMode;
    /** Size to declare, e.g. `100Gi` (EFS does not enforce it; EBS must match the volume). */
    capacity: string;
    /** An EFS file system, optionally through an access point or at a path. */
    efs?: {
        /** The file system, `fs-...`. */
        fileSystemId: string;
        /** Mount through this access point, `fsap-...`. */
        accessPointId?: string;
        /** Mount this directory of the file system. */
        path?: string;
    };
    /** An EBS volume and the AZ it lives in (pods must run there). */
    ebs?: {
        /** The volume, `vol-...`. */
        volumeId: string;
        /** The volume's AZ, one of the cluster's. */
        availabilityZone: string;
        /** The filesystem on the volume (default ext4). */
        fsType?: (typeof FS_TYPES)[number];
    };
}

/** Persistent storage: the EBS and EFS CSI drivers, their classes, and static volumes. */
export interface StorageConfig {
    /** What happens to a dynamically provisioned volume when its claim is deleted: Retain in prod. */
    reclaimPolicy: ReclaimPolicy;
    /** The default class, encrypted gp3. */
    gp3: {
        /** Filesystem created on new volumes. */
        fsType: (typeof FS_TYPES)[number];
        /** Provisioned IOPS, 3,000 to 80,000. */
        iops: number;
        /** Throughput in MiB/s, 125 to 2,000, at most IOPS / 4. */
        throughputMiBps: number;
    };
    /** Further EBS classes. */
    extraClasses: EbsClassConfig[];
    /** The shared EFS file system and its `efs` class. */
    efs: {
        /** Whether the file system, its driver and the class are created. */
        enabled: boolean;
        /** When files move to Infrequent Access. */
        transitionToIa: (typeof EFS_TRANSITIONS)[number];
        /** Directory under which each claim gets its own access point directory. */
        basePath: string;
    };
    /** Existing data to mount statically. */
    staticVolumes: StaticVolumeConfig[];
}
