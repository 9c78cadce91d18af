import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChartVersion, VersionMap } from "../config/versions";
import type { Tags } from "./tags";

/** What every add-on installed from a pinned chart is given. */
export interface ChartAddonArgs {
    /** Pinned versions: its charts. */
    versions: VersionMap;
    /** Provider for the cluster. */
    k8sProvider: k8s.Provider;
    /**
     * What it waits for: the system nodes; the Pod Identity agent where it has an AWS role; the load
     * balancer controller where its chart makes Services (its webhook admits them); the monitoring
     * stack where it ships rules (their CRDs).
     */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** A chart add-on with an AWS role of its own, through Pod Identity. */
export interface PodIdentityAddonArgs extends ChartAddonArgs {
    /** The EKS cluster's name. */
    clusterName: string;
    /** The cluster's region. */
    region: string;
    /** The cluster's account: Pod Identity trust accepts sessions from it only. */
    accountId: string;
    /** Tags on its roles and associations. */
    tags: Tags;
}

/** A pinned chart from the version map, installed atomically: a failed install rolls back rather than half-running. */
export function chartRelease(name: string, chart: ChartVersion, release: { name: string; namespace: string; values: object }, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
        name,
        {
            name: release.name,
            chart: chart.chart,
            version: chart.version,
            ...(chart.repository ? { repositoryOpts: { repo: chart.repository } } : {}),
            namespace: release.namespace,
            atomic: true,
            values: release.values,
        },
        opts,
    );
}
