import { declaresKubernetesObjects, describeObject, KubeObject, objectNamespace, unreadableManifests, workloadOf } from "./kubernetes";
import { matchesAny } from "./patterns";
import { PodSecurityLevel, workloadFindings } from "./podSecurity";
import type { ResourceValidation } from "@pulumi/policy";
import { byKubernetesObject, GuardrailResourcePolicy, list, onlyFor, Props } from "./support";

/**
 * Guardrails on what pods may do to their node, by the Pod Security Standards: the baseline for
 * every workload however it is declared (typed, patched, inside a ConfigGroup or ConfigFile, a
 * List, a CustomResource with a pod template), the restricted level where config asks.
 */

const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

/** What a pod is made from: mutating admission on any of these can rewrite a pod the guardrails judged. */
const POD_RESOURCES = ["pods", "deployments", "statefulsets", "daemonsets", "replicasets", "replicationcontrollers", "jobs", "cronjobs", "podtemplates"];
const POD_KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "PodTemplate"];
/** Groups whose pod-making resources are the ones above; any other group may be a CRD whose controller makes pods (a JobSet). */
const POD_GROUPS = ["", "core", "apps", "batch"];
/** Built-in kinds that make no pods: a mutation limited to them rewrites none (any other kind may be a CRD that does). */
const PODLESS_KINDS = [
    "ConfigMap", "Secret", "Service", "ServiceAccount", "Namespace", "Endpoints", "EndpointSlice", "Event", "LimitRange", "ResourceQuota", "PersistentVolumeClaim",
    "Ingress", "IngressClass", "NetworkPolicy", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Lease", "StorageClass",
];
const NAMESPACE_NAME = "kubernetes.io/metadata.name";
/** Mutating admission by kind: native webhooks and policies, Kyverno's policies, Gatekeeper's mutations. */
const MUTATORS: Record<string, string[]> = {
    "admissionregistration.k8s.io": ["MutatingWebhookConfiguration", "MutatingAdmissionPolicy"],
    "kyverno.io": ["ClusterPolicy", "Policy"],
    "policies.kyverno.io": ["MutatingPolicy"],
    "mutations.gatekeeper.sh": ["Assign", "AssignMetadata", "ModifySet", "AssignImage"],
};
const isMutating = (o: KubeObject) => MUTATORS[o.apiVersion.split("/")[0]]?.includes(o.kind) === true;

/** The namespaces a selector is limited to by name, or undefined when it may select any. */
function selectedNames(selector: Props | undefined): string[] | undefined {
    const byLabel = selector?.matchLabels?.[NAMESPACE_NAME];
    if (typeof byLabel === "string") return [byLabel];
    const byExpression = list<Props>(selector?.matchExpressions).find((e) => e?.key === NAMESPACE_NAME && e?.operator === "In");
    return byExpression ? list<unknown>(byExpression.values).filter((v): v is string => typeof v === "string") : undefined;
}

const onlyExempt = (names: unknown[] | undefined, exempt: string[]) => names !== undefined && names.length > 0 && names.every((n) => typeof n === "string" && matchesAny(n, exempt));

/** Whether a kind (`Pod`, `apps/v1/Deployment`, `*`, a CRD's) in a group (undefined: not said) may make pods. */
function podKind(kind: unknown, groups?: string[]): boolean {
    const parts = String(kind ?? "").split("/");
    const name = parts.length >= 3 ? parts[2] : parts[parts.length - 1];
    const all = parts.length >= 3 ? [parts[0]] : groups;
    if (POD_KINDS.some((k) => matchesAny(k, [name]))) return true;
    if (all !== undefined) return all.some((g) => !POD_GROUPS.includes(g));
    return !PODLESS_KINDS.includes(name);
}

/** Native rules: a pod resource by name, or any resource of a group outside core, apps and batch. */
function ruleResources(rules: Props[]): string[] {
    return rules.flatMap((r) => {
        const outside = list<unknown>(r?.apiGroups).some((g) => !POD_GROUPS.includes(String(g)));
        return list<unknown>(r?.resources)
            .filter((resource) => {
                const name = typeof resource === "string" ? resource.toLowerCase().split("/")[0] : "";
                return outside || name === "*" || POD_RESOURCES.includes(name);
            })
            .map(String);
    });
}

/**
 * What a mutating object rewrites outside the exempt namespaces that pods are made from: what it
 * returns is not what the guardrails judged.
 */
