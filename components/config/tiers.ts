import type { EnvironmentInput, Tier } from "./types";

/**
 * The most nodes one managed node group may grow to, per tier: the node-group-max-size
 * guardrail's limit in the tier's policy preset (a test keeps them equal). Karpenter scales the
 * rest; a group this large is a typo or a runaway bill.
 */
export const NODE_GROUP_MAX_SIZE: Record<Tier, number> = { dev: 10, staging: 12, prod: 20 };

/**
 * Defaults that differ per tier. A stack file only states identity (name, region, account,
 * AZs, CIDR, admins) and whatever it wants to override; everything else comes from here.
 */
export const TIER_PROFILES: Record<Tier, EnvironmentInput> = {
    // dev is minimal: the Prometheus stack is off (CloudWatch stays on); turn it on with envstack:observability.
    dev: {
        protect: false,
        kms: { deletionWindowInDays: 7 },
        network: {
            natGateways: "Single",
            subnetMasks: { public: 24, private: 19, isolated: 24 },
            isolatedSubnets: false,
            flowLogs: { enabled: true, retentionInDays: 7, trafficType: "REJECT" },
        },
        cluster: {
            endpoint: { publicAccess: true, publicAccessCidrs: [] },
            logRetentionInDays: 7,
            // Small Graviton nodes on Spot: every system image is multi-arch, and dev can ride out a reclaim.
            // Four types of one size (2 vCPU, 4 GiB) give Spot several pools to draw on.
            systemNodeGroup: { capacityType: "SPOT", instanceTypes: ["t4g.medium", "c7g.large", "c6g.large", "c8g.large"], minSize: 2, maxSize: 3, desiredSize: 2, diskSizeGiB: 20 },
            nodeGroups: [],
            deletionProtection: false,
        },
        karpenter: {
            enabled: true,
            onDemandBaseCpu: 0,
            maxCpu: 32,
            maxMemoryGiB: 128,
            spotPercentage: 100,
            instanceCategories: ["c", "m", "r", "t"],
            minInstanceGeneration: 5,
            architectures: ["amd64"],
            expireAfter: "168h",
            consolidationPolicy: "WhenEmptyOrUnderutilized",
            consolidateAfter: "30s",
            budgets: [{ nodes: "20%" }],
            diskSizeGiB: 50,
            replicas: 2,
            // Off until a stack asks: L4s to try a model on.
            gpu: {
                enabled: false,
                instanceFamilies: ["g6"],
                capacityTypes: ["on-demand"],
                maxGpus: 4,
                maxCpu: 64,
                maxMemoryGiB: 256,
                expireAfter: "168h",
                consolidateAfter: "10m",
                budgets: [{ nodes: "1" }],
                diskSizeGiB: 200,
            },
        },
        storage: {
            reclaimPolicy: "Delete",
            gp3: { fsType: "ext4", iops: 3000, throughputMiBps: 125 },
            extraClasses: [],
            efs: { enabled: true, transitionToIa: "AFTER_30_DAYS", basePath: "/dynamic" },
            staticVolumes: [],
        },
        observability: {
            containerInsights: { enabled: true },
            prometheus: {
                enabled: false,
                retention: "3d",
                retentionSizeGB: 15,
                storageGiB: 20,
                cpu: "250m",
                memory: "1Gi",
                alertmanagerStorageGiB: 2,
                grafanaStorageGiB: 2,
            },
            // No history in dev: Prometheus's own days are enough.
            longTermMetrics: {
                backend: "none",
                localRetention: "3d",
                amp: { capacity: 2500, maxShards: 10, maxSamplesPerSend: 1000 },
                thanos: { retentionRaw: "14d", retention5m: "30d", retention1h: "90d", noncurrentVersionDays: 7, replicas: 1 },
            },
            alerts: {},
        },
        teams: [],
        // dev gets load balancers and the HPA; DNS and secrets wait for staging. One replica each is enough to try them.
        platform: {
            metricsServer: { enabled: true, replicas: 1 },
            loadBalancerController: { enabled: true, replicas: 1 },
            externalDns: { enabled: false, zones: [], policy: "sync" },
            externalSecrets: { enabled: false, replicas: 1 },
        },
        gitops: { enabled: false, ha: false },
        // Requests may exceed the capacity ceiling by this factor (dev packs teams densely; prod never over-commits).
        teamOvercommitFactor: 2,
    },
    staging: {
        protect: false,
        kms: { deletionWindowInDays: 30 },
        network: {
            natGateways: "OnePerAz",
            subnetMasks: { public: 24, private: 19, isolated: 24 },
            isolatedSubnets: false,
            flowLogs: { enabled: true, retentionInDays: 30, trafficType: "ALL" },
        },
        cluster: {
            endpoint: { publicAccess: true, publicAccessCidrs: [] },
            logRetentionInDays: 30,
            systemNodeGroup: { capacityType: "ON_DEMAND", instanceTypes: ["m7i.large"], minSize: 2, maxSize: 4, desiredSize: 2, diskSizeGiB: 50 },
            nodeGroups: [],
            deletionProtection: true,
        },
        karpenter: {
            enabled: true,
            onDemandBaseCpu: 8,
            maxCpu: 128,
            maxMemoryGiB: 512,
            spotPercentage: 100,
            instanceCategories: ["c", "m", "r"],
            minInstanceGeneration: 5,
            architectures: ["amd64"],
            expireAfter: "336h",
            consolidationPolicy: "WhenEmptyOrUnderutilized",
            consolidateAfter: "1m",
            budgets: [{ nodes: "10%" }],
            diskSizeGiB: 80,
            replicas: 2,
            // Off until a stack asks; long jobs live two weeks on a node.
            gpu: {
                enabled: false,
                instanceFamilies: ["g6"],
                capacityTypes: ["on-demand"],
                maxGpus: 8,
                maxCpu: 192,
                maxMemoryGiB: 768,
                expireAfter: "336h",
                consolidateAfter: "10m",
                budgets: [{ nodes: "1" }],
                diskSizeGiB: 200,
            },
        },
        storage: {
            reclaimPolicy: "Delete",
            gp3: { fsType: "ext4", iops: 3000, throughputMiBps: 125 },
            extraClasses: [],
            efs: { enabled: true, transitionToIa: "AFTER_30_DAYS", basePath: "/dynamic" },
            staticVolumes: [],
        },
        observability: {
            containerInsights: { enabled: true },
            prometheus: {
                enabled: true,
                retention: "15d",
                retentionSizeGB: 45,
                storageGiB: 50,
                cpu: "500m",
                memory: "2Gi",
                alertmanagerStorageGiB: 5,
                grafanaStorageGiB: 5,
            },
            // History in AMP; Prometheus keeps two days, enough to ride out an outage of remote write.
            longTermMetrics: {
                backend: "amp",
                localRetention: "2d",
                amp: { capacity: 2500, maxShards: 50, maxSamplesPerSend: 1000 },
                thanos: { retentionRaw: "30d", retention5m: "180d", retention1h: "365d", noncurrentVersionDays: 30, replicas: 2 },
            },
            alerts: {},
        },
        teams: [],
        platform: {
            metricsServer: { enabled: true, replicas: 2 },
            loadBalancerController: { enabled: true, replicas: 2 },
            // Runs once zones are configured.
            externalDns: { enabled: true, zones: [], policy: "sync" },
            externalSecrets: { enabled: true, replicas: 2 },
        },
        gitops: { enabled: true, ha: false },
        teamOvercommitFactor: 1.5,
    },
    prod: {
        protect: true,
        kms: { deletionWindowInDays: 30 },
        network: {
            natGateways: "OnePerAz",
            subnetMasks: { public: 24, private: 19, isolated: 24 },
            isolatedSubnets: true,
            flowLogs: { enabled: true, retentionInDays: 365, trafficType: "ALL" },
        },
        cluster: {
            endpoint: { publicAccess: false, publicAccessCidrs: [] },
            logRetentionInDays: 90,
            systemNodeGroup: { capacityType: "ON_DEMAND", instanceTypes: ["m7i.xlarge"], minSize: 3, maxSize: 6, desiredSize: 3, diskSizeGiB: 80 },
            nodeGroups: [],
            deletionProtection: true,
        },
        karpenter: {
            enabled: true,
            onDemandBaseCpu: 32,
            maxCpu: 384,
            maxMemoryGiB: 1536,
            spotPercentage: 70,
            instanceCategories: ["c", "m", "r"],
            minInstanceGeneration: 5,
            architectures: ["amd64"],
            expireAfter: "720h",
            consolidationPolicy: "WhenEmptyOrUnderutilized",
            consolidateAfter: "5m",
            // No consolidation-driven disruption in business hours (UTC); drift and expiry still proceed.
            budgets: [{ nodes: "10%" }, { nodes: "0", schedule: "0 8 * * mon-fri", duration: "10h", reasons: ["Underutilized", "Empty"] }],
            diskSizeGiB: 100,
            replicas: 2,
            // Off until a stack asks; L4s and L40S, a node a month.
            gpu: {
                enabled: false,
                instanceFamilies: ["g6", "g6e"],
                capacityTypes: ["on-demand"],
                maxGpus: 32,
                maxCpu: 768,
                maxMemoryGiB: 3072,
                expireAfter: "720h",
                consolidateAfter: "10m",
                budgets: [{ nodes: "1" }],
                diskSizeGiB: 200,
            },
        },
        storage: {
            reclaimPolicy: "Retain",
            gp3: { fsType: "ext4", iops: 3000, throughputMiBps: 125 },
            extraClasses: [],
            efs: { enabled: true, transitionToIa: "AFTER_30_DAYS", basePath: "/dynamic" },
            staticVolumes: [],
        },
        observability: {
            containerInsights: { enabled: true },
            prometheus: {
                enabled: true,
                retention: "30d",
                retentionSizeGB: 180,
                storageGiB: 200,
                cpu: "1",
                memory: "8Gi",
                alertmanagerStorageGiB: 10,
                grafanaStorageGiB: 10,
            },
            // History in AMP; queues sized for prod's series.
            longTermMetrics: {
                backend: "amp",
                localRetention: "2d",
                amp: { capacity: 10000, maxShards: 200, maxSamplesPerSend: 2000 },
                thanos: { retentionRaw: "90d", retention5m: "365d", retention1h: "730d", noncurrentVersionDays: 90, replicas: 2 },
            },
            alerts: {},
        },
        teams: [],
        platform: {
            metricsServer: { enabled: true, replicas: 2 },
            loadBalancerController: { enabled: true, replicas: 2 },
            // Runs once zones are configured; never deletes a record in prod.
            externalDns: { enabled: true, zones: [], policy: "upsert-only" },
            externalSecrets: { enabled: true, replicas: 2 },
        },
        // Argo CD stays up through a node's loss.
        gitops: { enabled: true, ha: true },
        teamOvercommitFactor: 1,
    },
};
