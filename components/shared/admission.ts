import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import type { IValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import { TEAM_LABEL } from "./naming";

/** Admission policies for team namespaces: every namespace with the team label is covered, whoever writes. */

const MANAGED = { "app.kubernetes.io/managed-by": "envstack" };
/** A namespace label's value, or '' when the namespace lacks it. */
export const namespaceLabel = (label: string) => `(has(namespaceObject.metadata.labels) && '${label}' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['${label}'] : '')`;

/** One admission rule: a CEL expression that must hold, and what a refused request is told. */
export interface GuardValidation {
    expression: string;
    message: string;
}

/** A ValidatingAdmissionPolicy for every namespace with the team label, denying what its validations refuse. */
export function guardPolicy(
    name: string,
    resourceRules: { apiGroups: string[]; resources: string[]; operations?: ("CREATE" | "UPDATE" | "DELETE")[] }[],
    validations: GuardValidation[],
    matchConditions: { name: string; expression: string }[] = [],
): IValidatingAdmissionPolicy {
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicy",
        metadata: { name, labels: MANAGED },
        spec: {
            failurePolicy: "Fail",
            matchConstraints: {
                namespaceSelector: { matchExpressions: [{ key: TEAM_LABEL, operator: "Exists" }] },
                resourceRules: resourceRules.map((r) => ({ apiGroups: r.apiGroups, apiVersions: ["*"], operations: r.operations ?? ["CREATE", "UPDATE"], resources: r.resources })),
            },
            ...(matchConditions.length ? { matchConditions } : {}),
            validations: validations.map((v) => ({ expression: v.expression, reason: "Forbidden", message: v.message })),
        },
    };
}

/** The binding that makes a guard policy deny. */
export function guardBinding(name: string): IValidatingAdmissionPolicyBinding {
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name, labels: MANAGED },
        spec: { policyName: name, validationActions: ["Deny"] },
    };
}

/** A guard policy and the binding that makes it deny, on the cluster. */
export function createGuard(name: string, policy: IValidatingAdmissionPolicy, opts: pulumi.CustomResourceOptions): k8s.admissionregistration.v1.ValidatingAdmissionPolicy {
    const created = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(name, policy as k8s.admissionregistration.v1.ValidatingAdmissionPolicyArgs, opts);
    new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(name, guardBinding(policy.metadata!.name!) as k8s.admissionregistration.v1.ValidatingAdmissionPolicyBindingArgs, { ...opts, dependsOn: [created] });
    return created;
}
