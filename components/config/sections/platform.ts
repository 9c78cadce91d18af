/** The platform section of a stack's config: the add-ons teams expect, run on the system nodes. */

/** metrics-server: the resource metrics API behind the Horizontal Pod Autoscaler and `kubectl top`. */
export interface MetricsServerConfig {
    /** Run it (on in every tier). */
    enabled: boolean;
    /** Replicas, spread over the system nodes; two or more get a PodDisruptionBudget. */
    replicas: number;
}

/** The platform add-ons. */
export interface PlatformConfig {
    /** The resource metrics API. */
    metricsServer: MetricsServerConfig;
}
