import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { stableHex } from "../plan/outputs";
import { evaluate, expectViolations } from "./guardrails";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
const POLICY = "kubernetes-volume-encryption";
const NOT_DECLARED = (name: string) => `StorageClass ${name} is not declared in this program, so its encryption cannot be known`;

function encryptedClass(name: string, annotations: Record<string, string> = {}) {
    return new k8s.storage.v1.StorageClass(name, { metadata: { name, annotations }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true", kmsKeyId: KEY } });
}

function claim(name: string, spec: object, annotations?: Record<string, string>) {
    return new k8s.core.v1.PersistentVolumeClaim(name, { metadata: { name, namespace: "team", annotations }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } }, ...spec } });
}

const pod = (volumes: k8s.types.input.core.v1.Volume[]) => ({ containers: [{ name: "app", image: "app:1" }], volumes });
const ephemeral = (storageClassName?: string): k8s.types.input.core.v1.Volume => ({
    name: "scratch",
    ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], storageClassName, resources: { requests: { storage: "1Gi" } } } } },
});

describe("kubernetes-volume-encryption", () => {
    it("passes claims, claim templates and ephemeral volumes on an encrypted class declared here, and static volumes backed by encrypted stores", async () => {
        const report = await evaluate(() => {
            encryptedClass("gp3");
            claim("data", { storageClassName: "gp3" });
            new k8s.apps.v1.StatefulSet("db", {
                metadata: { name: "db", namespace: "team" },
                spec: {
                    selector: { matchLabels: { app: "db" } },
                    serviceName: "db",
                    template: { metadata: { labels: { app: "db" } }, spec: pod([]) },
                    volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } } }],
                },
            });
            new k8s.apps.v1.Deployment("web", { metadata: { namespace: "team" }, spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: pod([ephemeral("gp3")]) } } });
            const volume = new aws.ebs.Volume("existing", { availabilityZone: "eu-west-1a", size: 10, encrypted: true, kmsKeyId: KEY });
            new k8s.core.v1.PersistentVolume("static", {
                metadata: { name: "static" },
                spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"], storageClassName: "", csi: { driver: "ebs.csi.aws.com", volumeHandle: volume.id } },
            });
            claim("static", { storageClassName: "", volumeName: "static" });
            const fileSystem = new aws.efs.FileSystem("shared", { encrypted: true, kmsKeyId: KEY });
            new k8s.storage.v1.StorageClass("efs", { metadata: { name: "efs" }, provisioner: "efs.csi.aws.com", parameters: { provisioningMode: "efs-ap", fileSystemId: fileSystem.id } });
            claim("shared", { storageClassName: "efs", accessModes: ["ReadWriteMany"] });
        }, { only: POLICY });
        expectViolations(report, POLICY, []);
    });

    it("flags claims on a class not declared here or not encrypted, and in-tree awsElasticBlockStore volumes", async () => {
        const report = await evaluate(() => {
            new k8s.storage.v1.StorageClass("plain", { metadata: { name: "plain" }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" } });
            claim("on-gp2", { storageClassName: "gp2" });
            claim("on-plain", { storageClassName: "plain" });
            new k8s.core.v1.PersistentVolume("in-tree", {
                metadata: { name: "in-tree" },
                spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"], awsElasticBlockStore: { volumeID: "vol-0123456789abcdef0", fsType: "ext4" } },
            });
        }, { only: POLICY });
        expectViolations(report, POLICY, [
            `on-gp2: PersistentVolumeClaim team/on-gp2: ${NOT_DECLARED("gp2")}`,
            "on-plain: PersistentVolumeClaim team/on-plain: StorageClass plain does not encrypt its EBS volumes",
            "in-tree: PersistentVolume in-tree: the in-tree awsElasticBlockStore volume vol-0123456789abcdef0 cannot be known to be encrypted; use the EBS CSI driver and an encrypted class",
        ]);
    });

    it("evasion: a generic ephemeral volume and an inline in-tree EBS volume in a Deployment, and a claim template in a ConfigGroup", async () => {
        const report = await evaluate(() => {
            encryptedClass("gp3");
            new k8s.apps.v1.Deployment("web", {
                metadata: { name: "web", namespace: "team" },
                spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: pod([ephemeral("gp2"), { name: "legacy", awsElasticBlockStore: { volumeID: "vol-0abc" } }]) } },
            });
            new k8s.yaml.v2.ConfigGroup("manifests", {
                yaml: [
                    "apiVersion: apps/v1",
                    "kind: StatefulSet",
                    "metadata: { name: db, namespace: team }",
                    "spec:",
                    "  serviceName: db",
                    "  selector: { matchLabels: { app: db } }",
                    "  template: { metadata: { labels: { app: db } }, spec: { containers: [{ name: db, image: db:1 }] } }",
                    "  volumeClaimTemplates:",
                    "    - metadata: { name: data }",
                    "      spec: { storageClassName: gp2, accessModes: [ReadWriteOnce], resources: { requests: { storage: 10Gi } } }",
                ].join("\n"),
            });
        }, { only: POLICY });
        expectViolations(report, POLICY, [
            `web: Deployment team/web volumes[0] (scratch), a generic ephemeral volume: ${NOT_DECLARED("gp2")}`,
            "web: Deployment team/web volumes[1] (legacy): the in-tree awsElasticBlockStore volume vol-0abc cannot be known to be encrypted; use the EBS CSI driver and an encrypted class",
            `manifests: StatefulSet team/db (in a ConfigGroup) spec.volumeClaimTemplates[0] (data): ${NOT_DECLARED("gp2")}`,
        ]);
    });

    it("evasion: no class (the cluster default), a patch making gp2 the default, and the legacy annotation overriding storageClassName", async () => {
        const report = await evaluate(() => {
            encryptedClass("gp3");
            claim("no-class", {});
            claim("annotated", { storageClassName: "gp3" }, { "volume.beta.kubernetes.io/storage-class": "gp2" });
        }, { only: POLICY });
        expectViolations(report, POLICY, [
            "no-class: PersistentVolumeClaim team/no-class: no storageClassName, and this program declares no default class: the cluster's default (EKS's gp2) is unencrypted",
            `annotated: PersistentVolumeClaim team/annotated: ${NOT_DECLARED("gp2")}`,
        ]);
        const defaults = await evaluate(() => {
            encryptedClass("gp3", { "storageclass.kubernetes.io/is-default-class": "true" });
            claim("default-gp3", {});
        }, { only: POLICY });
        expectViolations(defaults, POLICY, []);
        const patched = await evaluate(() => {
            new k8s.storage.v1.StorageClassPatch("gp2-default", { metadata: { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } });
            claim("no-class", {});
        }, { only: POLICY });
        expectViolations(patched, POLICY, [
            `gp2-default: StorageClass gp2 (a patch): it makes the class the cluster's default, which every claim without storageClassName gets: ${NOT_DECLARED("gp2")}`,
            `no-class: PersistentVolumeClaim team/no-class: no storageClassName, so the default class applies: ${NOT_DECLARED("gp2")}`,
        ]);
    });

    it("evasion: static volumes on a volume or file system not declared here, or declared unencrypted; an unbound empty class", async () => {
        const build = () => {
            const plain = new aws.ebs.Volume("plain", { availabilityZone: "eu-west-1a", size: 10 });
            const pv = (name: string, csi: object) => new k8s.core.v1.PersistentVolume(name, { metadata: { name }, spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"], storageClassName: "", csi } as never });
            pv("unknown", { driver: "ebs.csi.aws.com", volumeHandle: "vol-0fedcba9876543210" });
            pv("unencrypted", { driver: "ebs.csi.aws.com", volumeHandle: plain.id });
            pv("efs-unknown", { driver: "efs.csi.aws.com", volumeHandle: "fs-0123456789abcdef0::fsap-0123" });
            claim("any-volume", { storageClassName: "" });
            claim("elsewhere", { storageClassName: "", volumeName: "not-here" });
        };
        const report = await evaluate(build, { only: POLICY });
        expectViolations(report, POLICY, [
            "unknown: PersistentVolume unknown: volume vol-0fedcba9876543210 is not declared in this program, so its encryption cannot be known",
            `unencrypted: PersistentVolume unencrypted: volume vol-${stableHex("aws:ebs/volume:Volume::plain", 17)} is not encrypted`,
            "efs-unknown: PersistentVolume efs-unknown: file system fs-0123456789abcdef0 is not declared in this program, so its encryption cannot be known",
            'any-volume: PersistentVolumeClaim team/any-volume: storageClassName "" binds any pre-provisioned volume, whose encryption cannot be known',
            "elsewhere: PersistentVolumeClaim team/elsewhere: it binds PersistentVolume not-here, which is not declared in this program, so its encryption cannot be known",
        ]);
    });

    it("trusts the classes and volumes config names (the presets trust envstack's gp3 and efs)", async () => {
        const report = await evaluate(
            () => {
                claim("on-gp3", { storageClassName: "gp3" });
                claim("on-gp2", { storageClassName: "gp2" });
                new k8s.core.v1.PersistentVolume("checked", { metadata: { name: "checked" }, spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], csi: { driver: "ebs.csi.aws.com", volumeHandle: "vol-0aaaabbbbccccdddd" } } });
            },
            { only: POLICY, config: { [POLICY]: { trustedStorageClasses: ["gp3", "efs"], trustedVolumeIds: ["vol-0aaaabbbbccccdddd"] } } },
        );
        expectViolations(report, POLICY, [`on-gp2: PersistentVolumeClaim team/on-gp2: ${NOT_DECLARED("gp2")}`]);
    });

    it("evasion: patches that create what they name (a claim on gp2, a new unencrypted default class, a static volume)", async () => {
        const report = await evaluate(() => {
            new k8s.core.v1.PersistentVolumeClaimPatch("data", { metadata: { name: "data", namespace: "team" }, spec: { storageClassName: "gp2", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Gi" } } } });
            new k8s.storage.v1.StorageClassPatch("fast", { metadata: { name: "fast", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }, provisioner: "ebs.csi.aws.com" });
            new k8s.core.v1.PersistentVolumePatch("static", { metadata: { name: "static" }, spec: { capacity: { storage: "1Gi" }, csi: { driver: "ebs.csi.aws.com", volumeHandle: "vol-0fedcba9876543210" } } });
            // A patch that only resizes an existing claim creates nothing.
            new k8s.core.v1.PersistentVolumeClaimPatch("resize", { metadata: { name: "resize", namespace: "team" }, spec: { resources: { requests: { storage: "60Gi" } } } });
        }, { only: POLICY });
        expectViolations(report, POLICY, [
            `data: PersistentVolumeClaim team/data (a patch): ${NOT_DECLARED("gp2")}`,
            "fast: StorageClass fast (a patch): it makes the class the cluster's default, which every claim without storageClassName gets: StorageClass fast does not encrypt its EBS volumes",
            "static: PersistentVolume static (a patch): volume vol-0fedcba9876543210 is not declared in this program, so its encryption cannot be known",
        ]);
    });

    it("evasion: an NFS volume on an unencrypted EFS mount target, other non-CSI sources, and a CRD's claim templates", async () => {
        const report = await evaluate(() => {
            const plain = new aws.efs.FileSystem("plain", {});
            const pv = (name: string, source: object) => new k8s.core.v1.PersistentVolume(name, { metadata: { name }, spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteMany"], storageClassName: "", ...source } });
            pv("efs-nfs", { nfs: { server: plain.id.apply((id) => `${id}.efs.eu-west-1.amazonaws.com`), path: "/" } });
            pv("nas", { nfs: { server: "nas.corp.example", path: "/export" } });
            pv("iscsi", { iscsi: { targetPortal: "10.0.0.5:3260", iqn: "iqn.2001-04.com.example:storage", lun: 0 } });
            new k8s.apiextensions.CustomResource("db", {
                apiVersion: "apps.kruise.io/v1alpha1",
                kind: "CloneSet",
                metadata: { name: "db", namespace: "team" },
                spec: { template: { spec: pod([]) }, volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { storageClassName: "gp2", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Ti" } } } }] },
            });
        }, { only: POLICY });
        expectViolations(report, POLICY, [
            `efs-nfs: PersistentVolume efs-nfs: file system fs-${stableHex("aws:efs/fileSystem:FileSystem::plain", 17)} is not encrypted`,
            "nas: PersistentVolume nas: nfs volume nas.corp.example is not an EBS volume or EFS file system declared in this program, so its encryption cannot be known",
            "iscsi: PersistentVolume iscsi: iscsi volume 10.0.0.5:3260 is not an EBS volume or EFS file system declared in this program, so its encryption cannot be known",
            `db: CloneSet team/db spec.volumeClaimTemplates[0] (data): ${NOT_DECLARED("gp2")}`,
        ]);
    });

    it("judges a claim without a class by the cluster's default config names (the presets: envstack's gp3), and each cluster by its own classes", async () => {
        const kubeconfig = JSON.stringify({ apiVersion: "v1", clusters: [], contexts: [], users: [] });
        const other = () => new k8s.Provider("other", { kubeconfig, context: "other" });
        const build = () => {
            claim("no-class", {});
            // The class is declared in another cluster: this cluster's "fast" is not known.
            encryptedClass("fast");
            new k8s.core.v1.PersistentVolumeClaim("elsewhere", { metadata: { name: "elsewhere", namespace: "team" }, spec: { storageClassName: "fast", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }, { provider: other() });
        };
        const config = { [POLICY]: { trustedStorageClasses: ["gp3"], defaultStorageClass: "gp3" } };
        expectViolations(await evaluate(build, { only: POLICY, config }), POLICY, [`elsewhere: PersistentVolumeClaim team/elsewhere: ${NOT_DECLARED("fast")}`]);
        const untrusted = { [POLICY]: { defaultStorageClass: "gp3" } };
        expectViolations(await evaluate(() => claim("no-class", {}), { only: POLICY, config: untrusted }), POLICY, [
            `no-class: PersistentVolumeClaim team/no-class: no storageClassName, so the cluster's default class gp3 applies: ${NOT_DECLARED("gp3")}`,
        ]);
    });
});
