import { isTrue, KubernetesStoresOf, reportUnencrypted, Store, StoresOf } from "./atRest";
import { describeObject, KubeObject } from "./kubernetes";
import { byKubernetesObject, byType, Check, GuardrailResourcePolicy, list, Props, T } from "./support";

/**
 * EBS at rest, however a disk comes to exist: a volume, a snapshot or AMI copy, an instance, a
 * Spot request or fleet, a launch configuration or template, a node group, a Karpenter
 * EC2NodeClass, a StorageClass. A root device that is not declared is made from the AMI's
 * snapshot, which is unencrypted for the public AMIs, so it counts as not encrypted.
 */

const SNAPSHOT_COPY = "aws:ebs/snapshotCopy:SnapshotCopy";
const AMI_COPY = "aws:ec2/amiCopy:AmiCopy";
const SPOT_INSTANCE_REQUEST = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";
const SPOT_FLEET_REQUEST = "aws:ec2/spotFleetRequest:SpotFleetRequest";
const LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration";
const SELF_MANAGED_NODE_GROUPS = ["eks:index:NodeGroup", "eks:index:NodeGroupV2"];

/** Provisioners that create EBS volumes: the CSI driver, EKS Auto Mode's driver, the in-tree plugin. */
export const EBS_PROVISIONERS = ["ebs.csi.aws.com", "ebs.csi.eks.amazonaws.com", "kubernetes.io/aws-ebs"];

/** The device names AMIs boot from (Amazon Linux and Bottlerocket, Ubuntu and Windows). */
const ROOT_DEVICES = new Set(["/dev/xvda", "/dev/sda1", "/dev/sda"]);
const DEFAULT_EBS_KEY = "the account's default EBS key (aws/ebs unless changed)";
const ROOT_FROM_AMI = "is made from the AMI's snapshot, unencrypted unless that snapshot is";

function disk(where: string, device: Props | undefined, keyField = "kmsKeyId", fix?: string): Store {
    return { where, encrypted: isTrue(device?.encrypted), key: device?.[keyField], keyField, serviceKey: DEFAULT_EBS_KEY, fix };
}

function undeclaredRoot(where: string, message = `not declared, so the root volume ${ROOT_FROM_AMI}`): Store {
    return { where, encrypted: false, unencrypted: message, serviceKey: DEFAULT_EBS_KEY };
}

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

/** EBS stores of AWS and EKS-component resources, by type token. */
export const EBS_STORES: Record<string, StoresOf> = {
    [T.ebsVolume]: (p) => [disk("the volume", p)],
    [SNAPSHOT_COPY]: (p) => [disk("the snapshot copy", p)],
    [AMI_COPY]: (p) => [disk("the AMI copy", p)],
    [T.instance]: instanceDisks,
    [SPOT_INSTANCE_REQUEST]: instanceDisks,
    [SPOT_FLEET_REQUEST]: spotFleetDisks,
    [LAUNCH_CONFIGURATION]: launchConfigurationDisks,
    [T.launchTemplate]: launchTemplateDisks,
    [T.managedNodeGroupComponent]: (p) => (p.launchTemplate ? [] : [undeclaredRoot("", NO_LAUNCH_TEMPLATE)]),
    [T.eksNodeGroup]: (p) => (p.launchTemplate ? [] : [undeclaredRoot("", NO_LAUNCH_TEMPLATE)]),
    ...Object.fromEntries(SELF_MANAGED_NODE_GROUPS.map((t) => [t, (p: Props) => componentRoots(p.nodeRootVolumeEncrypted, "root volumes are not encrypted: set nodeRootVolumeEncrypted: true")])),
    [T.eksClusterComponent]: (p) =>
        p.skipDefaultNodeGroup === true || p.fargate
            ? []
            : componentRoots(p.nodeRootVolumeEncrypted, "the default node group's root volumes are not encrypted: set skipDefaultNodeGroup: true or nodeRootVolumeEncrypted: true"),
};

/** Prefixes a location with the object it is in, when the resource holds several (a ConfigGroup). */
function inObject(o: KubeObject, where: string): string {
    return o.via === "ConfigGroup" || o.via === "ConfigFile" ? `${describeObject(o)}${where ? ` ${where}` : ""}` : where;
}

/** A Karpenter EC2NodeClass's volumes. Without mappings Karpenter encrypts its default root volume with the account's default key; a Custom AMI family gets no default. */
function ec2NodeClassDisks(o: KubeObject): Store[] {
    const spec = o.object?.spec ?? {};
    const mappings = list<Props>(spec.blockDeviceMappings).filter((m) => m?.ebs);
    if (mappings.length === 0) {
        if (o.via === "patch") return [];
        if (spec.amiFamily === "Custom") return [undeclaredRoot(inObject(o, "spec.blockDeviceMappings"), `not set, and a Custom AMI family has no default, so the root volume ${ROOT_FROM_AMI}`)];
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

export const ebsVolumeEncryption: GuardrailResourcePolicy = {
    name: "ebs-volume-encryption",
    description:
        "EBS volumes, snapshot and AMI copies, and the disks of instances, Spot instance requests, Spot fleets and launch configurations are encrypted, the root device included whether or not it is declared.",
    why: "An unencrypted disk, or a snapshot of one, can be copied or shared out of the account and read by whoever gets it.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set encrypted: true (and kmsKeyId to the environment key) on the volume or copy, and declare the rootBlockDevice (a fleet's rootBlockDevices) with encrypted: true next to every ebsBlockDevice; an instance launched from a template may leave its root to the template.",
    validateResource: byType(unencryptedOf([T.ebsVolume, SNAPSHOT_COPY, AMI_COPY, T.instance, SPOT_INSTANCE_REQUEST, SPOT_FLEET_REQUEST, LAUNCH_CONFIGURATION])),
};

export const nodeVolumeEncryption: GuardrailResourcePolicy = {
    name: "node-volume-encryption",
    description:
        "Kubernetes nodes and launch templates boot from encrypted volumes: every EBS mapping of a launch template is encrypted and the root device is among them; Karpenter EC2NodeClasses likewise; node groups use such a template or encrypt their root volumes.",
    why: "A template that declares only a data volume, or none, leaves each node's root volume, with its container images, logs and emptyDir data, unencrypted.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Declare the root device (/dev/xvda, or the AMI's) in the launch template with ebs.encrypted \"true\" and kmsKeyId; in an EC2NodeClass set blockDeviceMappings[].ebs.encrypted: true and kmsKeyID, the root volume included; give managed node groups such a launch template; set nodeRootVolumeEncrypted on self-managed ones.",
    validateResource: [
        byType(unencryptedOf([T.launchTemplate, T.managedNodeGroupComponent, T.eksNodeGroup, T.eksClusterComponent, ...SELF_MANAGED_NODE_GROUPS])),
        byKubernetesObject((o, _, report) => {
            if (o.kind === "EC2NodeClass") reportUnencrypted(ebsKubernetesStores(o), report);
        }),
    ],
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
