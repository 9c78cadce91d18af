import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { guardPolicy } from "../shared/admission";

/**
 * Who may name what. ExternalDNS writes a record for any hostname an Ingress or Service asks
 * for, so without this a team could take another team's hostname (and its traffic). In a team
 * namespace, a hostname inside a configured zone must be the team's own subdomain,
 * `<team>.<zone>`, or below it; hostnames outside the zones are not ExternalDNS's and pass.
 */

/** The admission policy (and binding) that keeps each team to its own subdomains. */
export const DNS_GUARD_NAME = "envstack-team-dns-guard";
/** The prefix of ExternalDNS's annotations, set in its values so that it and this guard agree. */
export const ANNOTATION_PREFIX = "external-dns.alpha.kubernetes.io/";
/** The annotations ExternalDNS reads hostnames from: comma-separated lists, in any case, with or without the root's dot. */
export const HOSTNAME_ANNOTATIONS = [`${ANNOTATION_PREFIX}hostname`, `${ANNOTATION_PREFIX}internal-hostname`];

const team = "namespaceObject.metadata.name";
const inZone = (host: string, zone: string) => `(${host} == ${zone} || ${host}.endsWith('.' + ${zone}))`;
/**
 * A hostname (CEL expression) is outside every zone, or within the team's subdomain of the most
 * specific zone that holds it (where ExternalDNS writes it, when zones nest).
 */
const ownHostname = (zones: string[], host: string) => {
    const list = JSON.stringify(zones);
    const nearest = `!${list}.exists(y, size(y) > size(z) && ${inZone(host, "y")})`;
    return `${list}.all(z, !${inZone(host, "z")} || !(${nearest}) || ${host} == ${team} + '.' + z || ${host}.endsWith('.' + ${team} + '.' + z))`;
};
const annotation = (key: string) => `object.metadata.annotations['${key}']`;

/** A hostname as ExternalDNS accepts one, lowercase, with at most the root's dot. */
const HOSTNAME = "^([*][.])?[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*[.]?$";

export function dnsGuardExpressions(zones: string[]) {
    // ExternalDNS drops every space in these values, so a name with one inside is refused rather than read another way.
    const annotated = HOSTNAME_ANNOTATIONS.map(
        (key) =>
            `(!has(object.metadata.annotations) || !('${key}' in object.metadata.annotations) || ${annotation(key)}.split(',').map(h, h.trim().lowerAscii()).all(h, h.matches('${HOSTNAME}')) && ` +
            `${annotation(key)}.split(',').map(h, h.trim().lowerAscii()).map(h, h.endsWith('.') ? h.substring(0, size(h) - 1) : h).all(h, ${ownHostname(zones, "h")}))`,
    );
    return {
        annotations: annotated.join(" && "),
        ingressRules: `request.resource.resource != 'ingresses' || !has(object.spec.rules) || object.spec.rules.all(r, !has(r.host) || ${ownHostname(zones, "r.host")})`,
        // ExternalDNS publishes the TLS hosts of an Ingress too.
        ingressTls: `request.resource.resource != 'ingresses' || !has(object.spec.tls) || object.spec.tls.all(t, !has(t.hosts) || t.hosts.all(h, ${ownHostname(zones, "h")}))`,
    };
}

export function dnsGuardPolicy(zones: string[]): IValidatingAdmissionPolicy {
    const e = dnsGuardExpressions(zones);
    const message = `in a team namespace, a hostname in ${zones.join(", ")} must be the team's own subdomain (<team>.<zone>) or below it`;
    return guardPolicy(
        DNS_GUARD_NAME,
        [
            { apiGroups: [""], resources: ["services"] },
            { apiGroups: ["networking.k8s.io"], resources: ["ingresses"] },
        ],
        [
            { expression: e.annotations, message: `${message}, and a plain hostname: check ${HOSTNAME_ANNOTATIONS.join(" and ")}` },
            { expression: e.ingressRules, message: `${message}: check the Ingress rules' hosts` },
            { expression: e.ingressTls, message: `${message}: check the Ingress's TLS hosts` },
        ],
    );
}
