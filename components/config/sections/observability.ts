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
    /** Where metrics go for the long term: nowhere, Amazon Managed Service for Prometheus, or Thanos on S3 (with Prometheus only). */
    longTermMetrics: LongTermMetricsConfig;
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

/** Long-term metrics backends. */
export const LONG_TERM_BACKENDS = ["none", "amp", "thanos"] as const;
/** One of {@link LONG_TERM_BACKENDS}. */
export type LongTermBackend = (typeof LONG_TERM_BACKENDS)[number];

/** Metrics kept beyond Prometheus's own volume. */
export interface LongTermMetricsConfig {
    /** `none` (dev), `amp` (staging and prod) or `thanos` (any tier). */
    backend: LongTermBackend;
    /** Prometheus's own retention while a backend holds the history, a Prometheus duration like `2d`. */
    localRetention: string;
    /** AMP: remote-write queue sizing (Prometheus's queueConfig). */
    amp: {
        /** Samples buffered per shard. */
        capacity: number;
        /** Most shards, i.e. parallel senders. */
        maxShards: number;
        /** Samples per request. */
        maxSamplesPerSend: number;
    };
    /** Thanos: what the compactor keeps of each resolution, and the bucket's old versions. */
    thanos: {
        /** Raw samples, e.g. `30d`. */
        retentionRaw: string;
        /** 5-minute downsamples, e.g. `180d`. */
        retention5m: string;
        /** 1-hour downsamples, e.g. `365d`. */
        retention1h: string;
        /** Days the bucket keeps a deleted or replaced object's old version. */
        noncurrentVersionDays: number;
        /** Replicas of Thanos Query (and of the store gateway). */
        replicas: number;
    };
}
