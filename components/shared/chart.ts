import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChartVersion } from "../config/versions";

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
