import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { PLATFORM_OWNER_LABEL } from "../shared/naming";
import { guardPolicy } from "./admission";
import { MONITORING_GUARD_NAME } from "./labels";

/**
 * Prometheus scrapes and alerts for every namespace, so what a team writes for it must stay
 * inside the team's namespace, whoever asks: a monitor selects targets in its own namespace only
 * and reads no file in the Prometheus container (a bearer-token file would hand Prometheus's own
 * service-account token to the target); a rule cannot claim the platform's alert route. With
 * Prometheus's enforced namespace label, a team's series and alerts carry the team's namespace.
 */

const endpointFilesFree = (e: string) =>
    `!has(${e}.bearerTokenFile) && (!has(${e}.tlsConfig) || (!has(${e}.tlsConfig.caFile) && !has(${e}.tlsConfig.certFile) && !has(${e}.tlsConfig.keyFile)))`;

export const MONITORING_GUARD_EXPRESSIONS = {
    ownNamespaceOnly:
        `!has(object.spec.namespaceSelector) || ((!has(object.spec.namespaceSelector.any) || !object.spec.namespaceSelector.any) && ` +
        `(!has(object.spec.namespaceSelector.matchNames) || object.spec.namespaceSelector.matchNames.all(n, n == namespaceObject.metadata.name)))`,
    noFileAccess:
        `(!has(object.spec.endpoints) || object.spec.endpoints.all(e, ${endpointFilesFree("e")})) && ` +
        `(!has(object.spec.podMetricsEndpoints) || object.spec.podMetricsEndpoints.all(e, ${endpointFilesFree("e")}))`,
    noPlatformRoute: `!has(object.spec.groups) || object.spec.groups.all(g, !has(g.rules) || g.rules.all(r, !has(r.labels) || !('${PLATFORM_OWNER_LABEL}' in r.labels)))`,
};

export function monitoringGuardPolicy(): IValidatingAdmissionPolicy {
    const e = MONITORING_GUARD_EXPRESSIONS;
    const monitors = `request.resource.resource in ['servicemonitors', 'podmonitors']`;
    return guardPolicy(
        MONITORING_GUARD_NAME,
        [{ apiGroups: ["monitoring.coreos.com"], resources: ["servicemonitors", "podmonitors", "prometheusrules"] }],
        [
            { expression: `!(${monitors}) || (${e.ownNamespaceOnly})`, message: "a team's monitors select targets in their own namespace only: drop namespaceSelector (or name only this namespace)" },
            { expression: `!(${monitors}) || (${e.noFileAccess})`, message: "a team's monitors may not read files in the Prometheus container (bearerTokenFile, tlsConfig caFile/certFile/keyFile): use secret references" },
            { expression: `request.resource.resource != 'prometheusrules' || (${e.noPlatformRoute})`, message: `the ${PLATFORM_OWNER_LABEL} label routes alerts to the platform's on-call; a team's rules may not set it` },
        ],
    );
}
