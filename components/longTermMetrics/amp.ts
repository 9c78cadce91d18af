import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logGroupName } from "../shared/naming";
import { createPodIdentityRole } from "../shared/podIdentity";
import type { LongTermMetricsArgs } from "./longTermMetrics";
import { ampReaderPolicy, ampWriterPolicy } from "./iam";
import { GRAFANA_SERVICE_ACCOUNT, PROMETHEUS_SERVICE_ACCOUNT } from "./names";

/** What the AMP backend hands the Prometheus stack. */
export interface AmpBackend {
    workspace: aws.amp.Workspace;
    logGroup: aws.cloudwatch.LogGroup;
    /** Roles and associations the release must wait for. */
    identities: pulumi.Resource[];
    /** kube-prometheus-stack values: remote write, and Grafana's datasource. */
    values: pulumi.Output<object>;
}

/**
 * An AMP workspace under the environment key, logging to a log group created first (under the
 * key, with the cluster's retention); Prometheus remote-writes to it with SigV4 through a role
 * that may only write there, and Grafana reads it through a role that may only query it.
 */
export function createAmpBackend(name: string, args: LongTermMetricsArgs, parent: pulumi.Resource): AmpBackend {
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-amp`,
        { name: logGroupName.amp(args.clusterName), kmsKeyId: args.kmsKeyArn, retentionInDays: args.logRetentionInDays, tags: args.tags },
        { parent },
    );
    const workspace = new aws.amp.Workspace(
        `${name}-amp`,
        { alias: `${args.clusterName}-metrics`, kmsKeyArn: args.kmsKeyArn, loggingConfiguration: { logGroupArn: pulumi.interpolate`${logGroup.arn}:*` }, tags: args.tags },
        { parent, protect: args.protect },
    );
    const scope = { accountId: args.accountId, region: args.region, clusterName: args.clusterName, namespace: args.namespace, dependsOn: args.dependsOn, tags: args.tags };
    const writer = createPodIdentityRole(
        `${name}-amp-writer`,
        { ...scope, description: `Prometheus of ${args.clusterName}: remote write to its AMP workspace`, serviceAccount: PROMETHEUS_SERVICE_ACCOUNT, policies: { write: pulumi.all([workspace.arn, args.kmsKeyArn]).apply(([ws, key]) => ampWriterPolicy(ws, key, args.region)) } },
        parent,
    );
    const reader = createPodIdentityRole(
        `${name}-amp-reader`,
        { ...scope, description: `Grafana of ${args.clusterName}: queries its AMP workspace`, serviceAccount: GRAFANA_SERVICE_ACCOUNT, policies: { query: pulumi.all([workspace.arn, args.kmsKeyArn]).apply(([ws, key]) => ampReaderPolicy(ws, key, args.region)) } },
        parent,
    );
    return { workspace, logGroup, identities: [writer.association, reader.association], values: workspace.prometheusEndpoint.apply((endpoint) => ampValues(endpoint, args)) };
}

/** Remote write with SigV4 and the tier's queue, and an AMP datasource for Grafana, signed by its own role. */
export function ampValues(prometheusEndpoint: string, args: Pick<LongTermMetricsArgs, "region" | "amp">) {
    return {
        prometheus: {
            prometheusSpec: {
                remoteWrite: [
                    {
                        url: `${prometheusEndpoint}api/v1/remote_write`,
                        sigv4: { region: args.region },
                        queueConfig: { capacity: args.amp.capacity, maxShards: args.amp.maxShards, maxSamplesPerSend: args.amp.maxSamplesPerSend },
                    },
                ],
            },
        },
        grafana: {
            "grafana.ini": { auth: { sigv4_auth_enabled: true }, aws: { allowed_auth_providers: "default" } },
            additionalDataSources: [
                {
                    name: "Amazon Managed Prometheus",
                    type: "prometheus",
                    access: "proxy",
                    url: prometheusEndpoint,
                    jsonData: { sigV4Auth: true, sigV4AuthType: "default", sigV4Region: args.region, httpMethod: "POST" },
                },
            ],
        },
    };
}
