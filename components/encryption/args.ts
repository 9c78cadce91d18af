import { z } from "zod";
import { checkArguments } from "../config/arguments";
import { accountId, region, tags } from "../config/fields";
import type { EnvironmentKeyArgs } from "./environmentKey";

/** `EnvironmentKey`'s arguments. */
export const environmentKeyArgsSchema = z.strictObject({
    environmentName: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "allowed: the environment's name, e.g. acme-dev (letters, digits, '-' and '_': it names the key's alias)"),
    region,
    accountId,
    deletionWindowInDays: z.number().int().min(7, "allowed: a whole number of days from 7 to 30 (what KMS accepts)").max(30, "allowed: a whole number of days from 7 to 30 (what KMS accepts)"),
    protect: z.boolean(),
    allowAutoScaling: z.boolean().optional(),
    allowEc2ForAccount: z.boolean().optional(),
    interruptionQueueName: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, "allowed: an SQS queue name: 1 to 80 letters, digits, '-' and '_'").optional(),
    tags,
});

/** Every problem with `EnvironmentKey`'s arguments, thrown at once before anything is registered. */
export function checkEnvironmentKeyArguments(args: EnvironmentKeyArgs): void {
    checkArguments("EnvironmentKey arguments", environmentKeyArgsSchema, args);
}
