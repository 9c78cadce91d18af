import type { PolicyResource } from "@pulumi/policy";
import { parseQuantity } from "../../components/shared/quantity";
import { kubernetesObjects } from "../../policy/policies/kubernetes";
import { known } from "../../policy/policies/preview";
import { list, Props, T } from "../../policy/policies/support";
import type { PriceBook, ServicePriceId } from "../prices";
import { Draft, flat, Pricer, PricingContext, rate } from "./types";

/**
 * EBS volumes, as declared or as claimed (PersistentVolumeClaims, StatefulSet templates, and the
 * volume claim templates and persistence sections of Helm values), and EFS file systems, which
 * bill for what they store: a usage assumption.
 */

const GIB = 2 ** 30;
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** An EBS volume's month: capacity, and gp3's or io's provisioned IOPS and throughput. */
export function ebsMonthly(book: PriceBook, type: string, gb: number, iops = 0, throughput = 0): { usd: number; basis: string; prices: string[] } {
    const capacityId = `ebs.${type}.gbMonth` as ServicePriceId;
    const known = book.entry(capacityId) !== undefined;
    const perGb = known ? book.service(capacityId) : book.service("ebs.gp3.gbMonth");
    let usd = gb * perGb;
    const parts = [`${gb} GiB × ${rate(perGb)}/GB-month`];
    const prices = [known ? capacityId : "ebs.gp3.gbMonth"];
    if (type === "gp3") {
        const extraIops = Math.max(0, iops - 3000);
        const extraThroughput = Math.max(0, throughput - 125);
        if (extraIops > 0) {
            usd += extraIops * book.service("ebs.gp3.iopsMonth");
            parts.push(`${extraIops} IOPS over 3,000`);
            prices.push("ebs.gp3.iopsMonth");
        }
        if (extraThroughput > 0) {
            usd += extraThroughput * book.service("ebs.gp3.throughputMibpsMonth");
            parts.push(`${extraThroughput} MiB/s over 125`);
            prices.push("ebs.gp3.throughputMibpsMonth");
        }
    } else if ((type === "io1" || type === "io2") && iops > 0) {
        usd += iops * book.service(`ebs.${type}.iopsMonth`);
        parts.push(`${iops} provisioned IOPS`);
        prices.push(`ebs.${type}.iopsMonth`);
    }
    return { usd, basis: parts.join(" + "), prices };
}

export const ebsVolumePricer: Pricer = (r, context) => {
    if (r.type !== T.ebsVolume) return [];
    const p = r.props ?? {};
    // EC2 makes gp2 volumes when no type is given.
    const type = String(p.type ?? "gp2");
    const book = context.book(r);
    if (book.entry(`ebs.${type}.gbMonth`) === undefined) {
        context.unpriced(r, `EBS volume type ${type} has no price in envstack's table`);
        return [];
    }
    if (!(Number(p.size) > 0)) {
        context.unpriced(r, "it states no size (a volume restored from a snapshot takes the snapshot's), so it cannot be priced");
        return [];
    }
    const m = ebsMonthly(book, type, Number(p.size), Number(p.iops ?? 0), Number(p.throughput ?? 0));
    return [{ item: `EBS ${type} volume`, monthly: flat(m.usd), basis: m.basis, prices: m.prices }];
};

export const efsPricer: Pricer = (r, context) => {
    if (r.type !== T.efsFileSystem) return [];
    const book = context.book(r);
    const { efsStoredGb: gb, efsInfrequentFraction: ia } = context.usage;
    const lifecycle = known(() => list<Props>(r.props.lifecyclePolicies).some((l) => l?.transitionToIa)) ?? false;
    const share = lifecycle ? ia : 0;
    const usd = gb * (1 - share) * book.service("efs.standard.gbMonth") + gb * share * book.service("efs.ia.gbMonth");
    return [
        {
            item: "EFS storage",
            monthly: flat(usd),
            basis: `${gb} GB, ${Math.round(share * 100)}% in Infrequent Access: ${rate(book.service("efs.standard.gbMonth"))} and ${rate(book.service("efs.ia.gbMonth"))}/GB-month`,
            usage: `efsStoredGb ${gb} GB${lifecycle ? `, efsInfrequentFraction ${ia}` : ""}`,
            prices: ["efs.standard.gbMonth", ...(lifecycle ? ["efs.ia.gbMonth"] : [])],
        },
    ];
};

/** What a storage class provisions: EBS (with its volume type, IOPS and throughput) or not. */
interface ClassInfo {
    ebs: boolean;
    type: string;
    iops?: number;
    iopsPerGb?: number;
    throughput?: number;
}

/** EBS's CSI drivers: the add-on's, and EKS Auto Mode's built-in one. */
const EBS_PROVISIONERS = ["ebs.csi.aws.com", "ebs.csi.eks.amazonaws.com", "kubernetes.io/aws-ebs"];

