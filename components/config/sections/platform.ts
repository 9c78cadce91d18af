/** The platform section of a stack's config: the add-ons teams expect, run on the system nodes. */

/** metrics-server: the resource metrics API behind the Horizontal Pod Autoscaler and `kubectl top`. */
export interface MetricsServerConfig {
    /** Run it (on in every tier). */
    enabled: boolean;
    /** Replicas, spread over the system nodes; two or more get a PodDisruptionBudget. */
    replicas: number;
}

/** The AWS Load Balancer Controller: ALBs for Ingresses of class `alb`, NLBs for LoadBalancer Services. */
export interface LoadBalancerControllerConfig {
    /** Run it (on in every tier). */
    enabled: boolean;
    /** Replicas (one leader at a time); two or more get a PodDisruptionBudget. */
    replicas: number;
}

/** A Route 53 hosted zone ExternalDNS may write records in. */
export interface HostedZone {
    /** The zone's id, like Z0123456789ABCDEFGHIJ, or its ARN. */
    id: string;
    /** The zone's domain name, like apps.example.com: the records ExternalDNS manages are under it. */
    name: string;
}

/** How ExternalDNS treats records it no longer sees: `sync` deletes them, `upsert-only` never deletes. */
export const EXTERNAL_DNS_POLICIES = ["sync", "upsert-only"] as const;
/** One of {@link EXTERNAL_DNS_POLICIES}. */
export type ExternalDnsPolicy = (typeof EXTERNAL_DNS_POLICIES)[number];

/** ExternalDNS: Route 53 records for the hostnames of Ingresses and LoadBalancer Services. */
export interface ExternalDnsConfig {
    /** Run it when zones are configured (on in staging and prod). */
    enabled: boolean;
    /** The zones it may change; with none it does not run. */
    zones: HostedZone[];
    /** `upsert-only` in prod (a bad deploy cannot delete records), `sync` elsewhere. */
    policy: ExternalDnsPolicy;
}

/** The External Secrets Operator: Kubernetes Secrets from Secrets Manager and Parameter Store. */
export interface ExternalSecretsConfig {
    /** Run it, with a SecretStore per team (on in staging and prod). */
    enabled: boolean;
    /** Replicas of the controller, its webhook and its certificate controller; two or more get PodDisruptionBudgets. */
    replicas: number;
}

/** The platform add-ons. */
export interface PlatformConfig {
    /** The resource metrics API. */
    metricsServer: MetricsServerConfig;
    /** Load balancers for Ingresses and Services. */
    loadBalancerController: LoadBalancerControllerConfig;
    /** DNS records in Route 53. */
    externalDns: ExternalDnsConfig;
    /** Secrets from Secrets Manager and Parameter Store. */
    externalSecrets: ExternalSecretsConfig;
}
