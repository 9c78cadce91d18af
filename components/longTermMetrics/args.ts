import { z } from "zod";
import { checkArguments } from "../config/arguments";
import { accountId, clusterName, dnsLabel, kmsKeyArn, provider, region, resources, tags } from "../config/fields";
import { observabilityConfigSchema, retentionDays, versionsSchema } from "../config/schema";
import type { LongTermMetricsArgs } from "./longTermMetrics";

/** `LongTermMetrics`'s arguments: the stack's `observability.longTermMetrics` (a backend to build), and where Prometheus runs. */
export const longTermMetricsArgsSchema = observabilityConfigSchema.shape.longTermMetrics.omit({ backend: true, localRetention: true }).extend({
    backend: z.enum(["amp", "thanos"]),
    clusterName,
    region,
    accountId,
    namespace: dnsLabel("the Prometheus stack's namespace"),
    kmsKeyArn,
    logRetentionInDays: retentionDays,
    storageClassName: dnsLabel("a StorageClass"),
    protect: z.boolean(),
    versions: versionsSchema,
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    dependsOn: resources("resources it waits for, such as the monitoring namespace").optional(),
    tags,
});

/** Every problem with `LongTermMetrics`'s arguments, thrown at once before anything is registered. */
export function checkLongTermMetricsArguments(args: LongTermMetricsArgs): void {
    checkArguments("LongTermMetrics arguments", longTermMetricsArgsSchema, args);
}
