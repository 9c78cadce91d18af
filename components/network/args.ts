import { z } from "zod";
import { checkArguments } from "../config/arguments";
import { checkNetworkArgs } from "../config/checks";
import { accountId, clusterName, kmsKeyArn, region, tags } from "../config/fields";
import { networkConfigSchema } from "../config/schema";
import type { NetworkArgs } from "./network";


/** `Network`'s arguments: the stack's `network` section, and where the network is built. */
export const networkArgsSchema = networkConfigSchema.extend({
    clusterName,
    region,
    accountId,
    kmsKeyArn,
    tags,
    retainLogsOnDelete: z.boolean().optional(),
});

/** Every problem with `Network`'s arguments, thrown at once before anything is registered. */
export function checkNetworkArguments(args: NetworkArgs): void {
    checkArguments("Network arguments", networkArgsSchema, args, { section: "network", check: (problems) => checkNetworkArgs(args ?? {}, args?.region, problems) });
}
