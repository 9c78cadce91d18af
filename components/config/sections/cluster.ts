/** The cluster section of a stack's config: the EKS cluster, its endpoint and node groups. */

/** EC2 capacity types of a managed node group. */
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
/** On-Demand or Spot. */
export type CapacityType = (typeof CAPACITY_TYPES)[number];

/** Taint effects, as EKS node groups spell them. */
export const TAINT_EFFECTS = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const;
/** One of the taint effects. */
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

/** A Kubernetes taint on every node of a group. */
export interface NodeTaint {
    /** Taint key, e.g. `CriticalAddonsOnly`. */
    key: string;
    /** Taint value; empty when the key alone matters. */
    value?: string;
    /** What the taint does to pods that do not tolerate it. */
    effect: TaintEffect;
}

/** One EKS managed node group. */
export interface NodeGroupConfig {
    /** Short DNS-style name; the node group is named `<cluster>-<name>`. */
    name: string;
    /** ON_DEMAND or SPOT. SPOT groups need several instance types of the same size. */
    capacityType: CapacityType;
    /** Instance types, all of one architecture (x86_64 or arm64). */
    instanceTypes: string[];
    /** Fewest nodes the group scales to. */
    minSize: number;
    /** Most nodes the group scales to. */
    maxSize: number;
    /** Nodes at creation; must lie within [minSize, maxSize]. */
    desiredSize: number;
    /** Root volume size in GiB (encrypted gp3 with the environment key). */
    diskSizeGiB: number;
    /** Kubernetes labels on every node. */
    labels: Record<string, string>;
    /** Kubernetes taints on every node. */
    taints: NodeTaint[];
    /**
     * `nvidia` for a GPU group, for clusters without Karpenter: the NVIDIA AL2023 AMI type, the
     * `nvidia.com/gpu:NoSchedule` taint and the accelerator label, so the device plugin runs there.
     */
    accelerator?: "nvidia";
}

/** The system node group, which runs the cluster's critical add-ons: On-Demand, except where a tier accepts Spot. */
export interface SystemNodeGroupConfig {
    /** ON_DEMAND (the default), or SPOT outside prod: then several types of one size, as for any SPOT group. */
    capacityType?: CapacityType;
    /** Instance types, all of one architecture. */
    instanceTypes: string[];
    /** Fewest nodes. */
    minSize: number;
    /** Most nodes. */
    maxSize: number;
    /** Nodes at creation; must lie within [minSize, maxSize]. */
    desiredSize: number;
    /** Root volume size in GiB. */
    diskSizeGiB: number;
}

/** Who can reach the Kubernetes API. The private endpoint is always on. */
export interface EndpointConfig {
    /** Whether the public endpoint is on as well. */
    publicAccess: boolean;
    /** CIDRs allowed to reach the public endpoint; required when it is on. */
    publicAccessCidrs: string[];
}

/** The EKS cluster. */
export interface ClusterConfig {
    /** Kubernetes minor version, one of the versions in the version map. */
    kubernetesVersion: string;
    /** API endpoint access. */
    endpoint: EndpointConfig;
    /** IAM role ARNs given cluster-admin through EKS access entries. */
    adminRoleArns: string[];
    /** Days CloudWatch keeps control-plane logs. */
    logRetentionInDays: number;
    /** The system node group for critical add-ons. */
    systemNodeGroup: SystemNodeGroupConfig;
    /** Further managed node groups, On-Demand or Spot. */
    nodeGroups: NodeGroupConfig[];
    /** EKS deletion protection on the cluster. */
    deletionProtection: boolean;
}
