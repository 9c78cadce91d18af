import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { guardPolicy, namespaceLabel } from "./admission";
import { EXPOSURE_GUARD_NAME, INGRESS_LABEL } from "./labels";

/**
 * What a team namespace exposes, whoever asks (a member, a team's CI, a GitOps controller): no
 * NodePort Services, which open a port on every node; no externalIPs; LoadBalancer Services and
 * Ingresses internal unless the team's config says `ingress: public`. The public subnets carry the ELB
 * role tag, so without this one Service puts a team's pods on the internet.
 */

/** The annotations that decide a load balancer's scheme: the AWS Load Balancer Controller's, and the in-tree provider's. */
export const SCHEME_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-scheme";
export const INTERNAL_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-internal";
export const ALB_SCHEME_ANNOTATION = "alb.ingress.kubernetes.io/scheme";
/** The scheme of an NLB the controller puts in front of an Ingress's ALB. */
export const FRONTEND_NLB_SCHEME_ANNOTATION = "alb.ingress.kubernetes.io/frontend-nlb-scheme";

const annotation = (key: string) => `(has(object.metadata.annotations) && '${key}' in object.metadata.annotations ? object.metadata.annotations['${key}'] : '')`;
const isPublic = `${namespaceLabel(INGRESS_LABEL)} == 'public'`;

export const EXPOSURE_GUARD_EXPRESSIONS = {
    noNodePort: `!has(object.spec) || !has(object.spec.type) || object.spec.type != 'NodePort'`,
    // externalIPs make kube-proxy send every pod's traffic for that address to this Service (CVE-2020-8554).
    noExternalIps: `!has(object.spec) || !has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0`,
    // Both controllers must agree: the in-tree provider reads only the legacy annotation, the
    // Load Balancer Controller the scheme one; either alone can leave the other internet-facing.
    internalLoadBalancer:
        `!has(object.spec) || !has(object.spec.type) || object.spec.type != 'LoadBalancer' || ${isPublic} || ` +
        `(${annotation(INTERNAL_ANNOTATION)} == 'true' && (${annotation(SCHEME_ANNOTATION)} == '' || ${annotation(SCHEME_ANNOTATION)} == 'internal'))`,
    // A frontend NLB has a scheme of its own: an internal ALB behind an internet-facing NLB is public.
    internalIngress: `${isPublic} || (${annotation(ALB_SCHEME_ANNOTATION)} != 'internet-facing' && ${annotation(FRONTEND_NLB_SCHEME_ANNOTATION)} != 'internet-facing')`,
};

export function exposureGuardPolicy(): IValidatingAdmissionPolicy {
    const e = EXPOSURE_GUARD_EXPRESSIONS;
    const service = `request.resource.resource == 'services'`;
    return guardPolicy(
        EXPOSURE_GUARD_NAME,
        [
            { apiGroups: [""], resources: ["services"] },
            { apiGroups: ["networking.k8s.io"], resources: ["ingresses"] },
        ],
        [
            { expression: `!(${service}) || (${e.noNodePort})`, message: "NodePort Services are refused in team namespaces: they open a port on every node; use ClusterIP, or an internal LoadBalancer" },
            { expression: `!(${service}) || (${e.noExternalIps})`, message: "externalIPs are refused in team namespaces: they take over that address's traffic from every pod in the cluster" },
            {
                expression: `!(${service}) || (${e.internalLoadBalancer})`,
                message: `this team's load balancers must be internal: set ${INTERNAL_ANNOTATION}: "true" (and ${SCHEME_ANNOTATION}, if set, to internal), or give the team ingress: public in the environment's config`,
            },
            {
                expression: `${service} || (${e.internalIngress})`,
                message: `this team's Ingresses must be internal: drop ${ALB_SCHEME_ANNOTATION} and ${FRONTEND_NLB_SCHEME_ANNOTATION}: internet-facing, or give the team ingress: public in the environment's config`,
            },
        ],
    );
}
