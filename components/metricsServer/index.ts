export { MetricsServer, MetricsServerArgs, METRICS_SERVER_NAMESPACE, METRICS_SERVER_SERVICE_ACCOUNT } from "./metricsServer";
