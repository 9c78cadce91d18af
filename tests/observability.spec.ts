import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { expect } from "chai";
import { ConfigError, ConfigProblem, Environment, EnvironmentInput, resolveEnvironmentConfig } from "../components";
import { maxNodes } from "../components/environment";
import { readStackConfig } from "../plan/project";
import { readStack } from "../stacks/config";
import { json, planStack, register, Registered, REPO, validInput } from "./harness";
import { simulate } from "./iam";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";

function withObservability(tier: "dev" | "prod", observability: object): EnvironmentInput {
    return { ...validInput(tier), observability } as EnvironmentInput;
}

async function environment(input: EnvironmentInput): Promise<Registered> {
    return register(() => new Environment(input.name as string, input));
}

/** Syntax errors in a PromQL expression, by the Prometheus project's own grammar. */
async function promqlErrors(expr: string): Promise<number[]> {
    const { parser } = await import("@prometheus-io/lezer-promql");
    const errors: number[] = [];
    parser.parse(expr).iterate({ enter: (node: { type: { isError: boolean }; from: number }) => void (node.type.isError && errors.push(node.from)) });
    return errors;
}

describe("Observability", () => {
    let prod: Awaited<ReturnType<typeof planStack>>;
    let values: any;
    before(async () => {
        prod = await planStack("prod");
        values = prod.registered.ofType(RELEASE).find((r) => r.inputs.name === "kube-prometheus-stack")!.inputs.values;
    });

    describe("the CloudWatch side", () => {
        it("installs the add-on at its pinned version with enhanced Container Insights and Fluent Bit, via Pod Identity", () => {
            const addon = prod.registered.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "amazon-cloudwatch-observability")!;
            expect(addon.inputs.addonVersion).to.equal("v6.6.0-eksbuild.1");
            const config = json(addon.inputs.configurationValues);
            expect(config.agent.config.logs.metrics_collected.kubernetes.enhanced_container_insights).to.equal(true);
            expect(config.containerLogs).to.deep.equal({ enabled: true });
            const role = prod.registered.one("aws:iam/role:Role", "acme-prod-amazon-cloudwatch-observability");
            expect(addon.inputs.podIdentityAssociations).to.deep.equal([{ roleArn: role.outputs.arn, serviceAccount: "cloudwatch-agent" }]);
            const attached = prod.registered.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.parent === role.urn);
            expect(attached.map((a) => a.inputs.policyArn)).to.deep.equal(["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]);
        });

        it("creates the four log groups first, each with the environment key and the same retention as the control-plane logs", () => {
            const r = prod.registered;
            const addon = r.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "amazon-cloudwatch-observability")!;
            const controlPlane = r.one("aws:cloudwatch/logGroup:LogGroup", "acme-prod-control-plane").inputs;
            const groups = r.ofType("aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("/aws/containerinsights/"));
            expect(groups.map((g) => g.inputs.name).sort()).to.deep.equal(["application", "dataplane", "host", "performance"].map((k) => `/aws/containerinsights/acme-prod/${k}`));
            for (const g of groups) {
                expect(addon.dependsOn, `${g.name} before the add-on`).to.include(g.urn);
                expect(g.inputs.kmsKeyId).to.equal(controlPlane.kmsKeyId);
                expect(g.inputs.retentionInDays).to.equal(controlPlane.retentionInDays).and.to.equal(90);
            }
        });
    });

    describe("the Prometheus side", () => {
        it("pins the chart from the prometheus-community repository into the monitoring namespace", () => {
            const release = prod.registered.ofType(RELEASE).find((r) => r.inputs.name === "kube-prometheus-stack")!;
            expect(release.inputs).to.include({ chart: "kube-prometheus-stack", version: "88.6.5", namespace: "monitoring" });
            expect(release.inputs.repositoryOpts).to.deep.equal({ repo: "https://prometheus-community.github.io/helm-charts" });
            expect(values.crds).to.deep.equal({ enabled: true, upgradeJob: { enabled: true } });
        });

        it("keeps Prometheus data on encrypted gp3 by tier, with time and size retention, and selects every monitor and rule", () => {
            const spec = values.prometheus.prometheusSpec;
            // prod sends its history to AMP, so Prometheus keeps the backend's local retention, not the tier's 30d.
            expect(spec.retention).to.equal("2d");
            expect(spec.retentionSize).to.equal("180GB");
            expect(spec.storageSpec.volumeClaimTemplate.spec).to.deep.equal({ storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "200Gi" } } });
            expect(spec.resources).to.deep.equal({ requests: { cpu: "1", memory: "8Gi" }, limits: { memory: "8Gi" } });
            for (const selector of ["serviceMonitor", "podMonitor", "probe", "scrapeConfig", "rule"]) expect(spec[`${selector}SelectorNilUsesHelmValues`], selector).to.equal(false);
            const gp3 = prod.registered.one("kubernetes:storage.k8s.io/v1:StorageClass", "acme-prod-gp3");
            expect((gp3.inputs.parameters as Record<string, string>).encrypted).to.equal("true");
        });

        it("does not scrape what EKS does not expose: controller manager, scheduler, etcd, kube-proxy", () => {
            for (const component of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) expect(values[component], component).to.deep.equal({ enabled: false });
        });

        it("routes Alertmanager to an encrypted SNS topic with SigV4, on persistent storage", () => {
            const topic = prod.registered.one("aws:sns/topic:Topic");
            expect(topic.inputs.kmsMasterKeyId).to.equal(prod.registered.one("aws:kms/key:Key").outputs.arn);
            const am = values.alertmanager;
            expect(am.config.route.receiver).to.equal("sns");
            const sns = am.config.receivers.find((r: { name: string }) => r.name === "sns").sns_configs[0];
            expect(sns).to.deep.include({ topic_arn: topic.outputs.arn, sigv4: { region: "eu-west-1" }, send_resolved: true });
            expect(am.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources.requests.storage).to.equal("10Gi");
            const association = prod.registered.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "acme-prod-alertmanager");
            expect(association.inputs).to.include({ namespace: "monitoring", serviceAccount: "alertmanager", roleArn: prod.registered.one("aws:iam/role:Role", "acme-prod-alertmanager").outputs.arn });
            expect(am.serviceAccount).to.deep.equal({ create: true, name: "alertmanager" });
            const subscriptions = prod.registered.ofType("aws:sns/topicSubscription:TopicSubscription").map((s) => `${s.inputs.protocol} ${s.inputs.endpoint}`);
            // prod's endpoint is a secret in the stack file: the offline plan cannot decrypt it, and keeps it secret.
            expect(subscriptions).to.have.members(["email platform-alerts@acme.example", "https https://offline-plan.invalid/secret"]);
            expect(prod.registered.ofType("aws:sns/topicSubscription:TopicSubscription").find((x) => x.inputs.protocol === "https")!.secretInputs).to.include("endpoint");
            const topicPolicy = json(prod.registered.one("aws:sns/topicPolicy:TopicPolicy").inputs.policy);
            expect(topicPolicy.Statement[1]).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        });

        it("lets the Alertmanager role publish to its topic and to no other (simulated)", async () => {
            const r = prod.registered;
            const policy = json(r.one("aws:iam/rolePolicy:RolePolicy", "acme-prod-alertmanager").inputs.policy);
            const topic = r.one("aws:sns/topic:Topic").outputs.arn as string;
            expect(await simulate([policy], { action: "sns:Publish", resource: topic })).to.equal("Allowed");
            expect(await simulate([policy], { action: "sns:Publish", resource: "arn:aws:sns:eu-west-1:777788889999:billing-alerts" })).to.equal("ImplicitlyDenied");
            expect(await simulate([policy], { action: "sns:Subscribe", resource: topic })).to.equal("ImplicitlyDenied");
            const keyPolicy = json(r.one("aws:kms/key:Key").inputs.policy);
            const key = r.one("aws:kms/key:Key").outputs.arn as string;
            expect(await simulate([policy], { action: "kms:GenerateDataKey", resource: key, context: { "kms:ViaService": "sns.eu-west-1.amazonaws.com" }, resourcePolicy: keyPolicy })).to.equal("Allowed");
            expect(await simulate([policy], { action: "kms:GenerateDataKey", resource: key, context: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" }, resourcePolicy: keyPolicy })).to.equal("ImplicitlyDenied");
        });

        it("gives Grafana a generated admin password from a secret (never a literal), persistence, and no public exposure", () => {
            const grafana = values.grafana;
            expect(grafana.admin).to.deep.equal({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
            expect(JSON.stringify(values)).not.to.match(/adminPassword/);
            expect(grafana.persistence).to.deep.equal({ enabled: true, type: "pvc", storageClassName: "gp3", size: "10Gi" });
            expect(grafana.service).to.deep.equal({ type: "ClusterIP" });
            expect(grafana.ingress).to.deep.equal({ enabled: false });
            const secret = prod.registered.one("kubernetes:core/v1:Secret", "acme-prod-grafana-admin");
            expect(secret.secretInputs.some((p) => p.startsWith("stringData"))).to.equal(true);
            expect(prod.registered.one("random:index/randomPassword:RandomPassword").inputs).to.include({ length: 32 });
        });

        it("renders its PrometheusRules and ServiceMonitors valid for the operator's schemas, with real PromQL and for: durations", async () => {
            const { PrometheusRule } = await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule");
            const { ServiceMonitor } = await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor");
            const rules = prod.registered.one(RULE, "acme-prod-platform-rules").inputs as unknown as IPrometheusRule;
            new PrometheusRule(rules).validate();
            const monitor = prod.registered.one(MONITOR).inputs as unknown as IServiceMonitor;
            new ServiceMonitor(monitor).validate();
            expect(monitor.spec.endpoints![0].port).to.equal("http-metrics");
            const alerts = rules.spec!.groups!.flatMap((g) => g.rules!);
            expect(alerts.map((a) => a.alert)).to.include.members(["KarpenterNodeClaimsNotLaunching", "KarpenterInterruptionQueueBacklog", "PersistentVolumeClaimFillingUp", "TeamPodCrashLooping"]);
            for (const a of alerts) {
                expect(a.for, a.alert).to.match(/^\d+m$/);
                expect(await promqlErrors(String(a.expr)), `${a.alert}: ${a.expr}`).to.deep.equal([]);
            }
            expect(await promqlErrors("sum(rate(up[5m]) by"), "the parser does report errors").not.to.deep.equal([]);
            expect(values["kube-state-metrics"].metricLabelsAllowlist).to.deep.equal(["namespaces=[envstack.io/team]"]);
        });
    });

    it("fences the monitoring namespace like any other: compute and pods for the stack and a node exporter per node, its volumes, no load balancers or node ports", async () => {
        const { ResourceQuota } = await import("kubernetes-models/v1/ResourceQuota");
        const { LimitRange } = await import("kubernetes-models/v1/LimitRange");
        const quota = prod.registered.one("kubernetes:core/v1:ResourceQuota", "acme-prod-monitoring").inputs as any;
        const limits = prod.registered.one("kubernetes:core/v1:LimitRange", "acme-prod-monitoring").inputs as any;
        new ResourceQuota(quota).validate();
        new LimitRange(limits).validate();
        // prod: Prometheus 1 CPU and 8Gi, volumes 200 + 10 + 10 GiB; nodes: 6 + 9 + 12 in groups, 384 Karpenter vCPU in 2-vCPU nodes, 3 pools.
        expect(maxNodes(resolveEnvironmentConfig(readStack(readStackConfig(`${REPO}/Pulumi.prod.yaml`, "envstack").values).input))).to.equal(6 + 9 + 12 + 192 + 3);
        expect(quota.metadata.namespace).to.equal("monitoring");
        expect(quota.spec.hard).to.deep.equal({
            "requests.cpu": "15100m", // 2 x (1 + 1) + 222 x 50m
            "requests.memory": "34688Mi", // 2 x (8Gi + 2Gi) + 222 x 64Mi
            "requests.storage": "440Gi",
            pods: "238", // 2 x 8 + 222 node exporters
            persistentvolumeclaims: "6",
            "services.loadbalancers": "0",
            "services.nodeports": "0",
        });
        expect(limits.spec.limits).to.deep.equal([{ type: "Container", defaultRequest: { cpu: "50m", memory: "64Mi" } }]);
        expect(values["prometheus-node-exporter"].resources.requests).to.deep.equal({ cpu: "50m", memory: "64Mi" });
        // The chart installs into a fenced namespace.
        const release = prod.registered.one(RELEASE, "acme-prod-kube-prometheus-stack");
        expect(release.dependsOn.filter((u) => /ResourceQuota|LimitRange/.test(u))).to.have.length(2);
    });

    it("turns the Prometheus side off without touching the CloudWatch side, removing exactly its resources", async () => {
        const on = await environment(withObservability("prod", { prometheus: { enabled: true }, alerts: { email: "oncall@acme.example" } }));
        const off = await environment(withObservability("prod", { prometheus: { enabled: false }, alerts: { email: "oncall@acme.example" } }));
        const names = (r: Registered) => new Set(r.all.map((x) => `${x.type} ${x.name}`));
        const [withIt, without] = [names(on), names(off)];
        for (const name of without) expect(withIt.has(name), name).to.equal(true);
        // The long-term backend goes with Prometheus (tests/longTermMetrics.spec.ts has its own).
        // Argo CD's sync-failure rule goes with it too (tests/gitops.spec.ts).
        const removed = [...withIt].filter((n) => !without.has(n) && !n.includes("long-term-metrics") && !n.includes("argocd-rules")).sort();
        expect([...withIt].filter((n) => !without.has(n) && n.includes("long-term-metrics")).length).to.be.greaterThan(0);
        expect(removed).to.deep.equal(
            [
                "aws:eks/podIdentityAssociation:PodIdentityAssociation acme-prod-alertmanager",
                "aws:iam/role:Role acme-prod-alertmanager",
                "aws:iam/rolePolicy:RolePolicy acme-prod-alertmanager",
                "aws:sns/topic:Topic acme-prod-alerts",
                "aws:sns/topicPolicy:TopicPolicy acme-prod-alerts",
                "aws:sns/topicSubscription:TopicSubscription acme-prod-alerts-email",
                "kubernetes:core/v1:LimitRange acme-prod-monitoring",
                "kubernetes:core/v1:Namespace acme-prod-monitoring",
                "kubernetes:core/v1:ResourceQuota acme-prod-monitoring",
                "kubernetes:core/v1:Secret acme-prod-grafana-admin",
                "kubernetes:helm.sh/v3:Release acme-prod-kube-prometheus-stack",
                "kubernetes:monitoring.coreos.com/v1:PrometheusRule acme-prod-platform-rules",
                "kubernetes:monitoring.coreos.com/v1:ServiceMonitor acme-prod-karpenter-metrics",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy acme-prod-monitoring-allow-same-namespace",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy acme-prod-monitoring-default-deny-ingress",
                "random:index/randomPassword:RandomPassword acme-prod-grafana-admin",
                // Nothing else uses the random package, so its default provider goes too.
                "pulumi:providers:random default",
            ].sort(),
        );
        expect(off.ofType("aws:eks/addon:Addon").some((a) => a.inputs.addonName === "amazon-cloudwatch-observability")).to.equal(true);
    });

    it("reports bad config with field names: retention CloudWatch does not accept, malformed email, negative sizes", () => {
        let list: ConfigProblem[] = [];
        try {
            resolveEnvironmentConfig({
                ...withObservability("prod", { prometheus: { storageGiB: -5, retention: "a month", retentionSizeGB: 500 }, alerts: { email: "oncall-at-acme", httpsEndpoint: "http://hooks.acme.example" } }),
                cluster: { ...validInput("prod").cluster, logRetentionInDays: 45 },
            } as EnvironmentInput);
        } catch (err) {
            list = [...(err as ConfigError).problems];
        }
        const at = (path: string) => list.filter((p) => p.path === path).map((p) => p.message).join(" | ");
        expect(at("cluster.logRetentionInDays")).to.include("got 45; allowed: one of 1, 3, 5, 7, 14, 30, 60, 90");
        expect(at("observability.alerts.email")).to.include('got "oncall-at-acme"; allowed: an email address');
        expect(at("observability.alerts.httpsEndpoint")).to.include("an https:// URL");
        expect(at("observability.prometheus.storageGiB")).to.include("got -5; allowed: a number > 0");
        expect(at("observability.prometheus.retention")).to.include('got "a month"; allowed: a Prometheus duration');
        let headroom: ConfigProblem[] = [];
        try {
            resolveEnvironmentConfig(withObservability("prod", { prometheus: { retentionSizeGB: 195 } }));
        } catch (err) {
            headroom = [...(err as ConfigError).problems];
        }
        expect(headroom.map((p) => `${p.path}: ${p.message}`)).to.deep.equal(["observability.prometheus.retentionSizeGB: got 195; allowed: at most 180 (90% of storageGiB 200), so compaction has room"]);
    });
});
