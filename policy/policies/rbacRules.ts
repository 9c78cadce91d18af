import type { PolicyResource } from "@pulumi/policy";
import { providerNamespace } from "./kubernetes";
import { matchesAny } from "./patterns";
import { known } from "./preview";
import { list, Props } from "./support";

/**
 * What Kubernetes RBAC roles allow, judged by their effect rather than by a literal `*`: a role is
 * cluster-admin wherever it is bound (every verb on everything, escalate, bind, impersonating users
 * or groups), or it takes over the namespaces it reaches (reads their secrets, runs pods as their
 * service accounts), which is cluster-admin once one of them is a system namespace or the binding
 * is cluster-wide. Also where a namespaced object lands when it names no namespace.
 */

/** Why a role amounts to cluster-admin, or takes over the namespaces it reaches; each undefined if not. */
export interface RolePower {
    admin?: string;
    takeover?: string;
}

/**
 * Namespaces where the cluster's own controllers and envstack's platform run, and the GitOps,
 * certificate, admission and mesh controllers that hold cluster-wide rights: a takeover there is the cluster.
 */
export const DEFAULT_SYSTEM_NAMESPACES = ["kube-*", "monitoring", "amazon-cloudwatch", "karpenter", "flux-system", "argocd", "cert-manager", "gatekeeper-system", "istio-system"];

type Rule = { groups: string[]; resources: string[]; verbs: string[] };

const lower = (values: unknown): string[] => list<unknown>(values as unknown[]).map((v) => String(v).toLowerCase());
const normalize = (rule: Props): Rule => ({ groups: lower(rule?.apiGroups), resources: lower(rule?.resources), verbs: lower(rule?.verbs) });

// RBAC's resource match: `*`, the name, pods/<any> for every subresource of pods, <any>/scale for one subresource of all.
function resourceMatches(ruleResource: string, resource: string): boolean {
    if (ruleResource === "*" || ruleResource === resource) return true;
    const [base, sub] = resource.split("/");
    return sub !== undefined && (ruleResource === `${base}/*` || ruleResource === `*/${sub}`);
}

function allows(rule: Rule, group: string, resources: string[], verbs: string[]): string | undefined {
    if (!rule.groups.includes("*") && !rule.groups.includes(group)) return undefined;
    if (!rule.verbs.includes("*") && !verbs.some((v) => rule.verbs.includes(v))) return undefined;
    return resources.find((r) => rule.resources.some((ruleResource) => resourceMatches(ruleResource, r)));
}

const WRITE = ["create", "update", "patch"];
/** Rights that own a namespace: its secrets, or pods running as any of its service accounts (and so their rights). */
const TAKEOVER: { group: string; resources: string[]; verbs: string[]; what: string }[] = [
    { group: "", resources: ["secrets"], verbs: ["get", "list", "watch"], what: "read access to secrets" },
    { group: "", resources: ["pods"], verbs: ["create"], what: "pod creation" },
    { group: "", resources: ["pods/exec", "pods/attach"], verbs: ["create", "get"], what: "exec into pods" },
    { group: "", resources: ["pods/ephemeralcontainers"], verbs: ["update", "patch"], what: "ephemeral containers in pods" },
    // A running pod's image may be changed: swapping a system pod's keeps its privileges and service account.
    { group: "", resources: ["pods"], verbs: ["update", "patch"], what: "image swaps in running pods" },
    // kube-system's aws-auth maps IAM principals into system:masters; controllers read their settings from ConfigMaps.
    { group: "", resources: ["configmaps"], verbs: WRITE, what: "configmap writes (aws-auth, controllers' settings)" },
    { group: "", resources: ["replicationcontrollers"], verbs: WRITE, what: "workload writes" },
    { group: "apps", resources: ["deployments", "daemonsets", "statefulsets", "replicasets"], verbs: WRITE, what: "workload writes" },
    { group: "batch", resources: ["jobs", "cronjobs"], verbs: WRITE, what: "workload writes" },
    { group: "", resources: ["serviceaccounts/token"], verbs: ["create"], what: "service account tokens" },
    { group: "", resources: ["serviceaccounts"], verbs: ["impersonate"], what: "service account impersonation" },
    // Cluster-scoped: they count only where the binding is cluster-wide.
    { group: "", resources: ["nodes/proxy"], verbs: ["get", "create"], what: "the kubelet API of every node (nodes/proxy)" },
    { group: "admissionregistration.k8s.io", resources: ["mutatingwebhookconfigurations"], verbs: WRITE, what: "mutating admission webhooks" },
    { group: "admissionregistration.k8s.io", resources: ["mutatingadmissionpolicies", "mutatingadmissionpolicybindings"], verbs: WRITE, what: "mutating admission policies" },
    // A hostPath PersistentVolume gives the node's files to a pod that only claims it.
    { group: "", resources: ["persistentvolumes"], verbs: WRITE, what: "persistent volume writes (hostPath volumes)" },
    { group: "certificates.k8s.io", resources: ["signers"], verbs: ["approve", "sign"], what: "certificate approval" },
];

