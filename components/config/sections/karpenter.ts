/** The karpenter section of a stack's config: its limits, Spot mix and disruption. */

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
 * GPU capacity: a NodePool of its own, tainted `nvidia.com/gpu:NoSchedule` so only pods that
 * tolerate it (and request GPUs) land there, bounded in GPUs as well as CPU and memory, and
 * disrupted gently: only when empty, a node at a time.
 */
export interface GpuPoolConfig {
    /** Whether the GPU pool exists (off in every tier). */
    enabled: boolean;
    /** NVIDIA instance families it may launch, from envstack's catalogue, e.g. [g6, g6e]. */
    instanceFamilies: string[];
    /** `on-demand`, and `spot` where interrupted work is acceptable (inference, not training). */
    capacityTypes: ("on-demand" | "spot")[];
    /** Most GPUs the pool may run at once (its `limits`). */
    maxGpus: number;
    /** Most vCPUs of GPU nodes. */
    maxCpu: number;
    /** Most GiB of memory of GPU nodes. */
    maxMemoryGiB: number;
    /** How long a GPU node lives before it is replaced, e.g. `720h`, or `Never`. */
    expireAfter: string;
    /** How long a GPU node must be empty before it goes, e.g. `10m`. */
    consolidateAfter: string;
    /** Disruption budgets of the GPU pool; by default one node at a time. */
    budgets: DisruptionBudget[];
    /** Root volume of GPU nodes in GiB: images of ML frameworks are large. */
    diskSizeGiB: number;
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
    /** The GPU pool. */
    gpu: GpuPoolConfig;
}
