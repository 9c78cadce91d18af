import { containersOf, KubeObject, LooseAt, workloadOf } from "./kubernetes";
import { list, Props } from "./support";

/**
 * The Kubernetes Pod Security Standards as checks on a pod template, following upstream's
 * admission checks (k8s.io/pod-security-admission, Kubernetes 1.35). Each control accepts only the
 * values the standard lists, so a value that is present but wrong (`privileged: "true"`, `add:
 * [sys_admin]`) fails like the obvious one. Init and ephemeral containers count.
 */

/** Baseline "Capabilities": the default set a container may add back. */
export const BASELINE_CAPABILITIES = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];
/** Baseline "Sysctls": the namespaced, isolated ones. */
export const SAFE_SYSCTLS = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];
const SELINUX_TYPES = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];
/** Seccomp and AppArmor profile types that keep the runtime's confinement. */
const CONFINED_PROFILES = ["RuntimeDefault", "Localhost"];
/** Restricted "Volume Types": the inline sources a pod may use. */
const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

export type PodSecurityLevel = "baseline" | "restricted";

/** A pod's metadata and spec, wherever the object keeps them. */
export interface PodTemplate {
    metadata: Props;
    spec: Props;
}

const unset = (v: unknown) => v === undefined || v === null;
const show = (v: unknown) => (v === undefined ? "unset" : JSON.stringify(v));
/** `SYS_ADMIN`, `sys_admin` and `CAP_SYS_ADMIN` are one capability to the runtime. */
const capability = (c: unknown) => (typeof c === "string" ? c.toUpperCase().replace(/^CAP_/, "") : show(c));

/** Where a finding is: `pod`, or `initContainers[0] (setup)`. */
type Setter = { where: string; sc: Props; container?: Props };

function setters(spec: Props): Setter[] {
    return [
        { where: "pod", sc: spec.securityContext ?? {} },
        ...containersOf(spec).map(({ container, path }) => ({ where: `${path} (${container?.name ?? "unnamed"})`, sc: container?.securityContext ?? {}, container })),
    ];
}

/** What breaks the baseline: each finding is `<where> <field> is <value>: <why>`. */
export function baselineFindings(pod: PodTemplate, allowedHostPorts: readonly number[] = []): string[] {
    const { spec, metadata } = pod;
    const out = podBaseline(spec);
    for (const { where, sc, container } of setters(spec)) {
        out.push(...securityContextBaseline(where, sc));
        if (container) out.push(...containerBaseline(where, container, sc, spec.hostUsers, allowedHostPorts));
    }
    for (const [key, value] of Object.entries(metadata.annotations ?? {})) {
        if (!key.startsWith(APPARMOR_ANNOTATION)) continue;
        if (!(value === "" || value === "runtime/default" || (typeof value === "string" && value.startsWith("localhost/")))) {
            out.push(`annotation ${key} is ${show(value)}: only runtime/default or localhost/* keep AppArmor on`);
        }
    }
    return out;
}

/** The pod's own fields: host namespaces, hostPath volumes, sysctls. */
function podBaseline(spec: Props): string[] {
    const out: string[] = [];
    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
        if (!unset(spec[field]) && spec[field] !== false) out.push(`${field} is ${show(spec[field])}: the pod would share the node's namespaces`);
    }
    for (const volume of list<Props>(spec.volumes)) {
        if (!unset(volume?.hostPath)) out.push(`volume ${volume.name} is a hostPath (${show(volume.hostPath?.path)}): the pod would read and write the node's files`);
    }
    const sysctls = list<Props>(spec.securityContext?.sysctls).map((s) => s?.name).filter((n) => !SAFE_SYSCTLS.includes(n));
    if (sysctls.length > 0) out.push(`pod securityContext.sysctls sets ${sysctls.map(show).join(", ")}: only the namespaced, safe sysctls are allowed`);
    return out;
}

