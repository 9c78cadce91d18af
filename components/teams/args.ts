import { z } from "zod";
import { checkArguments } from "../config/arguments";
import { isPrivateRange, parseIpv4Cidr } from "../config/cidr";
import { accountId, clusterName, dnsSubdomain, provider, region, resources, tags } from "../config/fields";
import { teamSchema, versionsSchema } from "../config/schema";
import { checkTeam } from "../config/teamChecks";
import type { TeamNetworkGuardArgs } from "./guard";
import type { TeamArgs } from "./team";

/** `Team`'s arguments: a stack's `teams` entry (checked as there), and the cluster it lives in. */
export const teamArgsSchema = teamSchema.partial({ size: true, podSecurity: true, egress: true, ingress: true, alerts: true, quota: true, limits: true, clusterRoles: true, serviceAccounts: true }).extend({
    environmentName: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "allowed: the environment's name, a DNS label like acme-dev (a label value)"),
    clusterName,
    region,
    accountId,
    kubernetesVersion: versionsSchema.shape.kubernetes.keyType,
    storageClasses: z.array(dnsSubdomain("a StorageClass name")),
    monitoring: z.boolean(),
    protect: z.boolean(),
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    dependsOn: resources("resources the team waits for").optional(),
    tags,
});

/** Every problem with `Team`'s arguments, thrown at once before anything is registered. */
export function checkTeamArguments(args: TeamArgs, resourceName: string): void {
    checkArguments(`Team ${String(args?.name)} arguments`, teamArgsSchema, args, {
        section: "team",
        check: (problems) => checkTeam("team", (args ?? {}) as object as Record<string, unknown>, { region: args?.region, storageClasses: args?.storageClasses, resourcePrefix: resourceName }, problems),
    });
}

/** `TeamNetworkGuard`'s arguments. */
export const teamNetworkGuardArgsSchema = z.strictObject({
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    vpcCidr: z
        .string()
        .refine(
            (v) => {
                const cidr = parseIpv4Cidr(v);
                return cidr !== undefined && !cidr.hostBitsSet && isPrivateRange(cidr) && cidr.prefix >= 16 && cidr.prefix <= 28;
            },
            { message: "allowed: the VPC's IPv4 CIDR, like 10.40.0.0/16: private space, /16 to /28 (restricted namespaces may reach only this range)" },
        )
        .optional(),
});

/** Every problem with `TeamNetworkGuard`'s arguments, thrown at once before anything is registered. */
export function checkTeamNetworkGuardArguments(args: TeamNetworkGuardArgs): void {
    checkArguments("TeamNetworkGuard arguments", teamNetworkGuardArgsSchema, args);
}
