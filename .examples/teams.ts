// teams.ts
import * as k8s from "@pulumi/kubernetes";
import { Team, TeamNetworkGuard } from "envstack";

const provider = new k8s.Provider("search-prod", { kubeconfig: process.env.SEARCH_PROD_KUBECONFIG ?? "" });
const cluster = { clusterName: "search-prod", region: "eu-west-1", accountId: "111122223333", kubernetesVersion: "1.35" };

new TeamNetworkGuard("search-prod", { k8sProvider: provider });
new Team("search-prod-ranking", {
    ...cluster,
    name: "ranking",
    size: "large",
    roleArn: "arn:aws:iam::111122223333:role/ranking-developers",
    egress: "open",
    serviceAccounts: [{ name: "model-reader", statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::search-models/ranking/*"] }] }],
    environmentName: "search-prod",
    storageClasses: ["gp3"],
    monitoring: true,
    protect: true,
    k8sProvider: provider,
    tags: { owner: "search-team" },
});
