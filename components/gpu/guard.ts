import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { GPU_RESOURCE } from "../config/instanceTypes";
import { guardPolicy } from "../shared/admission";

/**
 * GPU nodes are for GPU work. Any pod may tolerate the GPU taint, so without this a team could
 * park CPU work on GPU nodes: it squats on the most expensive capacity, and a node that is never
 * empty is never consolidated. In a team namespace a pod that tolerates the taint (by its key, or
 * by tolerating every taint) must request a GPU.
 */

/** The admission policy (and binding) for team pods that tolerate the GPU taint. */
export const GPU_GUARD_NAME = "envstack-team-gpu-guard";

const asksForGpu = (c: string) =>
    `has(${c}.resources) && ((has(${c}.resources.limits) && '${GPU_RESOURCE}' in ${c}.resources.limits && string(${c}.resources.limits['${GPU_RESOURCE}']) != '0') || ` +
    `(has(${c}.resources.requests) && '${GPU_RESOURCE}' in ${c}.resources.requests && string(${c}.resources.requests['${GPU_RESOURCE}']) != '0'))`;

export const GPU_GUARD_EXPRESSIONS = {
    tolerated: `has(object.spec.tolerations) && object.spec.tolerations.exists(t, (has(t.key) && t.key == '${GPU_RESOURCE}') || ((!has(t.key) || t.key == '') && has(t.operator) && t.operator == 'Exists'))`,
    requested: `object.spec.containers.exists(c, ${asksForGpu("c")})`,
};

export function gpuGuardPolicy(): IValidatingAdmissionPolicy {
    const e = GPU_GUARD_EXPRESSIONS;
    return guardPolicy(
        GPU_GUARD_NAME,
        // Updates too: a pod held at a scheduling gate may gain tolerations before it is scheduled.
        [{ apiGroups: [""], resources: ["pods"], operations: ["CREATE", "UPDATE"] }],
        [
            { expression: `!(${e.tolerated}) || (${e.requested})`, message: `a pod that tolerates the ${GPU_RESOURCE} taint must request ${GPU_RESOURCE}: GPU nodes are for GPU work` },
            // A NoSchedule taint binds the scheduler only: a pod that names its node skips it.
            { expression: `request.operation != 'CREATE' || !has(object.spec.nodeName)`, message: "a pod in a team namespace may not name its node (spec.nodeName): the scheduler places it, within the taints" },
        ],
    );
}
