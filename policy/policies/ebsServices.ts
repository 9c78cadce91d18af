import { isOn, parseJson } from "./flags";
import { keyedStore, Store, StoresOf } from "./atRest";
import { DEFAULT_EBS_KEY, disk, ROOT_DEVICES, undeclaredRoot } from "./ebsDisks";
import { list, Props } from "./support";

/**
 * Services that launch instances, or build the images instances boot from, and so make EBS disks
 * of their own: EMR clusters, Batch compute environments, WorkSpaces, Image Builder recipes, and
 * ECS services with a managed EBS volume per task.
 */

export const EBS_SERVICE_TYPES = {
    emrCluster: "aws:emr/cluster:Cluster",
    emrSecurityConfiguration: "aws:emr/securityConfiguration:SecurityConfiguration",
    batchComputeEnvironment: "aws:batch/computeEnvironment:ComputeEnvironment",
    workspace: "aws:workspaces/workspace:Workspace",
    imageRecipe: "aws:imagebuilder/imageRecipe:ImageRecipe",
    distribution: "aws:imagebuilder/distributionConfiguration:DistributionConfiguration",
    ecsService: "aws:ecs/service:Service",
    nativeEcsService: "aws-native:ecs:Service",
} as const;
const S = EBS_SERVICE_TYPES;

const EMR_DISKS = "the nodes' disks";

/** An EMR security configuration's local-disk encryption, which covers the nodes' EBS volumes only with EnableEbsEncryption. */
function emrSecurityConfiguration(p: Props): Store[] {
    const encryption = parseJson(p.configuration)?.EncryptionConfiguration;
    const local = encryption?.AtRestEncryptionConfiguration?.LocalDiskEncryptionConfiguration;
    const unencrypted = !isOn(encryption?.EnableAtRestEncryption)
        ? "not encrypted: EnableAtRestEncryption is not true"
        : !local
          ? "not encrypted: AtRestEncryptionConfiguration has no LocalDiskEncryptionConfiguration"
          : !isOn(local.EnableEbsEncryption)
            ? "EBS volumes are not encrypted: LocalDiskEncryptionConfiguration.EnableEbsEncryption is not true"
            : undefined;
    if (unencrypted) return [{ where: EMR_DISKS, encrypted: false, unencrypted, serviceKey: DEFAULT_EBS_KEY }];
    // A custom key provider is the customer's own; only AwsKms names a KMS key.
    if (local.EncryptionKeyProviderType !== "AwsKms") return [];
    return [keyedStore(EMR_DISKS, local.AwsKmsKey, "LocalDiskEncryptionConfiguration.AwsKmsKey", DEFAULT_EBS_KEY)];
}

/** A Batch compute environment's instances: without a launch template they boot from the ECS-optimized AMI's unencrypted snapshot. */
function batchDisks(p: Props): Store[] {
    const resources = p.computeResources;
    const kind = String(resources?.type ?? "").toUpperCase();
    if (String(p.type ?? "MANAGED").toUpperCase() !== "MANAGED" || !(kind === "EC2" || kind === "SPOT") || resources?.launchTemplate) return [];
    return [undeclaredRoot("computeResources", "no launchTemplate, so the instances' root volumes are made from the ECS-optimized AMI's snapshot, unencrypted unless the account encrypts EBS by default")];
}

/** An image recipe's mappings: the images it builds, and every instance booted from them, carry these snapshots. */
function imageRecipeDisks(p: Props): Store[] {
    const mappings = list<Props>(p.blockDeviceMappings);
    const stores = mappings.filter((m) => m?.ebs).map((m, i) => disk(`blockDeviceMappings[${i}] (${m.deviceName})`, m.ebs));
    if (!mappings.some((m) => m?.ebs && ROOT_DEVICES.has(m.deviceName))) {
        stores.push(undeclaredRoot("blockDeviceMappings", "no root device (/dev/xvda or /dev/sda1) is declared encrypted, so the images' root snapshot is the parent image's, unencrypted unless that one is"));
    }
    return stores;
}

/** The AMIs a distribution copies to other regions or accounts: as encrypted as the recipe's, under the key named here, else the destination's default EBS key. */
function distributionKeys(p: Props): Store[] {
    return list<Props>(p.distributions)
        .map((d, i): [Props, number] => [d, i])
        .filter(([d]) => d?.amiDistributionConfiguration)
        .map(([d, i]) => ({ ...disk(`distributions[${i}] (${d.region})`, { encrypted: true, kmsKeyId: d.amiDistributionConfiguration.kmsKeyId }), keyField: "amiDistributionConfiguration.kmsKeyId" }));
}

function workspaceVolume(where: string, encrypted: unknown, p: Props, field: string): Store {
    return { where, encrypted: isOn(encrypted), unencrypted: `not encrypted: set ${field}: true`, key: p.volumeEncryptionKey, keyField: "volumeEncryptionKey", serviceKey: "the AWS-managed key aws/workspaces" };
}

/** The volume ECS makes for each task: unencrypted unless encrypted is true (or the account encrypts by default), like CreateVolume. */
const ecsVolumes = (configs: unknown, at: (i: number) => string): Store[] =>
    list<Props>(configs as Props[])
        .map((c, i): [Props, number] => [c, i])
        .filter(([c]) => c?.managedEbsVolume)
        .map(([c, i]) => disk(`${at(i)}.managedEbsVolume`, c.managedEbsVolume));

export const EBS_SERVICE_STORES: Record<string, StoresOf> = {
    [S.emrCluster]: (p) => (p.securityConfiguration ? [] : [{ where: "", encrypted: false, unencrypted: "no securityConfiguration, so the nodes' EBS volumes (root and HDFS) are not encrypted", serviceKey: DEFAULT_EBS_KEY }]),
    [S.emrSecurityConfiguration]: emrSecurityConfiguration,
    [S.batchComputeEnvironment]: batchDisks,
    [S.workspace]: (p) => [
        workspaceVolume("the root volume", p.rootVolumeEncryptionEnabled, p, "rootVolumeEncryptionEnabled"),
        workspaceVolume("the user volume", p.userVolumeEncryptionEnabled, p, "userVolumeEncryptionEnabled"),
    ],
    [S.imageRecipe]: imageRecipeDisks,
    [S.distribution]: distributionKeys,
    [S.ecsService]: (p) => ecsVolumes(p.volumeConfiguration, () => "volumeConfiguration"),
    [S.nativeEcsService]: (p) => ecsVolumes(p.volumeConfigurations, (i) => `volumeConfigurations[${i}]`),
};
