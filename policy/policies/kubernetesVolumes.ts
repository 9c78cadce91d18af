import { isOn } from "./flags";
import type { PolicyResource } from "@pulumi/policy";
import { idOf } from "./declared";
import { eachKnown, known } from "./preview";
import { EBS_PROVISIONERS } from "./ebs";
import { clusterOf, describeObject, KubeObject, kubernetesObjects, workloadOf } from "./kubernetes";
import { GuardrailStackPolicy, list, Props, T } from "./support";
import { judgedWhole, PV_FIELDS } from "./upserts";

/**
 * Volumes pods get through Kubernetes: claims (and StatefulSet and generic ephemeral claim
 * templates) are provisioned by their StorageClass, so the class must be one this program
 * declares encrypted (or one config trusts); static PersistentVolumes point at a volume or file
 * system that must be declared here encrypted (or trusted). The in-tree `awsElasticBlockStore`
 * names a volume whose encryption nothing here can know.
 */

const EFS_PROVISIONER = "efs.csi.aws.com";
const EBS_DRIVERS = ["ebs.csi.aws.com", "ebs.csi.eks.amazonaws.com"];
const DEFAULT_CLASS = ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"];
/** What names a non-CSI source's volume, for the message and trustedVolumeIds. */
const SOURCE_IDS = ["targetPortal", "volumeID", "volumeName", "pdName", "diskURI", "shareName", "image", "path", "driver"];
/** An EFS mount target's DNS name, `fs-0123.efs.eu-west-1.amazonaws.com` (or with an AZ in front). */
const EFS_DNS = /(?:^|\.)(fs-[0-9a-f]+)\.efs\./i;
/** The legacy annotation still wins over spec.storageClassName. */
const CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

type Config = { trustedStorageClasses: string[]; trustedVolumeIds: string[]; defaultStorageClass?: string };

interface Claim {
    label: string;
    cluster: string;
    metadata?: Props;
    spec: Props;
    urn: string;
}


/** Cluster-scoped names are per cluster: `<cluster> NUL <name>`. */
const inCluster = (cluster: string, name: unknown) => `${cluster}\u0000${name}`;

/** What a stack declares that bears on volumes, gathered in one pass; classes and volumes keyed by cluster. */
class Volumes {
    readonly classes = new Map<string, Props>();
    readonly defaults = new Map<string, Set<string>>();
    readonly persistentVolumes = new Map<string, { o: KubeObject; urn: string }>();
    readonly claims: Claim[] = [];
    /** Classes a patch makes the default, maybe creating them: every claim without a class in the cluster gets them. */
    readonly patchedDefaults: { o: KubeObject; cluster: string; urn: string }[] = [];
    readonly inTree: { label: string; volumeId: unknown; urn: string }[] = [];
    /** Encryption of the EBS volumes and EFS file systems declared, by id. */
    readonly encrypted = new Map<string, boolean>();

    constructor(resources: PolicyResource[]) {
        eachKnown(resources, (r) => {
            if (r.type === T.ebsVolume || r.type === T.efsFileSystem) this.encrypted.set(String(idOf(r) ?? ""), isOn(known(() => r.props.encrypted)));
            const objects = kubernetesObjects(r.type, r.props);
            if (objects.length === 0) return;
            const cluster = clusterOf(r.provider);
            for (const o of objects) this.add(o, r.urn, cluster);
        });
    }

    private add(o: KubeObject, urn: string, cluster: string): void {
        const object = o.object ?? {};
        const name = object.metadata?.name;
        const whole = judgedWhole(o);
        if (o.kind === "StorageClass") {
            // A declaration wins over a patch that may have created the class.
            const key = inCluster(cluster, name);
            if (o.via !== "patch" || (whole && !this.classes.has(key))) this.classes.set(key, object);
            if (DEFAULT_CLASS.some((a) => object.metadata?.annotations?.[a] === "true")) {
                this.defaultsOf(cluster).add(name);
                if (o.via === "patch") this.patchedDefaults.push({ o, cluster, urn });
            }
        } else if (o.kind === "PersistentVolume" && whole) {
            this.persistentVolumes.set(inCluster(cluster, name), { o, urn });
            if (object.spec?.awsElasticBlockStore) this.inTree.push({ label: describeObject(o), volumeId: object.spec.awsElasticBlockStore.volumeID, urn });
        } else if (o.kind === "PersistentVolumeClaim" && whole) {
            this.claims.push({ label: describeObject(o), cluster, metadata: object.metadata, spec: object.spec ?? {}, urn });
        }
        const { pods, loose, claimTemplates } = workloadOf(o);
        for (const { template, path } of claimTemplates) this.claims.push({ label: `${describeObject(o)} ${path} (${template.metadata?.name})`, cluster, metadata: template.metadata, spec: template.spec ?? {}, urn });
        for (const { spec, path } of [...pods, ...loose.map((l) => ({ spec: l.node, path: l.path }))]) {
            list<Props>(spec.volumes).forEach((v, i) => {
                const at = `${describeObject(o)} ${path ? `${path}.` : ""}volumes[${i}] (${v?.name})`;
                const template = v?.ephemeral?.volumeClaimTemplate;
                if (template) this.claims.push({ label: `${at}, a generic ephemeral volume`, cluster, metadata: template.metadata, spec: template.spec ?? {}, urn });
                if (v?.awsElasticBlockStore) this.inTree.push({ label: at, volumeId: v.awsElasticBlockStore.volumeID, urn });
            });
        }
    }

