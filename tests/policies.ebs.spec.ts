import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import { evaluate, expectViolations } from "./guardrails";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
const AMI = "ami-0123456789abcdef0";
const ROOT_FROM_AMI = "is made from the AMI's snapshot, unencrypted unless that snapshot is";
const UNDECLARED_ROOT = `rootBlockDevice: not declared, so the root volume ${ROOT_FROM_AMI}`;

function nodeClass(name: string, spec: object) {
    return new k8s.apiextensions.CustomResource(name, { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name }, spec });
}

describe("EBS encryption guardrails", () => {
    describe("ebs-volume-encryption", () => {
        it("passes encrypted volumes, copies and instance disks; flags unencrypted ones", async () => {
            const report = await evaluate(() => {
                new aws.ebs.Volume("good", { availabilityZone: "eu-west-1a", size: 10, encrypted: true, kmsKeyId: KEY });
                new aws.ebs.Volume("plain", { availabilityZone: "eu-west-1a", size: 10 });
                new aws.ebs.SnapshotCopy("good-copy", { sourceRegion: "eu-west-1", sourceSnapshotId: "snap-0123", encrypted: true, kmsKeyId: KEY });
                new aws.ebs.SnapshotCopy("plain-copy", { sourceRegion: "eu-west-1", sourceSnapshotId: "snap-0123" });
                new aws.ec2.AmiCopy("plain-ami", { sourceAmiId: AMI, sourceAmiRegion: "eu-west-1" });
                new aws.ec2.Instance("vm", { ami: AMI, instanceType: "m7i.large", rootBlockDevice: { encrypted: true, kmsKeyId: KEY }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }] });
                new aws.ec2.Instance("good-vm", { ami: AMI, instanceType: "m7i.large", rootBlockDevice: { encrypted: true, kmsKeyId: KEY } });
            }, { only: "ebs-volume-encryption" });
            expectViolations(report, "ebs-volume-encryption", [
                "plain: the volume: not encrypted",
                "plain-copy: the snapshot copy: not encrypted",
                "plain-ami: the AMI copy: not encrypted",
                "vm: ebsBlockDevices[0]: not encrypted",
            ]);
        });

        it("evasion: an instance that declares only a data volume leaves the AMI's unencrypted root", async () => {
            const report = await evaluate(() => {
                new aws.ec2.Instance("data-only", { ami: AMI, instanceType: "m7i.large", ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true, kmsKeyId: KEY }] });
                // Launched from a template, the root is the template's: node-volume-encryption judges it there.
                const nodes = new aws.ec2.LaunchTemplate("nodes", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY } }] });
                new aws.ec2.Instance("from-template", { instanceType: "m7i.large", launchTemplate: { id: nodes.id } });
            }, { only: "ebs-volume-encryption" });
            expectViolations(report, "ebs-volume-encryption", [`data-only: ${UNDECLARED_ROOT}`]);
        });

        it("evasion: a Spot instance request or a Spot fleet instead of an instance, with an unencrypted or undeclared root", async () => {
            const report = await evaluate(() => {
                new aws.ec2.SpotInstanceRequest("spot", { ami: AMI, instanceType: "m7i.large", rootBlockDevice: { encrypted: false, volumeSize: 50 } });
                new aws.ec2.SpotInstanceRequest("spot-bare", { ami: AMI, instanceType: "m7i.large" });
                new aws.ec2.SpotInstanceRequest("spot-good", { ami: AMI, instanceType: "m7i.large", rootBlockDevice: { encrypted: true, kmsKeyId: KEY } });
                new aws.ec2.SpotFleetRequest("fleet", {
                    iamFleetRole: "arn:aws:iam::111122223333:role/fleet",
                    targetCapacity: 2,
                    launchSpecifications: [
                        { ami: AMI, instanceType: "m7i.large", rootBlockDevices: [{ encrypted: true, kmsKeyId: KEY }] },
                        { ami: AMI, instanceType: "m6i.large", ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true, kmsKeyId: KEY }] },
                    ],
                });
            }, { only: "ebs-volume-encryption" });
            expectViolations(report, "ebs-volume-encryption", [
                "spot: rootBlockDevice: not encrypted",
                `spot-bare: ${UNDECLARED_ROOT}`,
                `fleet: launchSpecifications[1].rootBlockDevices: not declared, so the root volume ${ROOT_FROM_AMI}`,
            ]);
        });

        it("evasion: an Auto Scaling launch configuration with an unencrypted data disk or no root device", async () => {
            const report = await evaluate(() => {
                new aws.ec2.LaunchConfiguration("lc", { imageId: AMI, instanceType: "m7i.large", rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }] });
                new aws.ec2.LaunchConfiguration("lc-bare", { imageId: AMI, instanceType: "m7i.large" });
            }, { only: "ebs-volume-encryption" });
            expectViolations(report, "ebs-volume-encryption", ["lc: ebsBlockDevices[0]: not encrypted", `lc-bare: ${UNDECLARED_ROOT}`]);
        });

        it("evasion: a key named on a disk that is not encrypted, or encrypted as the string \"false\"", async () => {
            const report = await evaluate(() => {
                new aws.ebs.Volume("key-only", { availabilityZone: "eu-west-1a", size: 10, encrypted: false, kmsKeyId: KEY });
                new aws.ec2.Instance("string-false", { ami: AMI, instanceType: "m7i.large", rootBlockDevice: { encrypted: "false" as unknown as boolean, kmsKeyId: KEY } });
            }, { only: "ebs-volume-encryption" });
            expectViolations(report, "ebs-volume-encryption", ["key-only: the volume: not encrypted", "string-false: rootBlockDevice: not encrypted"]);
        });

        it("evasion: an imported snapshot, an EMR cluster, a Batch environment, a WorkSpace and an image recipe, each making unencrypted disks", async () => {
            const report = await evaluate(() => {
                new aws.ebs.SnapshotImport("imported", { diskContainer: { format: "VHD", userBucket: { s3Bucket: "disk-images", s3Key: "db.vhd" } }, roleName: "vmimport" });
                new aws.ebs.SnapshotImport("imported-encrypted", { diskContainer: { format: "VHD", userBucket: { s3Bucket: "disk-images", s3Key: "db.vhd" } }, encrypted: true, kmsKeyId: KEY });
                const emr = { releaseLabel: "emr-7.1.0", serviceRole: "EMR_DefaultRole", ec2Attributes: { instanceProfile: "EMR_EC2_DefaultRole" }, masterInstanceGroup: { instanceType: "m5.xlarge" } };
                new aws.emr.Cluster("spark", emr);
                const local = { EncryptionKeyProviderType: "AwsKms", AwsKmsKey: KEY };
                const atRest = (disk: object) => JSON.stringify({ EncryptionConfiguration: { EnableInTransitEncryption: false, EnableAtRestEncryption: true, AtRestEncryptionConfiguration: { LocalDiskEncryptionConfiguration: disk } } });
                const noEbs = new aws.emr.SecurityConfiguration("no-ebs", { configuration: atRest(local) });
                new aws.emr.Cluster("spark-no-ebs", { ...emr, securityConfiguration: noEbs.name });
                const good = new aws.emr.SecurityConfiguration("ebs", { configuration: atRest({ ...local, EnableEbsEncryption: true }) });
                new aws.emr.Cluster("spark-ebs", { ...emr, securityConfiguration: good.name });
                new aws.emr.Cluster("spark-elsewhere", { ...emr, securityConfiguration: "made-by-hand" });
                const compute = { type: "EC2", maxVcpus: 16, instanceTypes: ["m5.large"], instanceRole: "arn:aws:iam::111122223333:instance-profile/ecs", subnets: ["subnet-1"], securityGroupIds: ["sg-1"] };
                new aws.batch.ComputeEnvironment("jobs", { type: "MANAGED", computeResources: compute });
                new aws.batch.ComputeEnvironment("fargate-jobs", { type: "MANAGED", computeResources: { type: "FARGATE", maxVcpus: 16, subnets: ["subnet-1"] } });
                const lt = new aws.ec2.LaunchTemplate("batch", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY } }] });
                new aws.batch.ComputeEnvironment("templated-jobs", { type: "MANAGED", computeResources: { ...compute, launchTemplate: { launchTemplateId: lt.id } } });
                new aws.workspaces.Workspace("analyst", { directoryId: "d-1234567890", bundleId: "wsb-1", userName: "analyst", rootVolumeEncryptionEnabled: false, userVolumeEncryptionEnabled: "true" as never, volumeEncryptionKey: KEY });
                const recipe = { version: "1.0.0", parentImage: "arn:aws:imagebuilder:eu-west-1:aws:image/amazon-linux-2023-x86/x.x.x", components: [{ componentArn: "arn:aws:imagebuilder:eu-west-1:aws:component/update-linux/x.x.x" }] };
                new aws.imagebuilder.ImageRecipe("node", { ...recipe, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 30 } }] });
                new aws.imagebuilder.ImageRecipe("parent-root", recipe);
            }, { only: "ebs-volume-encryption" });
            expectViolations(report, "ebs-volume-encryption", [
                "imported: the imported snapshot: not encrypted",
                "spark: no securityConfiguration, so the nodes' EBS volumes (root and HDFS) are not encrypted",
                "no-ebs: the nodes' disks: EBS volumes are not encrypted: LocalDiskEncryptionConfiguration.EnableEbsEncryption is not true",
                "spark-elsewhere: securityConfiguration made-by-hand is not declared in this program, so the encryption of the nodes' disks cannot be judged: declare it here",
                "jobs: computeResources: no launchTemplate, so the instances' root volumes are made from the ECS-optimized AMI's snapshot, unencrypted unless the account encrypts EBS by default",
                "analyst: the root volume: not encrypted: set rootVolumeEncryptionEnabled: true",
                "node: blockDeviceMappings[0] (/dev/xvda): not encrypted",
                "parent-root: blockDeviceMappings: no root device (/dev/xvda or /dev/sda1) is declared encrypted, so the images' root snapshot is the parent image's, unencrypted unless that one is",
            ]);
        });

        it("passes a volume restored from an encrypted snapshot; evasion: one restored from an unencrypted or undeclared snapshot", async () => {
            const report = await evaluate(() => {
                const src = new aws.ebs.Volume("src", { availabilityZone: "eu-west-1a", size: 20, encrypted: true, kmsKeyId: KEY });
                const snap = new aws.ebs.Snapshot("snap", { volumeId: src.id });
                new aws.ebs.Volume("restored", { availabilityZone: "eu-west-1a", snapshotId: snap.id, kmsKeyId: KEY });
                const plain = new aws.ebs.Volume("plain", { availabilityZone: "eu-west-1a", size: 20, encrypted: false });
                const plainSnap = new aws.ebs.Snapshot("plain-snap", { volumeId: plain.id });
                new aws.ebs.Volume("restored-plain", { availabilityZone: "eu-west-1a", snapshotId: plainSnap.id });
                new aws.ebs.Volume("restored-outside", { availabilityZone: "eu-west-1a", snapshotId: "snap-0123456789abcdef0" });
            }, { only: "ebs-volume-encryption" });
            expectViolations(report, "ebs-volume-encryption", [
                "plain: the volume: not encrypted",
                "restored-plain: the volume: made from snapshot plain-snap, which is not encrypted (or not known to be): set encrypted: true",
                "restored-outside: the volume: made from snapshot snap-0123456789abcdef0, which this program does not declare, so its encryption cannot be judged: set encrypted: true",
            ]);
        });

        it("evasion: ECS services making a managed EBS volume per task, unencrypted or under the default key", async () => {
            const report = await evaluate(() => {
                const volume = (managedEbsVolume: object) => ({ name: "data", managedEbsVolume: { roleArn: "arn:aws:iam::111122223333:role/ecs-infra", ...managedEbsVolume } });
                new aws.ecs.Service("plain", { cluster: "c", taskDefinition: "app:1", volumeConfiguration: volume({ encrypted: false, sizeInGb: 100 }) });
                new aws.ecs.Service("default-key", { cluster: "c", taskDefinition: "app:1", volumeConfiguration: volume({ encrypted: true }) });
                new aws.ecs.Service("cmk", { cluster: "c", taskDefinition: "app:1", volumeConfiguration: volume({ encrypted: true, kmsKeyId: KEY }) });
                new aws.ecs.Service("no-volume", { cluster: "c", taskDefinition: "app:1" });
            });
            expectViolations(report, "ebs-volume-encryption", ["plain: volumeConfiguration.managedEbsVolume: not encrypted"]);
            expectViolations(report, "customer-managed-key", [
                "default-key: volumeConfiguration.managedEbsVolume: encrypted with the account's default EBS key (aws/ebs unless changed); set kmsKeyId to a customer-managed key",
            ]);
        });

        it("evasion: a launcher whose launch template the program does not declare", async () => {
            const report = await evaluate(() => {
                new aws.ec2.Instance("outside", { instanceType: "m7i.large", launchTemplate: { name: "made-by-hand" } });
                new aws.autoscaling.Group("asg", { maxSize: 2, minSize: 1, vpcZoneIdentifiers: ["subnet-1"], launchTemplate: { id: "lt-0123456789abcdef0" } });
            }, { only: "ebs-volume-encryption" });
            expectViolations(report, "ebs-volume-encryption", [
                "outside: launchTemplate: the launch template made-by-hand is not declared in this program, so the encryption of the volumes it launches cannot be judged: declare it here",
                "asg: launchTemplate: the launch template lt-0123456789abcdef0 is not declared in this program, so the encryption of the volumes it launches cannot be judged: declare it here",
            ]);
        });
    });

    describe("node-volume-encryption", () => {
        it("passes templates and EC2NodeClasses that encrypt the root; flags those that do not, and node groups without a template", async () => {
            const report = await evaluate(() => {
                const good = new aws.ec2.LaunchTemplate("good", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY, volumeSize: 50 } }] });
                new aws.ec2.LaunchTemplate("plain", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 50 } }] });
                new aws.ec2.LaunchTemplate("bare", {});
                nodeClass("good-class", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true, kmsKeyID: KEY } }] });
                // Karpenter's default root volume is encrypted (under the default key: customer-managed-key's finding).
                nodeClass("default-class", { amiSelectorTerms: [{ alias: "al2023@v20261015" }] });
                new eks.ManagedNodeGroup("no-template", { cluster: { cluster: undefined } as never, instanceTypes: ["m7i.large"] });
                new aws.eks.NodeGroup("plain-group", { clusterName: "c", nodeRoleArn: "arn:aws:iam::111122223333:role/n", subnetIds: ["subnet-1"], scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 } });
                new aws.eks.NodeGroup("templated-group", {
                    clusterName: "c",
                    nodeRoleArn: "arn:aws:iam::111122223333:role/n",
                    subnetIds: ["subnet-1"],
                    scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 },
                    launchTemplate: { name: good.name, version: "1" },
                });
            }, { only: "node-volume-encryption" });
            expectViolations(report, "node-volume-encryption", [
                "plain: blockDeviceMappings[0] (/dev/xvda): not encrypted",
                `bare: no EBS block device is declared, so the root volume ${ROOT_FROM_AMI}`,
                "no-template: no launchTemplate: EKS's default template leaves root-volume encryption to the account default",
                "plain-group: no launchTemplate: EKS's default template leaves root-volume encryption to the account default",
            ]);
        });

        it("evasion: a launch template or EC2NodeClass that declares only a data volume leaves the root unencrypted", async () => {
            const report = await evaluate(() => {
                new aws.ec2.LaunchTemplate("data-only", { blockDeviceMappings: [{ deviceName: "/dev/xvdb", ebs: { encrypted: "true", kmsKeyId: KEY, volumeSize: 100 } }] });
                nodeClass("data-only-class", { blockDeviceMappings: [{ deviceName: "/dev/xvdb", ebs: { encrypted: true, kmsKeyID: KEY } }] });
                nodeClass("flagged-root", { blockDeviceMappings: [{ deviceName: "/dev/nvme0n1", rootVolume: true, ebs: { encrypted: true, kmsKeyID: KEY } }] });
                nodeClass("custom-ami", { amiFamily: "Custom", amiSelectorTerms: [{ id: AMI }] });
            }, { only: "node-volume-encryption" });
            expectViolations(report, "node-volume-encryption", [
                `data-only: only /dev/xvdb is declared, not the root device (/dev/xvda or /dev/sda1), so the root volume ${ROOT_FROM_AMI}`,
                `data-only-class: spec.blockDeviceMappings: /dev/xvda, the root volume of AL2 nodes, is not declared, so it ${ROOT_FROM_AMI}`,
                // rootVolume only moves kubelet's directory: the OS still boots from the AMI's /dev/xvda.
                `flagged-root: spec.blockDeviceMappings: /dev/xvda, the root volume of AL2 nodes, is not declared, so it ${ROOT_FROM_AMI}`,
                `custom-ami: spec.blockDeviceMappings: not set, and a Custom AMI family has no default, so the root volume ${ROOT_FROM_AMI}`,
            ]);
        });

        it("evasion: encrypted as the string \"False\" with a key, in a template and in an EC2NodeClass inside a ConfigGroup", async () => {
            const report = await evaluate(() => {
                new aws.ec2.LaunchTemplate("string-false", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "False", kmsKeyId: KEY } }] });
                new k8s.yaml.v2.ConfigGroup("nodes", {
                    yaml: [
                        "apiVersion: karpenter.k8s.aws/v1",
                        "kind: EC2NodeClass",
                        "metadata: { name: sneaky }",
                        "spec:",
                        "  blockDeviceMappings:",
                        "    - { deviceName: /dev/xvda, ebs: { encrypted: false, kmsKeyID: " + KEY + " } }",
                    ].join("\n"),
                });
                new k8s.apiextensions.CustomResourcePatch("patched", {
                    apiVersion: "karpenter.k8s.aws/v1",
                    kind: "EC2NodeClass",
                    metadata: { name: "default" },
                    spec: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: false } }] },
                } as never);
            }, { only: "node-volume-encryption" });
            expectViolations(report, "node-volume-encryption", [
                "string-false: blockDeviceMappings[0] (/dev/xvda): not encrypted",
                "nodes: EC2NodeClass sneaky (in a ConfigGroup) spec.blockDeviceMappings[0] (/dev/xvda): not encrypted",
                "patched: spec.blockDeviceMappings[0] (/dev/xvda): not encrypted",
            ]);
        });

        it("evasion: self-managed node groups and the default node group of an eks.Cluster with unencrypted roots", async () => {
            const report = await evaluate(() => {
                new eks.Cluster("default-group", { nodeRootVolumeEncrypted: false });
                new eks.Cluster("no-group", { skipDefaultNodeGroup: true });
                new eks.NodeGroupV2("self-managed", { cluster: { core: undefined } as never, instanceType: "m7i.large" });
                new eks.NodeGroupV2("self-managed-encrypted", { cluster: { core: undefined } as never, instanceType: "m7i.large", nodeRootVolumeEncrypted: true });
            }, { only: "node-volume-encryption" });
            expectViolations(report, "node-volume-encryption", [
                "default-group: the default node group's root volumes are not encrypted: set skipDefaultNodeGroup: true or nodeRootVolumeEncrypted: true",
                "self-managed: root volumes are not encrypted: set nodeRootVolumeEncrypted: true",
            ]);
        });

        it("passes an eks.Cluster whose default node group encrypts its roots through nodeGroupOptions", async () => {
            const report = await evaluate(() => {
                new eks.Cluster("options", { nodeGroupOptions: { nodeRootVolumeEncrypted: true, instanceType: "m6i.large" } });
                new eks.Cluster("options-off", { nodeGroupOptions: { nodeRootVolumeEncrypted: false, instanceType: "m6i.large" } });
            }, { only: "node-volume-encryption" });
            expectViolations(report, "node-volume-encryption", ["options-off: the default node group's root volumes are not encrypted: set skipDefaultNodeGroup: true or nodeRootVolumeEncrypted: true"]);
        });

        it("evasion: a node group's template that leaves out a volume of its AMI type (Bottlerocket's data volume, Windows's /dev/sda1)", async () => {
            const report = await evaluate(() => {
                const group = { clusterName: "c", nodeRoleArn: "arn:aws:iam::111122223333:role/n", subnetIds: ["subnet-1"], scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 } };
                const encrypted = (deviceName: string) => ({ deviceName, ebs: { encrypted: "true", kmsKeyId: KEY } });
                const osOnly = new aws.ec2.LaunchTemplate("br", { blockDeviceMappings: [encrypted("/dev/xvda")] });
                new aws.eks.NodeGroup("br", { ...group, amiType: "BOTTLEROCKET_x86_64", launchTemplate: { id: osOnly.id, version: "$Latest" } });
                const both = new aws.ec2.LaunchTemplate("br-both", { blockDeviceMappings: [encrypted("/dev/xvda"), encrypted("/dev/xvdb")] });
                new aws.eks.NodeGroup("br-both", { ...group, amiType: "BOTTLEROCKET_ARM_64", launchTemplate: { id: both.id, version: "$Latest" } });
                const linuxRoot = new aws.ec2.LaunchTemplate("win", { blockDeviceMappings: [encrypted("/dev/xvda")] });
                new aws.eks.NodeGroup("win", { ...group, amiType: "WINDOWS_CORE_2022_x86_64", launchTemplate: { id: linuxRoot.id, version: "$Latest" } });
                nodeClass("br-class", { amiSelectorTerms: [{ alias: "bottlerocket@latest" }], blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true, kmsKeyID: KEY } }] });
            }, { only: "node-volume-encryption" });
            expectViolations(report, "node-volume-encryption", [
                `br: launchTemplate br: /dev/xvdb, the data volume (images, logs, emptyDir) of BOTTLEROCKET_x86_64 nodes, is not declared, so it ${ROOT_FROM_AMI}`,
                `win: launchTemplate win: /dev/sda1, the root volume of WINDOWS_CORE_2022_x86_64 nodes, is not declared, so it ${ROOT_FROM_AMI}`,
                `br-class: spec.blockDeviceMappings: /dev/xvdb, the data volume (images, logs, emptyDir) of bottlerocket nodes, is not declared, so it ${ROOT_FROM_AMI}`,
            ]);
        });
    });

    describe("ebs-storageclass-encryption", () => {
        it("requires the string \"true\" on EBS classes only", async () => {
            const report = await evaluate(() => {
                new k8s.storage.v1.StorageClass("gp3", { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true", kmsKeyId: KEY } });
                new k8s.storage.v1.StorageClass("gp3-plain", { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" } });
                new k8s.storage.v1.StorageClass("efs", { provisioner: "efs.csi.aws.com", parameters: { provisioningMode: "efs-ap" } });
                // envstack's own patch of EKS's gp2: parameters cannot change, so there is nothing to judge.
                new k8s.storage.v1.StorageClassPatch("gp2-not-default", { metadata: { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } }, provisioner: "kubernetes.io/aws-ebs" });
            }, { only: "ebs-storageclass-encryption" });
            expectViolations(report, "ebs-storageclass-encryption", ["gp3-plain: parameters: not encrypted"]);
        });

        it("evasion: EKS Auto Mode's provisioner, the in-tree one, a YAML boolean, and a class inside a ConfigGroup", async () => {
            const report = await evaluate(() => {
                new k8s.storage.v1.StorageClass("auto-mode", { provisioner: "ebs.csi.eks.amazonaws.com", parameters: { type: "gp3" } });
                new k8s.storage.v1.StorageClass("in-tree", { provisioner: "kubernetes.io/aws-ebs", parameters: { type: "gp2", encrypted: "false", kmsKeyId: KEY } });
                new k8s.storage.v1.StorageClass("boolean", { provisioner: "ebs.csi.aws.com", parameters: { encrypted: true as unknown as string, kmsKeyId: KEY } });
                new k8s.yaml.v2.ConfigGroup("classes", { objs: [{ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "fast" }, provisioner: "ebs.csi.aws.com", parameters: { type: "io2" } }] });
            }, { only: "ebs-storageclass-encryption" });
            expectViolations(report, "ebs-storageclass-encryption", [
                "auto-mode: parameters: not encrypted",
                "in-tree: parameters: not encrypted",
                "boolean: parameters: not encrypted",
                'boolean: parameters.encrypted is true; StorageClass parameters are strings: use "true"',
                "classes: StorageClass fast (in a ConfigGroup) parameters: not encrypted",
            ]);
        });
    });
});