/** What a pod's or a container's securityContext may not set. */
function securityContextBaseline(where: string, sc: Props): string[] {
    const out: string[] = [];
    const hostProcess = sc.windowsOptions?.hostProcess;
    if (!unset(hostProcess) && hostProcess !== false) out.push(`${where} securityContext.windowsOptions.hostProcess is ${show(hostProcess)}: a host process runs on the node itself`);
    const selinux = sc.seLinuxOptions;
    if (selinux && !SELINUX_TYPES.includes(selinux.type ?? "")) out.push(`${where} securityContext.seLinuxOptions.type is ${show(selinux.type)}: only the container types are allowed`);
    for (const field of ["user", "role"]) if (selinux?.[field]) out.push(`${where} securityContext.seLinuxOptions.${field} is ${show(selinux[field])}: it may not be set`);
    for (const field of ["seccompProfile", "appArmorProfile"]) {
        if (!unset(sc[field]) && !CONFINED_PROFILES.includes(sc[field]?.type)) out.push(`${where} securityContext.${field}.type is ${show(sc[field]?.type)}: only RuntimeDefault or Localhost keep the container confined`);
    }
    return out;
}

/** What a container may not do: privileged, added capabilities, unmasked /proc, host ports, probes that name a host. */
function containerBaseline(where: string, container: Props, sc: Props, hostUsers: unknown, allowedHostPorts: readonly number[]): string[] {
    const out: string[] = [];
    if (!unset(sc.privileged) && sc.privileged !== false) out.push(`${where} securityContext.privileged is ${show(sc.privileged)}: a privileged container is root on the node`);
    const added = list<unknown>(sc.capabilities?.add).filter((c) => !BASELINE_CAPABILITIES.includes(capability(c)));
    if (added.length > 0) out.push(`${where} securityContext.capabilities.add includes ${added.map(capability).join(", ")}: only the default set (${BASELINE_CAPABILITIES.join(", ")}) may be added`);
    if (!unset(sc.procMount) && sc.procMount !== "Default" && hostUsers !== false) out.push(`${where} securityContext.procMount is ${show(sc.procMount)}: the default /proc masks are required outside a user namespace`);
    for (const port of list<Props>(container.ports)) {
        const hostPort = port?.hostPort;
        if (!unset(hostPort) && hostPort !== 0 && !allowedHostPorts.includes(hostPort)) out.push(`${where} ports hostPort is ${show(hostPort)}: the pod would listen on the node's address`);
    }
    for (const host of handlerHosts(container)) out.push(`${where} ${host.field} is ${show(host.value)}: probes and hooks may only reach the pod itself`);
    return out;
}

/** Probe and lifecycle handlers that name a host: upstream refuses them since 1.34 (they reach node-local services). */
function handlerHosts(container: Props): { field: string; value: unknown }[] {
    const handlers: [string, Props | undefined][] = [
        ["livenessProbe", container.livenessProbe],
        ["readinessProbe", container.readinessProbe],
        ["startupProbe", container.startupProbe],
        ["lifecycle.postStart", container.lifecycle?.postStart],
        ["lifecycle.preStop", container.lifecycle?.preStop],
    ];
    return handlers.flatMap(([field, handler]) =>
        ["httpGet", "tcpSocket"].filter((kind) => handler?.[kind]?.host).map((kind) => ({ field: `${field}.${kind}.host`, value: handler![kind].host })),
    );
}

/** What breaks the restricted level beyond the baseline. */
export function restrictedFindings(pod: PodTemplate): string[] {
    const { spec } = pod;
    const out = podRestricted(spec);
    const podSc: Props = spec.securityContext ?? {};
    // Pod Security Admission exempts Windows pods from the Linux-only controls (the API server forbids those fields on them).
    const windows = spec.os?.name === "windows";
    for (const { where, sc, container } of setters(spec)) {
        out.push(...runAsUserRestricted(where, sc));
        if (container) out.push(...containerRestricted(where, sc, podSc, spec.hostUsers, false, windows));
    }
    return out;
}

function podRestricted(spec: Props): string[] {
    const out: string[] = [];
    for (const volume of list<Props>(spec.volumes)) {
        const sources = Object.keys(volume ?? {}).filter((k) => k !== "name" && !unset(volume[k]));
        if (!sources.some((s) => RESTRICTED_VOLUMES.includes(s))) out.push(`volume ${volume?.name} is ${sources.join(", ") || "of no known type"}: only ${RESTRICTED_VOLUMES.join(", ")} volumes are allowed`);
    }
    const podSc: Props = spec.securityContext ?? {};
    if (!unset(podSc.runAsNonRoot) && podSc.runAsNonRoot !== true) out.push(`pod securityContext.runAsNonRoot is ${show(podSc.runAsNonRoot)}: it must be true`);
    return out;
}

const runAsUserRestricted = (where: string, sc: Props): string[] =>
    !unset(sc.runAsUser) && (typeof sc.runAsUser !== "number" || sc.runAsUser === 0) ? [`${where} securityContext.runAsUser is ${show(sc.runAsUser)}: it may not be root (0)`] : [];