function podMutations(o: KubeObject, namespace: string, exempt: string[]): string[] {
    const spec: Props = o.object?.spec ?? {};
    const matched = new Set<string>();
    const group = o.apiVersion.split("/")[0];
    if (o.kind === "MutatingWebhookConfiguration" || o.kind === "MutatingAdmissionPolicy" || o.kind === "MutatingPolicy") {
        const matchers = o.kind === "MutatingWebhookConfiguration" ? list<Props>(o.object?.webhooks) : [{ rules: spec.matchConstraints?.resourceRules, namespaceSelector: spec.matchConstraints?.namespaceSelector }];
        for (const m of matchers) if (!onlyExempt(selectedNames(m?.namespaceSelector), exempt)) ruleResources(list<Props>(m?.rules)).forEach((r) => matched.add(r));
    } else if (group === "kyverno.io") {
        if (o.kind === "Policy" && matchesAny(namespace, exempt)) return [];
        for (const rule of list<Props>(spec.rules)) {
            if (!rule?.mutate) continue;
            const filters = [rule.match, ...list<Props>(rule.match?.any), ...list<Props>(rule.match?.all)].map((f) => f?.resources).filter(Boolean);
            for (const f of filters) if (!onlyExempt(list<unknown>(f.namespaces), exempt)) list<unknown>(f.kinds).filter((k) => podKind(k)).forEach((k) => matched.add(String(k)));
            list<Props>(rule.mutate.targets).filter((t) => podKind(t?.kind)).forEach((t) => matched.add(String(t.kind)));
        }
    } else {
        // Gatekeeper: applyTo names what Assign, ModifySet and AssignImage change; match.kinds narrows it (AssignMetadata: any kind).
        const match: Props = spec.match ?? {};
        if (onlyExempt(list<unknown>(match.namespaces), exempt)) return [];
        const kinds = (entries: Props[], groupsKey: string) => entries.flatMap((e) => list<unknown>(e?.kinds).filter((k) => podKind(k, list<unknown>(e?.[groupsKey]).map(String))).map(String));
        const narrowed = list<Props>(match.kinds).length === 0 || kinds(list<Props>(match.kinds), "apiGroups").length > 0;
        const applyTo = list<Props>(spec.applyTo);
        const targets = applyTo.length > 0 ? kinds(applyTo, "groups") : list<Props>(match.kinds).length > 0 ? kinds(list<Props>(match.kinds), "apiGroups") : ["every kind"];
        if (narrowed) targets.forEach((k) => matched.add(k));
    }
    return [...matched];
}

/**
 * Runs `check` on each object that runs pods (or is a Namespace, PersistentVolume or mutating admission), with its namespace.
 * Manifest YAML the provider reads otherwise than the pack is reported, by the baseline (`unreadable`).
 */
function eachPod(check: (o: KubeObject, findings: (level: PodSecurityLevel) => string[], config: Props, namespace: string, report: (m: string) => void) => void, unreadable = false): ResourceValidation {
    const each = byKubernetesObject((o, args, report) => {
        const config = args.getConfig<Props>();
        const { pods, loose } = workloadOf(o);
        if (o.kind === "Namespace" || o.kind === "PersistentVolume" || isMutating(o) || pods.length > 0 || loose.length > 0) {
            check(o, (level) => workloadFindings(o, level, config.allowedHostPorts ?? []), config, objectNamespace(o.object, args.provider?.props), report);
        }
    });
    return onlyFor(declaresKubernetesObjects, (args, report) => {
        if (unreadable) for (const why of unreadableManifests(args.type, args.props)) report(why);
        return each(args, report);
    });
}

/** A PersistentVolume's node-local source: hostPath or local, the node's files for any pod that claims it. */
function nodeLocalSource(o: KubeObject): string | undefined {
    const spec = o.object?.spec ?? {};
    for (const source of ["hostPath", "local"]) {
        if (spec[source] !== undefined && spec[source] !== null) return `spec.${source} (${JSON.stringify(spec[source]?.path)})`;
    }
    return undefined;
}

