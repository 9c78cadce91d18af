import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "./cluster";
import type { EnvironmentConfig } from "./config/types";
import { ExternalDns } from "./dns";
import { LoadBalancerController } from "./loadBalancerController";
import { MetricsServer } from "./metricsServer";
import { ExternalSecrets } from "./secrets";
import type { Tags } from "./shared/tags";

/** The platform add-ons of an environment; each is undefined when its config turns it off. */
export interface PlatformAddons {
    /** Load balancers for Ingresses and Services. */
    loadBalancerController?: LoadBalancerController;
    /** Route 53 records; runs only with zones configured. */
    externalDns?: ExternalDns;
    /** Secrets from Secrets Manager and Parameter Store. */
    externalSecrets?: ExternalSecrets;
    /** The resource metrics API. */
    metricsServer?: MetricsServer;
    /** What must exist before anything creates a Service: the controller's webhook admits every new one. */
    beforeServices: pulumi.Resource[];
    /** What team namespaces must outlive: the controllers that delete their load balancers and DNS records. */
    beforeTeams: pulumi.Resource[];
}

/** What the add-ons need from the rest of the environment. */
export interface PlatformAddonsContext {
    config: EnvironmentConfig;
    cluster: Cluster;
    vpcId: pulumi.Output<string>;
    kmsKeyArn: pulumi.Output<string>;
    tags: Tags;
}

/**
 * The add-ons, on the system nodes. The load balancer controller comes first: its webhook
 * mutates every new Service, and fails closed while it is not running.
 */
export function createPlatformAddons(name: string, ctx: PlatformAddonsContext, parent: pulumi.Resource): PlatformAddons {
    const { config, cluster } = ctx;
    const platform = config.platform;
    const common = { clusterName: config.name, region: config.region, accountId: config.accountId, versions: config.versions, k8sProvider: cluster.provider, tags: ctx.tags };
    const base = [cluster.systemNodeGroup, ...(cluster.addons["eks-pod-identity-agent"] ? [cluster.addons["eks-pod-identity-agent"]] : [])];
    const opts = { parent };

    const loadBalancerController = platform.loadBalancerController.enabled
        ? new LoadBalancerController(`${name}-load-balancer-controller`, { ...common, replicas: platform.loadBalancerController.replicas, vpcId: ctx.vpcId, dependsOn: base }, opts)
        : undefined;
    const beforeServices = loadBalancerController ? [loadBalancerController.release] : [];
    const after = [...base, ...beforeServices];

    const { externalDns: dns, externalSecrets: secrets, metricsServer: metrics } = platform;
    const externalDns = dns.enabled && dns.zones.length > 0 ? new ExternalDns(`${name}-external-dns`, { ...common, zones: dns.zones, policy: dns.policy, dependsOn: after }, opts) : undefined;
    return {
        loadBalancerController,
        beforeServices,
        // Their guards too: no team object exists that a guard has not seen.
        beforeTeams: [...beforeServices, ...(loadBalancerController ? [loadBalancerController.guard] : []), ...(externalDns ? [externalDns.release, externalDns.guard] : [])],
        externalDns,
        externalSecrets: secrets.enabled
            ? new ExternalSecrets(`${name}-external-secrets`, { ...common, environmentName: config.name, replicas: secrets.replicas, kmsKeyArn: ctx.kmsKeyArn, dependsOn: after }, opts)
            : undefined,
        metricsServer: metrics.enabled ? new MetricsServer(`${name}-metrics-server`, { replicas: metrics.replicas, versions: config.versions, k8sProvider: cluster.provider, dependsOn: after }, opts) : undefined,
    };
}
