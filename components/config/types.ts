import type { AddonSwitches, VersionMap } from "./versions";

/** The environment tiers. Each has a profile of defaults (see `tiers.ts`). */
export const TIERS = ["dev", "staging", "prod"] as const;
/** One of the environment tiers. */
export type Tier = (typeof TIERS)[number];

/**
 * How private subnets reach the internet: one shared NAT gateway (cheap, one AZ's failure cuts
 * egress) or one per AZ. "None" is not offered: nodes could not pull images or join the cluster.
 */
export const NAT_STRATEGIES = ["Single", "OnePerAz"] as const;
/** One of the NAT gateway strategies. */
export type NatGatewayStrategy = (typeof NAT_STRATEGIES)[number];

/** EC2 capacity types of a managed node group. */
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
/** On-Demand or Spot. */
export type CapacityType = (typeof CAPACITY_TYPES)[number];

/** Taint effects, as EKS node groups spell them. */
export const TAINT_EFFECTS = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const;
/** One of the taint effects. */
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

/** Which traffic VPC flow logs record. */
export const FLOW_LOG_TRAFFIC = ["ALL", "ACCEPT", "REJECT"] as const;
/** One of the flow log traffic types. */
export type FlowLogTraffic = (typeof FLOW_LOG_TRAFFIC)[number];

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
}

