/**
 * The envstack program: this stack's config -> the tier profile -> a validated config ->
 * one Environment -> the outputs a user needs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../components";
import { kubeconfigCredentials } from "./awsProvider";
import { readStack } from "./config";

const { input, aws: awsSettings } = readStack();

// An explicit provider that refuses any account but this stack's: dev config can never be
// applied to the prod account by a stray credential. The stack file's other aws: keys (profile,
// assume role, shared files) pass through, since an explicit provider reads no config itself.
const provider = new aws.Provider("aws", {
    ...awsSettings,
    region: input.region as aws.Region,
    allowedAccountIds: [input.accountId as string],
});

// The kubeconfig authenticates as the provider does: the identity that created the cluster is its admin.
const env = new Environment(input.name as string, { ...input, kubeconfigCredentials: kubeconfigCredentials(awsSettings) }, { providers: { aws: provider } });

export const clusterName = env.clusterName;
export const endpoint = env.endpoint;
export const kubeconfig = pulumi.secret(env.kubeconfig);
export const vpcId = env.network.vpcId;
export const publicSubnetIds = env.network.publicSubnetIds;
export const privateSubnetIds = env.network.privateSubnetIds;
export const kmsKeyArn = env.key.keyArn;
