import { isOn } from "./flags";
import { HybridGuardrail, KubernetesStoresOf, reportUnencrypted, Store, StoresOf, untilKnown } from "./atRest";
import { amiDevices, DEFAULT_EBS_KEY, disk, missingAmiDevices, ROOT_DEVICES, ROOT_FROM_AMI, undeclaredRoot } from "./ebsDisks";
import { EBS_SERVICE_STORES } from "./ebsServices";
import { ebsProvenance, nodeTemplates } from "./ebsStack";
import { hasDefaultNodeGroup } from "./instanceChoices";
import { describeObject, KubeObject } from "./kubernetes";
import { byKubernetesObject, byType, Check, GuardrailResourcePolicy, list, Props, T } from "./support";

/**
 * EBS at rest, however a disk comes to exist: a volume, a snapshot or AMI copy or import, an
 * instance, a Spot request or fleet, a launch configuration or template, a node group, a Karpenter
 * EC2NodeClass, a StorageClass, and the services that launch instances (EMR, Batch, WorkSpaces,
 * Image Builder). A device the AMI boots with that is not declared is made from the AMI's
 * snapshot, which is unencrypted for the public AMIs, so it counts as not encrypted.
 */

const SNAPSHOT_COPY = "aws:ebs/snapshotCopy:SnapshotCopy";
const SNAPSHOT_IMPORT = "aws:ebs/snapshotImport:SnapshotImport";
const AMI_COPY = "aws:ec2/amiCopy:AmiCopy";
const SPOT_INSTANCE_REQUEST = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";
const SPOT_FLEET_REQUEST = "aws:ec2/spotFleetRequest:SpotFleetRequest";
const LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration";
const SELF_MANAGED_NODE_GROUPS = ["eks:index:NodeGroup", "eks:index:NodeGroupV2"];

/** Provisioners that create EBS volumes: the CSI driver, EKS Auto Mode's driver, the in-tree plugin. */
export const EBS_PROVISIONERS = ["ebs.csi.aws.com", "ebs.csi.eks.amazonaws.com", "kubernetes.io/aws-ebs"];

/** An instance's or Spot request's disks. With a launch template and no root device, the template's root applies (checked where it is declared). */
function instanceDisks(props: Props): Store[] {
    const root = props.rootBlockDevice ? [disk("rootBlockDevice", props.rootBlockDevice)] : props.launchTemplate ? [] : [undeclaredRoot("rootBlockDevice")];
    return [...root, ...list<Props>(props.ebsBlockDevices).map((d, i) => disk(`ebsBlockDevices[${i}]`, d))];
}

const NO_KEY_IN_LAUNCH_CONFIGURATION = "a launch configuration cannot name a key: use a launch template with ebs.kmsKeyId";

/** Launch configurations take no KMS key at all: encrypted disks get the account's default EBS key. */
function launchConfigurationDisks(props: Props): Store[] {
    const root = props.rootBlockDevice ? disk("rootBlockDevice", props.rootBlockDevice, "kmsKeyId", NO_KEY_IN_LAUNCH_CONFIGURATION) : undeclaredRoot("rootBlockDevice");
    const data = list<Props>(props.ebsBlockDevices)
        .filter((d) => d.noDevice !== true)
        .map((d, i) => disk(`ebsBlockDevices[${i}]`, d, "kmsKeyId", NO_KEY_IN_LAUNCH_CONFIGURATION));
    return [root, ...data];
}

/** A Spot fleet's launch specifications (its launch template configs point at templates checked where declared). */
function spotFleetDisks(props: Props): Store[] {
    return list<Props>(props.launchSpecifications).flatMap((spec, i) => {
        const at = `launchSpecifications[${i}]`;
        const roots = list<Props>(spec.rootBlockDevices);
        return [
            ...(roots.length > 0 ? roots.map((d, j) => disk(`${at}.rootBlockDevices[${j}]`, d)) : [undeclaredRoot(`${at}.rootBlockDevices`)]),
            ...list<Props>(spec.ebsBlockDevices).map((d, j) => disk(`${at}.ebsBlockDevices[${j}]`, d)),
        ];
    });
}

