import { z } from "zod";
import { checkArguments } from "../config/arguments";
import { checkClusterArgs } from "../config/checks";
import { accountId, clusterName, kmsKeyArn, region, subnetIds, tags, vpcId } from "../config/fields";
import { addonSwitchesSchema, clusterConfigSchema, versionsSchema } from "../config/schema";
import { ROLE_ARN_PATTERN } from "../shared/aws";
import type { ClusterArgs } from "./cluster";

/** `Cluster`'s arguments: the stack's `cluster` section, and where the cluster is built. */
export const clusterArgsSchema = clusterConfigSchema.extend({
    clusterName,
    accountId,
    region,
    vpcId,
    // EKS places the control plane's interfaces in at least two subnets, in two AZs.
    privateSubnetIds: subnetIds(2, "EKS needs subnets in two AZs"),
    publicSubnetIds: subnetIds(0, ""),
    kmsKeyArn,
    versions: versionsSchema,
    addons: addonSwitchesSchema.partial().optional(),
    tags,
    kubeconfigCredentials: z
        .strictObject({
            profileName: z.string().min(1).optional(),
            roleArn: z.string().regex(ROLE_ARN_PATTERN, "allowed: an IAM role ARN like arn:aws:iam::111122223333:role/deployer").optional(),
        })
        .optional(),
    retainLogsOnDelete: z.boolean().optional(),
});

/** Every problem with `Cluster`'s arguments, thrown at once before anything is registered. */
export function checkClusterArguments(args: ClusterArgs): void {
    checkArguments("Cluster arguments", clusterArgsSchema, args, {
        section: "cluster",
        check: (problems) => checkClusterArgs(args ?? {}, args?.versions ?? {}, "", args?.region, problems),
    });
}
