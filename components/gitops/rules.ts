import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";

/**
 * Sync failures, by the namespace the Application deploys to: a team with its own alert route
 * gets its failures (the rule sets `namespace`, which routes them); every other failure goes to
 * the platform's route.
 */
export function gitopsRules(namespace: string, teamsWithRoutes: string[]): IPrometheusRule {
    const failed = (selector: string) => `sum by (name, dest_namespace) (increase(argocd_app_sync_total{phase=~"Error|Failed"${selector}}[15m])) > 0`;
    const routed = teamsWithRoutes.join("|");
    const annotations = { summary: "Argo CD could not sync {{ $labels.name }} into {{ $labels.dest_namespace }}.", description: "Open the Application in Argo CD for the failed sync's message; the previous state keeps running." };
    const rules = [
        ...(routed
            ? [{ alert: "ArgoCdSyncFailed", expr: `label_replace(${failed(`, dest_namespace=~"${routed}"`)}, "namespace", "$1", "dest_namespace", "(.*)")`, labels: { severity: "warning" }, annotations }]
            : []),
        { alert: "ArgoCdSyncFailed", expr: failed(routed ? `, dest_namespace!~"${routed}"` : ""), labels: { severity: "warning" }, annotations },
    ];
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "envstack-gitops", namespace, labels: { "app.kubernetes.io/part-of": "envstack" } },
        spec: { groups: [{ name: "envstack.gitops", rules }] },
    };
}
