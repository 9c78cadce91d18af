import { existsSync, readFileSync } from "node:fs";
import { load } from "js-yaml";
import { readYaml } from "./kubernetesYaml";
import { known } from "./preview";
import type { Props } from "./support";

/**
 * The Kubernetes objects a Pulumi resource stands for, however the program declared them: a
 * typed resource (`kubernetes:apps/v1:Deployment`), its server-side patch
 * (`...:DeploymentPatch`), a CustomResource (same token shape), or the objects inside a
 * `yaml/v2` ConfigGroup or ConfigFile, which the engine expands only in the provider. A Helm
 * release's objects are not visible offline at all; `HELM_TYPES` names those.
 */

export interface KubeObject {
    /** The object's kind, e.g. `Deployment` (never `DeploymentPatch`). */
    kind: string;
    /** `group/version`, or `v1` for the core group. */
    apiVersion: string;
    /** The object's fields (metadata, spec...). */
    object: Props;
    /** How it was declared: "resource", "patch", "ConfigGroup" / "ConfigFile", or "embedded" in another object that creates it. */
    via: "resource" | "patch" | "ConfigGroup" | "ConfigFile" | "embedded";
    /** For an embedded object: the object that creates it (`Object payments/admin`). */
    within?: string;
}

/** Resources that install objects the pack cannot see: a Helm release's or chart's are rendered by the provider. */
export const HELM_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v2:Chart"];
/** yaml/v2 components (expanded in the provider) and the SDK's v1 ones (decoded by the provider, then registered by the SDK). */
export const CONFIG_GROUPS = ["kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml:ConfigGroup"];
export const CONFIG_FILES = ["kubernetes:yaml/v2:ConfigFile", "kubernetes:yaml:ConfigFile"];
const PULUMI_GROUPS = ["helm.sh", "kustomize", "yaml"];
/**
 * Objects a controller turns into manifests fetched or rendered in the cluster (a chart with its
 * values, a Git path), by API group: their specs are templates' inputs, not pods.
 */
export const RENDERER_KINDS: Record<string, string[]> = {
    "helm.toolkit.fluxcd.io": ["HelmRelease"],
    "kustomize.toolkit.fluxcd.io": ["Kustomization"],
    "fluxcd.controlplane.io": ["ResourceSet", "FluxInstance"],
    "argoproj.io": ["Application", "ApplicationSet"],
    "fleet.cattle.io": ["GitRepo", "Bundle", "HelmOp"],
    "helm.cattle.io": ["HelmChart"],
    "kappctrl.k14s.io": ["App"],
    "packaging.carvel.dev": ["PackageInstall"],
    "helm.crossplane.io": ["Release"],
    "operators.coreos.com": ["Subscription"],
};
/** Whether an object's controller renders what it installs (see RENDERER_KINDS). */
export const rendersInCluster = (o: KubeObject) => RENDERER_KINDS[o.apiVersion.split("/")[0]]?.includes(o.kind) === true;
/** The SDK's v1 ConfigGroup makes a ConfigFile child per file: its files are read there, not twice. */
const V1_CONFIG_GROUP = "kubernetes:yaml:ConfigGroup";

/** `kubernetes:apps/v1:DeploymentPatch` -> { apiVersion: apps/v1, kind: Deployment, patch: true }. */
export function kubernetesType(type: string): { apiVersion: string; kind: string; patch: boolean } | undefined {
    const match = /^kubernetes:(?:(core)\/)?([\w.-]+\/)?(v[\w]+):(\w+)$/.exec(type);
    if (!match) return undefined;
    const [, core, group, version, name] = match;
    const patch = name.endsWith("Patch") && name !== "Patch";
    return { apiVersion: core || !group ? version : `${group}${version}`, kind: patch ? name.slice(0, -"Patch".length) : name, patch };
}

/** Whether a resource of `type` may declare Kubernetes objects: every type `kubernetesObjects` reads is the provider's. */
export const declaresKubernetesObjects = (type: string) => type.startsWith("kubernetes:");

const parsedObjects = new WeakMap<object, KubeObject[]>();

/**
 * Every Kubernetes object a resource of `type` with `props` declares, lists read as their items
 * at any depth. Parsed once per props object: every policy asks again.
 */
