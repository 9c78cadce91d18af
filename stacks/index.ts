/**
 * The envstack program: this stack's config -> the tier profile -> a validated config ->
 * one Environment -> the outputs a user needs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../components";
import { readStackInput } from "./config";

const input = readStackInput();

// An explicit provider that refuses any account but this stack's: dev config can never be
// applied to the prod account by a stray credential.
const provider = new aws.Provider("aws", {
    region: input.region as aws.Region,
    allowedAccountIds: [input.accountId as string],
});

const env = new Environment(input.name as string, input, { providers: { aws: provider } });

export const clusterName = env.clusterName;
export const endpoint = env.endpoint;
export const kubeconfig = pulumi.secret(env.kubeconfig);
export const vpcId = env.network.vpcId;
export const publicSubnetIds = env.network.publicSubnetIds;
export const privateSubnetIds = env.network.privateSubnetIds;
export const kmsKeyArn = env.key.keyArn;
