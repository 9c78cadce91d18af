import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { expect } from "chai";
import { Environment, EnvironmentInput } from "../components";
import { admit } from "./cel";
import { register, Registered, validInput } from "./harness";
import { ANALYTICS, PAYMENTS } from "./teamFixtures";

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

        it("refuses NodePorts and externalIPs everywhere, and internet-facing load balancers where the team is internal", async () => {
            const internal = "service.beta.kubernetes.io/aws-load-balancer-internal";
            const scheme = "service.beta.kubernetes.io/aws-load-balancer-scheme";
            expect(await guard("services", "payments", service("ClusterIP"))).to.equal("admitted");
            expect(await guard("services", "payments", service("NodePort"))).to.deep.equal(["NodePort Services are refused in team namespaces: they open a port on every node; use ClusterIP, or an internal LoadBalancer"]);
            expect(await guard("services", "storefront", service("NodePort")), "public teams too").not.to.equal("admitted");
            // CVE-2020-8554: a ClusterIP Service claiming the VPC resolver's address would take every pod's DNS.
            const hijack = { metadata: { name: "dns" }, spec: { type: "ClusterIP", externalIPs: ["10.40.0.2"], ports: [{ port: 53, protocol: "UDP" }], selector: { app: "evil" } } };
            expect(await guard("services", "payments", hijack)).to.deep.equal(["externalIPs are refused in team namespaces: they take over that address's traffic from every pod in the cluster"]);
            expect(await guard("services", "storefront", hijack), "public teams too").not.to.equal("admitted");
            // With no annotation, the in-tree provider makes an internet-facing load balancer.
            expect(await guard("services", "payments", service("LoadBalancer"))).not.to.equal("admitted");
            expect(await guard("services", "payments", service("LoadBalancer", { [internal]: "true" }))).to.equal("admitted");
            expect(await guard("services", "payments", service("LoadBalancer", { [internal]: "true", [scheme]: "internal" }))).to.equal("admitted");
            // Evasions: the in-tree provider reads only the legacy annotation, so the scheme one alone is not enough; a public scheme beside it is not either; values are exact.
            expect(await guard("services", "payments", service("LoadBalancer", { [scheme]: "internal" }))).not.to.equal("admitted");
            expect(await guard("services", "payments", service("LoadBalancer", { [scheme]: "internet-facing", [internal]: "true" }))).not.to.equal("admitted");
            expect(await guard("services", "payments", service("LoadBalancer", { [internal]: "false" }))).not.to.equal("admitted");
            expect(await guard("services", "payments", service("LoadBalancer", { [internal]: "True " }))).not.to.equal("admitted");
            expect(await guard("services", "storefront", service("LoadBalancer", { [scheme]: "internet-facing" }))).to.equal("admitted");
        });

        it("refuses internet-facing Ingresses where the team is internal", async () => {
            expect(await guard("ingresses", "payments", ingress())).to.equal("admitted");
            expect(await guard("ingresses", "payments", ingress({ "alb.ingress.kubernetes.io/scheme": "internal" }))).to.equal("admitted");
            expect(await guard("ingresses", "payments", ingress({ "alb.ingress.kubernetes.io/scheme": "internet-facing" }))).to.deep.equal([
                "this team's Ingresses must be internal: drop alb.ingress.kubernetes.io/scheme and alb.ingress.kubernetes.io/frontend-nlb-scheme: internet-facing, or give the team ingress: public in the environment's config",
            ]);
            expect(await guard("ingresses", "storefront", ingress({ "alb.ingress.kubernetes.io/scheme": "internet-facing" }))).to.equal("admitted");
            // An internal ALB behind an internet-facing frontend NLB is public all the same.
            const frontend = { "alb.ingress.kubernetes.io/enable-frontend-nlb": "true", "alb.ingress.kubernetes.io/frontend-nlb-scheme": "internet-facing" };
            expect(await guard("ingresses", "payments", ingress(frontend))).not.to.equal("admitted");
            expect(await guard("ingresses", "storefront", ingress(frontend))).to.equal("admitted");
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
        const SAFE = { followRedirects: false };
        const monitor = (endpoint: object, extra: object = {}) => ({ metadata: { name: "checkout" }, spec: { selector: { matchLabels: { app: "checkout" } }, sampleLimit: 10000, endpoints: [{ port: "metrics", ...SAFE, ...endpoint }], ...extra } });
        const denied = async (resource: string, object: object) => (await guard(resource, object)) !== "admitted";

        it("keeps a team's monitors on its own namespace", async () => {
            expect(await guard("servicemonitors", monitor({}))).to.equal("admitted");
            expect(await guard("servicemonitors", monitor({}, { namespaceSelector: { matchNames: ["payments"] } }))).to.equal("admitted");
            expect(await guard("servicemonitors", monitor({}, { namespaceSelector: { any: true } }))).to.deep.equal(["a team's monitors select targets in their own namespace only: drop namespaceSelector (or name only this namespace)"]);
            expect(await denied("servicemonitors", monitor({}, { namespaceSelector: { matchNames: ["payments", "analytics"] } }))).to.equal(true);
            expect(await denied("podmonitors", { metadata: { name: "x" }, spec: { selector: {}, sampleLimit: 100, podMetricsEndpoints: [{ port: "metrics", ...SAFE }], namespaceSelector: { any: true } } })).to.equal(true);
        });

        it("scrapes targets where they are: no address or __ relabelling, label maps, proxies or redirects", async () => {
            const message = "a team's monitors scrape their targets as found: set followRedirects: false, and use no proxyUrl, no labelmap, and no relabelling of __address__ or other __ labels";
            // Prometheus's own /federate, with every namespace's series.
            const federate = { path: "/federate", params: { "match[]": ['{namespace!=""}'] }, relabelings: [{ targetLabel: "__address__", replacement: "kps-prometheus.monitoring.svc:9090" }] };
            expect(await guard("podmonitors", { metadata: { name: "x" }, spec: { selector: {}, sampleLimit: 100, podMetricsEndpoints: [{ port: "m", ...SAFE, ...federate }] } })).to.deep.equal([message]);
            expect(await guard("servicemonitors", monitor({ relabelings: [{ targetLabel: "__scheme__", replacement: "https" }] }))).to.deep.equal([message]);
            expect(await denied("servicemonitors", monitor({ relabelings: [{ targetLabel: "x_${1}", regex: "(.*)", sourceLabels: ["__address__"] }] }))).to.equal(true);
            expect(await denied("servicemonitors", monitor({ relabelings: [{ action: "LabelMap", regex: "__meta_(.+)" }] }))).to.equal(true);
            expect(await denied("servicemonitors", monitor({ proxyUrl: "http://attacker.example:3128" }))).to.equal(true);
            expect(await denied("servicemonitors", monitor({ followRedirects: true }))).to.equal(true);
            expect(await denied("servicemonitors", { metadata: { name: "x" }, spec: { selector: {}, sampleLimit: 100, endpoints: [{ port: "m" }] } }), "redirects are followed unless turned off").to.equal(true);
            // Ordinary relabelling of its own labels is fine.
            expect(await guard("servicemonitors", monitor({ relabelings: [{ sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "pod" }] }))).to.equal("admitted");
        });

        it("bounds what one target may bring into the shared Prometheus", async () => {
            expect(await guard("servicemonitors", monitor({}, { sampleLimit: 50000 }))).to.equal("admitted");
            expect(await guard("servicemonitors", monitor({}, { sampleLimit: 50001 }))).to.deep.equal(["a team's monitors set sampleLimit, at most 50000, so one target cannot exhaust the shared Prometheus"]);
            expect(await denied("servicemonitors", { metadata: { name: "x" }, spec: { selector: {}, endpoints: [{ port: "m", ...SAFE }] } })).to.equal(true);
        });

        it("refuses monitors that would read files in the Prometheus container, such as its own token", async () => {
            expect(await guard("servicemonitors", monitor({ bearerTokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token" }))).to.deep.equal([
                "a team's monitors may not read files in the Prometheus container (bearerTokenFile, tlsConfig caFile/certFile/keyFile): use secret references",
            ]);
            expect(await denied("servicemonitors", monitor({ tlsConfig: { caFile: "/etc/prometheus/secrets/ca.crt" } }))).to.equal(true);
            expect(await guard("servicemonitors", monitor({ tlsConfig: { ca: { secret: { name: "checkout-ca", key: "ca.crt" } } } }))).to.equal("admitted");
        });

        it("refuses rules whose templates run queries, which would read every namespace", async () => {
            const rule = (annotations: Record<string, string>, labels: Record<string, string> = {}, groupLabels?: Record<string, string>) => ({
                metadata: { name: "checkout" },
                spec: { groups: [{ name: "checkout", ...(groupLabels ? { labels: groupLabels } : {}), rules: [{ alert: "CheckoutDown", expr: "up == 0", labels, annotations }] }] },
            });
            const message = "a team's rule labels and annotations may not run queries (the query template function reads every namespace)";
            expect(await guard("prometheusrules", rule({ summary: "checkout is down on {{ $labels.pod }}" }, { severity: "page" }))).to.equal("admitted");
            expect(await guard("prometheusrules", rule({ d: '{{ range query "{namespace=\"analytics\"}" }}{{ .Labels }}{{ end }}' }))).to.deep.equal([message]);
            expect(await denied("prometheusrules", rule({}, { leak: '{{ query "up" }}' }))).to.equal(true);
            expect(await denied("prometheusrules", rule({}, {}, { leak: "{{ query `up` | first | value }}" }))).to.equal(true);
        });
    });
});
