import type { TeamLimits, TeamQuota, TeamSize } from "./types";

/** What a team may use: its namespace's quota and its containers' limits. */
export interface TeamAllowance {
    /** The ResourceQuota. */
    quota: TeamQuota;
    /** The LimitRange for containers. */
    limits: TeamLimits;
}

/**
 * What each team size grants. Requests are what the scheduler guarantees; limits may be higher
 * (burst). Storage is split between the encrypted gp3 class and the shared EFS class.
 */
export const TEAM_PRESETS: Record<TeamSize, TeamAllowance> = {
    small: {
        quota: {
            requestsCpu: "4",
            limitsCpu: "8",
            requestsMemory: "8Gi",
            limitsMemory: "16Gi",
            pods: 40,
            services: 10,
            persistentVolumeClaims: 10,
            loadBalancers: 1,
            gpus: 0,
            requestsStorage: "200Gi",
            storageByClass: { gp3: "200Gi", efs: "100Gi" },
        },
        limits: { defaultCpu: "500m", defaultMemory: "512Mi", defaultRequestCpu: "100m", defaultRequestMemory: "128Mi", maxCpu: "2", maxMemory: "4Gi" },
    },
    medium: {
        quota: {
            requestsCpu: "16",
            limitsCpu: "32",
            requestsMemory: "32Gi",
            limitsMemory: "64Gi",
            pods: 100,
            services: 25,
            persistentVolumeClaims: 25,
            loadBalancers: 2,
            gpus: 0,
            requestsStorage: "1Ti",
            storageByClass: { gp3: "1Ti", efs: "500Gi" },
        },
        limits: { defaultCpu: "500m", defaultMemory: "512Mi", defaultRequestCpu: "100m", defaultRequestMemory: "128Mi", maxCpu: "8", maxMemory: "16Gi" },
    },
    large: {
        quota: {
            requestsCpu: "64",
            limitsCpu: "128",
            requestsMemory: "128Gi",
            limitsMemory: "256Gi",
            pods: 300,
            services: 50,
            persistentVolumeClaims: 50,
            loadBalancers: 5,
            gpus: 0,
            requestsStorage: "4Ti",
            storageByClass: { gp3: "4Ti", efs: "2Ti" },
        },
        limits: { defaultCpu: "1", defaultMemory: "1Gi", defaultRequestCpu: "250m", defaultRequestMemory: "256Mi", maxCpu: "16", maxMemory: "64Gi" },
    },
};

/** A team's quota and limits: the preset with the team's overrides on top. */
export function teamAllowance(team: { size: TeamSize; quota?: Partial<TeamQuota>; limits?: Partial<TeamLimits> }): TeamAllowance {
    const preset = TEAM_PRESETS[team.size];
    return {
        quota: { ...preset.quota, ...team.quota, storageByClass: { ...preset.quota.storageByClass, ...team.quota?.storageByClass } },
        limits: { ...preset.limits, ...team.limits },
    };
}
