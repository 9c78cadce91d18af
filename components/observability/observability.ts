import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LongTermMetrics } from "../longTermMetrics";
import type { AlertReceivers, ObservabilityConfig } from "../config/types";
import type { AddonSwitches, VersionMap } from "../config/versions";
import { checkObservabilityArguments } from "./args";
import type { Tags } from "../shared/tags";
import { createContainerInsights } from "./cloudwatch";
import { createPrometheusStack } from "./prometheus";

/** Where observability runs, on top of its config. */
export interface ObservabilityArgs extends ObservabilityConfig {
    /** The EKS cluster's name: log group names and metrics dimensions. */
    clusterName: string;
    /** The cluster's account: the agent's and Alertmanager's roles trust only its Pod Identity sessions. */
    accountId: string;
    /** AWS region. */
    region: string;
    /** The cluster's Kubernetes version: picks the add-on version. */
    kubernetesVersion: string;
    /** Pinned versions: the add-on and the chart. */
    versions: VersionMap;
    /** Retention of the cluster's log groups (the control-plane logs use the same). */
    logRetentionInDays: number;
    /** The environment key: log groups and the alert topic. */
    kmsKeyArn: pulumi.Input<string>;
    /** The StorageClass for Prometheus, Alertmanager and Grafana volumes. */
    storageClassName: string;
    /** Scrape Karpenter's controller. */
    scrapeKarpenter: boolean;
    /**
     * The team namespaces, with their own alert receivers: each team's alerts go to its own
     * encrypted topic, or nowhere, never to the platform's.
     */
    teams?: {
        /** The team's namespace. */
        name: string;
        /** Where the team's alerts go (none by default). */
        alerts?: AlertReceivers;
    }[];
    /**
     * The most nodes the cluster may run (default 100). Node exporters run one per node in the
     * monitoring namespace, so this sizes that namespace's quota.
     */
    maxNodes?: number;
    /** Provider for the cluster. */
    k8sProvider: k8s.Provider;
    /** EKS managed add-ons to install; `amazon-cloudwatch-observability: false` leaves the agent to you. */
    addons?: Partial<AddonSwitches>;
    /** The pod identity agent, the system nodes, and the storage class. */
    dependsOn: pulumi.Resource[];
    /** Protect the long-term store (workspace or bucket) on destroy: prod. */
    protect?: boolean;
    /** Tags on every taggable resource. */
    tags: Tags;
}

const DEFAULT_MAX_NODES = 100;

/**
 * Metrics, logs and alerts. CloudWatch: Container Insights (enhanced) and Fluent Bit through the
 * managed add-on, into pre-created encrypted log groups. Prometheus: kube-prometheus-stack with
 * persistent, encrypted volumes, Alertmanager routing to an encrypted SNS topic, Grafana with a
 * generated admin password and no public exposure, and envstack's platform rules. Either side
 * can be turned off without touching the other.
 */
export class Observability extends pulumi.ComponentResource {
    /** The Container Insights log groups, created before the add-on. */
    readonly logGroups: aws.cloudwatch.LogGroup[] = [];
    /** The CloudWatch add-on; undefined when off or self-managed. */
    readonly cloudWatchAddon?: aws.eks.Addon;
    /** The encrypted SNS topic Alertmanager publishes to; undefined without Prometheus. */
    readonly alertTopic?: aws.sns.Topic;
    /** The kube-prometheus-stack release; undefined without Prometheus. */
    readonly prometheusRelease?: k8s.helm.v3.Release;
    /** The long-term metrics backend; undefined with none. */
    readonly longTermMetrics?: LongTermMetrics;

    constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        checkObservabilityArguments(args);
        super("envstack:index:Observability", name, {}, opts);
        const release = args.versions.kubernetes[args.kubernetesVersion];
        if (args.containerInsights.enabled) {
            const cw = createContainerInsights(
                name,
                {
                    clusterName: args.clusterName,
                    accountId: args.accountId,
                    region: args.region,
                    retentionInDays: args.logRetentionInDays,
                    kmsKeyArn: args.kmsKeyArn,
                    release,
                    tags: args.tags,
                    addons: args.addons,
                    dependsOn: args.dependsOn,
                },
                this,
            );
            this.logGroups = cw.logGroups;
            this.cloudWatchAddon = cw.addon;
        }
        if (args.prometheus.enabled) {
            const stack = createPrometheusStack(
                name,
                {
                    clusterName: args.clusterName,
                    accountId: args.accountId,
                    region: args.region,
                    config: args.prometheus,
                    longTermMetrics: args.longTermMetrics,
                    logRetentionInDays: args.logRetentionInDays,
                    versions: args.versions,
                    protect: args.protect ?? false,
                    alerts: args.alerts,
                    teams: (args.teams ?? []).map((t) => ({ name: t.name, alerts: t.alerts ?? {} })),
                    chart: args.versions.charts.kubePrometheusStack,
                    kmsKeyArn: args.kmsKeyArn,
                    storageClassName: args.storageClassName,
                    scrapeKarpenter: args.scrapeKarpenter,
                    maxNodes: args.maxNodes ?? DEFAULT_MAX_NODES,
                    k8sProvider: args.k8sProvider,
                    dependsOn: args.dependsOn,
                    tags: args.tags,
                },
                this,
            );
            this.alertTopic = stack.topic;
            this.prometheusRelease = stack.release;
            this.longTermMetrics = stack.longTerm;
        }
        this.registerOutputs({ alertTopicArn: this.alertTopic?.arn });
    }
}
