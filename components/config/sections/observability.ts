/** The observability section of a stack's config: CloudWatch, Prometheus and alerts. */

/** Observability: CloudWatch (Container Insights, Fluent Bit) and the Prometheus stack. */
export interface ObservabilityConfig {
    /** The CloudWatch side: the amazon-cloudwatch-observability add-on and its log groups. */
    containerInsights: {
        /** Whether the add-on and its log groups are created. */
        enabled: boolean;
    };
    /** The Prometheus side: kube-prometheus-stack (Prometheus, Alertmanager, Grafana) and envstack's rules. */
    prometheus: {
        /** Whether kube-prometheus-stack is installed. */
        enabled: boolean;
        /** How long samples are kept, a Prometheus duration like `15d`. */
        retention: string;
        /** Size-based retention in GB; must leave headroom on the volume. */
        retentionSizeGB: number;
        /** Prometheus volume size in GiB (encrypted gp3). */
        storageGiB: number;
        /** CPU request of Prometheus, e.g. `500m`. */
        cpu: string;
        /** Memory request and limit of Prometheus, e.g. `2Gi`. */
        memory: string;
        /** Alertmanager volume size in GiB. */
        alertmanagerStorageGiB: number;
        /** Grafana volume size in GiB. */
        grafanaStorageGiB: number;
    };
    /** Where alerts go besides the encrypted SNS topic: an email address and/or an HTTPS endpoint subscribed to it. */
    alerts: AlertReceivers;
}

/** Subscriptions of an alert topic. */
export interface AlertReceivers {
    /** An address subscribed to the alert topic (the subscription must be confirmed). */
    email?: string;
    /** An `https://` endpoint subscribed to the alert topic; it often carries a key, so it is handled as a secret. */
    httpsEndpoint?: string;
}
