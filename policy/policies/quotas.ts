import type { PolicyResource } from "@pulumi/policy";
import { instanceTypeInfo } from "../../components/config/instanceTypes";
import { formatBytes, parseQuantity } from "../../components/shared/quantity";
import { byType, forEach, GuardrailResourcePolicy, GuardrailStackPolicy, list, objectName, Props, T } from "./support";

/** Guardrails that keep an environment bounded: quotas in namespaces, ceilings on capacity and sizes. */

const QUANTITY = "^[+]?(\\d+\\.?\\d*|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[mkMGTPE])?$";

export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease", "default"];

export const namespaceQuota: GuardrailStackPolicy = {
    name: "namespace-quota-and-limits",
    description: "Every namespace the stack creates, other than the system ones, has a ResourceQuota and a LimitRange.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Create a ResourceQuota and a LimitRange in the namespace (envstack's Team component does both), or exempt it in the policy config.",
    configSchema: {
        properties: {
            exemptNamespaces: { type: "array", items: { type: "string" }, default: SYSTEM_NAMESPACES, description: "Namespaces that need neither." },
        },
    },
    validateStack: (args, report) => {
        const { exemptNamespaces } = args.getConfig<{ exemptNamespaces: string[] }>();
        const inNamespace = (type: string) => new Set(args.resources.filter((r) => r.type === type).map((r) => objectName(r.props).namespace));
        const quotas = inNamespace(T.resourceQuota);
        const limits = inNamespace(T.limitRange);
        for (const ns of args.resources.filter((r) => r.type === T.namespace)) {
            const name = objectName(ns.props).name;
            if (!name || exemptNamespaces.includes(name)) continue;
            const missing = [quotas.has(name) ? "" : "ResourceQuota", limits.has(name) ? "" : "LimitRange"].filter(Boolean);
            if (missing.length > 0) report(`namespace ${name} has no ${missing.join(" and no ")}`, ns.urn);
        }
    },
};

export const nodeGroupMaxSize: GuardrailResourcePolicy = {
    name: "node-group-max-size",
    description: "Managed node groups and Auto Scaling groups scale to at most a configured number of nodes.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Lower scalingConfig.maxSize, or raise maxNodes in this environment's policy config after review.",
    configSchema: { properties: { maxNodes: { type: "integer", minimum: 1, default: 20, description: "Largest maxSize allowed." } } },
    validateResource: byType({
        ...forEach([T.managedNodeGroupComponent, T.eksNodeGroup], (props, args, report) => checkMax(props.scalingConfig?.maxSize, args.getConfig(), report)),
        [T.autoscalingGroup]: (props, args, report) => checkMax(props.maxSize, args.getConfig(), report),
    }),
};

function checkMax(maxSize: unknown, config: { maxNodes: number }, report: (m: string) => void): void {
    if (typeof maxSize === "number" && maxSize > config.maxNodes) report(`maxSize is ${maxSize}; at most ${config.maxNodes} is allowed here`);
}

export const nodePoolLimits: GuardrailResourcePolicy = {
    name: "nodepool-limits",
    description: "Karpenter NodePools set limits.cpu and limits.memory, each within a configured ceiling.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set spec.limits.cpu and spec.limits.memory on the NodePool, within this environment's ceilings.",
    configSchema: {
        properties: {
            maxCpu: { type: "string", pattern: QUANTITY, default: "1000", description: "Ceiling for limits.cpu (a Kubernetes quantity)." },
            maxMemory: { type: "string", pattern: QUANTITY, default: "4000Gi", description: "Ceiling for limits.memory (a Kubernetes quantity)." },
        },
    },
    validateResource: byType({
        [T.nodePool]: (props, args, report) => {
            const { maxCpu, maxMemory } = args.getConfig<{ maxCpu: string; maxMemory: string }>();
            const limits = props.spec?.limits ?? {};
            for (const [field, ceiling] of [["cpu", maxCpu], ["memory", maxMemory]] as const) {
                const value = limits[field];
                if (value === undefined) {
                    report(`spec.limits.${field} is not set: the NodePool could grow without bound`);
                    continue;
                }
                const parsed = parseQuantity(value);
                if (parsed === undefined) report(`spec.limits.${field} is ${JSON.stringify(value)}, not a Kubernetes quantity`);
                else if (parsed > (parseQuantity(ceiling) as number)) report(`spec.limits.${field} is ${value}; the ceiling here is ${ceiling}`);
            }
        },
    }),
};

/** The vCPUs one resource can add at most, or why that cannot be known. */
function vcpuOf(r: PolicyResource, countedGroups: Set<string>): { vcpu: number; detail: string } | { unknown: string[] } | undefined {
    if (r.type === T.nodePool) {
        const cores = parseQuantity(r.props.spec?.limits?.cpu ?? "");
        return cores === undefined ? undefined : { vcpu: cores, detail: `${r.name}: limits.cpu ${r.props.spec.limits.cpu}` };
    }
    const isGroup = r.type === T.managedNodeGroupComponent || (r.type === T.eksNodeGroup && !countedGroups.has(r.parent?.urn ?? ""));
    const maxSize = r.props.scalingConfig?.maxSize;
    if (!isGroup || typeof maxSize !== "number") return undefined;
    const types = list<string>(r.props.instanceTypes);
    const unknown = types.filter((t) => !instanceTypeInfo(t));
    if (unknown.length > 0) return { unknown };
    const largest = Math.max(...types.map((t) => instanceTypeInfo(t)!.vcpu));
    return { vcpu: maxSize * largest, detail: `${r.name}: ${maxSize} x ${largest} vCPU` };
}

