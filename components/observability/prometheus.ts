import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ObservabilityConfig } from "../config/types";
import type { ChartVersion } from "../config/versions";
import { dnsSuffixOf } from "../shared/aws";
import { PolicyDocument, policyDocument, scopedPodIdentityTrust } from "../shared/iam";
import type { Tags } from "../shared/tags";
import { MONITORING_NAMESPACE, TEAM_LABEL } from "../shared/naming";
import { monitoringAllowance, NODE_EXPORTER_RESOURCES } from "./quota";
import { karpenterServiceMonitor, platformRules } from "./rules";

export { MONITORING_NAMESPACE };

export const ALERTMANAGER_SERVICE_ACCOUNT = "alertmanager";
export const GRAFANA_ADMIN_SECRET = "grafana-admin";

export interface PrometheusStackArgs {
    clusterName: string;
    accountId: string;
    region: string;
    config: ObservabilityConfig["prometheus"];
    alerts: ObservabilityConfig["alerts"];
    chart: ChartVersion;
    kmsKeyArn: pulumi.Input<string>;
    /** The StorageClass for every volume (the encrypted gp3 class). */
    storageClassName: string;
    /** Whether Karpenter runs, so its metrics are scraped. */
    scrapeKarpenter: boolean;
    /** The most nodes the cluster may run: one node exporter each, in the namespace's quota. */
    maxNodes: number;
    k8sProvider: k8s.Provider;
    /** The storage class and whatever else must exist first. */
    dependsOn: pulumi.Resource[];
    tags: Tags;
}

/** Alertmanager may publish to its topic and nothing else; SNS uses the environment key to encrypt. */
export function alertPublisherPolicy(topicArn: string, kmsKeyArn: string, region: string): PolicyDocument {
    return policyDocument(
        { Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
        {
            Sid: "EncryptAlertsWithEnvironmentKey",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `sns.${region}.${dnsSuffixOf(region)}` } },
        },
    );
}

/** The topic's policy: only the Alertmanager role may publish, and never without TLS. */
export function alertTopicPolicy(topicArn: string, publisherRoleArn: string) {
    return policyDocument(
        { Sid: "AlertmanagerPublishes", Effect: "Allow", Principal: { AWS: publisherRoleArn }, Action: "sns:Publish", Resource: topicArn },
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: topicArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
    );
}