/**
 * `onlySet`: judge only what is stated, for an image an operator builds its own container around.
 * `windows`: leave out privilege escalation, seccomp and capabilities, Linux-only controls.
 */
function containerRestricted(where: string, sc: Props, podSc: Props, hostUsers: unknown, onlySet = false, windows = false): string[] {
    const out: string[] = [];
    const stated = (v: unknown) => !onlySet || !unset(v);
    const linux = !windows;
    if (linux && stated(sc.allowPrivilegeEscalation) && sc.allowPrivilegeEscalation !== false) out.push(`${where} securityContext.allowPrivilegeEscalation is ${show(sc.allowPrivilegeEscalation)}: it must be false`);
    if (stated(sc.runAsNonRoot) && (unset(sc.runAsNonRoot) ? podSc.runAsNonRoot !== true : sc.runAsNonRoot !== true)) {
        out.push(`${where} securityContext.runAsNonRoot is ${show(sc.runAsNonRoot)}: it must be true, on the container or the pod`);
    }
    if (linux && !onlySet && !CONFINED_PROFILES.includes(podSc.seccompProfile?.type) && unset(sc.seccompProfile)) out.push(`${where} securityContext.seccompProfile is unset and so is the pod's: set RuntimeDefault or Localhost`);
    const drop = list<unknown>(sc.capabilities?.drop);
    if (linux && stated(sc.capabilities?.drop) && !drop.includes("ALL")) out.push(`${where} securityContext.capabilities.drop is ${show(drop)}: it must include ALL`);
    const added = list<unknown>(sc.capabilities?.add).filter((c) => capability(c) !== "NET_BIND_SERVICE");
    if (linux && added.length > 0) out.push(`${where} securityContext.capabilities.add includes ${added.map(capability).join(", ")}: only NET_BIND_SERVICE may be added`);
    // The baseline lets a user-namespaced pod unmask /proc; the restricted level does not.
    if (!unset(sc.procMount) && sc.procMount !== "Default" && hostUsers === false) out.push(`${where} securityContext.procMount is ${show(sc.procMount)}: the default /proc masks are required`);
    return out;
}

/**
 * Findings at `level` for everything an object runs: its pod specs (prefixed with where they are,
 * unless the kind keeps them in the usual place), lone containers, and pod fields beside them,
 * which are judged as both pod and container fields.
 */
export function workloadFindings(o: KubeObject, level: PodSecurityLevel, allowedHostPorts: readonly number[] = []): string[] {
    const { pods, loose } = workloadOf(o);
    const out: string[] = [];
    for (const pod of pods) {
        const found = level === "baseline" ? baselineFindings(pod, allowedHostPorts) : restrictedFindings(pod);
        out.push(...found.map((f) => (pod.path ? `${pod.path}: ${f}` : f)));
    }
    for (const l of loose) out.push(...looseFindings(l, level, allowedHostPorts));
    return out;
}

function looseFindings({ node, path, container, inheritedSecurityContext }: LooseAt, level: PodSecurityLevel, allowedHostPorts: readonly number[]): string[] {
    const where = `${path || "(top level)"}${typeof node.name === "string" ? ` (${node.name})` : ""}`;
    const sc: Props = typeof node.securityContext === "object" && node.securityContext !== null ? node.securityContext : {};
    // A CRD's `volumes` may be a list of names: only objects are volume sources.
    const asPod = { ...node, volumes: list<unknown>(node.volumes).filter((v) => typeof v === "object" && v !== null) };
    if (level === "baseline") {
        return [...podBaseline(asPod).map((f) => `${where}: ${f}`), ...securityContextBaseline(where, sc), ...containerBaseline(where, node, sc, node.hostUsers, allowedHostPorts)];
    }
    // A container is named, listed, or kept under a container-like key (Argo's container, script); an
    // operator's own `image` setting (a Prometheus' spec.image) becomes a container the operator hardens.
    const key = path.split(".").pop() ?? "";
    const real = typeof node.name === "string" || path.endsWith("]") || /container|script|step|sidecar/i.test(key);
    if (container) return [...runAsUserRestricted(where, sc), ...containerRestricted(where, sc, inheritedSecurityContext ?? {}, undefined, !real)];
    return [...podRestricted(asPod).map((f) => `${where}: ${f}`), ...runAsUserRestricted(where, sc)];
}
