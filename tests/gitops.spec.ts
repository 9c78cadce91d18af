import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { expect } from "chai";
import { parse } from "yaml";
import { ArgoCd, Environment, EnvironmentInput } from "../components";
import { CONTEXT_NAMES, context } from "./badInput";
import { releaseNamed } from "./addons";
import { planStack, register, Registered, validInput } from "./harness";
import { isAllowed, pod } from "./netpol";

const I = (r: { inputs: unknown }): any => r.inputs;

describe("GitOps: Argo CD", () => {
    let staging: Registered;
    let prod: Registered;
    before(async () => {
        [staging, prod] = [(await planStack("staging")).registered, (await planStack("prod")).registered];
    });
    const values = (r: Registered) => I(releaseNamed(r, "argo-cd")).values;

    it("installs the pinned chart in argocd on the system nodes, with no local admin, no anonymous users, no exec and no Dex", () => {
        const release = I(releaseNamed(prod, "argo-cd"));
        expect(release).to.include({ chart: "argo-cd", version: "10.1.1", namespace: "argocd", atomic: true });
        expect(release.repositoryOpts).to.deep.equal({ repo: "https://argoproj.github.io/argo-helm" });
        const v = values(prod);
        expect(v.configs.cm).to.deep.equal({ "admin.enabled": false, "users.anonymous.enabled": false, "exec.enabled": false });
        expect(v.configs.rbac).to.deep.equal({ "policy.default": "" });
        expect(v.dex).to.deep.equal({ enabled: false });
        expect(v.global.nodeSelector).to.deep.equal({ "kubernetes.io/os": "linux", "envstack.io/node-group": "system" });
        for (const part of ["controller", "server", "repoServer", "applicationSet", "redis"]) expect(v[part].resources.requests, part).to.have.keys("cpu", "memory");
        expect(v.server.service).to.deep.equal({ type: "ClusterIP" });
        expect(v.server.ingress).to.deep.equal({ enabled: false });
    });

    it("runs HA in prod (two of each stateless part, Redis HA) and single in staging", () => {
        const replicas = (r: Registered) => ["server", "repoServer", "applicationSet"].map((p) => values(r)[p].replicas);
        expect(replicas(prod)).to.deep.equal([2, 2, 2]);
        expect(values(prod)["redis-ha"]).to.deep.equal({ enabled: true });
        expect(replicas(staging)).to.deep.equal([1, 1, 1]);
        expect(values(staging)["redis-ha"]).to.deep.equal({ enabled: false });
        expect(values(prod).controller.replicas).to.equal(1);
    });

    it("logs in through SSO from config, naming the client secret's Secret, never its value", async () => {
        const sso = { issuer: "https://login.acme.example/realms/platform", clientId: "argocd", clientSecretName: "argocd-oidc" };
        const r = await register(() => new Environment("acme-prod", { ...validInput("prod"), gitops: { sso } } as EnvironmentInput));
        const oidc = parse(values(r).configs.cm["oidc.config"]);
        expect(oidc).to.deep.include({ issuer: sso.issuer, clientID: "argocd", clientSecret: "$argocd-oidc:oidc.clientSecret" });
        expect(values(r).configs.cm["admin.enabled"]).to.equal(false);
    });

    it("fences its namespace: baseline Pod Security, a quota, and ingress only from itself and Prometheus's scrapes", () => {
        const ns = prod.ofType("kubernetes:core/v1:Namespace").find((n) => I(n).metadata.name === "argocd")!;
        expect(I(ns).metadata.labels).to.include({ "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted" });
        const quota = prod.ofType("kubernetes:core/v1:ResourceQuota").find((q) => I(q).metadata.namespace === "argocd")!;
        expect(I(quota).spec.hard).to.include({ "services.loadbalancers": "0", "services.nodeports": "0", persistentvolumeclaims: "0" });
        const policies = prod.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => I(p).metadata.namespace === "argocd").map((p) => I(p) as INetworkPolicy);
        const server = pod("argocd", { "app.kubernetes.io/name": "argocd-server" });
        const repo = pod("argocd", { "app.kubernetes.io/name": "argocd-repo-server" });
        const prometheus = pod("monitoring", { "app.kubernetes.io/name": "prometheus" });
        expect(isAllowed(policies, { from: server, to: repo, port: 8081 })).to.equal(true);
        expect(isAllowed(policies, { from: prometheus, to: repo, port: 8084 })).to.equal(true);
        expect(isAllowed(policies, { from: prometheus, to: server, port: 8080 })).to.equal(false);
        expect(isAllowed(policies, { from: pod("payments", { app: "web" }, { "envstack.io/team": "payments" }), to: server, port: 8080 })).to.equal(false);
        expect(isAllowed(policies, { from: pod("payments"), to: repo, port: 8081 })).to.equal(false);
        expect(isAllowed(policies, { from: pod("monitoring", { "app.kubernetes.io/name": "grafana" }), to: repo, port: 8084 })).to.equal(false);
    });

    it("is off in dev, and turned off removes exactly its resources", async () => {
        expect((await planStack("dev")).registered.ofType("envstack:index:ArgoCd")).to.deep.equal([]);
        const key = (r: Registered) => new Set(r.all.map((x) => `${x.type}::${x.name}`));
        const build = (enabled: boolean) => () => new Environment("acme-staging", { ...validInput("staging"), gitops: { enabled } } as EnvironmentInput);
        const [on, off] = [key(await register(build(true))), key(await register(build(false)))];
        expect([...off].filter((n) => !on.has(n))).to.deep.equal([]);
        const removed = [...on].filter((n) => !off.has(n));
        expect(removed.every((n) => n.includes("argocd")), removed.join("\n")).to.equal(true);
        expect(removed.map((n) => n.split("::")[0]).sort()).to.deep.equal(
            [
                "envstack:index:ArgoCd",
                "kubernetes:core/v1:Namespace",
                "kubernetes:core/v1:ResourceQuota",
                "kubernetes:core/v1:LimitRange",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                "kubernetes:helm.sh/v3:Release",
            ].sort(),
        );
    });

    it("used on its own, refuses an SSO issuer over plain HTTP before registering anything", async () => {
        let thrown: Error | undefined;
        const registered = await register(() => {
            const ctx = context();
            try {
                new ArgoCd("argocd", { ha: false, monitoring: false, sso: { issuer: "http://login.acme.example", clientId: "argocd", clientSecretName: "argocd-oidc" }, versions: ctx.config.versions, k8sProvider: ctx.provider });
            } catch (err) {
                thrown = err as Error;
            }
        });
        expect(thrown?.message).to.include('sso.issuer: got "http://login.acme.example"; allowed: the OIDC issuer\'s https:// URL');
        expect(registered.all.map((r) => r.name).filter((n) => !CONTEXT_NAMES.includes(n))).to.deep.equal([]);
    });
});
