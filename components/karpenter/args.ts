import { checkArguments } from "../config/arguments";
import { checkKarpenter, checkKubernetesVersion } from "../config/checks";
import { accountId, clusterName, kmsKeyArn, provider, region, resource, resources, securityGroupId, tags } from "../config/fields";
import { karpenterConfigSchema, versionsSchema } from "../config/schema";
import type { KarpenterArgs } from "./karpenter";

/** `Karpenter`'s arguments: the stack's `karpenter` section, and the cluster it runs in. */
export const karpenterArgsSchema = karpenterConfigSchema.extend({
    clusterName,
    region,
    accountId,
    kubernetesVersion: versionsSchema.shape.kubernetes.keyType,
    cluster: resource("the EKS cluster resource"),
    systemNodeGroup: resource("the system node group resource"),
    dependsOn: resources("resources the controller waits for").optional(),
    clusterSecurityGroupId: securityGroupId,
    kmsKeyArn,
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    versions: versionsSchema,
    tags,
});

/** Every problem with `Karpenter`'s arguments, thrown at once before anything is registered. */
export function checkKarpenterArguments(args: KarpenterArgs): void {
    checkArguments("Karpenter arguments", karpenterArgsSchema, args, {
        section: "karpenter",
        check: (problems) => {
            checkKubernetesVersion("kubernetesVersion", args?.kubernetesVersion, args?.versions, problems);
            checkKarpenter((args ?? {}) as object as Record<string, unknown>, (args?.versions ?? {}) as object as Record<string, unknown>, args?.kubernetesVersion, problems);
        },
    });
}