/** Sizes of the system node group, which runs the cluster's critical add-ons on On-Demand capacity. */
export interface SystemNodeGroupConfig {
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

/** Subnet prefix lengths, per AZ. */
export interface SubnetMasks {
    /** Public subnets (load balancers, NAT gateways). */
    public: number;
    /** Private subnets (nodes and pods; pods take VPC addresses, so make these large). */
    private: number;
    /** Isolated subnets (no route to the internet), when enabled. */
    isolated: number;
}

/** VPC flow logs to an encrypted CloudWatch log group. */
export interface FlowLogsConfig {
    /** Whether flow logs are created. */
    enabled: boolean;
    /** Days CloudWatch keeps the flow logs; one of the values CloudWatch accepts. */
    retentionInDays: number;
    /** Which traffic is logged. */
    trafficType: FlowLogTraffic;
}

/** An existing VPC to adopt instead of creating one. */
export interface ExistingVpcConfig {
    /** The VPC id, `vpc-...`. */
    vpcId: string;
    /** Public subnet ids, one per AZ. */
    publicSubnetIds: string[];
    /** Private subnet ids, one per AZ; nodes run here. */
    privateSubnetIds: string[];
    /** Isolated subnet ids, if any. */
    isolatedSubnetIds: string[];
    /** Route table ids that the S3 gateway endpoint is added to; none skips the endpoint. */
    routeTableIds: string[];
}

/** The environment's network. */
export interface NetworkConfig {
    /** The VPC's IPv4 CIDR, private address space, /16 to /24. */
    cidr: string;
    /** AZ names in the region, at least 2, e.g. `eu-west-1a`. No lookup: they come from config. */
    availabilityZones: string[];
    /** NAT gateway strategy. */
    natGateways: NatGatewayStrategy;
    /** Subnet sizes per AZ. */
    subnetMasks: SubnetMasks;
    /** Whether isolated subnets are created. */
    isolatedSubnets: boolean;
    /** VPC flow logs. */
    flowLogs: FlowLogsConfig;
    /** Adopt this VPC instead of creating one. */
    existingVpc?: ExistingVpcConfig;
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
    /** The On-Demand system node group for critical add-ons. */
    systemNodeGroup: SystemNodeGroupConfig;
    /** Further managed node groups, On-Demand or Spot. */
    nodeGroups: NodeGroupConfig[];
    /** EKS deletion protection on the cluster. */
    deletionProtection: boolean;
}

/** When Karpenter consolidates nodes. */
export const CONSOLIDATION_POLICIES = ["WhenEmpty", "WhenEmptyOrUnderutilized"] as const;
/** One of the consolidation policies. */
export type ConsolidationPolicy = (typeof CONSOLIDATION_POLICIES)[number];
/** Reasons a Karpenter disruption budget can be limited to. */
export const DISRUPTION_REASONS = ["Underutilized", "Empty", "Drifted"] as const;
/** CPU architectures of Karpenter nodes, as Kubernetes labels spell them. */
export const NODE_ARCHITECTURES = ["amd64", "arm64"] as const;
/** Karpenter's `karpenter.k8s.aws/instance-category` values. */
export const INSTANCE_CATEGORIES = ["a", "c", "d", "f", "g", "h", "i", "im", "inf", "is", "m", "p", "r", "t", "trn", "u", "vt", "x", "z"] as const;

/** A Karpenter disruption budget: how many nodes may be disrupted at once, optionally only in a window. */
export interface DisruptionBudget {
    /** A count (`"2"`) or a percentage (`"10%"`) of the pool's nodes. */
    nodes: string;
    /** Cron schedule (UTC) when this budget starts to apply, e.g. `0 9 * * mon-fri`. */
    schedule?: string;
    /** How long the budget applies after each schedule hit, e.g. `9h`. Required with a schedule. */
    duration?: string;
    /** Disruption reasons the budget limits; all when omitted. */
    reasons?: (typeof DISRUPTION_REASONS)[number][];
}

/**
 * Karpenter and the capacity mix. An On-Demand base pool (highest weight, On-Demand only, its
 * `limits.cpu` the base) takes steady load; the rest of the ceiling is burst capacity, of which up
 * to `spotPercentage` runs Spot-first (falling back to On-Demand), and the remainder On-Demand.
 */
export interface KarpenterConfig {
    /** Whether Karpenter is installed. */
    enabled: boolean;
    /** vCPUs of guaranteed On-Demand capacity (the base pool's limits.cpu); 0 for no base. */
    onDemandBaseCpu: number;
    /** Ceiling of all Karpenter capacity in vCPUs; the pools' cpu limits add up to it. */
    maxCpu: number;
    /** Ceiling of all Karpenter capacity in GiB of memory, split across the pools like the CPU. */
    maxMemoryGiB: number;
    /** Share (0 to 100) of the burst capacity that may run on Spot. */
    spotPercentage: number;
    /** Instance categories Karpenter may choose from, e.g. [c, m, r]. */
    instanceCategories: (typeof INSTANCE_CATEGORIES)[number][];
    /** Only instance generations above this one, e.g. 5 for 6th generation and newer. */
    minInstanceGeneration: number;
    /** CPU architectures of Karpenter nodes. */
    architectures: (typeof NODE_ARCHITECTURES)[number][];
    /** How long a node lives before it is replaced, e.g. `720h`, or `Never`. */
    expireAfter: string;
    /** When nodes are consolidated. */
    consolidationPolicy: ConsolidationPolicy;
    /** How long a node must be empty or underused before consolidation, e.g. `1m`. */
    consolidateAfter: string;
    /** Disruption budgets; prod adds a business-hours budget. */
    budgets: DisruptionBudget[];
    /** Root volume size of Karpenter nodes in GiB. */
    diskSizeGiB: number;
    /** Controller replicas, on the system node group. */
    replicas: number;
}

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

/** Observability: CloudWatch (Container Insights, Fluent Bit) and the Prometheus stack. */
export interface ObservabilityConfig {
    /** The CloudWatch side: the amazon-cloudwatch-observability add-on and its log groups. */
    containerInsights: {
        /** Whether the add-on and its log groups are created. */
        enabled: boolean;
    };
    /** The Prometheus side: kube-prometheus-stack (Prometheus, Alertmanager, Grafana) and envstack's rules. */
    prometheus: {
        /** Whether kube-prometheus-stack is installed. */
        enabled: boolean;
        /** How long samples are kept, a Prometheus duration like `15d`. */
        retention: string;
        /** Size-based retention in GB; must leave headroom on the volume. */
        retentionSizeGB: number;
        /** Prometheus volume size in GiB (encrypted gp3). */
        storageGiB: number;
        /** CPU request of Prometheus, e.g. `500m`. */
        cpu: string;
        /** Memory request and limit of Prometheus, e.g. `2Gi`. */
        memory: string;
        /** Alertmanager volume size in GiB. */
        alertmanagerStorageGiB: number;
        /** Grafana volume size in GiB. */
        grafanaStorageGiB: number;
    };
    /** Where alerts go besides the encrypted SNS topic: an email address and/or an HTTPS endpoint subscribed to it. */
    alerts: AlertReceivers;
}

/** Subscriptions of an alert topic. */
export interface AlertReceivers {
    /** An address subscribed to the alert topic (the subscription must be confirmed). */
    email?: string;
    /** An `https://` endpoint subscribed to the alert topic; it often carries a key, so it is handled as a secret. */
    httpsEndpoint?: string;
}

/** Team size presets (see `TEAM_PRESETS`). */
export const TEAM_SIZES = ["small", "medium", "large"] as const;
/** One of the team sizes. */
export type TeamSize = (typeof TEAM_SIZES)[number];
/** Pod Security admission levels a team namespace may enforce (privileged is not offered). */
export const POD_SECURITY_LEVELS = ["baseline", "restricted"] as const;
/** Whether a team namespace's egress is open or limited to DNS and the namespace. */
export const TEAM_EGRESS = ["open", "restricted"] as const;
/** Whether a team's load balancers and ingresses may face the internet. */
export const TEAM_INGRESS = ["internal", "public"] as const;

/** A team namespace's ResourceQuota. Quantities are Kubernetes quantities (`4`, `500m`, `16Gi`). */
export interface TeamQuota {
    /** CPU all pods may request together, e.g. `16`. */
    requestsCpu: string;
    /** CPU limits of all pods together. */
    limitsCpu: string;
    /** Memory all pods may request together, e.g. `32Gi`. */
    requestsMemory: string;
    /** Memory limits of all pods together. */
    limitsMemory: string;
    /** Most pods at once. */
    pods: number;
    /** Most Services. */
    services: number;
    /** Most PersistentVolumeClaims. */
    persistentVolumeClaims: number;
    /** Most Services of type LoadBalancer. */
    loadBalancers: number;
    /** Total storage all claims may request. */
    requestsStorage: string;
    /** Storage per StorageClass, e.g. { gp3: 200Gi, efs: 100Gi }. */
    storageByClass: Record<string, string>;
}

/** A team namespace's LimitRange for containers. */
export interface TeamLimits {
    /** CPU limit given to containers that state none. */
    defaultCpu: string;
    /** Memory limit given to containers that state none. */
    defaultMemory: string;
    /** CPU request given to containers that state none. */
    defaultRequestCpu: string;
    /** Memory request given to containers that state none. */
    defaultRequestMemory: string;
    /** The most CPU one container may ask for. */
    maxCpu: string;
    /** The most memory one container may ask for. */
    maxMemory: string;
}

/** One IAM permission of a team's Pod Identity role. Actions are explicit: no `*`. */
export interface TeamPolicyStatement {
    /** IAM actions, e.g. `s3:GetObject`. */
    actions: string[];
    /** ARNs the actions apply to, or `*` for actions without resource-level permissions. */
    resources: string[];
}

/** A service account of the team whose pods get this IAM role through Pod Identity. */
export interface TeamServiceAccount {
    /** The service account's name in the team's namespace. */
    name: string;
    /** What its pods may do in AWS (allow statements). */
    statements: TeamPolicyStatement[];
}

/** One team: a namespace, its quota and limits, isolation, and scoped access. */
export interface TeamConfig {
    /** Namespace name, a DNS-1123 label; not a reserved name. */
    name: string;
    /** Preset for the quota and limits. */
    size: TeamSize;
    /** The team's IAM role: an access entry with AmazonEKSEditPolicy on its namespace only. */
    roleArn: string;
    /** Pod Security admission level enforced; warn and audit are always `restricted`. */
    podSecurity: (typeof POD_SECURITY_LEVELS)[number];
    /** Whether egress is open (default) or limited to DNS and the namespace itself. */
    egress: (typeof TEAM_EGRESS)[number];
    /** Whether the team's LoadBalancer Services and Ingresses may face the internet (`public`) or must be internal (default); NodePorts never. */
    ingress: (typeof TEAM_INGRESS)[number];
    /** Where the alerts of the team's own rules go: its own encrypted topic, with these subscriptions. Without any, they are dropped, never sent to the platform's on-call. */
    alerts: AlertReceivers;
    /** Overrides of the preset's quota. */
    quota: Partial<TeamQuota>;
    /** Overrides of the preset's limits. */
    limits: Partial<TeamLimits>;
    /** ClusterRoles bound in the namespace on top of Edit, e.g. [view, admin]. */
    clusterRoles: string[];
    /** Pod Identity roles for the team's service accounts. */
    serviceAccounts: TeamServiceAccount[];
}

/** The environment's customer-managed KMS key. */
export interface KmsConfig {
    /** Days a scheduled key deletion waits, 7 to 30. */
    deletionWindowInDays: number;
}

/** A validated, fully resolved environment: what `Environment` builds from. */
export interface EnvironmentConfig {
    /** Environment name; also the EKS cluster name. DNS-1123 label, at most 40 characters. */
    name: string;
    /** Tier whose profile supplied the defaults. */
    tier: Tier;
    /** AWS region, e.g. `eu-west-1`. */
    region: string;
    /** The 12-digit AWS account the environment lives in. */
    accountId: string;
    /** Team or person accountable for the environment (the `owner` tag). */
    owner: string;
    /** Extra tags on every taggable resource. */
    tags: Record<string, string>;
    /** Whether stateful resources are protected from deletion. */
    protect: boolean;
    /** The environment key. */
    kms: KmsConfig;
    /** The network. */
    network: NetworkConfig;
    /** The cluster. */
    cluster: ClusterConfig;
    /** Karpenter and the Spot mix. */
    karpenter: KarpenterConfig;
    /** EBS and EFS storage. */
    storage: StorageConfig;
    /** Metrics, logs and alerts. */
    observability: ObservabilityConfig;
    /** Team namespaces. */
    teams: TeamConfig[];
    /** How far the teams' summed CPU and memory requests may exceed the capacity ceiling (1 = not at all). */
    teamOvercommitFactor: number;
    /** Which EKS managed add-ons envstack installs (all by default). */
    addons: AddonSwitches;
    /** Pinned versions, after stack overrides. */
    versions: VersionMap;
}

/** Makes every field optional, recursively; arrays are replaced, not merged. */
export type DeepPartial<T> = T extends (infer U)[]
    ? DeepPartial<U>[]
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/**
 * What a stack (or a team's program) writes: the tier, identity fields, and any overrides of
 * the tier profile. `resolveEnvironmentConfig` turns it into an `EnvironmentConfig`.
 */
export type EnvironmentInput = DeepPartial<EnvironmentConfig>;
