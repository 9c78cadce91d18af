import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import type { IValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import { TEAM_LABEL, teamGroup } from "../shared/naming";
import { EGRESS_LABEL, GUARDED_LABEL, NETWORK_GUARD_NAME } from "./labels";

/**
 * The EKS Edit access policy lets team members write NetworkPolicies in their namespace. This
 * admission policy keeps them off the ones envstack owns, and in a namespace whose egress config
 * closed keeps them from allowing egress again. Only requests from team groups are checked;
 * admins and controllers are not.
 */

const TEAM_GROUP_PREFIX = teamGroup("");

export const NETWORK_GUARD_EXPRESSIONS = {
    teamMember: `request.userInfo.groups.exists(g, g.startsWith('${TEAM_GROUP_PREFIX}'))`,
    keepsGuarded: `oldObject == null || !has(oldObject.metadata.labels) || !('${GUARDED_LABEL}' in oldObject.metadata.labels)`,
    noEgressWhenRestricted:
        `object == null || !has(namespaceObject.metadata.labels) || !('${EGRESS_LABEL}' in namespaceObject.metadata.labels) || ` +
        `namespaceObject.metadata.labels['${EGRESS_LABEL}'] != 'restricted' || !has(object.spec.egress) || size(object.spec.egress) == 0`,
};

export function networkGuardPolicy(): IValidatingAdmissionPolicy {
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicy",
        metadata: { name: NETWORK_GUARD_NAME, labels: { "app.kubernetes.io/managed-by": "envstack" } },
        spec: {
            failurePolicy: "Fail",
            matchConstraints: {
                namespaceSelector: { matchExpressions: [{ key: TEAM_LABEL, operator: "Exists" }] },
                resourceRules: [{ apiGroups: ["networking.k8s.io"], apiVersions: ["*"], operations: ["CREATE", "UPDATE", "DELETE"], resources: ["networkpolicies"] }],
            },
            matchConditions: [{ name: "team-members-only", expression: NETWORK_GUARD_EXPRESSIONS.teamMember }],
            validations: [
                {
                    expression: NETWORK_GUARD_EXPRESSIONS.keepsGuarded,
                    reason: "Forbidden",
                    message: "this NetworkPolicy is part of the team's isolation; it changes through the environment's config, not kubectl",
                },
                {
                    expression: NETWORK_GUARD_EXPRESSIONS.noEgressWhenRestricted,
                    reason: "Forbidden",
                    message: "egress from this namespace is restricted by the environment's config; a NetworkPolicy here may not allow egress",
                },
            ],
        },
    };
}

export function networkGuardBinding(): IValidatingAdmissionPolicyBinding {
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: NETWORK_GUARD_NAME, labels: { "app.kubernetes.io/managed-by": "envstack" } },
        spec: { policyName: NETWORK_GUARD_NAME, validationActions: ["Deny"] },
    };
}