    defaultsOf(cluster: string): Set<string> {
        let set = this.defaults.get(cluster);
        if (!set) this.defaults.set(cluster, (set = new Set()));
        return set;
    }

    /** Why a class does not give encrypted volumes, or undefined when it does. */
    classProblem(cluster: string, name: string, config: Config): string | undefined {
        const c = this.classes.get(inCluster(cluster, name));
        if (!c) return config.trustedStorageClasses.includes(name) ? undefined : `StorageClass ${name} is not declared in this program, so its encryption cannot be known`;
        if (EBS_PROVISIONERS.includes(c.provisioner)) return c.parameters?.encrypted === "true" ? undefined : `StorageClass ${name} does not encrypt its EBS volumes`;
        if (c.provisioner === EFS_PROVISIONER) {
            const fileSystemId = known(() => c.parameters?.fileSystemId);
            return this.storeProblem(`file system ${fileSystemId}`, fileSystemId, config);
        }
        return `StorageClass ${name} uses ${c.provisioner}, not an encrypted EBS or EFS class`;
    }

    /** Why a volume or file system (by id) is not known to be encrypted, or undefined when it is (or its id is not known yet). */
    storeProblem(what: string, id: unknown, config: Config): string | undefined {
        if (id === undefined) return undefined;
        const encrypted = this.encrypted.get(String(id));
        if (encrypted === true || config.trustedVolumeIds.includes(String(id))) return undefined;
        return encrypted === false ? `${what} is not encrypted` : `${what} is not declared in this program, so its encryption cannot be known`;
    }

    claimProblem(claim: Claim, config: Config): string | undefined {
        const spec = claim.spec;
        const className = claim.metadata?.annotations?.[CLASS_ANNOTATION] ?? spec.storageClassName;
        if (spec.volumeName && this.persistentVolumes.has(inCluster(claim.cluster, spec.volumeName))) return undefined; // the volume is judged itself
        if (className === "") {
            return spec.volumeName
                ? `it binds PersistentVolume ${spec.volumeName}, which is not declared in this program, so its encryption cannot be known`
                : "storageClassName \"\" binds any pre-provisioned volume, whose encryption cannot be known";
        }
        if (className === undefined || className === null) {
            const defaults = this.defaultsOf(claim.cluster);
            if (defaults.size === 0 && config.defaultStorageClass) {
                const problem = this.classProblem(claim.cluster, config.defaultStorageClass, config);
                return problem && `no storageClassName, so the cluster's default class ${config.defaultStorageClass} applies: ${problem}`;
            }
            if (defaults.size === 0) return "no storageClassName, and this program declares no default class: the cluster's default (EKS's gp2) is unencrypted";
            const problems = [...defaults].map((d) => this.classProblem(claim.cluster, d, config)).filter(Boolean);
            return problems.length ? `no storageClassName, so the default class applies: ${problems.join("; ")}` : undefined;
        }
        return this.classProblem(claim.cluster, String(className), config);
    }