/** A launch template's EBS mappings; without the root device among them, the root comes from the AMI. */
function launchTemplateDisks(props: Props): Store[] {
    const mappings = list<Props>(props.blockDeviceMappings).filter((m) => m?.ebs);
    if (mappings.length === 0) return [undeclaredRoot("", `no EBS block device is declared, so the root volume ${ROOT_FROM_AMI}`)];
    const stores = mappings.map((m, i) => disk(`blockDeviceMappings[${i}] (${m.deviceName})`, m.ebs));
    if (!mappings.some((m) => ROOT_DEVICES.has(m.deviceName))) {
        const declared = mappings.map((m) => m.deviceName).join(", ");
        stores.push(undeclaredRoot("", `only ${declared} is declared, not the root device (/dev/xvda or /dev/sda1), so the root volume ${ROOT_FROM_AMI}`));
    }
    return stores;
}

const NO_LAUNCH_TEMPLATE = "no launchTemplate: EKS's default template leaves root-volume encryption to the account default";
const NO_KEY_IN_COMPONENT = "the component cannot name a key: give the nodes a launch template whose root device sets kmsKeyId";

/** Root volumes of @pulumi/eks node groups: encrypted or not, never under a key they can name. */
function componentRoots(encrypted: unknown, unencrypted: string): Store[] {
    return [{ ...disk("", { encrypted }, "kmsKeyId", NO_KEY_IN_COMPONENT), unencrypted }];
}

/**
 * A volume made from a snapshot and not told to encrypt is as encrypted as the snapshot, which the
 * stack half judges; a key it names is still the key of the copy.
 */
function volumeDisks(p: Props): Store[] {
    if (!p.snapshotId || isOn(p.encrypted)) return [disk("the volume", p)];
    return p.kmsKeyId ? [{ ...disk("the volume", p), encrypted: true }] : [];
}

/** EBS stores of AWS and EKS-component resources, by type token. */
export const EBS_STORES: Record<string, StoresOf> = {
    [T.ebsVolume]: volumeDisks,
    [SNAPSHOT_COPY]: (p) => [disk("the snapshot copy", p)],
    [SNAPSHOT_IMPORT]: (p) => [disk("the imported snapshot", p)],
    [AMI_COPY]: (p) => [disk("the AMI copy", p)],
    [T.instance]: instanceDisks,
    [SPOT_INSTANCE_REQUEST]: instanceDisks,
    [SPOT_FLEET_REQUEST]: spotFleetDisks,
    [LAUNCH_CONFIGURATION]: launchConfigurationDisks,
    [T.launchTemplate]: launchTemplateDisks,
    [T.managedNodeGroupComponent]: (p) => (p.launchTemplate ? [] : [undeclaredRoot("", NO_LAUNCH_TEMPLATE)]),
    [T.eksNodeGroup]: (p) => (p.launchTemplate ? [] : [undeclaredRoot("", NO_LAUNCH_TEMPLATE)]),
    ...Object.fromEntries(SELF_MANAGED_NODE_GROUPS.map((t) => [t, (p: Props) => componentRoots(p.nodeRootVolumeEncrypted, "root volumes are not encrypted: set nodeRootVolumeEncrypted: true")])),
    // The default node group takes its options at the top level or in nodeGroupOptions, never both.
    [T.eksClusterComponent]: (p) =>
        hasDefaultNodeGroup(p)
            ? componentRoots(
                  p.nodeGroupOptions?.nodeRootVolumeEncrypted ?? p.nodeRootVolumeEncrypted,
                  "the default node group's root volumes are not encrypted: set skipDefaultNodeGroup: true or nodeRootVolumeEncrypted: true",
              )
            : [],
    ...EBS_SERVICE_STORES,
};

/** Prefixes a location with the object it is in, when the resource holds several (a ConfigGroup). */
function inObject(o: KubeObject, where: string): string {
    return o.via === "ConfigGroup" || o.via === "ConfigFile" ? `${describeObject(o)}${where ? ` ${where}` : ""}` : where;
}

/** A NodeClass's AMI family: amiFamily, else the alias's (`bottlerocket@latest`); undefined for a custom AMI or when a patch does not say. */
function nodeClassFamily(spec: Props, patch: boolean): string | undefined {
    if (typeof spec.amiFamily === "string") return spec.amiFamily;
    const alias = list<Props>(spec.amiSelectorTerms).find((t) => typeof t?.alias === "string")?.alias;
    if (alias) return alias.split("@")[0];
    // v1 requires one of the two; before v1 the family defaulted to AL2.
    return patch ? undefined : "AL2";
}

