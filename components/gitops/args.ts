import { z } from "zod";
import { checkArguments } from "../config/arguments";
import { dnsLabel, provider, resources } from "../config/fields";
import { gitopsConfigSchema, versionsSchema } from "../config/schema";
import type { ArgoCdArgs } from "./argoCd";

/** `ArgoCd`'s arguments: the stack's `gitops` (without the switch), and the cluster. */
export const argoCdArgsSchema = gitopsConfigSchema.omit({ enabled: true }).extend({
    monitoring: z.boolean(),
    teamsWithAlertRoutes: z.array(dnsLabel("a team's namespace")).optional(),
    versions: versionsSchema,
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    dependsOn: resources("resources it waits for, such as the system nodes").optional(),
});

/** Every problem with `ArgoCd`'s arguments, thrown at once before anything is registered. */
export function checkArgoCdArguments(args: ArgoCdArgs): void {
    checkArguments("ArgoCd arguments", argoCdArgsSchema, args);
}
