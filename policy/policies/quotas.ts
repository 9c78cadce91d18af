import { formatBytes, parseQuantity } from "../../components/shared/quantity";
import { capacityPolicies, QUANTITY } from "./capacity";
import { byType, GuardrailResourcePolicy, GuardrailStackPolicy, list, objectName, Props, T } from "./support";

/** Guardrails that keep an environment bounded: quotas in namespaces and sizes of volumes; capacity ceilings are in capacity.ts. */

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

export const quotaPolicies = [namespaceQuota, ...capacityPolicies, ebsVolumeSize, pvcSize];

