import { checkArguments } from "../config/arguments";
import { z } from "zod";
import { accountId, clusterName, dnsLabel, input, kmsKeyArn, provider, region, resources, tags } from "../config/fields";
import { MAX_ENVIRONMENT_NAME, platformConfigSchema, versionsSchema } from "../config/schema";
import { ROLE_ARN_PATTERN } from "../shared/aws";
import type { ExternalSecretsArgs } from "./externalSecrets";
import type { TeamSecretsArgs } from "./teamSecrets";

const environmentName = dnsLabel("the environment's name").refine((v) => v.length <= MAX_ENVIRONMENT_NAME, `allowed: at most ${MAX_ENVIRONMENT_NAME} characters`);

/** `ExternalSecrets`'s arguments: the stack's `platform.externalSecrets` (without the switch), and the environment. */
export const externalSecretsArgsSchema = platformConfigSchema.shape.externalSecrets.omit({ enabled: true }).extend({
    environmentName,
    clusterName,
    region,
    accountId,
    kmsKeyArn,
    versions: versionsSchema,
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    dependsOn: resources("resources it waits for, such as the Pod Identity agent and the system nodes").optional(),
    tags,
});

/** `TeamSecrets`'s arguments. */
export const teamSecretsArgsSchema = externalSecretsArgsSchema.pick({ environmentName: true, region: true, accountId: true, kmsKeyArn: true, k8sProvider: true, dependsOn: true, tags: true }).extend({
    team: dnsLabel("the team's name, which is its namespace"),
    operatorRoleArn: input(z.string().regex(ROLE_ARN_PATTERN, "allowed: the operator's IAM role ARN, like arn:aws:iam::111122223333:role/name")),
});

/** Every problem with `ExternalSecrets`'s arguments, thrown at once before anything is registered. */
export function checkExternalSecretsArguments(args: ExternalSecretsArgs): void {
    checkArguments("ExternalSecrets arguments", externalSecretsArgsSchema, args);
}

/** Every problem with `TeamSecrets`'s arguments, thrown at once before anything is registered. */
export function checkTeamSecretsArguments(args: TeamSecretsArgs): void {
    checkArguments("TeamSecrets arguments", teamSecretsArgsSchema, args);
}
