// another-account.ts
import * as aws from "@pulumi/aws";
import { Environment } from "envstack";

const tools = new aws.Provider("tools", {
    region: "us-east-1",
    allowedAccountIds: ["444455556666"],
    assumeRoles: [{ roleArn: "arn:aws:iam::444455556666:role/pulumi-deployer" }],
});

new Environment(
    "tools-staging",
    {
        name: "tools-staging",
        tier: "staging",
        region: "us-east-1",
        accountId: "444455556666",
        owner: "platform-team",
        network: { cidr: "10.60.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"] },
        cluster: {
            kubernetesVersion: "1.34",
            adminRoleArns: ["arn:aws:iam::444455556666:role/platform-admin"],
            endpoint: { publicAccessCidrs: ["198.51.100.10/32"] },
        },
        // Cilium replaces the VPC CNI and kube-proxy here.
        addons: { "vpc-cni": false, "kube-proxy": false },
        versions: { kubernetes: { "1.34": { addons: { coredns: "v1.13.2-eksbuild.4" } } } },
    },
    { providers: { aws: tools } },
);
