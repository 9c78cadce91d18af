import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { expect } from "chai";
import { Environment, EnvironmentInput } from "../components";
import { admit } from "./cel";
import { register, Registered, validInput } from "./harness";
import { ANALYTICS, PAYMENTS } from "./teams.spec";

/**
 * The admission guards that keep what a team writes inside its namespace, evaluated as the API
 * server evaluates them, for any requester: a member, a team's CI, a controller, even an admin.
 */

const VAP = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const NAMESPACE = "kubernetes:core/v1:Namespace";

describe("the team guards: exposure and Prometheus tenancy (admission CEL evaluated)", () => {
    let r: Registered;
    before(async () => {
        const input = { ...validInput("dev"), storage: { extraClasses: [{ name: "io2-db", type: "io2", iops: 16000 }] }, observability: { prometheus: { enabled: true } }, teams: [PAYMENTS, ANALYTICS, { name: "storefront", roleArn: "arn:aws:iam::111122223333:role/storefront", ingress: "public" }] } as EnvironmentInput;
        r = await register(() => new Environment("acme-dev", input));
    });

    const policy = (name: string) => r.one(VAP, name).inputs as unknown as IValidatingAdmissionPolicy;
    const namespaceOf = (name: string) => r.ofType(NAMESPACE).find((n) => (n.inputs.metadata as { name: string }).name === name)!.inputs;
    /** What the API server answers anyone (a cluster admin here) creating `object` in `namespace`. */
    const create = (guard: string, resource: string, namespace: string, object: object) =>
        admit(policy(guard), { request: { operation: "CREATE", resource: { resource }, userInfo: { groups: ["system:masters"] } }, object, oldObject: null, namespaceObject: namespaceOf(namespace) });

    describe("exposure: Services and Ingresses", () => {
        const service = (type: string, annotations?: Record<string, string>) => ({ metadata: { name: "web", ...(annotations ? { annotations } : {}) }, spec: { type, ports: [{ port: 443 }] } });
        const ingress = (annotations?: Record<string, string>) => ({ metadata: { name: "web", ...(annotations ? { annotations } : {}) }, spec: { rules: [] } });
        const guard = (resource: string, namespace: string, object: object) => create("acme-dev-team-exposure-guard", resource, namespace, object);

        it("labels each team namespace internal unless config says public", () => {
            expect((namespaceOf("payments").metadata as any).labels["envstack.io/ingress"]).to.equal("internal");
            expect((namespaceOf("storefront").metadata as any).labels["envstack.io/ingress"]).to.equal("public");
        });

        it("refuses NodePort Services everywhere, and internet-facing load balancers where the team is internal", async () => {
            expect(await guard("services", "payments", service("ClusterIP"))).to.equal("admitted");
            expect(await guard("services", "payments", service("NodePort"))).to.deep.equal(["NodePort Services are refused in team namespaces: they open a port on every node; use ClusterIP, or an internal LoadBalancer"]);
            expect(await guard("services", "storefront", service("NodePort")), "public teams too").not.to.equal("admitted");
            // With no scheme annotation, the in-tree provider makes an internet-facing load balancer.
            expect(await guard("services", "payments", service("LoadBalancer"))).not.to.equal("admitted");
            expect(await guard("services", "payments", service("LoadBalancer", { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" }))).to.equal("admitted");
            expect(await guard("services", "payments", service("LoadBalancer", { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" }))).to.equal("admitted");
            // Evasions: the scheme annotation decides over the legacy one; values are exact.
            expect(await guard("services", "payments", service("LoadBalancer", { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing", "service.beta.kubernetes.io/aws-load-balancer-internal": "true" }))).not.to.equal("admitted");
            expect(await guard("services", "payments", service("LoadBalancer", { "service.beta.kubernetes.io/aws-load-balancer-internal": "false" }))).not.to.equal("admitted");
            expect(await guard("services", "payments", service("LoadBalancer", { "service.beta.kubernetes.io/aws-load-balancer-scheme": "Internal " }))).not.to.equal("admitted");
            expect(await guard("services", "storefront", service("LoadBalancer", { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" }))).to.equal("admitted");
        });

        it("refuses internet-facing Ingresses where the team is internal", async () => {
            expect(await guard("ingresses", "payments", ingress())).to.equal("admitted");
            expect(await guard("ingresses", "payments", ingress({ "alb.ingress.kubernetes.io/scheme": "internal" }))).to.equal("admitted");
            expect(await guard("ingresses", "payments", ingress({ "alb.ingress.kubernetes.io/scheme": "internet-facing" }))).to.deep.equal([
                "this team's Ingresses must be internal: drop alb.ingress.kubernetes.io/scheme: internet-facing, or give the team ingress: public in the environment's config",
            ]);
            expect(await guard("ingresses", "storefront", ingress({ "alb.ingress.kubernetes.io/scheme": "internet-facing" }))).to.equal("admitted");
        });

        it("covers every team namespace and every requester, Services and Ingresses only", () => {
            const p = policy("acme-dev-team-exposure-guard");
            expect(p.spec!.matchConditions).to.equal(undefined);
            expect(p.spec!.matchConstraints!.namespaceSelector).to.deep.equal({ matchExpressions: [{ key: "envstack.io/team", operator: "Exists" }] });
            expect(p.spec!.matchConstraints!.resourceRules!.map((x) => x.resources)).to.deep.equal([["services"], ["ingresses"]]);
            expect(r.one("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding", "acme-dev-team-exposure-guard").inputs.spec).to.deep.equal({ policyName: "envstack-team-exposure-guard", validationActions: ["Deny"] });
        });
    });

    describe("Prometheus tenancy: monitors and rules", () => {
        const guard = (resource: string, object: object) => create("acme-dev-team-monitoring-guard", resource, "payments", object);
        const monitor = (endpoint: object, namespaceSelector?: object) => ({ metadata: { name: "checkout" }, spec: { selector: { matchLabels: { app: "checkout" } }, endpoints: [{ port: "metrics", ...endpoint }], ...(namespaceSelector ? { namespaceSelector } : {}) } });

        it("keeps a team's monitors on its own namespace", async () => {
            expect(await guard("servicemonitors", monitor({}))).to.equal("admitted");
            expect(await guard("servicemonitors", monitor({}, { matchNames: ["payments"] }))).to.equal("admitted");
            expect(await guard("servicemonitors", monitor({}, { any: true }))).to.deep.equal(["a team's monitors select targets in their own namespace only: drop namespaceSelector (or name only this namespace)"]);
            expect(await guard("servicemonitors", monitor({}, { matchNames: ["payments", "analytics"] }))).not.to.equal("admitted");
            expect(await guard("podmonitors", { metadata: { name: "x" }, spec: { selector: {}, podMetricsEndpoints: [{ port: "metrics" }], namespaceSelector: { any: true } } })).not.to.equal("admitted");
        });

        it("refuses monitors that would read files in the Prometheus container, such as its own token", async () => {
            expect(await guard("servicemonitors", monitor({ bearerTokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token" }))).to.deep.equal([
                "a team's monitors may not read files in the Prometheus container (bearerTokenFile, tlsConfig caFile/certFile/keyFile): use secret references",
            ]);
            expect(await guard("servicemonitors", monitor({ tlsConfig: { caFile: "/etc/prometheus/secrets/ca.crt" } }))).not.to.equal("admitted");
            expect(await guard("servicemonitors", monitor({ tlsConfig: { ca: { secret: { name: "checkout-ca", key: "ca.crt" } } } }))).to.equal("admitted");
        });

        it("refuses rules that claim the platform's alert route", async () => {
            const rule = (labels?: Record<string, string>) => ({ metadata: { name: "checkout" }, spec: { groups: [{ name: "checkout", rules: [{ alert: "CheckoutDown", expr: "up == 0", ...(labels ? { labels } : {}) }] }] } });
            expect(await guard("prometheusrules", rule({ severity: "page" }))).to.equal("admitted");
            expect(await guard("prometheusrules", rule({ envstack_owner: "platform" }))).to.deep.equal(["the envstack_owner label routes alerts to the platform's on-call; a team's rules may not set it"]);
        });
    });
});
