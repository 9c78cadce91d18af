import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import type { IValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import { guardBinding, guardPolicy, namespaceLabel } from "../shared/admission";
import { teamGroup } from "../shared/naming";
import { EGRESS_LABEL, GUARDED_LABEL, NETWORK_GUARD_NAME } from "./labels";

/**
 * The admission policies of team namespaces. The EKS Edit access policy lets team members write
 * NetworkPolicies, Services and Ingresses in their namespace, and envstack's Role lets them
 * write ServiceMonitors, PodMonitors and PrometheusRules; these policies keep what they write
 * inside the isolation envstack set up.
 */

const TEAM_GROUP_PREFIX = teamGroup("");
/** Argo CD's identities, as the API server sees them: the controller syncs, the server acts for its users. */
export const ARGOCD_IDENTITIES = ["system:serviceaccount:argocd:argocd-application-controller", "system:serviceaccount:argocd:argocd-server"];

/** Every ingress `ipBlock` of a NetworkPolicy lies within `cidr` (the Kubernetes CEL CIDR library). */
const ingressBlocksWithin = (cidr: string) =>
    `!has(object.spec.ingress) || object.spec.ingress.all(r, !has(r.from) || r.from.all(p, !has(p.ipBlock) || cidr('${cidr}').containsCIDR(p.ipBlock.cidr)))`;

/**
 * NetworkPolicies, for requests from team members (admins and controllers are not checked):
 * envstack's own policies cannot be changed; where config restricted egress, no policy may allow
 * egress, nor ingress from addresses outside the VPC (without a VPC range, from any address).
 */
export function networkGuardExpressions(vpcCidr?: string) {
    const restricted = `${namespaceLabel(EGRESS_LABEL)} == 'restricted'`;
    return {
        // A team's members, and Argo CD, which writes what a team's repository holds or a member asks of it.
        teamMember: `request.userInfo.groups.exists(g, g.startsWith('${TEAM_GROUP_PREFIX}')) || ${JSON.stringify(ARGOCD_IDENTITIES)}.exists(u, u == request.userInfo.username)`,
        keepsGuarded: `oldObject == null || !has(oldObject.metadata.labels) || !('${GUARDED_LABEL}' in oldObject.metadata.labels)`,
        noEgressWhenRestricted: `object == null || !(${restricted}) || !has(object.spec.egress) || size(object.spec.egress) == 0`,
        ingressFromVpcWhenRestricted: `object == null || !(${restricted}) || (${vpcCidr ? ingressBlocksWithin(vpcCidr) : "!has(object.spec.ingress) || object.spec.ingress.all(r, !has(r.from) || r.from.all(p, !has(p.ipBlock)))"})`,
    };
}

export function networkGuardPolicy(vpcCidr?: string): IValidatingAdmissionPolicy {
    const e = networkGuardExpressions(vpcCidr);
    return guardPolicy(
        NETWORK_GUARD_NAME,
        [{ apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], operations: ["CREATE", "UPDATE", "DELETE"] }],
        [
            { expression: e.keepsGuarded, message: "this NetworkPolicy is part of the team's isolation; it changes through the environment's config, not kubectl" },
            { expression: e.noEgressWhenRestricted, message: "egress from this namespace is restricted by the environment's config; a NetworkPolicy here may not allow egress" },
            {
                expression: e.ingressFromVpcWhenRestricted,
                message: `this namespace is restricted by the environment's config; a NetworkPolicy here may allow ingress from ${vpcCidr ? `addresses in the VPC (${vpcCidr})` : "pods, not addresses"} only`,
            },
        ],
        [{ name: "team-members-only", expression: e.teamMember }],
    );
}

export function networkGuardBinding(): IValidatingAdmissionPolicyBinding {
    return guardBinding(NETWORK_GUARD_NAME);
}

export { guardBinding, guardPolicy, namespaceLabel };