export function kubernetesObjects(type: string, props: Props): KubeObject[] {
    const cacheable = typeof props === "object" && props !== null;
    const cached = cacheable ? parsedObjects.get(props) : undefined;
    if (cached) return cached;
    const seen = new Set<object>();
    const objects = declaredObjects(type, props)
        .flatMap((o) => listItems(o, seen))
        .flatMap((o) => withEmbedded(o, seen, 0));
    if (cacheable) parsedObjects.set(props, objects);
    return objects;
}

const MAX_EMBEDDING = 8;

/** An object and the manifests it creates in turn (see embeddedManifests), lists read as their items. */
function withEmbedded(o: KubeObject, seen: Set<object>, depth: number): KubeObject[] {
    if (depth > MAX_EMBEDDING) return [o];
    // In a preview a value may not be known yet: the object itself is still judged.
    const manifests = known(() => embeddedManifests(o)) ?? [];
    if (manifests.length === 0) return [o];
    const within = known(() => describeObject(o)) ?? `${o.kind} (named when created)`;
    const inner = manifests
        .filter((object) => !seen.has(object) && seen.add(object))
        .map((object): KubeObject => ({ kind: String(known(() => object.kind) ?? ""), apiVersion: String(known(() => object.apiVersion) ?? ""), object, via: "embedded", within }))
        .flatMap((e) => listItems(e, seen))
        .flatMap((e) => withEmbedded(e, seen, depth + 1));
    return [o, ...inner];
}

/**
 * Manifests an object's controller creates as written: a Crossplane provider-kubernetes Object's
 * spec.forProvider.manifest, a Kyverno policy's generate rules' data (the kind and name beside it).
 */
function embeddedManifests(o: KubeObject): Props[] {
    const group = o.apiVersion.split("/")[0];
    const spec = o.object?.spec;
    if (group === "kubernetes.crossplane.io" && o.kind === "Object") return isObject(spec?.forProvider?.manifest) ? [spec.forProvider.manifest] : [];
    if (group !== "kyverno.io" || (o.kind !== "ClusterPolicy" && o.kind !== "Policy")) return [];
    const policyNamespace = o.kind === "Policy" ? o.object?.metadata?.namespace : undefined;
    return list(spec?.rules)
        .flatMap((rule) => (isObject(rule) && isObject(rule.generate) ? [rule.generate, ...list(rule.generate.foreach)] : []))
        .filter((g): g is Props => isObject(g) && isObject(g.data))
        .map((g) => {
            const metadata: Props = { ...(isObject(g.data.metadata) ? g.data.metadata : {}) };
            if (g.name !== undefined) metadata.name = g.name;
            const namespace = g.namespace ?? policyNamespace;
            if (namespace !== undefined) metadata.namespace = namespace;
            return { ...g.data, apiVersion: g.apiVersion ?? g.data.apiVersion, kind: g.kind ?? g.data.kind, metadata };
        });
}

function declaredObjects(type: string, props: Props): KubeObject[] {
    const group = CONFIG_GROUPS.includes(type);
    if (group || CONFIG_FILES.includes(type)) {
        const via = group ? "ConfigGroup" : "ConfigFile";
        return embeddedObjects(props, type !== V1_CONFIG_GROUP).map((object) => ({ kind: String(object.kind ?? ""), apiVersion: String(object.apiVersion ?? ""), object, via }));
    }
    const parsed = kubernetesType(type);
    // Pulumi's own components (helm.sh, kustomize, yaml) share the token shape but are no Kubernetes object.
    if (!parsed || PULUMI_GROUPS.includes(parsed.apiVersion.split("/")[0])) return [];
    return [{ kind: parsed.kind, apiVersion: parsed.apiVersion, object: props ?? {}, via: parsed.patch ? "patch" : "resource" }];
}

/**
 * A list's items, recursively. The provider expands any manifest object whose `items` is an
 * array, whatever its kind (`Unstructured.IsList`); a typed `*List` resource holds its kind's
 * objects (items may leave their kind out). The object itself is then never created.
 */
function listItems(o: KubeObject, seen: Set<object>): KubeObject[] {
    const items = o.object?.items;
    const manifest = o.via === "ConfigGroup" || o.via === "ConfigFile" || o.via === "embedded";
    if (!Array.isArray(items) || !(manifest || o.kind.endsWith("List"))) return [o];
    // A YAML alias can make a list its own item.
    if (seen.has(items)) return [];
    seen.add(items);
    const itemKind = o.kind.endsWith("List") && o.kind !== "List" ? o.kind.slice(0, -"List".length) : "";
    return items
        .filter((item: unknown) => typeof item === "object" && item !== null)
        .flatMap((item: Props) => listItems({ ...o, kind: String(item.kind ?? itemKind), apiVersion: String(item.apiVersion ?? o.apiVersion), object: item }, seen));
}

