// karpenter.ts
import { Karpenter } from "envstack";
import { cluster, config, key, tags } from "./platform";

new Karpenter("legacy", {
    ...config.karpenter,
    clusterName: config.name,
    region: config.region,
    accountId: config.accountId,
    kubernetesVersion: config.cluster.kubernetesVersion,
    cluster: cluster.eks,
    systemNodeGroup: cluster.systemNodeGroup,
    clusterSecurityGroupId: cluster.clusterSecurityGroupId,
    kmsKeyArn: key.keyArn,
    k8sProvider: cluster.provider,
    versions: config.versions,
    tags,
});
