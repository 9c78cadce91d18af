import * as fs from "node:fs";
import { loadAll } from "js-yaml";
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
    /** How it was declared: "resource", "patch", or "ConfigGroup" / "ConfigFile". */
    via: "resource" | "patch" | "ConfigGroup" | "ConfigFile";
}

/** Resources that install objects the pack cannot see: a Helm release's are rendered by the provider. */
export const HELM_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];
const CONFIG_GROUP = "kubernetes:yaml/v2:ConfigGroup";
const CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile";

/** `kubernetes:apps/v1:DeploymentPatch` -> { apiVersion: apps/v1, kind: Deployment, patch: true }. */
export function kubernetesType(type: string): { apiVersion: string; kind: string; patch: boolean } | undefined {
    const match = /^kubernetes:(?:(core)\/)?([\w.-]+\/)?(v[\w]+):(\w+)$/.exec(type);
    if (!match) return undefined;
    const [, core, group, version, name] = match;
    const patch = name.endsWith("Patch") && name !== "Patch";
    return { apiVersion: core || !group ? version : `${group}${version}`, kind: patch ? name.slice(0, -"Patch".length) : name, patch };
}

const parsedObjects = new WeakMap<object, KubeObject[]>();

/**
 * Every Kubernetes object a resource of `type` with `props` declares, a `List` or `*List`
 * (`PodList`) read as its items. Parsed once per props object: every policy asks again.
 */
export function kubernetesObjects(type: string, props: Props): KubeObject[] {
    const cacheable = typeof props === "object" && props !== null;
    const cached = cacheable ? parsedObjects.get(props) : undefined;
    if (cached) return cached;
    const objects = declaredObjects(type, props).flatMap(listItems);
    if (cacheable) parsedObjects.set(props, objects);
    return objects;
}

function declaredObjects(type: string, props: Props): KubeObject[] {
    if (type === CONFIG_GROUP || type === CONFIG_FILE) {
        const via = type === CONFIG_GROUP ? "ConfigGroup" : "ConfigFile";
        return embeddedObjects(props).map((object) => ({ kind: String(object.kind ?? ""), apiVersion: String(object.apiVersion ?? ""), object, via }));
    }
    const parsed = kubernetesType(type);
    if (!parsed || parsed.apiVersion === "v2" /* yaml/v2 components handled above */) return [];
    return [{ kind: parsed.kind, apiVersion: parsed.apiVersion, object: props ?? {}, via: parsed.patch ? "patch" : "resource" }];
}

/** A `List` holds objects of any kind; a `PodList` holds Pods (items may leave their kind out). */
function listItems(o: KubeObject): KubeObject[] {
    if (!o.kind.endsWith("List") || !Array.isArray(o.object?.items)) return [o];
    const itemKind = o.kind === "List" ? "" : o.kind.slice(0, -"List".length);
    return o.object.items
        .filter((item: unknown) => typeof item === "object" && item !== null)
        .flatMap((item: Props) => listItems({ ...o, kind: String(item.kind ?? itemKind), apiVersion: String(item.apiVersion ?? o.apiVersion), object: item }));
}

/** The objects of a ConfigGroup (objs, yaml, files) or ConfigFile (file), parsed as the provider would. */
function embeddedObjects(props: Props): Props[] {
    const texts: string[] = [];
    for (const y of [props?.yaml].flat()) if (typeof y === "string") texts.push(y);
    for (const f of [props?.files, props?.file].flat()) {
        // Files are read relative to the program, as the provider reads them; an unreadable one is the program's failure, not a pass.
        if (typeof f === "string" && fs.existsSync(f)) texts.push(fs.readFileSync(f, "utf8"));
    }
    const objects: Props[] = [...[props?.objs].flat().filter((o): o is Props => typeof o === "object" && o !== null)];
    for (const text of texts) {
        for (const doc of loadAll(text)) if (typeof doc === "object" && doc !== null) objects.push(doc as Props);
    }
    return objects;
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

/** A human label for an object: `Deployment payments/checkout` (via a ConfigGroup, if so). */
export function describeObject(o: KubeObject): string {
    const name = o.object?.metadata?.name ?? "(unnamed)";
    const namespace = o.object?.metadata?.namespace;
    return `${o.kind} ${namespace ? `${namespace}/` : ""}${name}${o.via === "ConfigGroup" || o.via === "ConfigFile" ? ` (in a ${o.via})` : o.via === "patch" ? " (a patch)" : ""}`;
}