/** The YAML texts of a ConfigGroup (yaml, files) or ConfigFile (file). */
function yamlTexts(props: Props, readFiles: boolean): string[] {
    const texts: string[] = [];
    for (const y of [props?.yaml].flat()) if (typeof y === "string") texts.push(y);
    for (const f of readFiles ? [props?.files, props?.file].flat() : []) {
        // Files are read relative to the program, as the provider reads them; an unreadable one is the program's failure, not a pass.
        if (typeof f === "string" && existsSync(f)) texts.push(readFileSync(f, "utf8"));
    }
    return texts;
}

/** The objects of a ConfigGroup (objs, yaml, files) or ConfigFile (file), parsed as the provider would. */
function embeddedObjects(props: Props, readFiles: boolean): Props[] {
    const objects: Props[] = [...[props?.objs].flat().filter((o): o is Props => typeof o === "object" && o !== null)];
    for (const text of yamlTexts(props, readFiles)) {
        for (const doc of readYaml(text).documents) if (typeof doc === "object" && doc !== null) objects.push(doc as Props);
    }
    return objects;
}

/** Why a ConfigGroup's or ConfigFile's YAML cannot be judged as the provider reads it, for each text that cannot. */
export function unreadableManifests(type: string, props: Props): string[] {
    const group = CONFIG_GROUPS.includes(type);
    if (!group && !CONFIG_FILES.includes(type)) return [];
    const texts = yamlTexts(props, type !== V1_CONFIG_GROUP);
    return texts.flatMap((text, i) => {
        const why = readYaml(text).unreadable;
        return why ? [`${group ? "ConfigGroup" : "ConfigFile"} YAML${texts.length > 1 ? ` ${i + 1}` : ""} cannot be read as the cluster reads it: ${why}, which go-yaml (the provider's reader) resolves otherwise than the guardrails could; write each key once, without merge keys`] : [];
    });
}

/** The kinds that run pods, and where each keeps its pod spec. */
const POD_SPEC_PATH: Record<string, string[]> = {
    Pod: ["spec"],
    Deployment: ["spec", "template", "spec"],
    StatefulSet: ["spec", "template", "spec"],
    DaemonSet: ["spec", "template", "spec"],
    ReplicaSet: ["spec", "template", "spec"],
    ReplicationController: ["spec", "template", "spec"],
    Job: ["spec", "template", "spec"],
    CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
    PodTemplate: ["template", "spec"],
};

/** The pod spec of a workload object, or undefined for other kinds (or a patch that leaves it out). */
export function podSpecOf(kind: string, object: Props): Props | undefined {
    const path = POD_SPEC_PATH[kind];
    if (!path) return undefined;
    let value: unknown = object;
    for (const key of path) value = (value as Props | undefined)?.[key];
    return typeof value === "object" && value !== null ? (value as Props) : undefined;
}

/** Every container of a pod spec: init, regular and ephemeral. */
export function containersOf(spec: Props): { container: Props; path: string }[] {
    return ["initContainers", "containers", "ephemeralContainers"].flatMap((field) =>
        (Array.isArray(spec?.[field]) ? spec[field] : []).map((container: Props, i: number) => ({ container, path: `${field}[${i}]` })),
    );
}

/** The core groups and `*.k8s.io`: their workload kinds keep pods where POD_SPEC_PATH says (any other kind is searched by shape). */
const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0] : "");

function builtIn(apiVersion: string): boolean {
    const group = groupOf(apiVersion);
    return !group.includes(".") || group.endsWith(".k8s.io");
}

/**
 * Kinds the API server serves itself that hold no pod, claim template or pod field: it drops
 * fields outside their schema, so nothing found by shape could reach a pod. A custom resource
 * cannot take a built-in group and kind. Walking these (a team's quotas, policies and roles) was
 * most of the pack's time on large programs.
 */
const PODLESS = new Set(
    Object.entries({
        "": ["Namespace", "ConfigMap", "Secret", "Service", "ServiceAccount", "ResourceQuota", "LimitRange", "Endpoints", "PersistentVolumeClaim", "Event"],
        "rbac.authorization.k8s.io": ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"],
        "networking.k8s.io": ["NetworkPolicy", "Ingress", "IngressClass"],
        policy: ["PodDisruptionBudget"],
        "storage.k8s.io": ["StorageClass", "CSIDriver"],
        "scheduling.k8s.io": ["PriorityClass"],
        autoscaling: ["HorizontalPodAutoscaler"],
        "coordination.k8s.io": ["Lease"],
        "discovery.k8s.io": ["EndpointSlice"],
        "apiextensions.k8s.io": ["CustomResourceDefinition"],
    }).flatMap(([group, kinds]) => kinds.map((kind) => `${group}/${kind}`)),
);

