import { z } from "zod";
import { checkArguments } from "../config/arguments";
import { provider, resources } from "../config/fields";
import { versionsSchema } from "../config/schema";
import type { GpuSupportArgs } from "./gpuSupport";

/** `GpuSupport`'s arguments. */
export const gpuSupportArgsSchema = z.strictObject({
    monitoring: z.boolean(),
    versions: versionsSchema,
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    dependsOn: resources("resources it waits for, such as the system nodes and the monitoring stack").optional(),
});

/** Every problem with `GpuSupport`'s arguments, thrown at once before anything is registered. */
export function checkGpuSupportArguments(args: GpuSupportArgs): void {
    checkArguments("GpuSupport arguments", gpuSupportArgsSchema, args);
}