export const podSecurityBaseline: GuardrailResourcePolicy = {
    name: "pod-security-baseline",
    description:
        "Workloads (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, pod templates), however declared, meet the Pod Security Standards' baseline: no privileged or host-process containers, host namespaces, hostPath volumes or host ports; capabilities only from the default set; safe sysctls only; the default /proc mount; no unconfined seccomp or AppArmor, no custom SELinux user, role or type; probes and hooks that name no host. Init and ephemeral containers count, and so do pods in custom resources (a JobSet's, an Argo Workflow's containers, a SidecarSet's injected ones), found by shape. No namespace is labelled to enforce the privileged level, no PersistentVolume hands out the node's files (hostPath, local), and no mutating webhook or admission policy, Kyverno mutate rule or Gatekeeper mutation rewrites pods, their controllers or a custom resource that may make pods outside the exempt namespaces. ConfigGroup or ConfigFile YAML that the provider reads otherwise (a merge key, a repeated key) is refused.",
    why: "A privileged container, a host namespace, a hostPath volume or an added capability like SYS_ADMIN gives a pod its node, and with the node every pod's secrets and the node's IAM role.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Remove privileged, hostNetwork/hostPID/hostIPC, hostPath volumes and hostPort; add only default capabilities (better: drop ALL); use RuntimeDefault seccomp and AppArmor. A workload that needs the node belongs in a reviewed Helm chart in an exempt namespace (exemptNamespaces), and a namespace labelled privileged in privilegedNamespaces. Use CSI volumes, not hostPath or local PersistentVolumes; limit a mutating webhook to exempt namespaces with a namespaceSelector on kubernetes.io/metadata.name.",
    configSchema: {
        properties: {
            exemptNamespaces: { type: "array", items: { type: "string" }, default: [], description: "Namespaces (names or * patterns) whose workloads are not checked; none by default, kube-system included." },
            privilegedNamespaces: { type: "array", items: { type: "string" }, default: [], description: `Namespaces that may be labelled ${ENFORCE_LABEL}: privileged (the presets: envstack's monitoring namespace, for its node exporters).` },
            allowedHostPorts: { type: "array", items: { type: "integer", minimum: 1, maximum: 65535 }, default: [], description: "Host ports a container may bind (the standard allows a known list)." },
        },
    },
    validateResource: eachPod((o, podFindings, config, namespace, report) => {
        if (isMutating(o)) {
            const matched = podMutations(o, namespace, config.exemptNamespaces ?? []);
            if (matched.length > 0) report(`${describeObject(o)} mutates ${matched.join(", ")} at admission: it can make any pod privileged after the guardrails judged it`);
            return;
        }
        if (o.kind === "PersistentVolume") {
            // Cluster-scoped: only the claim it is bound to can exempt it.
            const source = nodeLocalSource(o);
            const claimNamespace = o.object?.spec?.claimRef?.namespace;
            if (source && !(typeof claimNamespace === "string" && matchesAny(claimNamespace, config.exemptNamespaces))) {
                report(`${describeObject(o)}: ${source} gives the node's files to any pod that claims it, without a hostPath volume in the pod`);
            }
            return;
        }
        if (o.kind === "Namespace") {
            const name = o.object?.metadata?.name ?? "";
            const enforce = o.object?.metadata?.labels?.[ENFORCE_LABEL];
            if (enforce === "privileged" && !matchesAny(name, config.privilegedNamespaces)) {
                report(`${describeObject(o)}: label ${ENFORCE_LABEL} is "privileged": the cluster would admit any pod there; use baseline or restricted`);
            }
            return;
        }
        if (matchesAny(namespace, config.exemptNamespaces)) return;
        for (const finding of podFindings("baseline")) report(`${describeObject(o)}: ${finding}`);
    }, true),
};

export const podSecurityRestricted: GuardrailResourcePolicy = {
    name: "pod-security-restricted",
    description:
        "In the namespaces config names (all of them with *), workloads also meet the Pod Security Standards' restricted level: non-root, no privilege escalation, all capabilities dropped (NET_BIND_SERVICE may come back), a RuntimeDefault or Localhost seccomp profile, and only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes.",
    why: "A container that runs as root with its capabilities and setuid binaries is one kernel bug or misconfiguration away from its node; the restricted level removes what an exploit needs.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set runAsNonRoot: true and a non-zero runAsUser, allowPrivilegeEscalation: false, capabilities.drop: [ALL] and seccompProfile.type: RuntimeDefault on every container (or the pod); replace other volume types with PersistentVolumeClaims.",
    configSchema: {
        properties: {
            namespaces: { type: "array", items: { type: "string" }, default: [], description: "Namespaces (names or * patterns) held to the restricted level; * for all. None by default." },
            exemptNamespaces: { type: "array", items: { type: "string" }, default: [], description: "Namespaces left at the baseline even where namespaces matches." },
        },
    },
    validateResource: eachPod((o, podFindings, config, namespace, report) => {
        if (o.kind === "Namespace" || o.kind === "PersistentVolume" || isMutating(o) || !matchesAny(namespace, config.namespaces) || matchesAny(namespace, config.exemptNamespaces)) return;
        for (const finding of podFindings("restricted")) report(`${describeObject(o)}: ${finding}`);
    }),
};

export const workloadPolicies = [podSecurityBaseline, podSecurityRestricted];
