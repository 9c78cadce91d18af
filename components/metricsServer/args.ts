import { checkArguments } from "../config/arguments";
import { provider, resources } from "../config/fields";
import { platformConfigSchema, versionsSchema } from "../config/schema";
import type { MetricsServerArgs } from "./metricsServer";

/** `MetricsServer`'s arguments: the stack's `platform.metricsServer` (without the switch), and the cluster. */
export const metricsServerArgsSchema = platformConfigSchema.shape.metricsServer.omit({ enabled: true }).extend({
    versions: versionsSchema,
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    dependsOn: resources("resources it waits for, such as the system nodes").optional(),
});

/** Every problem with `MetricsServer`'s arguments, thrown at once before anything is registered. */
export function checkMetricsServerArguments(args: MetricsServerArgs): void {
    checkArguments("MetricsServer arguments", metricsServerArgsSchema, args);
}

