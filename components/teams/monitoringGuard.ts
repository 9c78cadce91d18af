import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { guardPolicy } from "./admission";
import { MONITORING_GUARD_NAME } from "./labels";

/**
 * Prometheus scrapes and alerts for every namespace, so what a team writes for it must stay
 * inside the team's namespace, whoever asks: a monitor selects targets in its own namespace only,
 * scrapes them where they are, within a sample limit, and reads no file in the Prometheus
 * container (a bearer-token file would hand Prometheus's own service-account token to the
 * target); a rule's templates run no queries. With Prometheus's enforced namespace label, a
 * team's series and alerts carry the team's namespace, which routes them.
 */

const endpointFilesFree = (e: string) =>
    `!has(${e}.bearerTokenFile) && (!has(${e}.tlsConfig) || (!has(${e}.tlsConfig.caFile) && !has(${e}.tlsConfig.certFile) && !has(${e}.tlsConfig.keyFile)))`;
/**
 * A scrape goes only where the operator sends it: no relabelling of the `__` labels that pick the
 * address, scheme, path or parameters (`__address__` would point Prometheus at any pod, or at its
 * own /federate), no label maps, no proxy, and no redirects (a scraped pod could send Prometheus,
 * which may reach the internet, elsewhere with data in the URL).
 */
const endpointStaysPut = (e: string) =>
    `!has(${e}.proxyUrl) && has(${e}.followRedirects) && ${e}.followRedirects == false && ` +
    `(!has(${e}.relabelings) || ${e}.relabelings.all(r, (!has(r.action) || r.action.lowerAscii() != 'labelmap') && (!has(r.targetLabel) || (!r.targetLabel.startsWith('__') && !r.targetLabel.contains('$')))))`;
/** Every endpoint of a ServiceMonitor or PodMonitor. */
const allEndpoints = (check: (e: string) => string) =>
    `(!has(object.spec.endpoints) || object.spec.endpoints.all(e, ${check("e")})) && (!has(object.spec.podMetricsEndpoints) || object.spec.podMetricsEndpoints.all(e, ${check("e")}))`;
/** The most samples one scrape of a team's target may bring: one team cannot exhaust the shared Prometheus. */
export const TEAM_SAMPLE_LIMIT = 50000;
/** Prometheus's template function that runs a query; in a rule's labels or annotations it would read any namespace. */
const noQuery = (map: string) => `!has(${map}) || ${map}.all(k, !${map}[k].matches(r'\\bquery\\b'))`;

export const MONITORING_GUARD_EXPRESSIONS = {
    ownNamespaceOnly:
        `!has(object.spec.namespaceSelector) || ((!has(object.spec.namespaceSelector.any) || !object.spec.namespaceSelector.any) && ` +
        `(!has(object.spec.namespaceSelector.matchNames) || object.spec.namespaceSelector.matchNames.all(n, n == namespaceObject.metadata.name)))`,
    noFileAccess: allEndpoints(endpointFilesFree),
    scrapesStayPut: allEndpoints(endpointStaysPut),
    sampleLimit: `has(object.spec.sampleLimit) && object.spec.sampleLimit > 0 && object.spec.sampleLimit <= ${TEAM_SAMPLE_LIMIT}`,
    noQueryTemplates:
        `!has(object.spec.groups) || object.spec.groups.all(g, (${noQuery("g.labels")}) && (!has(g.rules) || g.rules.all(r, (${noQuery("r.labels")}) && (${noQuery("r.annotations")}))))`,
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
            {
                expression: `!(${monitors}) || (${e.scrapesStayPut})`,
                message: "a team's monitors scrape their targets as found: set followRedirects: false, and use no proxyUrl, no labelmap, and no relabelling of __address__ or other __ labels",
            },
            { expression: `!(${monitors}) || (${e.sampleLimit})`, message: `a team's monitors set sampleLimit, at most ${TEAM_SAMPLE_LIMIT}, so one target cannot exhaust the shared Prometheus` },
            { expression: `request.resource.resource != 'prometheusrules' || (${e.noQueryTemplates})`, message: "a team's rule labels and annotations may not run queries (the query template function reads every namespace)" },
        ],
    );
}
