import { ALB_SCHEME_ANNOTATION, INTERNAL_ANNOTATION, SCHEME_ANNOTATION } from "../../components/teams/exposure";
import { describeObject, KubeObject } from "./kubernetes";
import { list, Props } from "./support";

/**
 * Load balancers the AWS Load Balancer Controller (or a Gateway implementation) makes from objects
 * other than a Service's or Ingress's own annotations: IngressClassParams and Gateway API
 * LoadBalancerConfigurations that set the scheme for every Ingress or Gateway using them,
 * IngressGroups whose scheme any member may set, Gateways that pass annotations to the Service
 * they create, and TargetGroupBindings that put pods behind a load balancer made elsewhere.
 */

export const GROUP_ANNOTATION = "alb.ingress.kubernetes.io/group.name";
const NAMESPACE_LABEL = "kubernetes.io/metadata.name";

const isPublic = (scheme: unknown) => String(scheme ?? "").toLowerCase() === "internet-facing";

/** Whether a cluster-scoped IngressClassParams applies only in namespaces config lets face the internet. */
function onlyPublicNamespaces(selector: Props | undefined, publicNamespaces: string[]): boolean {
    const named = [
        ...(selector?.matchLabels?.[NAMESPACE_LABEL] !== undefined ? [[selector.matchLabels[NAMESPACE_LABEL]]] : []),
        ...list<Props>(selector?.matchExpressions)
            .filter((e) => e?.key === NAMESPACE_LABEL && e?.operator === "In")
            .map((e) => list<string>(e.values)),
    ];
    return named.some((values) => values.length > 0 && values.every((ns) => publicNamespaces.includes(String(ns))));
}

/** Reports what makes a load balancer face the internet through these objects; `namespace` is the object's own. */
export function checkLoadBalancerObject(o: KubeObject, publicNamespaces: string[], report: (message: string) => void): void {
    const spec: Props | undefined = o.object?.spec;
    const label = describeObject(o);
    const group = o.apiVersion.split("/")[0];
    if (group === "elbv2.k8s.aws" && o.kind === "IngressClassParams") {
        // Cluster-scoped: its scheme overrides every Ingress of the class, in any namespace it selects.
        if (onlyPublicNamespaces(spec?.namespaceSelector, publicNamespaces)) return;
        if (isPublic(spec?.scheme)) report(`${label} makes every Ingress of its class internet-facing (spec.scheme: internet-facing)`);
        else if (spec?.group?.name !== undefined && spec?.scheme === undefined && o.via !== "patch") {
            report(`${label} puts its Ingresses in IngressGroup ${spec.group.name}, whose load balancer any member may make internet-facing: set spec.scheme to internal`);
        }
        return;
    }
    const namespace = o.object?.metadata?.namespace ?? "default";
    if (publicNamespaces.includes(namespace)) return;
    if (group === "gateway.k8s.aws" && o.kind === "LoadBalancerConfiguration" && isPublic(spec?.scheme)) {
        report(`${label} makes the Gateways that use it internet-facing (spec.scheme: internet-facing)`);
    }
    if (group === "gateway.networking.k8s.io" && o.kind === "Gateway") {
        // Implementations that deploy the Service (Istio among them) copy the Gateway's own annotations onto it too.
        for (const [field, annotations] of [["spec.infrastructure.annotations", spec?.infrastructure?.annotations], ["metadata.annotations", o.object?.metadata?.annotations]] as [string, Props | undefined][]) {
            const internal = annotations?.[INTERNAL_ANNOTATION];
            if (isPublic(annotations?.[SCHEME_ANNOTATION]) || isPublic(annotations?.[ALB_SCHEME_ANNOTATION]) || (internal !== undefined && internal !== "true")) {
                report(`${label} passes annotations to its load balancer that make it face the internet (${field})`);
            }
        }
    }
    if (group === "elbv2.k8s.aws" && o.kind === "TargetGroupBinding" && o.via !== "patch") {
        const target = spec?.targetGroupARN ?? spec?.targetGroupName ?? "(not named)";
        report(`${label} puts pods behind target group ${target} of a load balancer the cluster does not make, whose scheme cannot be judged here: expose them through an internal Service or Ingress, or list the namespace in publicNamespaces after review`);
    }
    if (o.kind === "Ingress" && group === "networking.k8s.io") {
        const annotations: Props | undefined = o.object?.metadata?.annotations;
        const joined = annotations?.[GROUP_ANNOTATION];
        const scheme = annotations?.[ALB_SCHEME_ANNOTATION];
        // Members of a group share one load balancer; one that states internal conflicts with a public member instead of joining it.
        if (joined !== undefined && scheme !== "internal" && !isPublic(scheme) && o.via !== "patch") {
            report(`${label} joins IngressGroup ${joined}, whose load balancer another member may make internet-facing: set ${ALB_SCHEME_ANNOTATION}: internal`);
        }
    }
}