    persistentVolumeProblem(o: KubeObject, config: Config): string | undefined {
        const spec: Props = o.object?.spec ?? {};
        const source = Object.keys(spec).find((k) => !PV_FIELDS.includes(k) && spec[k] !== undefined && spec[k] !== null);
        // awsElasticBlockStore is reported as in-tree; hostPath and local are the node's own disks, which pod-security-baseline refuses.
        if (!source || ["awsElasticBlockStore", "hostPath", "local"].includes(source)) return undefined;
        const s: Props = spec[source] ?? {};
        if (source === "csi") {
            const handle = known(() => s.volumeHandle);
            if (EBS_DRIVERS.includes(s.driver)) return this.storeProblem(`volume ${handle}`, handle, config);
            if (s.driver === EFS_PROVISIONER) {
                const fileSystemId = handle === undefined ? undefined : String(handle).split(":")[0];
                return this.storeProblem(`file system ${fileSystemId}`, fileSystemId, config);
            }
        }
        // EFS is NFS: an NFS server (or an NFS CSI driver's) that is an EFS mount target names its file system.
        const read = known(() => {
            const server = source === "csi" ? s.volumeAttributes?.server : s.server;
            const named = source === "csi" ? s.volumeHandle : [server, ...SOURCE_IDS.map((k) => s[k])].find((v) => typeof v === "string");
            return { efs: typeof server === "string" ? EFS_DNS.exec(server)?.[1] : undefined, id: named === undefined ? undefined : String(named) };
        });
        if (!read) return undefined; // not known until the resources exist
        if (read.efs) return this.storeProblem(`file system ${read.efs}`, read.efs, config);
        // A source that names nothing (fc by WWNs) is trusted by its type.
        if (config.trustedVolumeIds.includes(read.id ?? source)) return undefined;
        const what = source === "csi" ? `CSI driver ${s.driver}'s volume ${read.id}` : `${source} volume${read.id === undefined ? "" : ` ${read.id}`}`;
        return `${what} is not an EBS volume or EFS file system declared in this program, so its encryption cannot be known`;
    }
}

export const kubernetesVolumeEncryption: GuardrailStackPolicy = {
    name: "kubernetes-volume-encryption",
    description:
        "Pods' volumes are encrypted: claims, claim templates (a StatefulSet's or any CRD's) and generic ephemeral volumes use a StorageClass this program declares encrypted (or one config trusts; a claim without a class gets the default this program declares, else the one config names); static PersistentVolumes use a volume or file system declared here encrypted (or trusted), whatever their source (CSI, NFS to an EFS mount target, iSCSI...); no in-tree awsElasticBlockStore volume. A patch that may create its object (a server-side apply) is judged as one, and a class a patch makes the default must encrypt. Classes and volumes are per cluster (by provider).",
    why: "A claim on an unencrypted or unknown class, a static volume of unknown origin, or an in-tree EBS volume puts application data on disks nobody checked, whatever the platform's own classes do.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Name an encrypted class in storageClassName (declared in this program with parameters.encrypted \"true\" and kmsKeyId, or listed in trustedStorageClasses); back static volumes by an encrypted aws.ebs.Volume or aws.efs.FileSystem declared here (or list their ids in trustedVolumeIds after checking them); replace awsElasticBlockStore with the EBS CSI driver. Name the cluster's default class in defaultStorageClass.",
    configSchema: {
        properties: {
            trustedStorageClasses: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "StorageClasses declared elsewhere (the platform's program) and known to encrypt, e.g. envstack's gp3 and efs.",
            },
            trustedVolumeIds: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Existing EBS volume and EFS file system ids, and other PersistentVolume sources (an NFS server, a CSI volume handle, an iSCSI target portal), checked to be encrypted.",
            },
            defaultStorageClass: {
                type: "string",
                default: "",
                description: "The cluster's default StorageClass, which claims without storageClassName get when this program declares no default; it must still be declared encrypted here or trusted. Empty: EKS's unencrypted gp2 is assumed. The presets name envstack's gp3.",
            },
        },
    },
    validateStack: (args, report) => {
        const config = args.getConfig<Config>();
        const volumes = new Volumes(args.resources);
        eachKnown(volumes.inTree, (v) => report(`${v.label}: the in-tree awsElasticBlockStore volume ${known(() => v.volumeId) ?? "(not known yet)"} cannot be known to be encrypted; use the EBS CSI driver and an encrypted class`, v.urn));
        eachKnown(volumes.persistentVolumes.values(), ({ o, urn }) => {
            const problem = volumes.persistentVolumeProblem(o, config);
            if (problem) report(`${describeObject(o)}: ${problem}`, urn);
        });
        eachKnown(volumes.patchedDefaults, ({ o, cluster, urn }) => {
            const problem = volumes.classProblem(cluster, o.object?.metadata?.name, config);
            if (problem) report(`${describeObject(o)}: it makes the class the cluster's default, which every claim without storageClassName gets: ${problem}`, urn);
        });
        eachKnown(volumes.claims, (claim) => {
            const problem = volumes.claimProblem(claim, config);
            if (problem) report(`${claim.label}: ${problem}`, claim.urn);
        });
    },
};