export const environmentVcpuCeiling: GuardrailStackPolicy = {
    name: "environment-vcpu-ceiling",
    description: "The environment's summed vCPU ceiling (node groups' maxSize x vCPUs, plus NodePool cpu limits) stays within a configured ceiling.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Lower node group maxSize or NodePool limits.cpu, or raise maxVcpu in this environment's policy config after review; add unknown instance types to components/config/instanceTypes.ts.",
    configSchema: { properties: { maxVcpu: { type: "integer", minimum: 1, default: 1000, description: "Ceiling for the summed vCPUs." } } },
    validateStack: (args, report) => {
        const { maxVcpu } = args.getConfig<{ maxVcpu: number }>();
        // A remote ManagedNodeGroup and its child NodeGroup are the same capacity: count it once.
        const counted = new Set(args.resources.filter((r) => r.type === T.managedNodeGroupComponent && r.props.scalingConfig).map((r) => r.urn));
        let total = 0;
        const parts: string[] = [];
        for (const r of args.resources) {
            const share = vcpuOf(r, counted);
            if (!share) continue;
            if ("unknown" in share) {
                report(`instance type(s) ${share.unknown.join(", ")} are not in envstack's instance-type table, so their vCPUs cannot be counted`, r.urn);
                continue;
            }
            total += share.vcpu;
            parts.push(share.detail);
        }
        if (total > maxVcpu) report(`the environment can grow to ${total} vCPUs (${parts.sort().join("; ")}); the ceiling is ${maxVcpu}`);
    },
};

/** The GiB of an EBS size field: a number of GiB, or a quantity string (Karpenter, PVs). */
function gib(value: unknown): number | undefined {
    if (typeof value === "number") return value;
    const bytes = typeof value === "string" ? parseQuantity(value) : undefined;
    return bytes === undefined ? undefined : bytes / 2 ** 30;
}

export const ebsVolumeSize: GuardrailResourcePolicy = {
    name: "ebs-volume-size",
    description: "EBS volumes are at most a configured size wherever a size is stated: volumes, instance and node disks, EBS PersistentVolumes.",
    enforcementLevel: "mandatory",
    severity: "low",
    remediationSteps: "Use a smaller volume, or raise maxVolumeGiB in the policy config after review. (StorageClasses state no size; claims are bounded by pvc-size.)",
    configSchema: { properties: { maxVolumeGiB: { type: "integer", minimum: 1, default: 2048, description: "Largest volume in GiB." } } },
    validateResource: (args, report) => {
        const { maxVolumeGiB } = args.getConfig<{ maxVolumeGiB: number }>();
        const check = (what: string, value: unknown) => {
            const size = gib(value);
            if (size !== undefined && size > maxVolumeGiB) report(`${what} is ${value}${typeof value === "number" ? " GiB" : ""}; at most ${maxVolumeGiB} GiB is allowed`);
        };
        const p: Props = args.props;
        switch (args.type) {
            case T.ebsVolume:
                return check("size", p.size);
            case T.instance:
                check("rootBlockDevice.volumeSize", p.rootBlockDevice?.volumeSize);
                return list<Props>(p.ebsBlockDevices).forEach((d, i) => check(`ebsBlockDevices[${i}].volumeSize`, d.volumeSize));
            case T.launchTemplate:
                return list<Props>(p.blockDeviceMappings).forEach((m, i) => check(`blockDeviceMappings[${i}].ebs.volumeSize`, m.ebs?.volumeSize));
            case T.ec2NodeClass:
                return list<Props>(p.spec?.blockDeviceMappings).forEach((m, i) => check(`spec.blockDeviceMappings[${i}].ebs.volumeSize`, m.ebs?.volumeSize));
            case T.persistentVolume:
                if (p.spec?.csi?.driver === "ebs.csi.aws.com") check("spec.capacity.storage", p.spec?.capacity?.storage);
        }
    },
};

export const pvcSize: GuardrailResourcePolicy = {
    name: "pvc-size",
    description: "PersistentVolumeClaims (and StatefulSet claim templates) request at most a configured size.",
    enforcementLevel: "mandatory",
    severity: "low",
    remediationSteps: "Request less storage, or raise maxStorage in the policy config after review.",
    configSchema: { properties: { maxStorage: { type: "string", pattern: QUANTITY, default: "1Ti", description: "Largest storage request (a Kubernetes quantity)." } } },
    validateResource: byType({
        [T.persistentVolumeClaim]: (props, args, report) => checkClaim("spec.resources.requests.storage", props.spec, args.getConfig(), report),
        [T.statefulSet]: (props, args, report) =>
            list<Props>(props.spec?.volumeClaimTemplates).forEach((t, i) =>
                checkClaim(`spec.volumeClaimTemplates[${i}] (${t.metadata?.name}) storage`, t.spec, args.getConfig(), report),
            ),
    }),
};

function checkClaim(what: string, spec: Props | undefined, config: { maxStorage: string }, report: (m: string) => void): void {
    const requested = spec?.resources?.requests?.storage;
    if (requested === undefined) return;
    const bytes = parseQuantity(requested);
    const ceiling = parseQuantity(config.maxStorage) as number;
    if (bytes === undefined) report(`${what} is ${JSON.stringify(requested)}, not a Kubernetes quantity (e.g. 10Gi)`);
    else if (bytes > ceiling) report(`${what} is ${requested}; at most ${config.maxStorage} (${formatBytes(ceiling)}) is allowed`);
}

export const quotaPolicies = [namespaceQuota, nodeGroupMaxSize, nodePoolLimits, environmentVcpuCeiling, ebsVolumeSize, pvcSize];

