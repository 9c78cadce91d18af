import { parseQuantity } from "../shared/quantity";
import type { Problems } from "./errors";
import type { EbsVolumeType } from "./types";

/**
 * What each EBS volume type accepts, for validating StorageClass parameters before anything is
 * created. gp3 limits are the 2025 ones (80,000 IOPS, 2,000 MiB/s); gp3 throughput is also capped
 * at 0.25 MiB/s per provisioned IOPS.
 */
export const EBS_LIMITS: Record<EbsVolumeType, { iops?: [number, number]; throughputMiBps?: [number, number]; iopsRequired?: boolean }> = {
    gp3: { iops: [3000, 80000], throughputMiBps: [125, 2000] },
    io2: { iops: [100, 256000], iopsRequired: true },
    io1: { iops: [100, 64000], iopsRequired: true },
    st1: {},
    sc1: {},
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** IOPS and throughput within what the volume type accepts. */
export function checkEbsPerformance(path: string, type: string | undefined, iops: unknown, throughput: unknown, problems: Problems): void {
    const limits = type && type in EBS_LIMITS ? EBS_LIMITS[type as EbsVolumeType] : undefined;
    if (!limits) return; // the schema reports an unknown type
    const i = num(iops);
    const t = num(throughput);
    if (i !== undefined) {
        if (!limits.iops) problems.bad(`${path}.iops`, i, `allowed: no iops for ${type} (its performance is fixed by size)`);
        else if (i < limits.iops[0] || i > limits.iops[1]) problems.bad(`${path}.iops`, i, `allowed: ${limits.iops[0]} to ${limits.iops[1]} for ${type}`);
    } else if (limits.iopsRequired) {
        problems.bad(`${path}.iops`, undefined, `allowed: ${limits.iops![0]} to ${limits.iops![1]}; ${type} needs provisioned IOPS`);
    }
    if (t !== undefined) {
        if (!limits.throughputMiBps) problems.bad(`${path}.throughputMiBps`, t, `allowed: no throughput for ${type}; only gp3 takes it`);
        else if (t < limits.throughputMiBps[0] || t > limits.throughputMiBps[1]) problems.bad(`${path}.throughputMiBps`, t, `allowed: ${limits.throughputMiBps[0]} to ${limits.throughputMiBps[1]} MiB/s for ${type}`);
        else if (type === "gp3" && t > (i ?? 3000) / 4) problems.bad(`${path}.throughputMiBps`, t, `allowed: at most ${(i ?? 3000) / 4} MiB/s with ${i ?? 3000} IOPS (gp3 gives 0.25 MiB/s per IOPS)`);
    }
}

const FILE_SYSTEM_ID = /^fs-[0-9a-f]{8,17}$/;
const ACCESS_POINT_ID = /^fsap-[0-9a-f]{17}$/;
const VOLUME_ID = /^vol-[0-9a-f]{8,17}$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** An absolute path that stays where it says: no `..` segment. */
export const ABSOLUTE_PATH = /^\/(?!(.*\/)?\.\.(\/|$))[\w./-]*$/;

/** A static volume's source, namespace, mode and size; `azs` are the cluster's AZs when known. */
export function checkStaticVolume(path: string, raw: unknown, azs: string[] | undefined, problems: Problems): void {
    const v = obj(raw);
    const name = str(v.name);
    if (name === undefined || !DNS_LABEL.test(name)) problems.bad(`${path}.name`, v.name, "allowed: a DNS label (lowercase letters, digits, '-')");
    const namespace = str(v.namespace);
    if (!namespace) problems.bad(`${path}.namespace`, v.namespace, "allowed: the namespace the claim is created in; a static volume needs one");
    else if (!DNS_LABEL.test(namespace)) problems.bad(`${path}.namespace`, namespace, "allowed: a DNS label");
    const capacity = v.capacity;
    const bytes = typeof capacity === "string" ? parseQuantity(capacity) : undefined;
    if (bytes === undefined || bytes <= 0) problems.bad(`${path}.capacity`, capacity, "allowed: a positive Kubernetes quantity like 100Gi");
    const sources = ["efs", "ebs"].filter((k) => v[k] !== undefined);
    if (sources.length !== 1) {
        problems.bad(path, sources, "allowed: exactly one source, efs or ebs");
        return;
    }
    if (v.efs !== undefined) {
        const efs = obj(v.efs);
        if (!FILE_SYSTEM_ID.test(String(efs.fileSystemId))) problems.bad(`${path}.efs.fileSystemId`, efs.fileSystemId, "allowed: an EFS file system id like fs-0123456789abcdef0");
        if (efs.accessPointId !== undefined && !ACCESS_POINT_ID.test(String(efs.accessPointId))) problems.bad(`${path}.efs.accessPointId`, efs.accessPointId, "allowed: an access point id like fsap-0123456789abcdef0");
        if (efs.path !== undefined && !ABSOLUTE_PATH.test(String(efs.path))) problems.bad(`${path}.efs.path`, efs.path, "allowed: an absolute path inside the file system, like /data, with no .. segments");
        return;
    }
    const ebs = obj(v.ebs);
    if (!VOLUME_ID.test(String(ebs.volumeId))) problems.bad(`${path}.ebs.volumeId`, ebs.volumeId, "allowed: an EBS volume id like vol-0123456789abcdef0");
    const az = str(ebs.availabilityZone);
    if (!az || !/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(az)) problems.bad(`${path}.ebs.availabilityZone`, ebs.availabilityZone, "allowed: the volume's AZ, like eu-west-1a");
    else if (azs && !azs.includes(az)) problems.bad(`${path}.ebs.availabilityZone`, az, `allowed: one of the cluster's AZs (${azs.join(", ")}); no node could attach it elsewhere`);
    if (v.accessMode === "ReadWriteMany" || v.accessMode === "ReadOnlyMany") {
        problems.bad(`${path}.accessMode`, v.accessMode, "allowed: ReadWriteOnce or ReadWriteOncePod for EBS (a volume attaches to one node); use EFS to share");
    }
}

/** The storage section's relations: class performance, unique names, static volumes against the AZs. */
export function checkStorage(storage: Obj, azs: string[] | undefined, problems: Problems): void {
    const gp3 = obj(storage.gp3);
    checkEbsPerformance("storage.gp3", "gp3", gp3.iops, gp3.throughputMiBps, problems);
    const classes = Array.isArray(storage.extraClasses) ? storage.extraClasses : [];
    const names = new Set(["gp3", "efs"]);
    classes.forEach((raw, i) => {
        const c = obj(raw);
        const name = str(c.name);
        if (name !== undefined && names.has(name)) problems.bad(`storage.extraClasses[${i}].name`, name, "allowed: a name not already used (gp3 and efs are envstack's)");
        if (name !== undefined) names.add(name);
        checkEbsPerformance(`storage.extraClasses[${i}]`, str(c.type), c.iops, c.throughputMiBps, problems);
    });
    const volumes = Array.isArray(storage.staticVolumes) ? storage.staticVolumes : [];
    // Without EFS there is no EFS CSI driver and no role that may mount, so an EFS volume could never be used.
    if (obj(storage.efs).enabled === false) {
        volumes.forEach((raw, i) => {
            if (obj(raw).efs !== undefined) problems.bad(`storage.staticVolumes[${i}].efs`, obj(raw).efs, "allowed: an EBS volume, or efs.enabled: true (with EFS off nothing can mount a file system)");
        });
    }
    const volumeNames = new Set<string>();
    volumes.forEach((raw, i) => {
        const name = str(obj(raw).name);
        if (name !== undefined && volumeNames.has(name)) problems.bad(`storage.staticVolumes[${i}].name`, name, "allowed: a unique name");
        if (name !== undefined) volumeNames.add(name);
        checkStaticVolume(`storage.staticVolumes[${i}]`, raw, azs, problems);
    });
}
