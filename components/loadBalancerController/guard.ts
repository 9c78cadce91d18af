import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { guardPolicy } from "../shared/admission";

/**
 * What a team's Ingress may ask of the controller. An IngressGroup merges every Ingress with the
 * same group name into one ALB, so another team's group would let a team add rules to that
 * team's load balancer; a forward action or a TargetGroupBinding naming a target group by ARN
 * would send its traffic to this team's pods. In a team namespace: the group name is the team's
 * (`<team>` or `<team>.<anything>`), actions forward to Services only, and TargetGroupBindings
 * are refused but for the controller's own, which it writes for each Service and Ingress backend.
 */

/** The admission policy (and binding) for team Ingresses and TargetGroupBindings. */
export const LOAD_BALANCER_GUARD_NAME = "envstack-team-load-balancer-guard";
/** The IngressGroup annotation. */
export const GROUP_ANNOTATION = "alb.ingress.kubernetes.io/group.name";
/** The prefix of custom action annotations. */
export const ACTIONS_ANNOTATION_PREFIX = "alb.ingress.kubernetes.io/actions.";

const team = "namespaceObject.metadata.name";
const annotations = "object.metadata.annotations";

/** The controller itself, which writes a TargetGroupBinding for each Service and Ingress backend. */
export const CONTROLLER_USER = "system:serviceaccount:kube-system:aws-load-balancer-controller";
/** Annotations whose JSON names target groups: custom actions and conditions. */
const ACTION_PREFIXES = [ACTIONS_ANNOTATION_PREFIX, "alb.ingress.kubernetes.io/conditions."];

export const LOAD_BALANCER_GUARD_EXPRESSIONS = {
    byController: `request.userInfo.username == '${CONTROLLER_USER}'`,
    ownGroup: `!has(${annotations}) || !('${GROUP_ANNOTATION}' in ${annotations}) || ${annotations}['${GROUP_ANNOTATION}'] == ${team} || ${annotations}['${GROUP_ANNOTATION}'].startsWith(${team} + '.')`,
    // By ARN or by name, in any case; and no JSON escapes, which could spell either.
    noTargetGroupArns:
        `!has(${annotations}) || ${annotations}.all(k, !${JSON.stringify(ACTION_PREFIXES)}.exists(p, k.startsWith(p)) || ` +
        `(!${annotations}[k].lowerAscii().contains('targetgrouparn') && !${annotations}[k].lowerAscii().contains('targetgroupname') && !${annotations}[k].contains('\\\\')))`,
};

export function loadBalancerGuardPolicy(): IValidatingAdmissionPolicy {
    const e = LOAD_BALANCER_GUARD_EXPRESSIONS;
    const ingress = "request.resource.resource == 'ingresses'";
    return guardPolicy(
        LOAD_BALANCER_GUARD_NAME,
        [
            { apiGroups: ["networking.k8s.io"], resources: ["ingresses"] },
            { apiGroups: ["elbv2.k8s.aws"], resources: ["targetgroupbindings"] },
        ],
        [
            { expression: `!(${ingress}) || (${e.ownGroup})`, message: `in a team namespace, ${GROUP_ANNOTATION} must be the team's name, or start with it and a '.'` },
            { expression: `!(${ingress}) || (${e.noTargetGroupArns})`, message: `in a team namespace, ${ACTIONS_ANNOTATION_PREFIX}* actions may forward to Services only, not to a target group by ARN or name` },
            { expression: `${ingress} || ${e.byController}`, message: "TargetGroupBindings are refused in team namespaces: expose pods through a Service or an Ingress (the controller writes its own)" },
        ],
    );
}
