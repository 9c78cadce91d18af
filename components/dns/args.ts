import { checkArguments } from "../config/arguments";
import { accountId, clusterName, provider, region, resources, tags } from "../config/fields";
import { checkPlatform } from "../config/platformChecks";
import { platformConfigSchema, versionsSchema } from "../config/schema";
import type { ExternalDnsArgs } from "./externalDns";

/** `ExternalDns`'s arguments: the stack's `platform.externalDns` (without the switch; at least one zone), and the cluster. */
export const externalDnsArgsSchema = platformConfigSchema.shape.externalDns.omit({ enabled: true }).extend({
    zones: platformConfigSchema.shape.externalDns.shape.zones.min(1, "allowed: at least one hosted zone"),
    clusterName,
    region,
    accountId,
    versions: versionsSchema,
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    dependsOn: resources("resources it waits for, such as the Pod Identity agent and the system nodes").optional(),
    tags,
});

/** Every problem with `ExternalDns`'s arguments, thrown at once before anything is registered. */
export function checkExternalDnsArguments(args: ExternalDnsArgs): void {
    checkArguments("ExternalDns arguments", externalDnsArgsSchema, args, {
        section: "platform.externalDns",
        check: (problems) => checkPlatform({ externalDns: { zones: args?.zones } }, args?.region, problems),
    });
}
