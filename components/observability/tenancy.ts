import * as pulumi from "@pulumi/pulumi";
import type { AlertReceivers } from "../config/types";
import { MONITORING_NAMESPACE } from "../shared/naming";

/**
 * Prometheus is shared by the platform and every team, so teams get only their own namespace's
 * worth of it: series and alerts from a team's monitors and rules carry the team's namespace
 * (the operator enforces the label; the platform's own objects, in the platform's namespaces,
 * are exempt), and alerts are routed by that label, the one a team cannot forge: a team
 * namespace's alerts go to the team's receivers or nowhere, everything else to the platform.
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
 * Alertmanager's routing: Watchdog to nowhere; an alert about a team's namespace (the team's
 * own, or a platform rule's about the team's pods or volumes) to the team's topic, or nowhere;
 * everything else to the platform's topic. Only the namespace label decides, which the operator
 * stamps on a team's alerts: no label a team can write reaches the platform's on-call.
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
