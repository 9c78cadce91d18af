import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { BASELINE_CAPABILITIES, baselineFindings } from "../policy/policies/podSecurity";
import { evaluate, expectViolations, violations } from "./guardrails";

const BASELINE = "pod-security-baseline";
const RESTRICTED = "pod-security-restricted";

/** A pod spec with one container named app; `container` and `pod` are merged in. */
function podSpec(container: object = {}, pod: object = {}): any {
    return { containers: [{ name: "app", image: "registry.example/app:1.0", ...container }], ...pod };
}

function deployment(name: string, spec: any, namespace = "team-a") {
    return new k8s.apps.v1.Deployment(name, {
        metadata: { name, namespace },
        spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
    });
}

/** A container the restricted level accepts. */
const hardened = { securityContext: { runAsNonRoot: true, runAsUser: 10001, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } } };

describe("workload guardrails", () => {
    describe("pod-security-baseline", () => {
        it("passes the default pod configuration and what the baseline allows", async () => {
            const report = await evaluate(() => {
                deployment("plain", podSpec());
                deployment("allowed", podSpec({ securityContext: { privileged: false, capabilities: { add: ["NET_BIND_SERVICE", "CHOWN"], drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" }, procMount: "Default" }, ports: [{ containerPort: 8080 }] }, { hostNetwork: false, securityContext: { sysctls: [{ name: "net.ipv4.ip_local_port_range", value: "1024 65535" }], seLinuxOptions: { type: "container_t" } } }));
                new k8s.core.v1.Pod("annotated", { metadata: { name: "annotated", annotations: { "container.apparmor.security.beta.kubernetes.io/app": "runtime/default" } }, spec: podSpec({ securityContext: { appArmorProfile: { type: "Localhost", localhostProfile: "k8s-app" } } }) });
            }, { only: BASELINE });
            expectViolations(report, BASELINE, []);
            expect(BASELINE_CAPABILITIES).to.include("NET_BIND_SERVICE").and.not.include("NET_RAW");
        });

        it("refuses privileged containers, host namespaces, hostPath volumes, host ports and capabilities beyond the default set", async () => {
            const report = await evaluate(() => {
                new k8s.core.v1.Pod("root", {
                    metadata: { name: "root", namespace: "team-a" },
                    spec: podSpec({ securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN"] } }, ports: [{ containerPort: 80, hostPort: 80 }] }, { hostNetwork: true, volumes: [{ name: "host", hostPath: { path: "/" } }] }),
                });
            }, { only: BASELINE });
            expectViolations(report, BASELINE, [
                "root: Pod team-a/root: hostNetwork is true: the pod would share the node's namespaces",
                'root: Pod team-a/root: volume host is a hostPath ("/"): the pod would read and write the node\'s files',
                "root: Pod team-a/root: containers[0] (app) securityContext.privileged is true: a privileged container is root on the node",
                `root: Pod team-a/root: containers[0] (app) securityContext.capabilities.add includes SYS_ADMIN: only the default set (${BASELINE_CAPABILITIES.join(", ")}) may be added`,
                "root: Pod team-a/root: containers[0] (app) ports hostPort is 80: the pod would listen on the node's address",
            ]);
            const allowed = await evaluate(() => deployment("ingress", podSpec({ ports: [{ containerPort: 80, hostPort: 80 }] })), { only: BASELINE, config: { [BASELINE]: { allowedHostPorts: [80] } } });
            expectViolations(allowed, BASELINE, []);
        });

        it("refuses unsafe sysctls, unmasked /proc, custom SELinux, unconfined seccomp and AppArmor, and probes that name a host", () => {
            const findings = baselineFindings({
                metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" } },
                spec: podSpec(
                    { securityContext: { procMount: "Unmasked", seLinuxOptions: { user: "system_u", type: "spc_t" }, seccompProfile: { type: "Unconfined" } }, livenessProbe: { httpGet: { host: "169.254.169.254", path: "/", port: 80 } } },
                    { securityContext: { sysctls: [{ name: "kernel.msgmax", value: "65536" }], appArmorProfile: { type: "Unconfined" } }, hostIPC: "true" },
                ),
            });
            expect(findings).to.deep.equal([
                'hostIPC is "true": the pod would share the node\'s namespaces',
                'pod securityContext.sysctls sets "kernel.msgmax": only the namespaced, safe sysctls are allowed',
                'pod securityContext.appArmorProfile.type is "Unconfined": only RuntimeDefault or Localhost keep the container confined',
                'containers[0] (app) securityContext.seLinuxOptions.type is "spc_t": only the container types are allowed',
                'containers[0] (app) securityContext.seLinuxOptions.user is "system_u": it may not be set',
                'containers[0] (app) securityContext.seccompProfile.type is "Unconfined": only RuntimeDefault or Localhost keep the container confined',
                'containers[0] (app) securityContext.procMount is "Unmasked": the default /proc masks are required outside a user namespace',
                'containers[0] (app) livenessProbe.httpGet.host is "169.254.169.254": probes and hooks may only reach the pod itself',
                'annotation container.apparmor.security.beta.kubernetes.io/app is "unconfined": only runtime/default or localhost/* keep AppArmor on',
            ]);
            // In a user namespace the baseline lets /proc be unmasked (Kubernetes 1.35); the restricted level does not.
            expect(baselineFindings({ metadata: {}, spec: podSpec({ securityContext: { procMount: "Unmasked" } }, { hostUsers: false }) })).to.deep.equal([]);
        });

        it("evasion: a privileged initContainer in a Job and hostPID in a CronJob's job template", async () => {
            const report = await evaluate(() => {
                new k8s.batch.v1.Job("migrate", { metadata: { name: "migrate", namespace: "team-a" }, spec: { template: { spec: { ...podSpec(), restartPolicy: "Never", initContainers: [{ name: "setup", image: "busybox", securityContext: { privileged: true } }] } } } });
                new k8s.batch.v1.CronJob("nightly", { metadata: { name: "nightly", namespace: "team-a" }, spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { ...podSpec(), restartPolicy: "Never", hostPID: true } } } } } });
            }, { only: BASELINE });
            expectViolations(report, BASELINE, [
                "migrate: Job team-a/migrate: initContainers[0] (setup) securityContext.privileged is true: a privileged container is root on the node",
                "nightly: CronJob team-a/nightly: hostPID is true: the pod would share the node's namespaces",
            ]);
        });

        it("evasion: a DeploymentPatch that turns privileged on, and an ephemeral container that adds SYS_PTRACE", async () => {
            const report = await evaluate(() => {
                new k8s.apps.v1.DeploymentPatch("escalate", { metadata: { name: "web", namespace: "team-a" }, spec: { template: { spec: { containers: [{ name: "app", securityContext: { privileged: true } }] } } } });
                new k8s.core.v1.PodPatch("debug", { metadata: { name: "web-0", namespace: "team-a" }, spec: { ephemeralContainers: [{ name: "debugger", image: "busybox", securityContext: { capabilities: { add: ["SYS_PTRACE"] } } }] } });
            }, { only: BASELINE });
            expect(violations(report, BASELINE)).to.have.members([
                "escalate: Deployment team-a/web (a patch): containers[0] (app) securityContext.privileged is true: a privileged container is root on the node",
                `debug: Pod team-a/web-0 (a patch): ephemeralContainers[0] (debugger) securityContext.capabilities.add includes SYS_PTRACE: only the default set (${BASELINE_CAPABILITIES.join(", ")}) may be added`,
            ]);
        });

        it("evasion: a privileged Pod in a ConfigGroup's YAML, a hostNetwork DaemonSet in its objects, and a Pod in a ConfigFile's List", async () => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "envstack-")), "pods.yaml");
            fs.writeFileSync(file, "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: listed, namespace: team-a}\n  spec: {containers: [{name: app, image: x, securityContext: {capabilities: {add: [NET_RAW]}}}]}\n");
            const report = await evaluate(() => {
                new k8s.yaml.v2.ConfigGroup("bundle", {
                    yaml: "apiVersion: v1\nkind: Pod\nmetadata: {name: sneaky, namespace: team-a}\nspec:\n  containers:\n  - name: app\n    image: x\n    securityContext: {privileged: true}\n",
                    objs: [{ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: "team-a" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: podSpec({}, { hostNetwork: true }) } } }],
                });
                new k8s.yaml.v2.ConfigFile("file", { file });
            }, { only: BASELINE });
            expectViolations(report, BASELINE, [
                "bundle: DaemonSet team-a/agent (in a ConfigGroup): hostNetwork is true: the pod would share the node's namespaces",
                "bundle: Pod team-a/sneaky (in a ConfigGroup): containers[0] (app) securityContext.privileged is true: a privileged container is root on the node",
                `file: Pod team-a/listed (in a ConfigFile): containers[0] (app) securityContext.capabilities.add includes NET_RAW: only the default set (${BASELINE_CAPABILITIES.join(", ")}) may be added`,
            ]);
        });

        it("evasion: ConfigGroup YAML read otherwise by the provider (go-yaml): a merge key applied over the keys before it, a repeated key", async () => {
            const report = await evaluate(() => {
                const pod = (name: string, securityContext: string) =>
                    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: team-a}\nspec:\n  containers:\n  - name: app\n    image: x\n    securityContext:\n${securityContext}`;
                new k8s.yaml.v2.ConfigGroup("merge", { yaml: pod("merge", "      privileged: false\n      <<: {privileged: true}\n") });
                // The last of a repeated key counts, as in go-yaml; it never fails the plan.
                new k8s.yaml.v2.ConfigGroup("dup", { yaml: pod("dup", "      privileged: false\n      privileged: true\n") });
                new k8s.yaml.v2.ConfigGroup("plain", { yaml: pod("plain", "      privileged: false\n") + "---\nkind: ConfigMap\napiVersion: v1\nmetadata: {name: quoted, namespace: team-a}\ndata: {'<<': x}\n" });
            }, { only: BASELINE });
            const unreadable = (name: string, why: string) => `${name}: ConfigGroup YAML cannot be read as the cluster reads it: ${why}, which go-yaml (the provider's reader) resolves otherwise than the guardrails could; write each key once, without merge keys`;
            expectViolations(report, BASELINE, [
                unreadable("merge", "a merge key (<<) is used"),
                unreadable("dup", "a key is repeated in one mapping"),
                "dup: Pod team-a/dup (in a ConfigGroup): containers[0] (app) securityContext.privileged is true: a privileged container is root on the node",
            ]);
        });

        it('evasion: privileged: "true" as a string, capabilities spelled cap_sys_admin or ALL, and an Argo Rollout\'s pod template', async () => {
            const report = await evaluate(() => {
                deployment("stringly", podSpec({ securityContext: { privileged: "true", capabilities: { add: ["cap_sys_admin", "ALL", "cap_chown"] } } }));
                new k8s.apiextensions.CustomResource("rollout", { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "rollout", namespace: "team-a" }, spec: { template: { spec: podSpec({}, { hostPID: true }) } } });
            }, { only: BASELINE });
            expectViolations(report, BASELINE, [
                'stringly: Deployment team-a/stringly: containers[0] (app) securityContext.privileged is "true": a privileged container is root on the node',
                `stringly: Deployment team-a/stringly: containers[0] (app) securityContext.capabilities.add includes SYS_ADMIN, ALL: only the default set (${BASELINE_CAPABILITIES.join(", ")}) may be added`,
                "rollout: Rollout team-a/rollout: hostPID is true: the pod would share the node's namespaces",
            ]);
        });

        it("evasion: kube-system is checked unless config exempts it; a namespace relabelled to enforce privileged is refused", async () => {
            const build = () => {
                deployment("in-system", podSpec({ securityContext: { privileged: true } }), "kube-system");
                new k8s.core.v1.NamespacePatch("open-up", { metadata: { name: "team-a", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } });
                new k8s.core.v1.Namespace("monitoring", { metadata: { name: "monitoring", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } });
            };
            expectViolations(await evaluate(build, { only: BASELINE }), BASELINE, [
                "in-system: Deployment kube-system/in-system: containers[0] (app) securityContext.privileged is true: a privileged container is root on the node",
                'open-up: Namespace team-a (a patch): label pod-security.kubernetes.io/enforce is "privileged": the cluster would admit any pod there; use baseline or restricted',
                'monitoring: Namespace monitoring: label pod-security.kubernetes.io/enforce is "privileged": the cluster would admit any pod there; use baseline or restricted',
            ]);
            const exempt = await evaluate(build, { only: BASELINE, config: { [BASELINE]: { exemptNamespaces: ["kube-*"], privilegedNamespaces: ["monitoring"] } } });
            expectViolations(exempt, BASELINE, ['open-up: Namespace team-a (a patch): label pod-security.kubernetes.io/enforce is "privileged": the cluster would admit any pod there; use baseline or restricted']);
        });
        it("evasion: pod specs in custom resources wherever they are (a JobSet's, an Argo Workflow's lone container and pod fields, a SidecarSet's injected containers, an operator's container overrides, a *.k8s.io CRD, a built-in kind's name in another group)", async () => {
            const report = await evaluate(() => {
                new k8s.apiextensions.CustomResource("jobset", {
                    apiVersion: "jobset.x-k8s.io/v1alpha2",
                    kind: "JobSet",
                    metadata: { name: "batch", namespace: "team-a" },
                    spec: { replicatedJobs: [{ name: "w", template: { spec: { template: { spec: podSpec({ securityContext: { privileged: true } }, { hostPID: true }) } } } }] },
                });
                new k8s.apiextensions.CustomResource("workflow", {
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "Workflow",
                    metadata: { name: "wf", namespace: "team-a" },
                    spec: { hostNetwork: true, templates: [{ name: "main", container: { image: "busybox", securityContext: { privileged: true } } }] },
                });
                new k8s.apiextensions.CustomResource("sidecars", {
                    apiVersion: "apps.kruise.io/v1alpha1",
                    kind: "SidecarSet",
                    metadata: { name: "inject" },
                    spec: { selector: { matchLabels: {} }, containers: [{ name: "agent", image: "busybox", securityContext: { capabilities: { add: ["SYS_ADMIN"] } } }] },
                });
                // An operator merges spec.containers into its own by name: no image needed.
                new k8s.apiextensions.CustomResource("prometheus", {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "Prometheus",
                    metadata: { name: "main", namespace: "team-a" },
                    spec: { containers: [{ name: "prometheus", securityContext: { privileged: true } }] },
                });
                // A Spark application: an image at the top, pod fields in its driver.
                new k8s.apiextensions.CustomResource("spark", {
                    apiVersion: "sparkoperator.k8s.io/v1beta2",
                    kind: "SparkApplication",
                    metadata: { name: "job", namespace: "team-a" },
                    spec: { image: "spark:3.5", driver: { cores: 1, hostPID: true, securityContext: { privileged: true } } },
                });
                // A made-up kind in a *.k8s.io group is searched like any custom resource.
                new k8s.apiextensions.CustomResource("runner", { apiVersion: "runner.k8s.io/v1", kind: "Runner", metadata: { name: "runner", namespace: "team-a" }, spec: { pod: podSpec({}, { hostNetwork: true }) } });
                // A built-in kind's name in another group: only the API server's own kinds are known to hold no pod.
                new k8s.apiextensions.CustomResource("lookalike", { apiVersion: "net.example.com/v1", kind: "NetworkPolicy", metadata: { name: "np", namespace: "team-a" }, spec: { template: { spec: podSpec({}, { hostPID: true }) } } });
            }, { only: BASELINE });
            expectViolations(report, BASELINE, [
                "jobset: JobSet team-a/batch: spec.replicatedJobs[0].template.spec.template.spec: hostPID is true: the pod would share the node's namespaces",
                "jobset: JobSet team-a/batch: spec.replicatedJobs[0].template.spec.template.spec: containers[0] (app) securityContext.privileged is true: a privileged container is root on the node",
                "workflow: Workflow team-a/wf: spec: hostNetwork is true: the pod would share the node's namespaces",
                "workflow: Workflow team-a/wf: spec.templates[0].container securityContext.privileged is true: a privileged container is root on the node",
                "prometheus: Prometheus team-a/main: spec: containers[0] (prometheus) securityContext.privileged is true: a privileged container is root on the node",
                "runner: Runner team-a/runner: spec.pod: hostNetwork is true: the pod would share the node's namespaces",
                "lookalike: NetworkPolicy team-a/np: hostPID is true: the pod would share the node's namespaces",
                "spark: SparkApplication team-a/job: spec.driver: hostPID is true: the pod would share the node's namespaces",
                "spark: SparkApplication team-a/job: spec.driver securityContext.privileged is true: a privileged container is root on the node",
                `sidecars: SidecarSet inject: spec: containers[0] (agent) securityContext.capabilities.add includes SYS_ADMIN: only the default set (${BASELINE_CAPABILITIES.join(", ")}) may be added`,
            ]);
        });

        it("evasion: a Pod in the items of a made-up kind, hostPath and local PersistentVolumes, a mutating webhook on pods", async () => {
            const report = await evaluate(() => {
                new k8s.yaml.v2.ConfigGroup("bundle", {
                    yaml: "apiVersion: v1\nkind: Bundle\nitems:\n- kind: Bundle\n  items:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: shell, namespace: team-a}\n    spec: {hostIPC: true, containers: [{name: sh, image: busybox}]}\n",
                });
                const pv = (name: string, source: object) => new k8s.core.v1.PersistentVolume(name, { metadata: { name }, spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], ...source } });
                pv("host", { hostPath: { path: "/" } });
                pv("disk", { local: { path: "/mnt/disks/ssd1" }, nodeAffinity: { required: { nodeSelectorTerms: [] } } });
                const webhook = (name: string, namespaceSelector?: object) =>
                    new k8s.admissionregistration.v1.MutatingWebhookConfiguration(name, {
                        metadata: { name },
                        webhooks: [{ name: `${name}.example.com`, admissionReviewVersions: ["v1"], sideEffects: "None", clientConfig: { url: "https://hooks.example.com" }, namespaceSelector, rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }] }],
                    });
                webhook("mutate");
                webhook("in-exempt", { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["kube-system"] }] });
            }, { only: BASELINE, config: { [BASELINE]: { exemptNamespaces: ["kube-system"] } } });
            expectViolations(report, BASELINE, [
                "bundle: Pod team-a/shell (in a ConfigGroup): hostIPC is true: the pod would share the node's namespaces",
                'host: PersistentVolume host: spec.hostPath ("/") gives the node\'s files to any pod that claims it, without a hostPath volume in the pod',
                'disk: PersistentVolume disk: spec.local ("/mnt/disks/ssd1") gives the node\'s files to any pod that claims it, without a hostPath volume in the pod',
                "mutate: MutatingWebhookConfiguration mutate mutates pods at admission: it can make any pod privileged after the guardrails judged it",
            ]);
        });

        it("evasion: mutating admission beyond webhooks on pods: Kyverno mutate rules, Gatekeeper mutations, webhooks on a CRD whose controller makes pods", async () => {
            const report = await evaluate(() => {
                const custom = (name: string, apiVersion: string, kind: string, metadata: object, spec: object) => new k8s.apiextensions.CustomResource(name, { apiVersion, kind, metadata, spec });
                const kyvernoRule = (kinds: string[], extra: object = {}) => ({ name: "r", match: { any: [{ resources: { kinds, ...extra } }] }, mutate: { patchesJson6902: "- op: add\n  path: /spec/hostNetwork\n  value: true\n" } });
                custom("kyverno", "kyverno.io/v1", "ClusterPolicy", { name: "debug" }, { rules: [kyvernoRule(["Pod"])] });
                custom("kyverno-controllers", "kyverno.io/v1", "ClusterPolicy", { name: "deploys" }, { rules: [{ ...kyvernoRule(["apps/v1/Deployment"]), match: { resources: { kinds: ["apps/v1/Deployment"] } } }] });
                custom("kyverno-team", "kyverno.io/v1", "Policy", { name: "team", namespace: "team-a" }, { rules: [kyvernoRule(["JobSet"])] });
                custom("kyverno-cel", "policies.kyverno.io/v1alpha1", "MutatingPolicy", { name: "cel" }, { matchConstraints: { resourceRules: [{ apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }] } });
                custom("gatekeeper", "mutations.gatekeeper.sh/v1", "Assign", { name: "privileged" }, {
                    applyTo: [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }],
                    match: { scope: "Namespaced", kinds: [{ apiGroups: ["*"], kinds: ["Pod"] }] },
                    location: "spec.containers[name:*].securityContext.privileged",
                    parameters: { assign: { value: true } },
                });
                custom("gatekeeper-metadata", "mutations.gatekeeper.sh/v1", "AssignMetadata", { name: "apparmor" }, { location: "metadata.annotations.owner", parameters: { assign: { value: "x" } } });
                custom("gatekeeper-image", "mutations.gatekeeper.sh/v1alpha1", "AssignImage", { name: "image" }, { applyTo: [{ groups: ["apps"], kinds: ["DaemonSet"], versions: ["v1"] }], location: "spec.template.spec.containers[name:*].image", parameters: { assignDomain: "evil.example.com" } });
                new k8s.admissionregistration.v1.MutatingWebhookConfiguration("jobsets", {
                    metadata: { name: "jobsets" },
                    webhooks: [{ name: "jobsets.example.com", admissionReviewVersions: ["v1"], sideEffects: "None", clientConfig: { url: "https://hooks.example.com" }, rules: [{ operations: ["CREATE"], apiGroups: ["jobset.x-k8s.io"], apiVersions: ["*"], resources: ["jobsets"] }] }],
                });
                // Mutating what makes no pods, validating, or only in exempt namespaces, rewrites no pod the guardrails judged.
                custom("kyverno-configmaps", "kyverno.io/v1", "ClusterPolicy", { name: "cm" }, { rules: [kyvernoRule(["ConfigMap"])] });
                custom("kyverno-validate", "kyverno.io/v1", "ClusterPolicy", { name: "check" }, { rules: [{ name: "v", match: { any: [{ resources: { kinds: ["Pod"] } }] }, validate: { pattern: { spec: { hostNetwork: false } } } }] });
                custom("kyverno-system", "kyverno.io/v1", "ClusterPolicy", { name: "sys" }, { rules: [kyvernoRule(["Pod"], { namespaces: ["kube-system"] })] });
                custom("kyverno-system-policy", "kyverno.io/v1", "Policy", { name: "sys", namespace: "kube-system" }, { rules: [kyvernoRule(["Pod"])] });
                custom("gatekeeper-configmaps", "mutations.gatekeeper.sh/v1", "ModifySet", { name: "cm" }, { applyTo: [{ groups: [""], kinds: ["ConfigMap"], versions: ["v1"] }], location: "data.x", parameters: { values: { fromList: ["a"] } } });
                custom("gatekeeper-system", "mutations.gatekeeper.sh/v1", "Assign", { name: "sys" }, { applyTo: [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }], match: { namespaces: ["kube-system"] }, location: "spec.hostNetwork", parameters: { assign: { value: true } } });
            }, { only: BASELINE, config: { [BASELINE]: { exemptNamespaces: ["kube-system"] } } });
            const says = (label: string, what: string) => `${label} mutates ${what} at admission: it can make any pod privileged after the guardrails judged it`;
            expectViolations(report, BASELINE, [
                says("kyverno: ClusterPolicy debug", "Pod"),
                says("kyverno-controllers: ClusterPolicy deploys", "apps/v1/Deployment"),
                says("kyverno-team: Policy team-a/team", "JobSet"),
                says("kyverno-cel: MutatingPolicy cel", "deployments"),
                says("gatekeeper: Assign privileged", "Pod"),
                says("gatekeeper-metadata: AssignMetadata apparmor", "every kind"),
                says("gatekeeper-image: AssignImage image", "DaemonSet"),
                says("jobsets: MutatingWebhookConfiguration jobsets", "jobsets"),
            ]);
        });

        it("places an object without a namespace in its provider's default namespace", async () => {
            const report = await evaluate(() => {
                const provider = new k8s.Provider("system", { namespace: "kube-system" });
                new k8s.core.v1.Pod("agent", { metadata: { name: "agent" }, spec: podSpec({ securityContext: { privileged: true } }) }, { provider });
            }, { only: BASELINE, config: { [BASELINE]: { exemptNamespaces: ["kube-system"] } } });
            expectViolations(report, BASELINE, []);
        });
    });

    describe("pod-security-restricted", () => {
        const prodLike = { [RESTRICTED]: { namespaces: ["*"] } };

        it("holds hardened workloads, and applies only where config names the namespace", async () => {
            const build = () => {
                deployment("hardened", podSpec(hardened, { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }, { name: "tmp", emptyDir: {} }] }));
                deployment("plain", podSpec(), "team-b");
            };
            expectViolations(await evaluate(build, { only: RESTRICTED }), RESTRICTED, []);
            expectViolations(await evaluate(build, { only: RESTRICTED, config: { [RESTRICTED]: { namespaces: ["team-a"] } } }), RESTRICTED, []);
        });

        it("refuses root, privilege escalation, kept capabilities, a missing seccomp profile and non-core volumes", async () => {
            const report = await evaluate(() => deployment("plain", podSpec({}, { volumes: [{ name: "share", nfs: { server: "10.0.0.2", path: "/" } }] })), { only: RESTRICTED, config: prodLike });
            expectViolations(report, RESTRICTED, [
                "plain: Deployment team-a/plain: volume share is nfs: only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret volumes are allowed",
                "plain: Deployment team-a/plain: containers[0] (app) securityContext.allowPrivilegeEscalation is unset: it must be false",
                "plain: Deployment team-a/plain: containers[0] (app) securityContext.runAsNonRoot is unset: it must be true, on the container or the pod",
                "plain: Deployment team-a/plain: containers[0] (app) securityContext.seccompProfile is unset and so is the pod's: set RuntimeDefault or Localhost",
                "plain: Deployment team-a/plain: containers[0] (app) securityContext.capabilities.drop is []: it must include ALL",
            ]);
            const exempt = await evaluate(() => deployment("plain", podSpec()), { only: RESTRICTED, config: { [RESTRICTED]: { namespaces: ["*"], exemptNamespaces: ["team-a"] } } });
            expectViolations(exempt, RESTRICTED, []);
        });

        it("a Windows pod is judged as Pod Security Admission judges it: no Linux-only controls (privilege escalation, seccomp, capabilities), runAsNonRoot still", async () => {
            const windows = (name: string, securityContext: object) =>
                deployment(name, { os: { name: "windows" }, securityContext, containers: [{ name: "app", image: "mcr.microsoft.com/windows/nanoserver:ltsc2022" }] });
            const report = await evaluate(() => {
                windows("win", { runAsNonRoot: true, windowsOptions: { runAsUserName: "ContainerUser" } });
                windows("win-root", { windowsOptions: { runAsUserName: "ContainerAdministrator" } });
            }, { only: RESTRICTED, config: prodLike });
            expectViolations(report, RESTRICTED, ["win-root: Deployment team-a/win-root: containers[0] (app) securityContext.runAsNonRoot is unset: it must be true, on the container or the pod"]);
        });

        it("evasion: runAsNonRoot on the pod undone by a container, runAsUser 0, drop [all] in lower case, NET_RAW added, an init container without seccomp, unmasked /proc in a user namespace", async () => {
            const report = await evaluate(() => {
                const sc = hardened.securityContext;
                deployment(
                    "almost",
                    {
                        securityContext: { runAsNonRoot: true },
                        hostUsers: false,
                        initContainers: [{ name: "init", image: "x", securityContext: { ...sc, seccompProfile: undefined, runAsUser: 0 } }],
                        containers: [{ name: "app", image: "x", securityContext: { ...sc, runAsNonRoot: false, procMount: "Unmasked", capabilities: { drop: ["all"], add: ["NET_RAW"] } } }],
                    },
                );
            }, { only: RESTRICTED, config: prodLike });
            expectViolations(report, RESTRICTED, [
                "almost: Deployment team-a/almost: initContainers[0] (init) securityContext.runAsUser is 0: it may not be root (0)",
                "almost: Deployment team-a/almost: initContainers[0] (init) securityContext.seccompProfile is unset and so is the pod's: set RuntimeDefault or Localhost",
                "almost: Deployment team-a/almost: containers[0] (app) securityContext.runAsNonRoot is false: it must be true, on the container or the pod",
                'almost: Deployment team-a/almost: containers[0] (app) securityContext.capabilities.drop is ["all"]: it must include ALL',
                "almost: Deployment team-a/almost: containers[0] (app) securityContext.capabilities.add includes NET_RAW: only NET_BIND_SERVICE may be added",
                'almost: Deployment team-a/almost: containers[0] (app) securityContext.procMount is "Unmasked": the default /proc masks are required',
            ]);
        });

        it("judges an Argo Workflow's container in full, and an operator's image setting by what it states", async () => {
            const report = await evaluate(() => {
                new k8s.apiextensions.CustomResource("workflow", {
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "Workflow",
                    metadata: { name: "wf", namespace: "team-a" },
                    spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, templates: [{ name: "main", container: { image: "x", securityContext: { capabilities: { drop: ["ALL"] } } } }] },
                });
                new k8s.apiextensions.CustomResource("prometheus", {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "Prometheus",
                    metadata: { name: "main", namespace: "team-a" },
                    spec: { image: "quay.io/prometheus/prometheus:v3.0.0", securityContext: { runAsNonRoot: true, runAsUser: 1000 } },
                });
                new k8s.apiextensions.CustomResource("escalating", {
                    apiVersion: "example.com/v1",
                    kind: "App",
                    metadata: { name: "app", namespace: "team-a" },
                    spec: { image: "x", securityContext: { allowPrivilegeEscalation: true } },
                });
            }, { only: RESTRICTED, config: prodLike });
            expectViolations(report, RESTRICTED, [
                "workflow: Workflow team-a/wf: spec.templates[0].container securityContext.allowPrivilegeEscalation is unset: it must be false",
                "escalating: App team-a/app: spec securityContext.allowPrivilegeEscalation is true: it must be false",
            ]);
        });
    });
});
