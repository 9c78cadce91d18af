import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LongTermMetricsConfig } from "../config/types";
import type { VersionMap } from "../config/versions";
import type { Tags } from "../shared/tags";
import { createAmpBackend } from "./amp";
import { checkLongTermMetricsArguments } from "./args";
import { createThanosBackend } from "./thanos";

/** The backend, and where Prometheus runs. */
export interface LongTermMetricsArgs extends Omit<LongTermMetricsConfig, "backend" | "localRetention"> {
    /** `amp` or `thanos` (with `none`, build nothing). */
    backend: "amp" | "thanos";
    /** The EKS cluster's name: roles trust its service accounts; names derive from it. */
    clusterName: string;
    /** The cluster's region. */
    region: string;
    /** The cluster's account. */
    accountId: string;
    /** The Prometheus stack's namespace. */
    namespace: string;
    /** The environment key: the workspace, its logs and the bucket are encrypted with it. */
    kmsKeyArn: pulumi.Input<string>;
    /** Days CloudWatch keeps the workspace's logs. */
    logRetentionInDays: number;
    /** The encrypted gp3 class, for Thanos's volumes. */
    storageClassName: string;
    /** Protect the workspace or bucket (and keep the log group) on destroy: prod. */
    protect: boolean;
    /** Pinned versions: the Thanos image. */
    versions: VersionMap;
    /** Provider for the cluster. */
    k8sProvider: k8s.Provider;
    /** The namespace, and the Pod Identity agent. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** Tags on every AWS resource. */
    tags: Tags;
}

/**
 * Metrics kept beyond Prometheus's volume: an AMP workspace Prometheus remote-writes to, or Thanos
 * on S3 (sidecar, store gateway, compactor, Query). `values` are kube-prometheus-stack values to
 * merge; the Prometheus release waits for `ready`, and so is deleted before the store.
 */
export class LongTermMetrics extends pulumi.ComponentResource {
    /** kube-prometheus-stack values: remote write, or the Thanos sidecar; Grafana's datasource. */
    readonly values: pulumi.Output<object>;
    /** What the Prometheus release must wait for: roles, associations, the object-store Secret. */
    readonly ready: pulumi.Resource[];
    /** The workspace's ARN (AMP) or the bucket's name (Thanos). */
    readonly store: pulumi.Output<string>;

    constructor(name: string, args: LongTermMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
        checkLongTermMetricsArguments(args);
        super("envstack:index:LongTermMetrics", name, {}, opts);
        if (args.backend === "amp") {
            const amp = createAmpBackend(name, args, this);
            this.values = amp.values;
            this.ready = [amp.workspace, ...amp.identities];
            this.store = amp.workspace.arn;
        } else {
            const thanos = createThanosBackend(name, args, this);
            this.values = pulumi.output(thanos.values);
            this.ready = [thanos.bucket, ...thanos.identities];
            this.store = thanos.bucket.bucket;
        }
        this.registerOutputs({ store: this.store });
    }
}
