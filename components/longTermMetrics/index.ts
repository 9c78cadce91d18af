export { LongTermMetrics, LongTermMetricsArgs } from "./longTermMetrics";
