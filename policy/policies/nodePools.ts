import { INSTANCE_TYPES, instanceTypeInfo } from "../../components/config/instanceTypes";
import type { PolicyResource } from "@pulumi/policy";
import { describeObject, KubeObject, kubernetesObjects } from "./kubernetes";
import { known } from "./preview";
import { judgedWhole } from "./upserts";
import { list, Props } from "./support";

/**
 * What Karpenter's objects may launch. Which requirement keys restrict instance types depends on
 * the node class a NodePool or NodeClaim uses: open-source Karpenter's EC2NodeClass reads the
 * karpenter.k8s.aws/ labels, EKS Auto Mode's NodeClass the eks.amazonaws.com/ ones; elsewhere
 * such a key is only a label on the node and restricts nothing.
 */

const OSS = "karpenter.k8s.aws";
const AUTO_MODE = "eks.amazonaws.com";

/** The instance-type keys every provider reads (Karpenter normalizes the deprecated beta label). */
const TYPE_KEYS = ["node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type"];

export interface Keys {
    category: string[];
    family: string[];
    type: string[];
    cpu: string[];
    gpuCount: string[];
    /** Labels only GPU instances carry: DoesNotExist on one keeps GPUs out. */
    gpuOnly: string[];
}

/** The requirement keys a node class of `group` reads. */
export const keysOf = (group: string): Keys =>
    group === OSS || group === AUTO_MODE
        ? {
              category: [`${group}/instance-category`],
              family: [`${group}/instance-family`],
              type: TYPE_KEYS,
              cpu: [`${group}/instance-cpu`],
              gpuCount: [`${group}/instance-gpu-count`],
              gpuOnly: ["count", "manufacturer", "name", "memory"].map((k) => `${group}/instance-gpu-${k}`),
          }
        : { category: [], family: [], type: TYPE_KEYS, cpu: [], gpuCount: [], gpuOnly: [] };

/** Karpenter's capacity objects: NodePools (any version), v1alpha5 Provisioners and NodeClaims. */
export function isKarpenterCapacity(o: KubeObject): boolean {
    return o.apiVersion.startsWith("karpenter.sh/") && ["NodePool", "Provisioner", "NodeClaim"].includes(o.kind);
}

/** A NodePool's or Provisioner's limits, or null for any other object. */
export function limitsOf(o: KubeObject): Props | undefined | null {
    if (!o.apiVersion.startsWith("karpenter.sh/")) return null;
    if (o.kind === "NodePool") return o.object?.spec?.limits;
    if (o.kind === "Provisioner") return o.object?.spec?.limits?.resources;
    return null;
}

/** The requirements of a NodePool (template), Provisioner or NodeClaim. */
export function requirementsOf(o: KubeObject): unknown {
    return o.kind === "NodePool" ? o.object?.spec?.template?.spec?.requirements : o.object?.spec?.requirements;
}

/**
 * The node class groups whose keys apply: nodeClassRef.group (v1), the group of its apiVersion
 * (v1beta1), AWS for a Provisioner; both AWS groups when a patch leaves the reference out.
 */
export function nodeClassGroups(o: KubeObject): string[] {
    const spec = o.kind === "NodePool" ? o.object?.spec?.template?.spec : o.object?.spec;
    const ref = spec?.nodeClassRef;
    const group = typeof ref?.group === "string" ? ref.group : typeof ref?.apiVersion === "string" ? ref.apiVersion.split("/")[0] : undefined;
    if (group !== undefined) return [group];
    return judgedWhole(o) || o.kind === "Provisioner" ? [OSS] : [OSS, AUTO_MODE];
}

/** The values a requirement on one of `keys` allows (operator In). */
function valuesIn(requirements: Props[], keys: string[]): string[] {
    return requirements.filter((r) => keys.includes(r?.key) && r.operator === "In").flatMap((r) => list<string>(r.values).map(String));
}

