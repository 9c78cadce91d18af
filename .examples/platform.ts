// platform.ts
import { Cluster, EnvironmentKey, Network, resolveEnvironmentConfig, shared, Storage } from "envstack";

export const config = resolveEnvironmentConfig({
    name: "legacy-prod",
    tier: "prod",
    region: "eu-west-1",
    accountId: "111122223333",
    owner: "platform-team",
    network: {
        cidr: "10.20.0.0/16",
        availabilityZones: ["eu-west-1a", "eu-west-1b"],
        existingVpc: {
            vpcId: "vpc-0a1b2c3d4e5f60718",
            privateSubnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-1a1b2c3d4e5f60718"],
            publicSubnetIds: ["subnet-2a1b2c3d4e5f60718", "subnet-3a1b2c3d4e5f60718"],
            routeTableIds: ["rtb-0a1b2c3d4e5f60718"],
        },
    },
    cluster: { kubernetesVersion: "1.35", adminRoleArns: ["arn:aws:iam::111122223333:role/platform-admin"] },
});
export const tags = shared.environmentTags(config.name, config.owner);
const where = { clusterName: config.name, region: config.region, tags };

export const key = new EnvironmentKey("legacy", {
    environmentName: config.name,
    region: config.region,
    accountId: config.accountId,
    deletionWindowInDays: config.kms.deletionWindowInDays,
    protect: config.protect,
    tags,
});
export const network = new Network("legacy", { ...config.network, ...where, accountId: config.accountId, kmsKeyArn: key.keyArn });
export const cluster = new Cluster("legacy", {
    ...config.cluster,
    ...where,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    publicSubnetIds: network.publicSubnetIds,
    kmsKeyArn: key.keyArn,
    versions: config.versions,
});
export const storage = new Storage("legacy", {
    ...config.storage,
    ...where,
    kubernetesVersion: config.cluster.kubernetesVersion,
    versions: config.versions,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    availabilityZones: config.network.availabilityZones,
    nfsClients: { cluster: cluster.clusterSecurityGroupId },
    kmsKeyArn: key.keyArn,
    protect: config.protect,
    k8sProvider: cluster.provider,
    dependsOn: [cluster.systemNodeGroup],
});
