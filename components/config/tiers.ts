import type { EnvironmentInput, Tier } from "./types";

/**
 * Defaults that differ per tier. A stack file only states identity (name, region, account,
 * AZs, CIDR, admins) and whatever it wants to override; everything else comes from here.
 */
export const TIER_PROFILES: Record<Tier, EnvironmentInput> = {
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
            systemNodeGroup: { instanceTypes: ["t3.large"], minSize: 2, maxSize: 3, desiredSize: 2, diskSizeGiB: 30 },
            nodeGroups: [],
            deletionProtection: false,
        },
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
            systemNodeGroup: { instanceTypes: ["m7i.large"], minSize: 2, maxSize: 4, desiredSize: 2, diskSizeGiB: 50 },
            nodeGroups: [],
            deletionProtection: false,
        },
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
            systemNodeGroup: { instanceTypes: ["m7i.xlarge"], minSize: 3, maxSize: 6, desiredSize: 3, diskSizeGiB: 80 },
            nodeGroups: [],
            deletionProtection: true,
        },
    },
};