/** Verbs that, together, are everything that matters on a resource. */
const EVERY_VERB = ["get", "list", "create", "update", "patch", "delete"];
const ROLE_RESOURCES = ["roles", "clusterroles"];
const IDENTITY_RESOURCES = ["users", "groups", "uids", "userextras"];

function adminReason(rule: Rule): string | undefined {
    const every = rule.verbs.includes("*") || EVERY_VERB.every((v) => rule.verbs.includes(v));
    if (every && rule.resources.includes("*")) return "every verb on every resource";
    const selfGranting = ["escalate", "bind"].filter((v) => rule.verbs.includes(v));
    if (selfGranting.length > 0) return `the ${selfGranting.join(", ")} verb(s), with which it can grant itself anything`;
    // Impersonating users or groups reaches system:masters; impersonating service accounts is a takeover of their namespaces.
    const impersonated = rule.resources.find((r) => r === "*" || IDENTITY_RESOURCES.some((i) => resourceMatches(r, i)));
    if (rule.verbs.includes("impersonate") && impersonated) return "the impersonate verb(s), with which it can grant itself anything";
    const roles = rule.resources.find((r) => ROLE_RESOURCES.includes(r));
    if (rule.verbs.includes("*") && roles) return `every verb on ${roles}, escalate included`;
    if (rule.verbs.includes("*") && impersonated) return `every verb on ${impersonated}, impersonate included`;
    return undefined;
}

/** What a role's rules allow. */
export function rulesPower(rules: unknown): RolePower {
    const power: RolePower = {};
    for (const raw of list<Props>(rules as Props[])) {
        const rule = normalize(raw);
        power.admin ??= adminReason(rule);
        power.takeover ??= TAKEOVER.find((t) => allows(rule, t.group, t.resources, t.verbs))?.what;
        if (power.admin) break;
    }
    return power;
}

/** System roles that only read public information or check tokens: binding them gives nothing away. */
const HARMLESS_SYSTEM_ROLES = [
    "system:basic-user",
    "system:aggregate-to-view",
    "system:discovery",
    "system:public-info-viewer",
    "system:monitoring",
    "system:auth-delegator",
    "system:kube-dns",
    "system:heapster",
    "system:node-problem-detector",
];

/** Built-in roles whose name a ClusterRole (or a kube-system Role) takes over when declared again. */
export function isBuiltInRole(kind: string, name: string, systemNamespace: boolean): boolean {
    if (kind === "ClusterRole") return ["cluster-admin", "admin", "edit", "view"].includes(name) || name.startsWith("system:");
    return systemNamespace && (name.startsWith("system:") || name === "extension-apiserver-authentication-reader");
}

/** What a built-in role referenced by name holds, as labels for messages. */
export function builtInPower(kind: string, name: string, systemNamespace: boolean): RolePower {
    if (kind === "ClusterRole" && name === "cluster-admin") return { admin: "cluster-admin" };
    if (kind === "ClusterRole" && (name === "admin" || name === "edit")) return { takeover: name };
    // The pieces admin and edit are aggregated from; view's reads no secret.
    if (kind === "ClusterRole" && (name === "system:aggregate-to-admin" || name === "system:aggregate-to-edit")) return { takeover: name };
    if (isBuiltInRole(kind, name, systemNamespace) && name.startsWith("system:") && !HARMLESS_SYSTEM_ROLES.includes(name)) {
        return { admin: `${kind} ${name} (a built-in system role: the control plane's own rights, escalate and secrets among them)` };
    }
    return {};
}

/** The built-in roles that already hold a takeover: widening them with one gives nothing new. */
export const HOLDS_TAKEOVER = ["cluster-admin", "admin", "edit"];

/**
 * Whether an aggregationRule selector can only pick roles the stack itself declares: one of its
 * positive conditions is on a label key under the program's own domain. Keys under kubernetes.io or
 * k8s.io (the bootstrap roles' `kubernetes.io/bootstrapping`, the aggregate-to-* labels, charts'
 * app.kubernetes.io), unprefixed keys, and empty selectors pick roles the stack cannot see.
 */
export function selectsOwnRolesOnly(selector: Props): boolean {
    const owned = (key: unknown) => {
        const prefix = String(key ?? "").includes("/") ? String(key).split("/")[0] : "";
        return prefix !== "" && !/(^|\.)(kubernetes\.io|k8s\.io)$/.test(prefix);
    };
    const positive = [...Object.keys(selector?.matchLabels ?? {}), ...list<Props>(selector?.matchExpressions).filter((e) => e?.operator === "In" || e?.operator === "Exists").map((e) => e?.key)];
    return positive.some(owned);
}

