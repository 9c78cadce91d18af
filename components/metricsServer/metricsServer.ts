import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { systemPlacement } from "../cluster/nodeGroups";
import { ChartAddonArgs, chartRelease } from "../shared/chart";
import { checkMetricsServerArguments } from "./args";

/** Where metrics-server runs, and how many of it. */
export interface MetricsServerArgs extends ChartAddonArgs {
    /** Replicas on the system nodes; two or more get a PodDisruptionBudget. */
    replicas: number;
}

/** Its namespace: the cluster's own add-ons live in kube-system. */
export const METRICS_SERVER_NAMESPACE = "kube-system";
/** Its service account. */
export const METRICS_SERVER_SERVICE_ACCOUNT = "metrics-server";

/**
 * metrics-server: the resource metrics API (`metrics.k8s.io`) that the Horizontal Pod Autoscaler
 * and `kubectl top` read. It calls no AWS API, so it has no IAM role.
 */
export class MetricsServer extends pulumi.ComponentResource {
    /** The chart's release. */
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
        checkMetricsServerArguments(args);
        super("envstack:index:MetricsServer", name, {}, opts);
        this.release = chartRelease(
            name,
            args.versions.charts.metricsServer,
            { name: "metrics-server", namespace: METRICS_SERVER_NAMESPACE, values: metricsServerValues(args.replicas) },
            { parent: this, provider: args.k8sProvider, dependsOn: args.dependsOn },
        );
        this.registerOutputs({});
    }
}

/** The chart's values: replicas on the system nodes with requests set, and a disruption budget once there are two. */
export function metricsServerValues(replicas: number) {
    return {
        replicas,
        serviceAccount: { create: true, name: METRICS_SERVER_SERVICE_ACCOUNT },
        ...systemPlacement(),
        resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "200Mi" } },
        // One replica with minAvailable 1 would block every drain of its node.
        podDisruptionBudget: replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
    };
}
