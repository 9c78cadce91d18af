import { formatBytes, parseQuantity } from "../../components/shared/quantity";
import { capacityPolicies, QUANTITY } from "./capacity";
import { clusterOf, describeObject, KubeObject, kubernetesObjects, objectNamespace, workloadOf } from "./kubernetes";
import { eachKnown, known } from "./preview";
import { byKubernetesObject, byType, forEach, GuardrailResourcePolicy, GuardrailStackPolicy, list, Props, T } from "./support";

/** Guardrails that keep an environment bounded: quotas in namespaces and sizes of volumes; capacity ceilings are in capacity.ts. */

export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease", "default"];

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
/** Argo CD's name for the cluster it runs in. */
const IN_CLUSTER = "https://kubernetes.default.svc";

/** The quota keys that bound each resource a namespace must have bounded. Per-class storage keys bound one class only. */
const BOUNDS = {
    cpu: ["cpu", "requests.cpu", "limits.cpu"],
    memory: ["memory", "requests.memory", "limits.memory"],
    pods: ["pods", "count/pods"],
    storage: ["requests.storage"],
} as const;
type Bounded = keyof typeof BOUNDS;
type QuotaCeilings = { maxCpu: string; maxMemory: string; maxPods: number; maxStorage: string };

const orList = (items: string[]) => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`);

/** The stated bounds of a quota that exceed the ceilings or are no quantity at all. */
function quotaProblems(hard: Props, ceilings: QuotaCeilings): string[] {
    const ceiling: Record<Bounded, [number, string]> = {
        cpu: [parseQuantity(ceilings.maxCpu)!, ceilings.maxCpu],
        memory: [parseQuantity(ceilings.maxMemory)!, ceilings.maxMemory],
        pods: [ceilings.maxPods, String(ceilings.maxPods)],
        storage: [parseQuantity(ceilings.maxStorage)!, ceilings.maxStorage],
    };
    const out: string[] = [];
    for (const [resource, keys] of Object.entries(BOUNDS) as [Bounded, readonly string[]][]) {
        for (const key of keys.filter((k) => hard[k] !== undefined)) {
            const value = parseQuantity(hard[key]);
            if (value === undefined) out.push(`hard.${key} is ${JSON.stringify(hard[key])}, not a Kubernetes quantity`);
            else if (value > ceiling[resource][0]) out.push(`hard.${key} is ${hard[key]}; a namespace may have at most ${ceiling[resource][1]}`);
        }
    }
    return out;
}

/** Whether a LimitRange sets anything for containers or pods (an empty one defaults nothing). */
const limitsSomething = (spec: Props | undefined) =>
    list<Props>(spec?.limits).some((l) => (l?.type === "Container" || l?.type === "Pod") && ["default", "defaultRequest", "max", "min"].some((k) => Object.keys(l[k] ?? {}).length > 0));

interface NamespaceState {
    name: string;
    urn: string;
    /** Created by this stack (not only named by a quota). */
    declared: boolean;
    quotas: number;
    scoped: number;
    bounded: Set<Bounded>;
    limited: boolean;
}

export const namespaceQuota: GuardrailStackPolicy = {
    name: "namespace-quota-and-limits",
    description:
        "Every namespace the stack creates (typed, patched, as a CustomResource, inside a ConfigGroup or ConfigFile, or by a Helm release's createNamespace), other than exempt ones, has unscoped ResourceQuotas that together bound CPU, memory, pods and storage (requests.storage), and a LimitRange that sets container defaults or limits. Every quota's bounds are quantities within the configured ceilings.",
    why: "A namespace without a real quota (no quota, hard: {}, only pods, or cpu: 1000000) lets one team's runaway or hostile workload take the whole cluster's capacity and the account's bill with it.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Create a ResourceQuota with requests.cpu, requests.memory, pods and requests.storage, and a LimitRange with container defaults, in the namespace (envstack's Team component does both); or exempt it in the policy config.",
    configSchema: {
        properties: {
            exemptNamespaces: { type: "array", items: { type: "string" }, default: SYSTEM_NAMESPACES, description: "Namespaces that need neither." },
            maxCpu: { type: "string", pattern: QUANTITY, default: "512", description: "Largest CPU bound a quota may state (cores)." },
            maxMemory: { type: "string", pattern: QUANTITY, default: "2Ti", description: "Largest memory bound a quota may state." },
            maxPods: { type: "integer", minimum: 1, default: 2000, description: "Largest pods bound a quota may state." },
            maxStorage: { type: "string", pattern: QUANTITY, default: "20Ti", description: "Largest requests.storage a quota may state." },
        },
    },
    validateStack: (args, report) => {
        const config = args.getConfig<QuotaCeilings & { exemptNamespaces: string[] }>();
        // Namespaces are per cluster: keyed by the provider that reaches it, then by name.
        const namespaces = new Map<string, NamespaceState>();
        const stateOf = (cluster: string, name: string, urn = "") => {
            const key = `${cluster}\u0000${name}`;
            let state = namespaces.get(key);
            if (!state) namespaces.set(key, (state = { name, urn, declared: false, quotas: 0, scoped: 0, bounded: new Set(), limited: false }));
            if (!state.urn) state.urn = urn;
            return state;
        };
        const declare = (cluster: string, name: string, urn: string) => (stateOf(cluster, name, urn).declared = true);
        eachKnown(args.resources, (r) => {
            const cluster = clusterOf(r.provider);
            // A Helm release can create its namespace; the chart's own objects are not visible.
            if (r.type === HELM_RELEASE && r.props.createNamespace === true && typeof r.props.namespace === "string") declare(cluster, r.props.namespace, r.urn);
            for (const o of kubernetesObjects(r.type, r.props)) {
                const meta = o.object?.metadata ?? {};
                for (const created of controllerNamespaces(o, cluster)) declare(created.cluster, created.name, r.urn);
                if (o.kind === "Namespace") {
                    // A name computed from another resource's output is not known in a preview: it has no quota that could match it yet.
                    const name = known(() => meta.name);
                    if (typeof name !== "string" && name !== undefined) return;
                    declare(cluster, name ?? `${r.urn} (a name not known until the resources exist)`, r.urn);
                } else if (o.kind === "ResourceQuota") {
                    const spec: Props = o.object?.spec ?? {};
                    for (const problem of quotaProblems(spec.hard ?? {}, config)) report(`${describeObject(o)}: ${problem}`, r.urn);
                    const state = stateOf(cluster, objectNamespace(o.object, r.provider?.props));
                    state.quotas++;
                    // A scoped quota bounds only the pods its scopes select.
                    if (list(spec.scopes).length > 0 || spec.scopeSelector) state.scoped++;
                    else for (const [resource, keys] of Object.entries(BOUNDS) as [Bounded, readonly string[]][]) if (keys.some((k) => parseQuantity(spec.hard?.[k] ?? "") !== undefined)) state.bounded.add(resource);
                } else if (o.kind === "LimitRange" && limitsSomething(o.object?.spec)) {
                    stateOf(cluster, objectNamespace(o.object, r.provider?.props)).limited = true;
                }
            }
        });
        for (const state of namespaces.values()) {
            if (!state.declared || config.exemptNamespaces.includes(state.name)) continue;
            const problems: string[] = [];
            const unbounded = (Object.keys(BOUNDS) as Bounded[]).filter((b) => !state.bounded.has(b));
            if (state.quotas === 0) problems.push("no ResourceQuota");
            else if (unbounded.length > 0) problems.push(`no ResourceQuota bound on ${orList(unbounded)}${state.scoped > 0 ? " (a scoped quota bounds only the pods it selects)" : ""}`);
            if (!state.limited) problems.push("no LimitRange");
            if (problems.length > 0) report(`namespace ${state.name} has ${problems.join(" and ")}`, state.urn);
        }
    },
};

/**
 * Namespaces a GitOps controller creates for what it installs: a Flux HelmRelease with
 * install.createNamespace, an Argo CD Application with CreateNamespace=true. Another cluster's
 * (Flux's kubeConfig, an Argo CD destination other than in-cluster) is keyed apart.
 */
function controllerNamespaces(o: KubeObject, cluster: string): { cluster: string; name: string }[] {
    const group = o.apiVersion.split("/")[0];
    const spec: Props = o.object?.spec ?? {};
    const own = o.object?.metadata?.namespace;
    if (group === "helm.toolkit.fluxcd.io" && o.kind === "HelmRelease" && spec.install?.createNamespace === true) {
        const name = spec.targetNamespace ?? own;
        return typeof name === "string" ? [{ cluster: spec.kubeConfig ? `${cluster} flux:${JSON.stringify(spec.kubeConfig)}` : cluster, name }] : [];
    }
    if (group === "argoproj.io" && o.kind === "Application" && list<unknown>(spec.syncPolicy?.syncOptions).includes("CreateNamespace=true")) {
        const { server, name: destination, namespace } = spec.destination ?? {};
        const inCluster = (server === undefined || server === IN_CLUSTER) && (destination === undefined || destination === "in-cluster");
        return typeof namespace === "string" ? [{ cluster: inCluster ? cluster : `${cluster} argocd:${server ?? destination}`, name: namespace }] : [];
    }
    return [];
}

const SPOT_INSTANCE_REQUEST = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";
const LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration";

/** A message about an object: plain for a typed resource, with the object named when it came from a patch or a ConfigGroup. */
const about = (o: KubeObject, message: string) => (o.via === "resource" ? message : `${describeObject(o)}: ${message}`);

const ECS_SERVICE = "aws:ecs/service:Service";

export const ebsVolumeSize: GuardrailResourcePolicy = {
    name: "ebs-volume-size",
    description:
        "EBS volumes are at most a configured size wherever a size is stated: volumes, instance, Spot request and launch configuration disks, launch templates, node group and cluster node disks, EC2NodeClasses, ECS services' per-task volumes and EBS PersistentVolumes (CSI or in-tree), however declared.",
    why: "A mistyped or hostile size (a 16 TiB gp3 volume per node or per replica) costs thousands a month before anyone looks at the bill.",
    enforcementLevel: "mandatory",
    severity: "low",
    remediationSteps: "Use a smaller volume, or raise maxVolumeGiB in the policy config after review. (StorageClasses state no size; claims are bounded by pvc-size.)",
    configSchema: { properties: { maxVolumeGiB: { type: "integer", minimum: 1, default: 2048, description: "Largest volume in GiB." } } },
    validateResource: [
        byType({
            [T.ebsVolume]: (p, args, report) => checkGiB("size", p.size, args.getConfig(), report),
            ...forEach([T.instance, SPOT_INSTANCE_REQUEST, LAUNCH_CONFIGURATION], (p, args, report) => {
                checkGiB("rootBlockDevice.volumeSize", p.rootBlockDevice?.volumeSize, args.getConfig(), report);
                list<Props>(p.ebsBlockDevices).forEach((d, i) => checkGiB(`ebsBlockDevices[${i}].volumeSize`, d?.volumeSize, args.getConfig(), report));
            }),
            [T.launchTemplate]: (p, args, report) =>
                list<Props>(p.blockDeviceMappings).forEach((m, i) => checkGiB(`blockDeviceMappings[${i}].ebs.volumeSize`, m?.ebs?.volumeSize, args.getConfig(), report)),
            ...forEach([T.eksNodeGroup, T.managedNodeGroupComponent], (p, args, report) => checkGiB("diskSize", p.diskSize, args.getConfig(), report)),
            [T.eksClusterComponent]: (p, args, report) => checkGiB("nodeRootVolumeSize", p.nodeRootVolumeSize, args.getConfig(), report),
            // ECS makes one such volume per task.
            [ECS_SERVICE]: (p, args, report) => checkGiB("volumeConfiguration.managedEbsVolume.sizeInGb", p.volumeConfiguration?.managedEbsVolume?.sizeInGb, args.getConfig(), report),
        }),
        byKubernetesObject((o, args, report) => {
            const spec: Props | undefined = o.object?.spec;
            const say = (m: string) => report(about(o, m));
            if (o.kind === "EC2NodeClass") list<Props>(spec?.blockDeviceMappings).forEach((m, i) => checkGiB(`spec.blockDeviceMappings[${i}].ebs.volumeSize`, m?.ebs?.volumeSize, args.getConfig(), say));
            // The CSI driver and the in-tree awsElasticBlockStore source are the same EBS volume.
            if (o.kind === "PersistentVolume" && (spec?.csi?.driver === "ebs.csi.aws.com" || spec?.awsElasticBlockStore)) checkGiB("spec.capacity.storage", spec?.capacity?.storage, args.getConfig(), say);
        }),
    ],
};

/** The GiB of an EBS size field: a number of GiB, or a quantity string (Karpenter, PVs). */
function gib(value: unknown): number | undefined {
    if (typeof value === "number") return value;
    const bytes = typeof value === "string" ? parseQuantity(value) : undefined;
    return bytes === undefined ? undefined : bytes / 2 ** 30;
}

function checkGiB(what: string, value: unknown, config: { maxVolumeGiB: number }, report: (m: string) => void): void {
    const size = gib(value);
    if (size !== undefined && size > config.maxVolumeGiB) report(`${what} is ${value}${typeof value === "number" ? " GiB" : ""}; at most ${config.maxVolumeGiB} GiB is allowed`);
}

export const pvcSize: GuardrailResourcePolicy = {
    name: "pvc-size",
    description:
        "PersistentVolumeClaims, StatefulSet claim templates and generic ephemeral volumes of any pod template request at most a configured size, however they are declared.",
    why: "A claim is a volume the provisioner creates and bills on sight: one oversized claim template, multiplied by replicas, is a large bill and an exhausted storage quota.",
    enforcementLevel: "mandatory",
    severity: "low",
    remediationSteps: "Request less storage, or raise maxStorage in the policy config after review.",
    configSchema: { properties: { maxStorage: { type: "string", pattern: QUANTITY, default: "1Ti", description: "Largest storage request (a Kubernetes quantity)." } } },
    validateResource: byKubernetesObject((o, args, report) => {
        const config = args.getConfig<{ maxStorage: string }>();
        const say = (m: string) => report(about(o, m));
        if (o.kind === "PersistentVolumeClaim") checkClaim("spec.resources.requests.storage", o.object?.spec, config, say);
        const { pods, loose, claimTemplates } = workloadOf(o);
        for (const { template, path } of claimTemplates) checkClaim(`${path} (${template.metadata?.name}) storage`, template.spec, config, say);
        for (const { spec, path } of [...pods, ...loose.map((l) => ({ spec: l.node, path: l.path }))]) {
            for (const volume of list<Props>(spec.volumes)) {
                if (volume?.ephemeral) checkClaim(`${path ? `${path} ` : ""}ephemeral volume ${volume.name} storage`, volume.ephemeral.volumeClaimTemplate?.spec, config, say);
            }
        }
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