/**
 * The user-facing role (admin, edit, view) a selector picks the pieces of, when it asks only for
 * `rbac.authorization.k8s.io/aggregate-to-<role>: "true"`: the same pieces that role aggregates.
 */
export function aggregatedUserRole(selector: Props): string | undefined {
    const labels = Object.entries(selector?.matchLabels ?? {});
    if (labels.length !== 1 || list(selector?.matchExpressions).length > 0 || String(labels[0][1]) !== "true") return undefined;
    const role = /^rbac\.authorization\.k8s\.io\/aggregate-to-(admin|edit|view)$/.exec(labels[0][0])?.[1];
    return role;
}

/** A label selector's match, as the aggregation controller applies it. */
export function selectorMatches(selector: Props, labels: Record<string, unknown>): boolean {
    const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
    const value = (k: string) => (has(k) ? String(labels[k]) : undefined);
    for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (value(k) !== String(v)) return false;
    for (const e of list<Props>(selector?.matchExpressions)) {
        const values = list<unknown>(e?.values).map(String);
        const v = value(String(e?.key));
        if (e?.operator === "In" && (v === undefined || !values.includes(v))) return false;
        if (e?.operator === "NotIn" && v !== undefined && values.includes(v)) return false;
        if (e?.operator === "Exists" && v === undefined) return false;
        if (e?.operator === "DoesNotExist" && v !== undefined) return false;
    }
    return true;
}

/** A selector as text for messages: `kubernetes.io/bootstrapping=rbac-defaults`. */
export function describeSelector(selector: Props): string {
    const labels = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
    const exprs = list<Props>(selector?.matchExpressions).map((e) => `${e?.key} ${e?.operator} ${JSON.stringify(e?.values ?? [])}`);
    return [...labels, ...exprs].join(", ") || "{} (every ClusterRole)";
}

/** Where an object lands: named namespaces, or `unknown` when a preview does not know the name yet. */
export interface Landing {
    namespaces: string[];
    unknown: boolean;
    /** How the namespaces were found: the object's own, its provider's default, or any Kubernetes provider's in the stack. */
    via: "own" | "provider" | "any provider";
}

const ABSENT = Symbol("absent");
/** A value, ABSENT when not set, undefined when a preview does not know it yet. */
function read(get: () => unknown): unknown {
    return known(() => get() ?? ABSENT);
}

/**
 * A Kubernetes provider's default namespace, as the provider picks it: its namespace argument,
 * else its kubeconfig context's namespace, else `default`; undefined when a preview does not know it yet.
 */
function defaultNamespace(props: Props | undefined): string | undefined {
    const ns = read(() => props?.namespace);
    if (ns === undefined) return undefined;
    return ns === ABSENT ? (providerNamespace(props) ?? "default") : String(ns);
}

/** The default namespaces of the stack's Kubernetes providers, for resources whose own provider is not visible. */
export function providerNamespaces(resources: PolicyResource[]): { namespaces: string[]; unknown: boolean } {
    const found = { namespaces: ["default"], unknown: false };
    for (const r of resources) {
        if (r.type !== "pulumi:providers:kubernetes") continue;
        const ns = defaultNamespace(r.props);
        if (ns === undefined) found.unknown = true;
        else if (!found.namespaces.includes(ns)) found.namespaces.push(ns);
    }
    return found;
}

/**
 * The namespace(s) a namespaced object lands in. Without metadata.namespace it is its provider's
 * default (`new k8s.Provider(..., { namespace })`): that provider's when visible, else any the
 * stack's Kubernetes providers set, or `default`.
 */
export function landing(object: Props, provider: { props: Props } | undefined, stack: { namespaces: string[]; unknown: boolean }): Landing {
    const own = read(() => object?.metadata?.namespace);
    if (own === undefined) return { namespaces: [], unknown: true, via: "own" };
    if (own !== ABSENT) return { namespaces: [String(own)], unknown: false, via: "own" };
    if (provider) {
        const ns = defaultNamespace(provider.props);
        if (ns === undefined) return { namespaces: [], unknown: true, via: "provider" };
        return { namespaces: [ns], unknown: false, via: "provider" };
    }
    return { ...stack, via: "any provider" };
}

/** The system namespace an object may land in, as text for messages; undefined if none. */
export function systemLanding(l: Landing, systemNamespaces: readonly string[]): { namespace?: string; text: string } | undefined {
    const hit = l.namespaces.find((n) => matchesAny(n, systemNamespaces));
    if (hit !== undefined) {
        const where = l.via === "own" ? hit : `the provider's default namespace${l.via === "any provider" ? ", which may be" : ""} ${hit}`;
        const text = `${where} (a system namespace)`;
        return { namespace: hit, text };
    }
    return l.unknown ? { text: "a namespace not known until the resources exist" } : undefined;
}