/** A pod spec inside an object; `path` is empty where the kind keeps it (spec.template.spec for most). */
export interface PodSpecAt {
    spec: Props;
    metadata: Props;
    path: string;
}

/**
 * A node outside any pod spec that sets what a pod would: a lone container (an Argo template's
 * `container`, a `sidecars` entry) or pod fields beside them (a Workflow's `hostNetwork`,
 * `volumes`, `securityContext`). A lone container inherits the nearest `securityContext` above it.
 */
export interface LooseAt {
    node: Props;
    path: string;
    container: boolean;
    inheritedSecurityContext?: Props;
}

/** Everything in an object that becomes pods or their volumes. */
export interface Workload {
    pods: PodSpecAt[];
    loose: LooseAt[];
    /** Claim templates (StatefulSet's, or any CRD's `volumeClaimTemplates`). */
    claimTemplates: { template: Props; path: string }[];
}

const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"];
/** Fields that mean the same in any pod-running CRD as in a pod spec. */
const POD_FIELDS = ["hostNetwork", "hostPID", "hostIPC", "hostUsers", "volumes", "securityContext"];
const MAX_DEPTH = 64;
const workloads = new WeakMap<object, Workload>();
const isObject = (v: unknown): v is Props => typeof v === "object" && v !== null;
/** A container: it names an image, or sets what an operator merges into its own containers by name (Prometheus' spec.containers). */
const isContainer = (c: unknown) => isObject(c) && (typeof c.image === "string" || isObject(c.securityContext) || Array.isArray(c.ports));
const runsImages = (node: Props) => CONTAINER_LISTS.some((k) => Array.isArray(node[k]) && node[k].some(isContainer));

/**
 * The pods an object runs and the claims it makes: the kind's own pod spec for the core
 * workloads; for any other kind (JobSet, Workflow, SidecarSet, CloneSet, a CRD in a *.k8s.io
 * group...), every object at any depth with containers, lone containers and pod fields, by shape.
 */
export function workloadOf(o: KubeObject): Workload {
    const object = o.object;
    if (!isObject(object)) return { pods: [], loose: [], claimTemplates: [] };
    const cached = workloads.get(object);
    if (cached) return cached;
    const found: Workload = { pods: [], loose: [], claimTemplates: [] };
    if (rendersInCluster(o)) {
        // reported by not-verifiable-offline: its values are a chart's, not a pod spec
    } else if (PODLESS.has(`${groupOf(o.apiVersion)}/${o.kind}`)) {
        // nothing to find: the API server keeps only the kind's own fields
    } else if (builtIn(o.apiVersion) && POD_SPEC_PATH[o.kind]) {
        const spec = podSpecOf(o.kind, object);
        if (spec) {
            const template = o.kind === "Pod" ? object : o.kind === "PodTemplate" ? object.template : o.kind === "CronJob" ? object.spec?.jobTemplate?.spec?.template : object.spec?.template;
            found.pods.push({ spec, metadata: template?.metadata ?? {}, path: "" });
        }
        if (o.kind === "StatefulSet") list(object.spec?.volumeClaimTemplates).forEach((template, i) => isObject(template) && found.claimTemplates.push({ template, path: `spec.volumeClaimTemplates[${i}]` }));
    } else {
        walk(object, "", undefined, undefined, found, new Set(), 0);
    }
    workloads.set(object, found);
    return found;
}

