import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { expect } from "chai";
import { Environment, EnvironmentInput } from "../components";
import { json, register, Registered, validInput } from "./harness";
import { simulate } from "./iam";
import { isAllowed, pod } from "./netpol";
import { ANALYTICS, PAYMENTS } from "./teamFixtures";

/**
 * Prometheus, Alertmanager and Grafana are shared: a team sees and pages with its own namespace's
 * worth of them, and reaches none of them directly.
 */
describe("Observability shared by teams", () => {
    let r: Registered;
    let values: any;
    const SECRET_ENDPOINT = "https://events.pager.example/integration/key-3f9a";
    before(async () => {
        const payments = { ...PAYMENTS, alerts: { email: "payments-oncall@acme.example", httpsEndpoint: SECRET_ENDPOINT } };
        const input = { ...validInput("dev"), storage: { extraClasses: [{ name: "io2-db", type: "io2", iops: 16000 }] }, observability: { prometheus: { enabled: true } }, teams: [payments, ANALYTICS] } as EnvironmentInput;
        r = await register(() => new Environment("acme-dev", input));
        values = r.one("kubernetes:helm.sh/v3:Release", "acme-dev-kube-prometheus-stack").inputs.values;
    });

    it("labels every team series and alert with the team's namespace; the platform's monitors and rules are exempt", () => {
        const spec = values.prometheus.prometheusSpec;
        expect(spec.enforcedNamespaceLabel).to.equal("namespace");
        expect(new Set(spec.excludedFromEnforcement.map((x: { namespace: string }) => x.namespace))).to.deep.equal(new Set(["monitoring", "kube-system"]));
        expect(spec.excludedFromEnforcement.filter((x: { namespace: string }) => x.namespace === "monitoring").map((x: { resource: string }) => x.resource).sort()).to.deep.equal(["podmonitors", "probes", "prometheusrules", "servicemonitors"]);
        expect(spec.excludedFromEnforcement.every((x: { group: string; name?: string }) => x.group === "monitoring.coreos.com" && x.name === undefined)).to.equal(true);
        // No team namespace is exempt.
        expect(spec.excludedFromEnforcement.some((x: { namespace: string }) => ["payments", "analytics"].includes(x.namespace))).to.equal(false);
    });

    it("keeps the platform's rules to the platform's own series, and the operator's webhook off", () => {
        const rules = (r.one("kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs.spec as any).groups.flatMap((g: { rules: { expr: string }[] }) => g.rules);
        const karpenter = rules.filter((x: { expr: string }) => x.expr.includes("karpenter_"));
        expect(karpenter.length).to.equal(4);
        // A team cannot fire or mask them with look-alike series: Karpenter's are in kube-system.
        for (const rule of karpenter) for (const m of rule.expr.match(/karpenter_\w+(\{[^}]*\})?/g)) expect(m, rule.expr).to.include('{namespace="kube-system"}');
        expect(values.prometheusOperator.admissionWebhooks.enabled).to.equal(false);
        expect(values.defaultRules).to.equal(undefined);
    });

    it("routes by namespace alone: a team namespace's alerts to its own topic or nowhere, never to the platform's", () => {
        const { route, receivers } = values.alertmanager.config;
        expect(route.receiver).to.equal("sns");
        expect(route.routes.map((x: { receiver: string; matchers: string[] }) => [x.receiver, x.matchers.join(",")])).to.deep.equal([
            ["null", 'alertname = "Watchdog"'],
            ["team-payments", 'namespace = "payments"'],
            ["null", 'namespace = "analytics"'],
        ]);
        const topics = Object.fromEntries(r.ofType("aws:sns/topic:Topic").map((t) => [String(t.inputs.name), t]));
        expect(Object.keys(topics).sort()).to.deep.equal(["acme-dev-alerts", "acme-dev-alerts-payments"]);
        expect(receivers.find((x: { name: string }) => x.name === "team-payments").sns_configs[0].topic_arn).to.equal(topics["acme-dev-alerts-payments"].outputs.arn);
        expect(topics["acme-dev-alerts-payments"].inputs.kmsMasterKeyId).to.equal(r.one("aws:kms/key:Key").outputs.arn);
    });

    it("keeps subscription endpoints secret: they often carry a key", () => {
        const https = r.ofType("aws:sns/topicSubscription:TopicSubscription").find((s) => s.inputs.protocol === "https")!;
        expect(https.secretInputs).to.include("endpoint");
        expect(https.inputs.endpoint).to.equal(SECRET_ENDPOINT);
    });

    it("lets Alertmanager publish to those topics and no other (simulated)", async () => {
        const policy = json(r.one("aws:iam/rolePolicy:RolePolicy", "acme-dev-alertmanager").inputs.policy);
        const publish = (topic: string) => simulate([policy], { action: "sns:Publish", resource: `arn:aws:sns:eu-west-1:111122223333:${topic}` });
        const arnOf = (name: string) => String(r.ofType("aws:sns/topic:Topic").find((t) => t.inputs.name === name)!.outputs.arn).split(":").pop()!;
        expect(await publish(arnOf("acme-dev-alerts"))).to.equal("Allowed");
        expect(await publish(arnOf("acme-dev-alerts-payments"))).to.equal("Allowed");
        expect(await publish("payroll-events")).to.equal("ImplicitlyDenied");
    });

    it("admits nothing into the monitoring namespace from outside it, while Prometheus still scrapes the teams", () => {
        const policies = r.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs as unknown as INetworkPolicy);
        const monitoringLabels = { "kubernetes.io/metadata.name": "monitoring" };
        const prometheus = pod("monitoring", { "app.kubernetes.io/name": "prometheus" }, monitoringLabels);
        const alertmanager = pod("monitoring", { "app.kubernetes.io/name": "alertmanager" }, monitoringLabels);
        const grafana = pod("monitoring", { "app.kubernetes.io/name": "grafana" }, monitoringLabels);
        const teamPod = pod("payments", { app: "checkout" }, { "envstack.io/team": "payments" });
        const cases: [string, boolean, boolean][] = [
            ["a team pod to Prometheus", isAllowed(policies, { from: teamPod, to: prometheus, port: 9090 }), false],
            ["a team pod to Alertmanager", isAllowed(policies, { from: teamPod, to: alertmanager, port: 9093 }), false],
            ["a team pod to Grafana", isAllowed(policies, { from: teamPod, to: grafana, port: 3000 }), false],
            ["another system pod to Prometheus", isAllowed(policies, { from: pod("kube-system", { app: "x" }), to: prometheus, port: 9090 }), false],
            ["Grafana to Prometheus", isAllowed(policies, { from: grafana, to: prometheus, port: 9090 }), true],
            ["Prometheus to Alertmanager", isAllowed(policies, { from: prometheus, to: alertmanager, port: 9093 }), true],
            ["Prometheus scraping a team pod", isAllowed(policies, { from: prometheus, to: teamPod, port: 8080 }), true],
        ];
        expect(cases.filter(([, got, want]) => got !== want).map(([name]) => name)).to.deep.equal([]);
    });
});
