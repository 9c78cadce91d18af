// observability.ts
import { Observability } from "envstack";
import { cluster, config, key, storage, tags } from "./platform";

new Observability("legacy", {
    ...config.observability,
    prometheus: { ...config.observability.prometheus, retention: "45d", storageGiB: 300, retentionSizeGB: 250 },
    alerts: { email: "oncall@example.com" },
    clusterName: config.name,
    region: config.region,
    kubernetesVersion: config.cluster.kubernetesVersion,
    versions: config.versions,
    logRetentionInDays: config.cluster.logRetentionInDays,
    kmsKeyArn: key.keyArn,
    storageClassName: "gp3",
    scrapeKarpenter: true,
    k8sProvider: cluster.provider,
    dependsOn: [cluster.systemNodeGroup, storage.classes.gp3],
    tags,
});
