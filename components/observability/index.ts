export { Observability, ObservabilityArgs } from "./observability";
export { CONTAINER_INSIGHTS_LOG_KINDS } from "./cloudwatch";
export { MONITORING_NAMESPACE } from "./prometheus";
export { TEAM_LABEL } from "../shared/naming";
