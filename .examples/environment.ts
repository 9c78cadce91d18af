// environment.ts
import { Environment } from "envstack";

const env = new Environment("search-dev", {
    name: "search-dev",
    tier: "dev",
    region: "eu-west-1",
    accountId: "111122223333",
    owner: "search-team",
    network: { cidr: "10.70.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] },
    cluster: {
        kubernetesVersion: "1.35",
        adminRoleArns: ["arn:aws:iam::111122223333:role/platform-admin"],
        endpoint: { publicAccessCidrs: ["203.0.113.0/24"] },
    },
    teams: [{ name: "indexer", size: "medium", roleArn: "arn:aws:iam::111122223333:role/indexer-developers" }],
});

export const clusterName = env.clusterName;
export const kubeconfig = env.kubeconfig;
// Teams are created in batches after the platform; `teams` resolves once all exist.
export const namespaces = env.teams.then((teams) => Object.values(teams).map((t) => t.namespace.metadata.name));