function walk(node: unknown, path: string, parent: Props | undefined, securityContext: Props | undefined, found: Workload, seen: Set<object>, depth: number): void {
    if (!isObject(node) || seen.has(node) || depth > MAX_DEPTH) return;
    seen.add(node);
    const at = (key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    if (Array.isArray(node)) {
        node.forEach((item, i) => walk(item, at(i), parent, securityContext, found, seen, depth + 1));
        return;
    }
    if (runsImages(node)) {
        found.pods.push({ spec: node, metadata: parent?.spec === node && isObject(parent.metadata) ? parent.metadata : {}, path: path === "spec.template.spec" ? "" : path });
        for (const k of CONTAINER_LISTS) list(node[k]).forEach((c) => isObject(c) && seen.add(c));
    } else if (typeof node.image === "string") {
        // Judged here; what is below it (a Spark driver's own pod fields) is walked on.
        found.loose.push({ node, path, container: true, inheritedSecurityContext: securityContext });
        if (isObject(node.securityContext)) seen.add(node.securityContext);
    } else if (POD_FIELDS.some((k) => node[k] !== undefined && node[k] !== null)) {
        found.loose.push({ node, path, container: false });
    }
    list(node.volumeClaimTemplates).forEach((template, i) => isObject(template) && found.claimTemplates.push({ template, path: `${at("volumeClaimTemplates")}[${i}]` }));
    const inherited = isObject(node.securityContext) ? node.securityContext : securityContext;
    for (const [key, value] of Object.entries(node)) {
        if (key === "metadata" || key === "status" || key === "volumeClaimTemplates") continue;
        // Argo's podSpecPatch: a pod spec as YAML or JSON text, merged into every pod.
        if (typeof value === "string" && /podspecpatch$/i.test(key)) embeddedPodSpec(value, at(key), found);
        else walk(value, at(key), node, inherited, found, seen, depth + 1);
    }
}

function embeddedPodSpec(text: string, path: string, found: Workload): void {
    let spec: unknown;
    try {
        spec = load(text);
    } catch {
        return; // not YAML: the controller cannot merge it either
    }
    if (isObject(spec)) found.pods.push({ spec, metadata: {}, path });
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const providerNamespaces = new WeakMap<object, string | undefined>();

/**
 * The namespace a kubernetes provider puts objects that name none in: its `namespace` input,
 * else the namespace of its kubeconfig's context. Undefined when neither says (or is not known yet).
 */
export function providerNamespace(props: Props | undefined): string | undefined {
    if (!isObject(props)) return undefined;
    if (providerNamespaces.has(props)) return providerNamespaces.get(props);
    const namespace = known(() => {
        if (typeof props.namespace === "string" && props.namespace !== "") return props.namespace;
        let config: unknown = props.kubeconfig;
        if (typeof config === "string") {
            try {
                config = load(config); // JSON is YAML too
            } catch {
                return undefined;
            }
        }
        if (!isObject(config)) return undefined;
        const context = typeof props.context === "string" ? props.context : config["current-context"];
        const found = list(config.contexts).find((c): c is Props => isObject(c) && c.name === context);
        return typeof found?.context?.namespace === "string" && found.context.namespace !== "" ? found.context.namespace : undefined;
    });
    providerNamespaces.set(props, namespace);
    return namespace;
}

/** An object's namespace: its own, else its provider's default, else `default`. */
export function objectNamespace(object: Props, providerProps?: Props): string {
    const own = object?.metadata?.namespace;
    return typeof own === "string" && own !== "" ? own : (providerNamespace(providerProps) ?? "default");
}

/**
 * Which cluster a resource's provider reaches, as a key: the engine's default providers and
 * providers that name no kubeconfig, context or cluster reach the ambient one (""); others the
 * one their connection settings name (by URN while those are not known yet).
 */
export function clusterOf(provider: { urn: string; props: Props } | undefined): string {
    if (!provider || /::pulumi:providers:kubernetes::default(_\d+_\d+_\d+[\w-]*)?$/.test(provider.urn)) return "";
    // Every object of a provider asks again, and a kubeconfig is kilobytes of text.
    let key = clusters.get(provider);
    if (key === undefined) {
        const connection = known(() => {
            const settings = [provider.props?.kubeconfig, provider.props?.context, provider.props?.cluster];
            return settings.every((v) => v === undefined || v === null || v === "") ? "" : JSON.stringify(settings);
        });
        clusters.set(provider, (key = connection ?? provider.urn));
    }
    return key;
}
const clusters = new WeakMap<object, string>();

/** A human label for an object: `Deployment payments/checkout` (via a ConfigGroup, if so). */
export function describeObject(o: KubeObject): string {
    const name = o.object?.metadata?.name ?? "(unnamed)";
    const namespace = o.object?.metadata?.namespace;
    const how = o.via === "ConfigGroup" || o.via === "ConfigFile" ? ` (in a ${o.via})` : o.via === "patch" ? " (a patch)" : o.via === "embedded" ? ` (created by ${o.within})` : "";
    return `${o.kind} ${namespace ? `${namespace}/` : ""}${name}${how}`;
}
