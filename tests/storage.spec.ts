import type { IStorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import type { IPersistentVolume } from "kubernetes-models/v1/PersistentVolume";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { expect } from "chai";
import { ConfigError, ConfigProblem, Environment, EnvironmentInput, resolveEnvironmentConfig, StaticVolume, StaticVolumeArgs } from "../components";
import { policyDocument, scopedPodIdentityTrust } from "../components/shared/iam";
import { json, planStack, register, Registered, validInput } from "./harness";
import { simulate } from "./iam";

const CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const PV = "kubernetes:core/v1:PersistentVolume";
const PVC = "kubernetes:core/v1:PersistentVolumeClaim";
const ROLE = "aws:iam/role:Role";
const [MOUNT, WRITE, ROOT] = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"];

const EFS_VOLUME = { name: "reports", namespace: "analytics", accessMode: "ReadWriteMany", capacity: "1Ti", efs: { fileSystemId: "fs-0123456789abcdef0", accessPointId: "fsap-0123456789abcdef0" } } as const;
const EBS_VOLUME = { name: "ledger", namespace: "payments", accessMode: "ReadWriteOnce", capacity: "200Gi", ebs: { volumeId: "vol-0123456789abcdef0", availabilityZone: "eu-west-1b" } } as const;

function withStorage(tier: "dev" | "prod", storage: object): EnvironmentInput {
    return { ...validInput(tier), storage } as EnvironmentInput;
}

async function environment(input: EnvironmentInput): Promise<Registered> {
    return register(() => new Environment(input.name as string, input));
}

function problems(input: EnvironmentInput): ConfigProblem[] {
    try {
        resolveEnvironmentConfig(input);
        return [];
    } catch (err) {
        return [...(err as ConfigError).problems];
    }
}
const at = (list: ConfigProblem[], path: string) => list.filter((p) => p.path === path).map((p) => p.message).join(" | ");

describe("Storage", () => {
    let dev: Registered;
    let prod: Registered;
    before(async () => {
        dev = await environment(withStorage("dev", { extraClasses: [{ name: "io2-db", type: "io2", iops: 16000, fsType: "xfs" }], staticVolumes: [EFS_VOLUME, EBS_VOLUME] }));
        prod = await environment(withStorage("prod", { staticVolumes: [EFS_VOLUME] }));
    });

    it("renders StorageClasses, PersistentVolumes and claims that validate against the Kubernetes schemas", async () => {
        const { StorageClass } = await import("kubernetes-models/storage.k8s.io/v1/StorageClass");
        const { PersistentVolume } = await import("kubernetes-models/v1/PersistentVolume");
        const { PersistentVolumeClaim } = await import("kubernetes-models/v1/PersistentVolumeClaim");
        const checked = { classes: 0, volumes: 0, claims: 0 };
        for (const r of [dev, prod]) {
            for (const c of r.ofType(CLASS)) (new StorageClass({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", ...c.inputs } as IStorageClass).validate(), checked.classes++);
            for (const v of r.ofType(PV)) (new PersistentVolume({ apiVersion: "v1", kind: "PersistentVolume", ...v.inputs } as IPersistentVolume).validate(), checked.volumes++);
            for (const v of r.ofType(PVC)) (new PersistentVolumeClaim({ apiVersion: "v1", kind: "PersistentVolumeClaim", ...v.inputs } as IPersistentVolumeClaim).validate(), checked.claims++);
        }
        expect(checked).to.deep.equal({ classes: 5, volumes: 3, claims: 3 });
        // The validator is not a rubber stamp.
        expect(() => new PersistentVolume({ apiVersion: "v1", kind: "PersistentVolume", spec: { capacity: { storage: "1Gi" }, accessModes: 42 } } as never).validate()).to.throw();
    });

    it("makes gp3 the only default class: encrypted (the string \"true\") with the environment key, WaitForFirstConsumer, expandable", () => {
        const key = dev.one("aws:kms/key:Key").outputs.arn;
        const gp3 = dev.one(CLASS, "acme-dev-gp3").inputs;
        expect(gp3.provisioner).to.equal("ebs.csi.aws.com");
        expect(gp3.parameters).to.deep.equal({ type: "gp3", encrypted: "true", kmsKeyId: key, "csi.storage.k8s.io/fstype": "ext4", iops: "3000", throughput: "125" });
        expect(gp3).to.include({ volumeBindingMode: "WaitForFirstConsumer", allowVolumeExpansion: true, reclaimPolicy: "Delete" });
        const defaults = dev.ofType(CLASS).filter((c) => (c.inputs.metadata as { annotations: Record<string, string> }).annotations["storageclass.kubernetes.io/is-default-class"] === "true");
        expect(defaults.map((c) => (c.inputs.metadata as { name: string }).name)).to.deep.equal(["gp3"]);
        const gp2 = dev.one("kubernetes:storage.k8s.io/v1:StorageClassPatch").inputs;
        expect(gp2.metadata).to.deep.equal({ name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } });
        expect(prod.one(CLASS, "acme-prod-gp3").inputs.reclaimPolicy).to.equal("Retain");
    });

    it("adds extra EBS classes from config with their IOPS", () => {
        const io2 = dev.one(CLASS, "acme-dev-io2-db").inputs;
        expect(io2.parameters).to.deep.include({ type: "io2", iops: "16000", encrypted: "true", "csi.storage.k8s.io/fstype": "xfs" });
        expect(io2.parameters).not.to.have.property("throughput");
    });

    it("gives the efs class per-claim access points: efs-ap, the file system, 700, a base path and a GID range", () => {
        const efs = prod.one(CLASS, "acme-prod-efs").inputs;
        expect(efs.provisioner).to.equal("efs.csi.aws.com");
        expect(efs.parameters).to.deep.equal({
            provisioningMode: "efs-ap",
            fileSystemId: prod.one("aws:efs/fileSystem:FileSystem").id,
            directoryPerms: "700",
            basePath: "/dynamic",
            gidRangeStart: "50000",
            gidRangeEnd: "7000000",
            ensureUniqueDirectory: "true",
        });
    });

    it("refuses the file system to every pod but the EFS CSI node's, and to it without an access point or as root (simulated)", async () => {
        const fsPolicy = json(dev.one("aws:efs/fileSystemPolicy:FileSystemPolicy").inputs.policy);
        const fs = dev.one("aws:efs/fileSystem:FileSystem").outputs.arn as string;
        const accessPoint = fs.replace(/file-system\/.*$/, "access-point/fsap-0123456789abcdef0");
        const mount = { "elasticfilesystem:AccessedViaMountTarget": "true", "elasticfilesystem:AccessPointArn": accessPoint, "aws:SecureTransport": "true" };
        // Pods act as Pod Identity sessions of their role; aws:PrincipalArn is the role.
        const as = (role: string, identity: object[], action: string, context: Record<string, string> = mount) =>
            simulate(identity as never, {
                action,
                resource: fs,
                principal: role.replace(/^arn:aws:iam::(\d+):role\/(.*)$/, "arn:aws:sts::$1:assumed-role/$2/eks-acme-dev-session"),
                context: { ...context, "aws:PrincipalArn": role },
                resourcePolicy: fsPolicy,
            });
        // A team's Pod Identity role that grants itself EFS client rights: same-account access is the union, so only a deny stops it.
        const teamRole = "arn:aws:iam::111122223333:role/acme-dev-payments-app";
        const grantsItself = policyDocument({ Effect: "Allow", Action: [MOUNT, WRITE, ROOT], Resource: "*" });
        for (const action of [MOUNT, WRITE, ROOT]) expect(await as(teamRole, [grantsItself], action), `a team role, ${action}`).to.equal("ExplicitlyDenied");
        expect(await as("arn:aws:iam::111122223333:role/anyone-else", [], MOUNT), "another principal").to.equal("ExplicitlyDenied");

        const node = dev.one(ROLE, "acme-dev-efs-csi-node").outputs.arn as string;
        const nodePolicy = [json(dev.one("aws:iam/rolePolicy:RolePolicy", "acme-dev-efs-csi-node-mount").inputs.policy)];
        for (const action of [MOUNT, WRITE]) expect(await as(node, nodePolicy, action), `the node role, ${action}`).to.equal("Allowed");
        const { ["elasticfilesystem:AccessPointArn"]: _, ...noAccessPoint } = mount;
        expect(await as(node, nodePolicy, MOUNT, noAccessPoint), "the node role without an access point").to.equal("ExplicitlyDenied");
        expect(await as(node, nodePolicy, ROOT), "the node role as root").to.equal("ExplicitlyDenied");
        expect(await as(node, nodePolicy, MOUNT, { ...mount, "aws:SecureTransport": "false" }), "the node role without TLS").to.equal("ExplicitlyDenied");
        expect(await as(node, nodePolicy, MOUNT, { ...mount, "elasticfilesystem:AccessedViaMountTarget": "false" }), "the node role not through a mount target").to.equal("ImplicitlyDenied");
    });

    it("gives the EFS CSI node pods their own Pod Identity role, allowed only to mount and write, associated before the add-on", () => {
        const role = dev.one(ROLE, "acme-dev-efs-csi-node");
        const scope = { accountId: "111122223333", region: "eu-west-1", clusterName: "acme-dev", namespace: "kube-system", serviceAccount: "efs-csi-node-sa" };
        expect(json(role.inputs.assumeRolePolicy)).to.deep.equal(scopedPodIdentityTrust(scope));
        const mountPolicy = dev.one("aws:iam/rolePolicy:RolePolicy", "acme-dev-efs-csi-node-mount");
        expect(mountPolicy.parent).to.equal(role.urn);
        expect(json(mountPolicy.inputs.policy).Statement).to.deep.equal([
            {
                Sid: "MountThroughMountTargets",
                Effect: "Allow",
                Action: [MOUNT, WRITE],
                // The environment's file system and the static volume's.
                Resource: [dev.one("aws:efs/fileSystem:FileSystem").outputs.arn, "arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0123456789abcdef0"],
                Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
            },
        ]);
        const association = dev.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "acme-dev-efs-csi-node");
        expect(association.inputs).to.deep.include({ clusterName: "acme-dev", namespace: "kube-system", serviceAccount: "efs-csi-node-sa", roleArn: role.outputs.arn });
        expect(association.dependencies).to.include(mountPolicy.urn);
        expect(dev.dependencyNames(association)).to.include.members(["acme-dev-eks-pod-identity-agent", "acme-dev-system"]);
        // The node pods read their credentials when they start: the association must exist before the add-on creates them.
        const addon = dev.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "aws-efs-csi-driver")!;
        expect(addon.dependencies).to.include(association.urn);
    });

    it("mounts EFS with TLS and the node's IAM identity, from the efs class and static EFS volumes", async () => {
        const { StorageClass } = await import("kubernetes-models/storage.k8s.io/v1/StorageClass");
        const { PersistentVolume } = await import("kubernetes-models/v1/PersistentVolume");
        for (const r of [dev, prod]) {
            const efs = r.one(CLASS, `${r === dev ? "acme-dev" : "acme-prod"}-efs`).inputs;
            expect(efs.mountOptions).to.deep.equal(["tls", "iam"]);
            new StorageClass({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", ...efs } as IStorageClass).validate();
        }
        const efsPv = dev.one(PV, "acme-dev-reports").inputs as unknown as IPersistentVolume;
        expect(efsPv.spec!.mountOptions).to.deep.equal(["tls", "iam"]);
        new PersistentVolume(efsPv).validate();
        expect((dev.one(PV, "acme-dev-ledger").inputs as unknown as IPersistentVolume).spec).not.to.have.property("mountOptions");
    });

    it("encrypts the file system with the environment key, with elastic throughput, IA lifecycle, backups and TLS-only access", () => {
        const fs = prod.one("aws:efs/fileSystem:FileSystem");
        expect(fs.inputs).to.include({ encrypted: true, kmsKeyId: prod.one("aws:kms/key:Key").outputs.arn, throughputMode: "elastic", creationToken: "acme-prod-shared" });
        expect(fs.inputs.lifecyclePolicies).to.deep.equal([{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }]);
        expect(prod.one("aws:efs/backupPolicy:BackupPolicy").inputs.backupPolicy).to.deep.equal({ status: "ENABLED" });
        const policy = json(prod.one("aws:efs/fileSystemPolicy:FileSystemPolicy").inputs.policy);
        expect(policy.Statement.find((st: { Sid: string }) => st.Sid === "DenyUnencryptedTransport")).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });

    it("puts one mount target in each configured AZ's private subnet", async () => {
        const plan = await planStack("prod");
        const targets = plan.registered.ofType("aws:efs/mountTarget:MountTarget");
        expect(targets.map((t) => t.name)).to.have.members(["acme-prod-efs-eu-west-1a", "acme-prod-efs-eu-west-1b", "acme-prod-efs-eu-west-1c"]);
        expect(targets.map((t) => t.inputs.subnetId)).to.have.members(plan.outputs.privateSubnetIds as string[]);
    });

    it("allows NFS (TCP 2049) only from the cluster security group, which is also the nodes' and Karpenter's", () => {
        const sg = prod.one("aws:ec2/securityGroup:SecurityGroup", "acme-prod-efs");
        const rules = prod.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.parent === sg.urn);
        const clusterSg = prod.one("eks:index:Cluster").outputs.clusterSecurityGroupId;
        expect(rules.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId])).to.deep.equal([["tcp", 2049, 2049, clusterSg]]);
        const discovery = prod.ofType("aws:ec2/tag:Tag").find((t) => t.inputs.key === "karpenter.sh/discovery" && String(t.inputs.resourceId).startsWith("sg-"));
        expect(discovery?.inputs.resourceId).to.equal(clusterSg);
        expect(prod.one("aws:efs/mountTarget:MountTarget", "acme-prod-efs-eu-west-1a").inputs.securityGroups).to.deep.equal([sg.id]);
    });

    it("runs both drivers as managed add-ons with Pod Identity and their policies, after the agent and the nodes", () => {
        for (const [addon, sa, policy] of [
            ["aws-ebs-csi-driver", "ebs-csi-controller-sa", "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
            ["aws-efs-csi-driver", "efs-csi-controller-sa", "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy"],
        ]) {
            const a = dev.ofType("aws:eks/addon:Addon").find((x) => x.inputs.addonName === addon)!;
            const role = dev.one("aws:iam/role:Role", `acme-dev-${addon}`);
            expect(a.inputs.podIdentityAssociations).to.deep.equal([{ roleArn: role.outputs.arn, serviceAccount: sa }]);
            expect(a.inputs.addonVersion).to.match(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
            expect(dev.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((x) => x.parent === role.urn).map((x) => x.inputs.policyArn)).to.deep.equal([policy]);
            expect(json(role.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ Service: "pods.eks.amazonaws.com" });
            expect(dev.dependencyNames(a)).to.include.members(["acme-dev-eks-pod-identity-agent", "acme-dev-system"]);
        }
    });

    it("lets the EBS CSI role create grants for AWS resources on the environment key, and nothing on another key (simulated)", async () => {
        const keyPolicy = json(dev.one("aws:kms/key:Key").inputs.policy);
        const key = dev.one("aws:kms/key:Key").outputs.arn as string;
        const other = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-4000-8000-000000000000";
        const policies = [json(dev.one("aws:iam/rolePolicy:RolePolicy", "acme-dev-aws-ebs-csi-driver-kms").inputs.policy)];
        const viaEc2 = { "kms:ViaService": "ec2.eu-west-1.amazonaws.com", "kms:CallerAccount": "111122223333" };
        const forAws = { ...viaEc2, "kms:GrantIsForAWSResource": "true" };
        expect(await simulate(policies, { action: "kms:CreateGrant", resource: key, context: forAws, resourcePolicy: keyPolicy })).to.equal("Allowed");
        expect(await simulate(policies, { action: "kms:CreateGrant", resource: key, context: { ...viaEc2, "kms:GrantIsForAWSResource": "false" }, resourcePolicy: keyPolicy })).to.equal("ImplicitlyDenied");
        expect(await simulate(policies, { action: "kms:Decrypt", resource: key, context: viaEc2, resourcePolicy: keyPolicy })).to.equal("Allowed");
        // Another key of the account, whose policy (the default) leaves access to IAM: the role's policy does not reach it.
        const defaultKeyPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }] };
        expect(await simulate(policies, { action: "kms:Decrypt", resource: other, context: viaEc2, resourcePolicy: defaultKeyPolicy })).to.equal("ImplicitlyDenied");
        expect(await simulate(policies, { action: "kms:ScheduleKeyDeletion", resource: key, context: viaEc2, resourcePolicy: keyPolicy })).to.equal("ImplicitlyDenied");
    });

    it("lets the EBS CSI role use the environment key only through EC2 in this account, never directly (simulated)", async () => {
        const keyPolicy = json(dev.one("aws:kms/key:Key").inputs.policy);
        const key = dev.one("aws:kms/key:Key").outputs.arn as string;
        const policies = [json(dev.one("aws:iam/rolePolicy:RolePolicy", "acme-dev-aws-ebs-csi-driver-kms").inputs.policy)];
        const use = (action: string, context: Record<string, string>) => simulate(policies, { action, resource: key, context, resourcePolicy: keyPolicy });
        const viaEc2 = { "kms:ViaService": "ec2.eu-west-1.amazonaws.com", "kms:CallerAccount": "111122223333" };
        const forAws = { "kms:GrantIsForAWSResource": "true" };
        for (const action of ["kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKeyWithoutPlaintext", "kms:Encrypt", "kms:DescribeKey"]) {
            expect(await use(action, viaEc2), `${action} via EC2`).to.equal("Allowed");
            expect(await use(action, { "kms:CallerAccount": "111122223333" }), `${action} directly`).to.equal("ImplicitlyDenied");
            expect(await use(action, { ...viaEc2, "kms:ViaService": "s3.eu-west-1.amazonaws.com" }), `${action} via S3`).to.equal("ImplicitlyDenied");
            expect(await use(action, { ...viaEc2, "kms:CallerAccount": "999988887777" }), `${action} for another account`).to.equal("ImplicitlyDenied");
        }
        expect(await use("kms:CreateGrant", { ...viaEc2, ...forAws }), "a grant via EC2").to.equal("Allowed");
        expect(await use("kms:CreateGrant", { "kms:CallerAccount": "111122223333", ...forAws }), "a grant directly").to.equal("ImplicitlyDenied");
    });

    it("protects the file system, the key and static volumes in prod, and not in dev", () => {
        for (const [r, expected] of [[prod, true], [dev, false]] as const) {
            expect(r.one("aws:efs/fileSystem:FileSystem").protect).to.equal(expected);
            expect(r.one("aws:kms/key:Key").protect).to.equal(expected);
            expect(r.one("aws:kms/key:Key").inputs.deletionWindowInDays).to.equal(expected ? 30 : 7);
            for (const pv of r.ofType(PV)) expect(pv.protect, pv.name).to.equal(expected);
        }
    });

    it("keeps the file system's identity stable between runs, so it is never replaced", async () => {
        const first = (await planStack("prod")).registered.one("aws:efs/fileSystem:FileSystem");
        const second = (await planStack("prod")).registered.one("aws:efs/fileSystem:FileSystem");
        expect(second.urn).to.equal(first.urn);
        expect(second.inputs).to.deep.equal(first.inputs);
        expect(first.inputs.creationToken).to.equal("acme-prod-shared");
    });

    it("mounts existing EFS data and an EBS volume statically: the right handle, no class, Retain, bound both ways by name", () => {
        const efsPv = dev.one(PV, "acme-dev-reports").inputs as unknown as IPersistentVolume;
        expect(efsPv.spec!.csi).to.deep.equal({ driver: "efs.csi.aws.com", volumeHandle: "fs-0123456789abcdef0::fsap-0123456789abcdef0" });
        expect(efsPv.spec).to.include({ persistentVolumeReclaimPolicy: "Retain", storageClassName: "" });
        expect(efsPv.spec!.accessModes).to.deep.equal(["ReadWriteMany"]);
        const ebsPv = dev.one(PV, "acme-dev-ledger").inputs as unknown as IPersistentVolume;
        expect(ebsPv.spec!.csi).to.deep.equal({ driver: "ebs.csi.aws.com", volumeHandle: "vol-0123456789abcdef0", fsType: "ext4" });
        expect(ebsPv.spec!.nodeAffinity!.required!.nodeSelectorTerms[0].matchExpressions).to.deep.equal([{ key: "topology.kubernetes.io/zone", operator: "In", values: ["eu-west-1b"] }]);
        const claim = dev.one(PVC, "acme-dev-ledger").inputs as unknown as IPersistentVolumeClaim;
        expect(claim.metadata).to.deep.equal({ name: "ledger", namespace: "payments" });
        expect(claim.spec).to.deep.include({ storageClassName: "", volumeName: "ledger", accessModes: ["ReadWriteOnce"] });
        expect(claim.spec!.resources).to.deep.equal({ requests: { storage: "200Gi" } });
        // Pre-bound: while the volume waits, no claim in another namespace can take it.
        expect(ebsPv.spec!.claimRef).to.deep.equal({ namespace: "payments", name: "ledger" });
        expect(efsPv.spec!.claimRef).to.deep.equal({ namespace: "analytics", name: "reports" });
    });

    it("refuses bad static volumes with clear errors, before registering anything", async () => {
        const list = problems(
            withStorage("dev", {
                staticVolumes: [
                    { ...EFS_VOLUME, efs: { fileSystemId: "fs-XYZ" } },
                    { ...EBS_VOLUME, name: "shared-disk", accessMode: "ReadWriteMany" },
                    { ...EBS_VOLUME, name: "nowhere", namespace: "" },
                    { ...EBS_VOLUME, name: "far", ebs: { volumeId: "vol-0123456789abcdef0", availabilityZone: "eu-west-1z" } },
                    { ...EBS_VOLUME, name: "both", efs: EFS_VOLUME.efs },
                ],
            }),
        );
        expect(at(list, "storage.staticVolumes[0].efs.fileSystemId")).to.include('got "fs-XYZ"; allowed: an EFS file system id');
        expect(at(list, "storage.staticVolumes[1].accessMode")).to.include('got "ReadWriteMany"; allowed: ReadWriteOnce or ReadWriteOncePod for EBS');
        expect(at(list, "storage.staticVolumes[2].namespace")).to.include("a static volume needs one");
        expect(at(list, "storage.staticVolumes[3].ebs.availabilityZone")).to.include("one of the cluster's AZs (eu-west-1a, eu-west-1b, eu-west-1c)");
        expect(at(list, "storage.staticVolumes[4]")).to.include("exactly one source");

        let thrown: unknown;
        const registered = await register(() => {
            try {
                new StaticVolume("bad", { ...EBS_VOLUME, volumeId: undefined, ebs: { volumeId: "disk-1", availabilityZone: "eu-west-1a" }, accessMode: "ReadOnlyMany" } as unknown as StaticVolumeArgs);
            } catch (err) {
                thrown = err;
            }
        });
        expect((thrown as ConfigError).problems.map((p) => p.path)).to.deep.equal(["ebs.volumeId", "accessMode", "opts.provider"]);
        expect(registered.all).to.deep.equal([]);
    });

    it("checks IOPS and throughput against what each volume type accepts", () => {
        const list = problems(
            withStorage("dev", {
                gp3: { fsType: "ext4", iops: 3000, throughputMiBps: 1000 },
                extraClasses: [
                    { name: "db", type: "io2" },
                    { name: "fast", type: "gp3", iops: 100000 },
                    { name: "cold", type: "sc1", iops: 500, throughputMiBps: 250 },
                    { name: "gp3", type: "gp3" },
                ],
            }),
        );
        expect(at(list, "storage.gp3.throughputMiBps")).to.include("at most 750 MiB/s with 3000 IOPS");
        expect(at(list, "storage.extraClasses[0].iops")).to.include("io2 needs provisioned IOPS");
        expect(at(list, "storage.extraClasses[1].iops")).to.include("got 100000; allowed: 3000 to 80000 for gp3");
        expect(at(list, "storage.extraClasses[2].iops")).to.include("no iops for sc1");
        expect(at(list, "storage.extraClasses[2].throughputMiBps")).to.include("only gp3 takes it");
        expect(at(list, "storage.extraClasses[3].name")).to.include("not already used");
    });
});
