import { checkArguments } from "../config/arguments";
import { accountId, clusterName, provider, region, resources, tags, vpcId } from "../config/fields";
import { checkLoadBalancerControllerVersion } from "../config/platformChecks";
import { platformConfigSchema, versionsSchema } from "../config/schema";
import type { LoadBalancerControllerArgs } from "./loadBalancerController";

/** `LoadBalancerController`'s arguments: the stack's `platform.loadBalancerController` (without the switch), and the cluster. */
export const loadBalancerControllerArgsSchema = platformConfigSchema.shape.loadBalancerController.omit({ enabled: true }).extend({
    clusterName,
    region,
    accountId,
    vpcId,
    versions: versionsSchema,
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    dependsOn: resources("resources it waits for, such as the Pod Identity agent and the system nodes").optional(),
    tags,
});

/** Every problem with `LoadBalancerController`'s arguments, thrown at once before anything is registered. */
export function checkLoadBalancerControllerArguments(args: LoadBalancerControllerArgs): void {
    checkArguments("LoadBalancerController arguments", loadBalancerControllerArgsSchema, args, {
        section: "",
        check: (problems) => checkLoadBalancerControllerVersion(args?.versions, problems),
    });
}
