import type { IEC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import type { KarpenterConfig } from "../config/types";
import type { Tags } from "../shared/tags";

/** The one EC2NodeClass every envstack NodePool launches from. */
export const NODE_CLASS_NAME = "default";
/** The label each Karpenter node carries with its pool's name. */
export const POOL_LABEL = "envstack.io/node-pool";

export type CapacityType = "spot" | "on-demand";

/** One NodePool of the capacity mix. */
export interface PoolPlan {
    name: string;
    /** Higher weight is tried first. */
    weight: number;
    capacityTypes: CapacityType[];
    /** vCPU limit (the pool's share of the ceiling). */
    cpu: number;
    /** Memory limit in GiB. */
    memoryGiB: number;
}

/**
 * The capacity mix as NodePools: the On-Demand base first (weight 100), then the Spot-first
 * burst (weight 50, falling back to On-Demand when Spot is short), then any On-Demand-only burst
 * (weight 10) that `spotPercentage` reserves. The pools' cpu limits add up to `maxCpu`; memory is
 * split in the same proportion.
 */
export function planPools(config: Pick<KarpenterConfig, "onDemandBaseCpu" | "maxCpu" | "maxMemoryGiB" | "spotPercentage">): PoolPlan[] {
    const base = config.onDemandBaseCpu;
    const burst = config.maxCpu - base;
    const spot = Math.floor((burst * config.spotPercentage) / 100);
    const memory = (cpu: number) => Math.floor((config.maxMemoryGiB * cpu) / config.maxCpu);
    const pools: PoolPlan[] = [];
    if (base > 0) pools.push({ name: "on-demand-base", weight: 100, capacityTypes: ["on-demand"], cpu: base, memoryGiB: memory(base) });
    if (spot > 0) pools.push({ name: "burst", weight: 50, capacityTypes: ["spot", "on-demand"], cpu: spot, memoryGiB: memory(spot) });
    if (burst - spot > 0) pools.push({ name: "burst-on-demand", weight: 10, capacityTypes: ["on-demand"], cpu: burst - spot, memoryGiB: memory(burst - spot) });
    return pools;
}

export function nodePool(plan: PoolPlan, config: KarpenterConfig): INodePool {
    return {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: plan.name },
        spec: {
            weight: plan.weight,
            template: {
                metadata: { labels: { [POOL_LABEL]: plan.name } },
                spec: {
                    nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: NODE_CLASS_NAME },
                    requirements: [
                        { key: "karpenter.sh/capacity-type", operator: "In", values: plan.capacityTypes },
                        { key: "karpenter.k8s.aws/instance-category", operator: "In", values: config.instanceCategories },
                        { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: [String(config.minInstanceGeneration)] },
                        { key: "kubernetes.io/arch", operator: "In", values: config.architectures },
                        { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                    ],
                    expireAfter: config.expireAfter,
                },
            },
            limits: { cpu: String(plan.cpu), memory: `${plan.memoryGiB}Gi` },
            disruption: {
                consolidationPolicy: config.consolidationPolicy,
                consolidateAfter: config.consolidateAfter,
                budgets: config.budgets.map((b) => ({ ...b })),
            },
        },
    };
}

export interface NodeClassArgs {
    /** The class's name (default `default`). */
    name?: string;
    clusterName: string;
    nodeRoleName: string;
    amiAlias: string;
    kmsKeyArn: string;
    diskSizeGiB: number;
    tags: Tags;
}

/**
 * The EC2NodeClass: a pinned AL2023 release, the node role, subnets and the security group found
 * by the discovery tag, an encrypted gp3 root volume under the environment key, IMDSv2 with hop
 * limit 1 (pods cannot reach node credentials).
 */
export function ec2NodeClass(args: NodeClassArgs): IEC2NodeClass {
    const discovery = { "karpenter.sh/discovery": args.clusterName };
    return {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: args.name ?? NODE_CLASS_NAME },
        spec: {
            role: args.nodeRoleName,
            amiSelectorTerms: [{ alias: args.amiAlias }],
            subnetSelectorTerms: [{ tags: discovery }],
            securityGroupSelectorTerms: [{ tags: discovery }],
            blockDeviceMappings: [
                {
                    deviceName: "/dev/xvda",
                    rootVolume: true,
                    ebs: { volumeSize: `${args.diskSizeGiB}Gi`, volumeType: "gp3", encrypted: true, kmsKeyID: args.kmsKeyArn, deleteOnTermination: true },
                },
            ],
            metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
            tags: { ...args.tags },
        },
    };
}
