import * as pulumi from "@pulumi/pulumi";
import type { AlertReceivers } from "../config/types";
import { MONITORING_NAMESPACE, PLATFORM_OWNER_LABEL } from "../shared/naming";

/**
 * Prometheus is shared by the platform and every team, so teams get only their own namespace's
 * worth of it: series and alerts from a team's monitors and rules carry the team's namespace
 * (the operator enforces the label; the platform's own objects, in the platform's namespaces,
 * are exempt), the platform's alert route takes only alerts labelled as the platform's, each
 * team's alerts go to its own receivers or nowhere, and nothing outside the monitoring namespace
 * reaches Prometheus, Alertmanager or Grafana, which answer without authentication.
 */

/** The namespaces where the platform's monitors and rules live; teams cannot write there. */
export const PLATFORM_MONITORING_NAMESPACES = [MONITORING_NAMESPACE, "kube-system"];
const MONITORING_RESOURCES = ["servicemonitors", "podmonitors", "probes", "prometheusrules"];

/** prometheusSpec fields: every user object's series and alerts labelled with its namespace, but the platform's. */
export function enforcedNamespaceValues() {
    return {
        enforcedNamespaceLabel: "namespace",
        excludedFromEnforcement: PLATFORM_MONITORING_NAMESPACES.flatMap((namespace) => MONITORING_RESOURCES.map((resource) => ({ group: "monitoring.coreos.com", resource, namespace }))),
    };
}

/** The label every platform rule carries, the chart's included, so its alerts take the platform's route. */
export const PLATFORM_RULE_LABELS = { [PLATFORM_OWNER_LABEL]: "platform" };

/** A team's alerts: where they come from (its namespace) and, if it has receivers, its topic. */
export interface TeamAlertRoute {
    /** The team's namespace. */
    namespace: string;
    /** The team's own topic; undefined when the team has no receivers (its alerts are dropped). */
    topicArn?: pulumi.Input<string>;
}

/** The receiver name of a team's alerts. */
export const teamReceiver = (namespace: string) => `team-${namespace}`;

/**
 * Alertmanager's routing: Watchdog to nowhere; the platform's alerts to its topic; each team's to
 * its own topic, or nowhere; anything else (no owner, no team) to the platform's topic.
 */
export function alertRouting(platformTopicArn: pulumi.Input<string>, region: string, teams: TeamAlertRoute[]) {
    const sns = (topicArn: pulumi.Input<string>) => ({
        topic_arn: topicArn,
        // SigV4 with the credentials Pod Identity gives the Alertmanager pods.
        sigv4: { region },
        subject: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}",
        send_resolved: true,
    });
    return {
        route: {
            receiver: "sns",
            group_by: ["alertname", "namespace"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes: [
                // Watchdog always fires: it proves the pipeline works, it is not news.
                { receiver: "null", matchers: ['alertname = "Watchdog"'] },
                { receiver: "sns", matchers: [`${PLATFORM_OWNER_LABEL} = "platform"`] },
                ...teams.map((t) => ({ receiver: t.topicArn ? teamReceiver(t.namespace) : "null", matchers: [`namespace = "${t.namespace}"`] })),
            ],
        },
        receivers: [
            { name: "null" },
            { name: "sns", sns_configs: [sns(platformTopicArn)] },
            ...teams.filter((t) => t.topicArn).map((t) => ({ name: teamReceiver(t.namespace), sns_configs: [sns(t.topicArn!)] })),
        ],
    };
}

/** Teams with receivers of their own. */
export function teamsWithReceivers(teams: { name: string; alerts: AlertReceivers }[]) {
    return teams.filter((t) => t.alerts.email || t.alerts.httpsEndpoint);
}
