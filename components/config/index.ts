export * from "./types";
export * from "./versions";
export { TIER_PROFILES } from "./tiers";
export { ConfigError, ConfigProblem, Problems, formatProblems } from "./errors";
export { resolveEnvironmentConfig, deepMerge } from "./resolve";
export { INSTANCE_TYPES, InstanceTypeInfo, Architecture, instanceTypeInfo, architectureOf } from "./instanceTypes";
export { REGIONS, zonesOf } from "./regions";
export { TEAM_PRESETS, TeamAllowance, teamAllowance } from "./teamPresets";
export { CapacityCeiling, capacityCeiling } from "./teamChecks";