/**
 * A Karpenter EC2NodeClass's volumes. Without mappings Karpenter encrypts the family's default
 * volumes with the account's default key; a Custom family gets none. With mappings, every volume
 * the family boots with must be among them. A patch that changes the AMI is judged as a whole,
 * since the volumes the new AMI boots with cannot be seen anywhere else.
 */
function ec2NodeClassDisks(o: KubeObject): Store[] {
    const spec = o.object?.spec ?? {};
    const patch = o.via === "patch";
    const mappings = list<Props>(spec.blockDeviceMappings).filter((m) => m?.ebs);
    const family = nodeClassFamily(spec, patch);
    if (mappings.length === 0) {
        if (patch && spec.amiFamily === undefined && spec.amiSelectorTerms === undefined) return [];
        if (family === undefined || /^custom$/i.test(family)) {
            const why = family ? "a Custom AMI family has no default" : "the patch changes the AMI without saying its family";
            return [undeclaredRoot(inObject(o, "spec.blockDeviceMappings"), `not set, and ${why}, so the root volume ${ROOT_FROM_AMI}`)];
        }
        return [
            {
                where: inObject(o, "spec.blockDeviceMappings (not set: Karpenter's default root volume)"),
                encrypted: true,
                serviceKey: DEFAULT_EBS_KEY,
                fix: "declare the root volume in spec.blockDeviceMappings with ebs.kmsKeyID",
            },
        ];
    }
    const stores = mappings.map((m, i) => disk(inObject(o, `spec.blockDeviceMappings[${i}] (${m.deviceName})`), m.ebs, "kmsKeyID"));
    const devices = amiDevices(family);
    if (family && devices) return [...stores, ...missingAmiDevices(inObject(o, "spec.blockDeviceMappings"), family, devices, new Set(list<Props>(spec.blockDeviceMappings).map((m) => m?.deviceName)))];
    if (!mappings.some((m) => m.rootVolume === true || ROOT_DEVICES.has(m.deviceName))) {
        stores.push(undeclaredRoot(inObject(o, "spec.blockDeviceMappings"), `no root volume is declared (rootVolume: true, or /dev/xvda), so the root volume ${ROOT_FROM_AMI}`));
    }
    return stores;
}

/** An EBS StorageClass's volumes. The driver encrypts only for the string "true"; StorageClass parameters cannot change, so a patch without them is nothing to judge. */
function storageClassDisks(o: KubeObject): Store[] {
    const parameters = o.object?.parameters;
    if (!EBS_PROVISIONERS.includes(o.object?.provisioner) || (o.via === "patch" && !parameters)) return [];
    const p = parameters ?? {};
    return [{ where: inObject(o, "parameters"), encrypted: p.encrypted === "true", key: p.kmsKeyId, keyField: "parameters.kmsKeyId", serviceKey: DEFAULT_EBS_KEY }];
}

/** EBS stores of Kubernetes objects: EC2NodeClasses, EKS Auto Mode NodeClasses and StorageClasses. */
export const ebsKubernetesStores: KubernetesStoresOf = (o) => {
    if (o.kind === "EC2NodeClass" && o.apiVersion.startsWith("karpenter.k8s.aws/")) return ec2NodeClassDisks(o);
    if (o.kind === "StorageClass" && o.apiVersion.startsWith("storage.k8s.io/")) return storageClassDisks(o);
    if (o.kind === "NodeClass" && o.apiVersion.startsWith("eks.amazonaws.com/")) {
        const storage = o.object?.spec?.ephemeralStorage;
        if (o.via === "patch" && !storage) return [];
        return [{ where: inObject(o, "spec.ephemeralStorage"), encrypted: true, key: storage?.kmsKeyID, keyField: "spec.ephemeralStorage.kmsKeyID", serviceKey: "the AWS-managed key aws/ebs" }];
    }
    return [];
};

function unencryptedOf(types: string[]): Record<string, Check> {
    return Object.fromEntries(types.map((t): [string, Check] => [t, (props, _, report) => reportUnencrypted(EBS_STORES[t](props), report)]));
}

