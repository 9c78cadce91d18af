import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAddonWithPodIdentity } from "../cluster/addons";
import type { AddonSwitches, KubernetesRelease } from "../config/versions";
import { CLOUDWATCH_NAMESPACE, logGroupName } from "../shared/naming";
import type { Tags } from "../shared/tags";

/** The groups Container Insights and Fluent Bit write to; their names are fixed by the add-on. */
export const CONTAINER_INSIGHTS_LOG_KINDS = ["application", "dataplane", "host", "performance"] as const;

/**
 * The add-on's configuration: Container Insights in its enhanced mode, and Fluent Bit shipping
 * container logs. Stating `agent.config` replaces the add-on's generated defaults, so features
 * not listed (such as Application Signals) stay off.
 */
export function cloudWatchAddonConfiguration() {
    return {
        agent: { config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true, accelerated_compute_metrics: false } } } } },
        containerLogs: { enabled: true },
    };
}

export interface ContainerInsightsArgs {
    clusterName: string;
    accountId: string;
    region: string;
    /** Same retention as the control-plane logs, so every log of the cluster ages alike. */
    retentionInDays: number;
    kmsKeyArn: pulumi.Input<string>;
    release: KubernetesRelease;
    tags: Tags;
    /** Which add-ons envstack installs; with the CloudWatch add-on off its role and association are still made. */
    addons?: Partial<AddonSwitches>;
    /** The pod identity agent and the nodes. */
    dependsOn: pulumi.Resource[];
}

/**
 * The CloudWatch side. The log groups exist, encrypted and with retention, before the add-on
 * starts: otherwise the agent creates them unencrypted and never-expiring.
 */
export function createContainerInsights(name: string, args: ContainerInsightsArgs, parent: pulumi.Resource) {
    const logGroups = CONTAINER_INSIGHTS_LOG_KINDS.map(
        (kind) =>
            new aws.cloudwatch.LogGroup(
                `${name}-containerinsights-${kind}`,
                { name: logGroupName.containerInsights(args.clusterName, kind), retentionInDays: args.retentionInDays, kmsKeyId: args.kmsKeyArn, tags: args.tags },
                { parent },
            ),
    );
    const { addon, role } = createAddonWithPodIdentity(
        name,
        {
            addonName: "amazon-cloudwatch-observability",
            namespace: CLOUDWATCH_NAMESPACE,
            serviceAccount: "cloudwatch-agent",
            addons: args.addons,
            managedPolicy: "CloudWatchAgentServerPolicy",
            configuration: cloudWatchAddonConfiguration(),
            clusterName: args.clusterName,
            accountId: args.accountId,
            region: args.region,
            release: args.release,
            tags: args.tags,
            dependsOn: [...args.dependsOn, ...logGroups],
        },
        parent,
    );
    return { logGroups, addon, role };
}
