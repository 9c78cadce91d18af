import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { guardPolicy } from "../shared/admission";

/**
 * Argo CD's objects live in the argocd namespace, where teams have no rights; a team's project is
 * envstack's. In a team namespace, Applications, ApplicationSets and AppProjects are refused, so no
 * team object can ask Argo CD for another project or destination.
 */
export const GITOPS_GUARD_NAME = "envstack-team-gitops-guard";

export function gitopsGuardPolicy(): IValidatingAdmissionPolicy {
    return guardPolicy(
        GITOPS_GUARD_NAME,
        [{ apiGroups: ["argoproj.io"], resources: ["applications", "applicationsets", "appprojects"] }],
        [{ expression: "false", message: "Argo CD objects are refused in team namespaces: a team's Application comes from its entry in the environment's config" }],
    );
}
