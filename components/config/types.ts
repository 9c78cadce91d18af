import type { AddonSwitches, VersionMap } from "./versions";
import type { ClusterConfig } from "./sections/cluster";
import type { KarpenterConfig } from "./sections/karpenter";
import type { NetworkConfig } from "./sections/network";
import type { ObservabilityConfig } from "./sections/observability";
import type { StorageConfig } from "./sections/storage";
import type { PlatformConfig } from "./sections/platform";
import type { GitOpsConfig } from "./sections/gitops";
import type { TeamConfig } from "./sections/teams";

/** The environment tiers. Each has a profile of defaults (see `tiers.ts`). */
export const TIERS = ["dev", "staging", "prod"] as const;
/** One of the environment tiers. */
export type Tier = (typeof TIERS)[number];

export * from "./sections/network";
export * from "./sections/cluster";
export * from "./sections/karpenter";
export * from "./sections/storage";
export * from "./sections/observability";
export * from "./sections/teams";
export * from "./sections/platform";
export * from "./sections/gitops";

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
    /** The platform add-ons teams expect. */
    platform: PlatformConfig;
    /** Argo CD, for teams that deploy from Git. */
    gitops: GitOpsConfig;
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