const EBS_VOLUME_TYPES = [T.ebsVolume, SNAPSHOT_COPY, SNAPSHOT_IMPORT, AMI_COPY, T.instance, SPOT_INSTANCE_REQUEST, SPOT_FLEET_REQUEST, LAUNCH_CONFIGURATION, ...Object.keys(EBS_SERVICE_STORES)];

export const ebsVolumeEncryption: HybridGuardrail = {
    name: "ebs-volume-encryption",
    description:
        "EBS volumes, snapshot and AMI copies and imports, and the disks of instances, Spot instance requests, Spot fleets, launch configurations, EMR clusters (their security configuration), Batch compute environments, WorkSpaces, Image Builder recipes and ECS services' managed EBS volumes are encrypted, the root device included whether or not it is declared; a volume made from a snapshot is as encrypted as the snapshot; a launch template, launch configuration or EMR security configuration a resource names is declared in the program, where it is judged.",
    why: "An unencrypted disk, or a snapshot of one, can be copied or shared out of the account and read by whoever gets it.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set encrypted: true (and kmsKeyId to the environment key) on the volume, copy or import, and declare the rootBlockDevice (a fleet's rootBlockDevices) with encrypted: true next to every ebsBlockDevice; give EMR clusters a security configuration with local-disk and EBS encryption, Batch environments and launchers a launch template declared in the program; turn on WorkSpaces' root and user volume encryption; declare an image recipe's root device encrypted.",
    validateResource: untilKnown(byType(unencryptedOf(EBS_VOLUME_TYPES))),
    validateStack: ebsProvenance,
};

export const nodeVolumeEncryption: HybridGuardrail = {
    name: "node-volume-encryption",
    description:
        "Kubernetes nodes and launch templates boot from encrypted volumes: every EBS mapping of a launch template is encrypted and the root device is among them; a node group's template (declared in the program) declares every volume of its AMI type (Bottlerocket's /dev/xvda and /dev/xvdb, Windows's /dev/sda1, Amazon Linux's /dev/xvda); Karpenter EC2NodeClasses likewise for their AMI family, a patch that changes the AMI included; node groups use such a template or encrypt their root volumes.",
    why: "A template that declares only a data volume, or none, or the wrong AMI's devices, leaves each node's root or data volume, with its container images, logs and emptyDir data, unencrypted.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Declare every device of the AMI (/dev/xvda; Bottlerocket also /dev/xvdb; Windows /dev/sda1) in the launch template with ebs.encrypted \"true\" and kmsKeyId, and declare the template in the program; in an EC2NodeClass set blockDeviceMappings[].ebs.encrypted: true and kmsKeyID for every volume of the family; give managed node groups such a launch template; set nodeRootVolumeEncrypted on self-managed ones.",
    validateResource: untilKnown([
        byType(unencryptedOf([T.launchTemplate, T.managedNodeGroupComponent, T.eksNodeGroup, T.eksClusterComponent, ...SELF_MANAGED_NODE_GROUPS])),
        byKubernetesObject((o, _, report) => {
            if (o.kind === "EC2NodeClass") reportUnencrypted(ebsKubernetesStores(o), report);
        }),
    ]),
    validateStack: nodeTemplates,
};

export const ebsStorageClassEncryption: GuardrailResourcePolicy = {
    name: "ebs-storageclass-encryption",
    description: "StorageClasses that provision EBS volumes (the CSI driver, EKS Auto Mode's, or the in-tree plugin) create encrypted volumes, however the class is declared.",
    why: "Every claim on an unencrypted class gets an unencrypted volume, without its author ever seeing a volume setting.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set parameters.encrypted to the string \"true\" and parameters.kmsKeyId to the environment key's ARN.",
    validateResource: byKubernetesObject((o, _, report) => {
        if (o.kind !== "StorageClass") return;
        const stores = storageClassDisks(o);
        reportUnencrypted(stores, report);
        const encrypted = o.object?.parameters?.encrypted;
        if (stores.length > 0 && encrypted !== undefined && typeof encrypted !== "string") {
            report(`${inObject(o, "parameters.encrypted")} is ${JSON.stringify(encrypted)}; StorageClass parameters are strings: use "true"`);
        }
    }),
};

export const ebsPolicies = [ebsVolumeEncryption, nodeVolumeEncryption, ebsStorageClassEncryption];
