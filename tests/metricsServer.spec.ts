import { expect } from "chai";
import { Environment, MetricsServer, resolveEnvironmentConfig } from "../components";
import { CONTEXT_NAMES, context } from "./badInput";
import { planStack, register, validInput } from "./harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";

describe("metrics-server", () => {
    const plans: Record<string, Awaited<ReturnType<typeof planStack>>> = {};
    before(async () => {
        for (const stack of ["dev", "prod"]) plans[stack] = await planStack(stack);
    });
    const release = (stack: string) => plans[stack].registered.ofType(RELEASE).find((r) => r.inputs.name === "metrics-server") as { inputs: Record<string, any>; dependencies: string[] };
    const values = (stack: string) => release(stack).inputs.values;

    it("installs the pinned chart into kube-system, on the system nodes, with requests set", () => {
        const r = release("prod");
        expect(r.inputs).to.include({ chart: "metrics-server", version: "3.13.1", namespace: "kube-system" });
        expect(r.inputs.repositoryOpts).to.deep.equal({ repo: "https://kubernetes-sigs.github.io/metrics-server/" });
        expect(values("prod").nodeSelector).to.deep.equal({ "kubernetes.io/os": "linux", "envstack.io/node-group": "system" });
        expect(values("prod").tolerations).to.deep.equal([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
        expect(values("prod").resources.requests).to.deep.equal({ cpu: "100m", memory: "200Mi" });
        expect(values("prod").serviceAccount).to.deep.equal({ create: true, name: "metrics-server" });
        const systemNodes = plans.prod.registered.one("eks:index:ManagedNodeGroup", "acme-prod-system");
        expect(r.dependencies).to.include(systemNodes.urn);
    });

    it("runs two replicas with a disruption budget in prod, and one without in dev", () => {
        expect(values("prod").replicas).to.equal(2);
        expect(values("prod").podDisruptionBudget).to.deep.equal({ enabled: true, minAvailable: 1 });
        expect(values("dev").replicas).to.equal(1);
        expect(values("dev").podDisruptionBudget).to.deep.equal({ enabled: false });
    });

    it("turned off in a stack, removes exactly its component and release", async () => {
        const build = (enabled: boolean) => () => {
            const input = validInput("dev");
            new Environment("acme-dev", { ...input, platform: { metricsServer: { enabled } } });
        };
        const on = await register(build(true));
        const off = await register(build(false));
        const names = (r: typeof on) => new Set(r.all.map((x) => `${x.type}::${x.name}`));
        const removed = [...names(on)].filter((n) => !names(off).has(n));
        expect(removed.sort()).to.deep.equal(["envstack:index:MetricsServer::acme-dev-metrics-server", `${RELEASE}::acme-dev-metrics-server`]);
        expect([...names(off)].filter((n) => !names(on).has(n))).to.deep.equal([]);
    });

    it("used on its own, refuses bad arguments before registering anything", async () => {
        let thrown: Error | undefined;
        const registered = await register(() => {
            const ctx = context();
            try {
                new MetricsServer("m", { replicas: 0, versions: resolveEnvironmentConfig(validInput("dev")).versions, k8sProvider: ctx.provider });
            } catch (err) {
                thrown = err as Error;
            }
        });
        expect(thrown?.message).to.include("replicas: got 0; allowed: a number >= 1");
        expect(registered.all.map((r) => r.name).filter((n) => !CONTEXT_NAMES.includes(n))).to.deep.equal([]);
    });
});
