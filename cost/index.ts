/**
 * What an environment costs a month, from its plan: envstack's price table, the tiers' usage
 * assumptions, the estimate of any Pulumi program's resources, the difference between two
 * estimates, and their text and Markdown. `import { estimateCost } from "envstack/cost"`.
 */
export { compareEstimates, ComponentChange, CostChange, ItemChange, previousEstimate } from "./compare";
export { COST_CONFIG_SCHEMA, CostConfig, costConfigProblems, DEFAULT_COST_TIER, estimateOptions } from "./config";
export { ComponentCost, CostEstimate, CostItem, estimateCost, EstimateOptions, Figures, HOURS_PER_MONTH, Unpriced } from "./estimate";
export { FamilyPrice, LEFT_OUT, Price, PriceBook, priceBook, PriceError, PRICED_REGIONS, PRICE_TABLE, RegionPrices, SERVICE_PRICE_IDS, SERVICE_PRICES, ServicePrice, ServicePriceId } from "./prices";
export { EKS_STANDARD_SUPPORT_ENDS, eksSupportOn } from "./prices/eksSupport";
export { renderCostMarkdown, renderCostText, TOP_ITEMS } from "./render";
export { LOG_KINDS, LogKind, resolveUsage, TIER_USAGE, UsageAssumptions, UsageOverrides } from "./usage";