/** What a NodePool's or NodeClaim's requirements allow, under every node class it may use. */
export function restriction(o: KubeObject): { unrestricted?: string; categories: string[]; families: string[]; types: string[] } {
    const requirements = list<Props>(requirementsOf(o) as Props[]);
    const groups = nodeClassGroups(o);
    const all = groups.map(keysOf);
    const pick = (k: keyof Keys) => [...new Set(valuesIn(requirements, [...new Set(all.flatMap((keys) => keys[k]))]))];
    const open = groups.filter((_, i) => valuesIn(requirements, [...all[i].category, ...all[i].family, ...all[i].type]).length === 0);
    let unrestricted: string | undefined;
    if (open.length > 0) {
        const wanted = open.map((g) => (g === OSS || g === AUTO_MODE ? `${g}/instance-category` : TYPE_KEYS[0]));
        const foreign = requirements.map((r) => r?.key).find((k) => typeof k === "string" && [OSS, AUTO_MODE].some((g) => g !== groups[0] && k.startsWith(`${g}/instance-`)));
        const why =
            groups.length > 1
                ? " (the patch names no nodeClassRef, so the keys of either node class may be the ones that count)"
                : foreign
                  ? ` (${foreign} restricts nothing for a nodeClassRef of group ${groups[0]})`
                  : "";
        unrestricted = `the ${o.kind} may launch any instance type${why}: add a ${wanted.join(" and a ")} requirement with operator In`;
    }
    return { unrestricted, categories: pick("category"), families: pick("family"), types: pick("type") };
}

/** Every vCPU count of a family in the table, largest first. */
const familyVcpus = (family: string) =>
    Object.entries(INSTANCE_TYPES)
        .filter(([t]) => t.startsWith(`${family}.`))
        .map(([, info]) => info.vcpu);

/** The most vCPUs one node of a NodeClaim can have, or why that cannot be known. */
export function nodeVcpu(o: KubeObject): { vcpu: number } | { problem: string } {
    const requirements = list<Props>(requirementsOf(o) as Props[]);
    const keys = nodeClassGroups(o).map(keysOf);
    const bounds: number[] = [];
    const types = valuesIn(requirements, TYPE_KEYS);
    if (types.length > 0) {
        const unknown = types.filter((t) => !instanceTypeInfo(t));
        if (unknown.length > 0) return { problem: `instance type(s) ${unknown.join(", ")} are not in envstack's instance-type table` };
        bounds.push(Math.max(...types.map((t) => instanceTypeInfo(t)!.vcpu)));
    }
    const families = valuesIn(requirements, keys.flatMap((k) => k.family));
    if (families.length > 0 && families.every((f) => familyVcpus(f).length > 0)) bounds.push(Math.max(...families.flatMap(familyVcpus)));
    const cpuKeys = keys.flatMap((k) => k.cpu);
    const cpus = valuesIn(requirements, cpuKeys).map(Number).filter((n) => n >= 0);
    if (cpus.length > 0) bounds.push(Math.max(...cpus));
    for (const r of requirements) if (cpuKeys.includes(r?.key) && r.operator === "Lt" && Number(list(r.values)[0]) > 0) bounds.push(Number(list(r.values)[0]) - 1);
    return bounds.length > 0 ? { vcpu: Math.min(...bounds) } : { problem: "its requirements name no instance types, families in the table or instance-cpu bound" };
}

/** One Karpenter capacity object of a plan, with how a report names it. */
export interface KarpenterCapacity {
    r: PolicyResource;
    o: KubeObject;
    /** The provider's URN: NodePools are counted per cluster. */
    cluster: string;
    /** What a message prefixes when the object sits inside another resource (a ConfigGroup, a List). */
    prefix: string;
    /** The resource, and the object when it sits inside another. */
    where: string;
}

/** Every NodePool, NodeClaim and Provisioner in a plan, however declared, known enough to read. */
export function* karpenterCapacity(resources: PolicyResource[]): Generator<KarpenterCapacity> {
    for (const r of resources) {
        if (!r.type.startsWith("kubernetes:")) continue;
        const cluster = known(() => r.provider?.urn) ?? "";
        for (const o of known(() => kubernetesObjects(r.type, r.props)) ?? []) {
            if (!known(() => isKarpenterCapacity(o))) continue;
            // In a preview the object's name may not be known yet; it still counts.
            const label = known(() => describeObject(o)) ?? `${o.kind} (name not known yet)`;
            yield { r, o, cluster, prefix: o.via === "resource" ? "" : `${label}: `, where: o.via === "resource" ? r.name : `${r.name} (${label})` };
        }
    }
}
