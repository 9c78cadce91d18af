import { z } from "zod";
import { checkArguments } from "../config/arguments";
import { checkKubernetesVersion, checkObservability } from "../config/checks";
import { accountId, clusterName, dnsLabel, dnsSubdomain, kmsKeyArn, provider, region, resources, tags } from "../config/fields";
import { addonSwitchesSchema, alertReceiversSchema, observabilityConfigSchema, retentionDays, versionsSchema } from "../config/schema";
import type { ObservabilityArgs } from "./observability";

/** `Observability`'s arguments: the stack's `observability` section, and the cluster it watches. */
export const observabilityArgsSchema = observabilityConfigSchema.extend({
    clusterName,
    accountId,
    region,
    kubernetesVersion: versionsSchema.shape.kubernetes.keyType,
    versions: versionsSchema,
    logRetentionInDays: retentionDays,
    kmsKeyArn,
    storageClassName: dnsSubdomain("a StorageClass name"),
    scrapeKarpenter: z.boolean(),
    teams: z.array(z.strictObject({ name: dnsLabel("the team's namespace"), alerts: alertReceiversSchema.optional() })).optional(),
    maxNodes: z.number().int().min(1).max(5000).optional(),
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    addons: addonSwitchesSchema.partial().optional(),
    dependsOn: resources("resources the add-on and charts wait for"),
    protect: z.boolean().optional(),
    tags,
});

/** Every problem with `Observability`'s arguments, thrown at once before anything is registered. */
export function checkObservabilityArguments(args: ObservabilityArgs): void {
    checkArguments("Observability arguments", observabilityArgsSchema, args, {
        section: "observability",
        check: (problems) => {
            checkKubernetesVersion("kubernetesVersion", args?.kubernetesVersion, args?.versions, problems);
            checkObservability((args ?? {}) as object as Record<string, unknown>, problems);
        },
    });
}