/** Values for kube-prometheus-stack, suited to EKS. */
export function prometheusStackValues(args: Pick<PrometheusStackArgs, "config" | "region" | "storageClassName">, topicArn: pulumi.Input<string>) {
    const volume = (gib: number) => ({ volumeClaimTemplate: { spec: { storageClassName: args.storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gib}Gi` } } } } });
    return {
        fullnameOverride: "kps",
        crds: { enabled: true, upgradeJob: { enabled: true } },
        // EKS runs these on the managed control plane and does not expose their metrics.
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeEtcd: { enabled: false },
        // kube-proxy binds its metrics to 127.0.0.1 on EKS nodes: scraping it only fires TargetDown.
        kubeProxy: { enabled: false },
        prometheus: {
            prometheusSpec: {
                retention: args.config.retention,
                retentionSize: `${args.config.retentionSizeGB}GB`,
                storageSpec: volume(args.config.storageGiB),
                resources: { requests: { cpu: args.config.cpu, memory: args.config.memory }, limits: { memory: args.config.memory } },
                // Select every ServiceMonitor, PodMonitor, Probe, ScrapeConfig and rule, not only the chart's.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                probeSelectorNilUsesHelmValues: false,
                scrapeConfigSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
            },
        },
        alertmanager: {
            serviceAccount: { create: true, name: ALERTMANAGER_SERVICE_ACCOUNT },
            alertmanagerSpec: {
                storage: volume(args.config.alertmanagerStorageGiB),
                resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            },
            config: {
                global: { resolve_timeout: "5m" },
                route: {
                    receiver: "sns",
                    group_by: ["alertname", "namespace"],
                    group_wait: "30s",
                    group_interval: "5m",
                    repeat_interval: "4h",
                    // Watchdog always fires: it proves the pipeline works, it is not news.
                    routes: [{ receiver: "null", matchers: ['alertname = "Watchdog"'] }],
                },
                receivers: [
                    { name: "null" },
                    {
                        name: "sns",
                        sns_configs: [
                            {
                                topic_arn: topicArn,
                                // SigV4 with the credentials Pod Identity gives the Alertmanager pods.
                                sigv4: { region: args.region },
                                subject: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}",
                                send_resolved: true,
                            },
                        ],
                    },
                ],
            },
        },
        grafana: {
            fullnameOverride: "grafana",
            admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
            persistence: { enabled: true, type: "pvc", storageClassName: args.storageClassName, size: `${args.config.grafanaStorageGiB}Gi` },
            service: { type: "ClusterIP" },
            ingress: { enabled: false },
            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
        },
        "kube-state-metrics": { metricLabelsAllowlist: [`namespaces=[${TEAM_LABEL}]`] },
        // Stated, so the namespace's quota can count one per node.
        "prometheus-node-exporter": { resources: NODE_EXPORTER_RESOURCES },
    };
}

/** The Prometheus side: namespace, secrets, the alert topic and its publisher, the chart, and envstack's rules. */
export function createPrometheusStack(name: string, args: PrometheusStackArgs, parent: pulumi.Resource) {
    const onCluster = { parent, provider: args.k8sProvider };
    const namespace = new k8s.core.v1.Namespace(
        `${name}-monitoring`,
        // node-exporter needs the host's network and PIDs, so this namespace is privileged.
        { metadata: { name: MONITORING_NAMESPACE, labels: { "pod-security.kubernetes.io/enforce": "privileged", "app.kubernetes.io/part-of": "envstack" } } },
        onCluster,
    );
    // Fenced like every namespace: a quota sized for the stack and one node exporter per node.
    const allowance = monitoringAllowance(args.config, args.maxNodes);
    const quota = new k8s.core.v1.ResourceQuota(
        `${name}-monitoring`,
        { metadata: { name: "monitoring", namespace: MONITORING_NAMESPACE }, spec: { hard: allowance.quota } },
        { ...onCluster, dependsOn: [namespace] },
    );
    const limits = new k8s.core.v1.LimitRange(
        `${name}-monitoring`,
        { metadata: { name: "monitoring", namespace: MONITORING_NAMESPACE }, spec: { limits: [{ type: "Container", defaultRequest: allowance.defaultRequest }] } },
        { ...onCluster, dependsOn: [namespace] },
    );
    const password = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent });
    const grafanaSecret = new k8s.core.v1.Secret(
        `${name}-grafana-admin`,
        { metadata: { name: GRAFANA_ADMIN_SECRET, namespace: MONITORING_NAMESPACE }, type: "Opaque", stringData: { "admin-user": "admin", "admin-password": password.result } },
        { ...onCluster, dependsOn: [namespace] },
    );

    const topic = new aws.sns.Topic(`${name}-alerts`, { name: `${args.clusterName}-alerts`, kmsMasterKeyId: args.kmsKeyArn, tags: args.tags }, { parent });
    const publisher = new aws.iam.Role(
        `${name}-alertmanager`,
        { description: `Alertmanager of ${args.clusterName}: publishes alerts`, assumeRolePolicy: JSON.stringify(scopedPodIdentityTrust({ accountId: args.accountId, region: args.region, clusterName: args.clusterName, namespace: MONITORING_NAMESPACE, serviceAccount: ALERTMANAGER_SERVICE_ACCOUNT })), tags: args.tags },
        { parent },
    );
    const publish = new aws.iam.RolePolicy(
        `${name}-alertmanager`,
        { role: publisher.name, policy: pulumi.all([topic.arn, args.kmsKeyArn]).apply(([t, k]) => JSON.stringify(alertPublisherPolicy(t, k, args.region))) },
        { parent: publisher },
    );
    new aws.sns.TopicPolicy(`${name}-alerts`, { arn: topic.arn, policy: pulumi.all([topic.arn, publisher.arn]).apply(([t, r]) => JSON.stringify(alertTopicPolicy(t, r))) }, { parent: topic });
    if (args.alerts.email) new aws.sns.TopicSubscription(`${name}-alerts-email`, { topic: topic.arn, protocol: "email", endpoint: args.alerts.email }, { parent: topic });
    if (args.alerts.httpsEndpoint) {
        new aws.sns.TopicSubscription(`${name}-alerts-https`, { topic: topic.arn, protocol: "https", endpoint: args.alerts.httpsEndpoint }, { parent: topic });
    }
    const association = new aws.eks.PodIdentityAssociation(
        `${name}-alertmanager`,
        { clusterName: args.clusterName, namespace: MONITORING_NAMESPACE, serviceAccount: ALERTMANAGER_SERVICE_ACCOUNT, roleArn: publisher.arn, tags: args.tags },
        { parent, dependsOn: [publish] },
    );

    const release = new k8s.helm.v3.Release(
        `${name}-kube-prometheus-stack`,
        {
            name: "kube-prometheus-stack",
            chart: args.chart.chart,
            version: args.chart.version,
            repositoryOpts: { repo: args.chart.repository },
            namespace: MONITORING_NAMESPACE,
            atomic: true,
            timeout: 900,
            values: prometheusStackValues(args, topic.arn),
        },
        { ...onCluster, dependsOn: [namespace, quota, limits, grafanaSecret, association, ...args.dependsOn] },
    );
    const afterRelease = { ...onCluster, dependsOn: [release] };
    const rules = platformRules(MONITORING_NAMESPACE);
    const custom = [new k8s.apiextensions.CustomResource(`${name}-platform-rules`, rules as unknown as k8s.apiextensions.CustomResourceArgs, afterRelease)];
    if (args.scrapeKarpenter) {
        const monitor = karpenterServiceMonitor(MONITORING_NAMESPACE);
        custom.push(new k8s.apiextensions.CustomResource(`${name}-karpenter-metrics`, monitor as unknown as k8s.apiextensions.CustomResourceArgs, afterRelease));
    }
    return { namespace, release, topic, publisher, custom };
}