/** Storage classes the plan declares, by name. */
function storageClasses(resources: PolicyResource[]): Map<string, ClassInfo> {
    const out = new Map<string, ClassInfo>();
    for (const r of resources) {
        if (!r.type.startsWith("kubernetes:storage.k8s.io/")) continue;
        for (const o of known(() => kubernetesObjects(r.type, r.props)) ?? []) {
            if (o.kind !== "StorageClass" || typeof o.object?.metadata?.name !== "string") continue;
            const provisioner = String(o.object.provisioner ?? "");
            const params = o.object.parameters ?? {};
            const n = (v: unknown) => (v === undefined ? undefined : Number(v));
            out.set(o.object.metadata.name, { ebs: EBS_PROVISIONERS.includes(provisioner), type: String(params.type ?? "gp3"), iops: n(params.iops), iopsPerGb: n(params.iopsPerGB ?? params.iopsPerGb), throughput: n(params.throughput) });
        }
    }
    return out;
}

/** A claim's size and class. */
interface Claim {
    what: string;
    gib: number;
    storageClass?: string;
    count: number;
}

const claimOf = (what: string, spec: Props | undefined, count: number): Claim[] => {
    const bytes = parseQuantity(String(spec?.resources?.requests?.storage ?? ""));
    return bytes ? [{ what, gib: bytes / GIB, storageClass: spec?.storageClassName, count }] : [];
};

/** Claims in Helm values: volume claim templates (times the replicas beside them) and enabled persistence sections. */
function helmClaims(values: unknown, path: string, replicas: number, out: Claim[], depth = 0): void {
    if (depth > 12 || typeof values !== "object" || values === null || Array.isArray(values)) return;
    const v = values as Props;
    const count = known(() => Number(v.replicas));
    const here = count !== undefined && Number.isInteger(count) && count > 0 ? count : replicas;
    // In a preview some values (a VPC id) are not known yet; the claims beside them still count.
    for (const key of Object.keys(v)) {
        known(() => {
            const child = v[key] as Props | undefined;
            if (key === "volumeClaimTemplate" && typeof child === "object" && child) out.push(...claimOf(`${path}${key}`, child.spec, here));
            else if (key === "persistence" && child?.enabled !== false && child?.size) {
                const bytes = parseQuantity(String(child.size));
                if (bytes) out.push({ what: `${path}${key}`, gib: bytes / GIB, storageClass: child.storageClassName ?? child.storageClass, count: here });
            } else helmClaims(child, `${path}${key}.`, here, out, depth + 1);
        });
    }
}

/** Kinds whose replicas each get a pod's volumes. */
const WORKLOADS = ["Deployment", "StatefulSet", "ReplicaSet"];

/** The claims a resource makes, however it declares them. */
function claimsOf(r: PolicyResource): Claim[] {
    if (r.type === HELM_RELEASE) {
        const out: Claim[] = [];
        helmClaims(known(() => r.props.values), "values.", 1, out);
        return out;
    }
    if (!r.type.startsWith("kubernetes:")) return [];
    return (known(() => kubernetesObjects(r.type, r.props)) ?? []).flatMap((o) => {
        if (o.kind === "PersistentVolumeClaim") return claimOf("claim", o.object?.spec, 1);
        const replicas = Number(o.object?.spec?.replicas ?? 1);
        // Generic ephemeral volumes: one claim per pod, for as long as the pod runs.
        const pod = o.kind === "Pod" ? o.object?.spec : o.kind === "CronJob" ? o.object?.spec?.jobTemplate?.spec?.template?.spec : o.object?.spec?.template?.spec;
        const ephemeral = list<Props>(pod?.volumes)
            .filter((v) => v?.ephemeral?.volumeClaimTemplate)
            .flatMap((v) => claimOf(`ephemeral volume ${v.name ?? ""}`.trim(), v.ephemeral.volumeClaimTemplate.spec, WORKLOADS.includes(o.kind) ? replicas : 1));
        if (o.kind === "StatefulSet") {
            return [...ephemeral, ...list<Props>(o.object?.spec?.volumeClaimTemplates).flatMap((t) => claimOf(`volumeClaimTemplates ${t?.metadata?.name ?? ""}`.trim(), t?.spec, replicas))];
        }
        return ephemeral;
    });
}

/** Volumes that claims provision through EBS classes (the default class when none is named); EFS claims bill as EFS storage. */
export function claimPricer(): Pricer {
    let classes: Map<string, ClassInfo> | undefined;
    return (r: PolicyResource, context: PricingContext): Draft[] => {
        const claims = claimsOf(r);
        if (claims.length === 0) return [];
        classes ??= storageClasses(context.resources);
        const book = context.book(r);
        return claims.flatMap((c): Draft[] => {
            const sc = c.storageClass ? classes!.get(c.storageClass) : undefined;
            if (sc && !sc.ebs) return [];
            const type = sc?.type ?? "gp3";
            const iops = sc?.iops ?? (sc?.iopsPerGb ? sc.iopsPerGb * c.gib : 0);
            const m = ebsMonthly(book, type, c.gib, iops, sc?.throughput ?? 0);
            const where = c.storageClass ? ` (class ${c.storageClass}${sc ? "" : ", not in the plan: priced as gp3"})` : "";
            return [{ item: `claimed volumes (${c.what})`, monthly: flat(m.usd * c.count), basis: `${c.count} × ${m.basis}${where}`, prices: m.prices }];
        });
    };
}
