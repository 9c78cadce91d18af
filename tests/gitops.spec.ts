import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { expect } from "chai";
import { parse } from "yaml";
import { ArgoCd, Environment, EnvironmentInput } from "../components";
import { CONTEXT_NAMES, context } from "./badInput";
import { releaseNamed } from "./addons";
import { planStack, register, Registered, validInput } from "./harness";
import { isAllowed, pod } from "./netpol";
import { admit } from "./cel";
import { gitopsGuardPolicy } from "../components/gitops/guard";
import { networkGuardPolicy } from "../components/teams/admission";
import type { IAppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";

/** What Argo CD asks of a project before it syncs a resource: the source, the destination, and the kind. */
function projectAdmits(project: IAppProject, r: { repo: string; server: string; namespace?: string; group: string; kind: string }): boolean {
    const spec = project.spec!;
    const kindIn = (list: { group: string; kind: string }[] | undefined) => (list ?? []).some((k) => (k.group === "*" || k.group === r.group) && (k.kind === "*" || k.kind === r.kind));
    if (!(spec.sourceRepos ?? []).includes(r.repo) && !(spec.sourceRepos ?? []).includes("*")) return false;
    if (r.namespace === undefined) return kindIn(spec.clusterResourceWhitelist);
    if (!(spec.destinations ?? []).some((d) => (d.server === r.server || d.server === "*") && (d.namespace === r.namespace || d.namespace === "*"))) return false;
    return !kindIn(spec.namespaceResourceBlacklist);
}

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

    describe("a project per team", () => {
        const project = (team: string) => I(staging.ofType("kubernetes:argoproj.io/v1alpha1:AppProject").find((p) => I(p).metadata.name === team)!) as IAppProject;
        const application = (team: string) => I(staging.ofType("kubernetes:argoproj.io/v1alpha1:Application").find((p) => I(p).metadata.name === team)!) as IApplication;
        const PAYMENTS_REPO = "https://github.com/acme/payments-deploy.git";

        it("validates the projects and Applications against Argo CD's schemas", async () => {
            const { AppProject, Application } = await import("@kubernetes-models/argo-cd/argoproj.io/v1alpha1");
            for (const team of ["payments", "analytics"]) {
                new AppProject(project(team)).validate();
                new Application(application(team)).validate();
            }
            expect(() => new Application({ ...application("payments"), spec: { ...application("payments").spec, destination: "payments" as never } }).validate()).to.throw();
        });

        it("fences each project: its repository, its namespace on this cluster, no cluster-scoped kinds, no quota, limits or RBAC; its group manages its applications", () => {
            const p = project("payments");
            expect(p.metadata!.namespace).to.equal("argocd");
            expect(p.spec!.sourceRepos).to.deep.equal([PAYMENTS_REPO]);
            expect(p.spec!.destinations).to.deep.equal([{ server: "https://kubernetes.default.svc", namespace: "payments" }]);
            expect(p.spec!.clusterResourceWhitelist).to.deep.equal([]);
            // Members see and sync; no override, Application edits or actions.
            expect(p.spec!.roles).to.deep.equal([
                {
                    name: "team",
                    description: "Members of payments",
                    policies: ["p, proj:payments:team, applications, get, payments/*, allow", "p, proj:payments:team, applications, sync, payments/*, allow", "p, proj:payments:team, logs, get, payments/*, allow"],
                    groups: ["envstack:team:payments"],
                },
            ]);
            const ok = { repo: PAYMENTS_REPO, server: "https://kubernetes.default.svc", namespace: "payments" };
            expect(projectAdmits(p, { ...ok, group: "apps", kind: "Deployment" })).to.equal(true);
            expect(projectAdmits(p, { ...ok, namespace: "analytics", group: "apps", kind: "Deployment" }), "another team's namespace").to.equal(false);
            expect(projectAdmits(p, { ...ok, namespace: undefined, group: "rbac.authorization.k8s.io", kind: "ClusterRole" }), "a ClusterRole").to.equal(false);
            expect(projectAdmits(p, { ...ok, namespace: undefined, group: "", kind: "Namespace" }), "a Namespace").to.equal(false);
            expect(projectAdmits(p, { ...ok, group: "", kind: "ResourceQuota" }), "the quota").to.equal(false);
            expect(projectAdmits(p, { ...ok, group: "rbac.authorization.k8s.io", kind: "RoleBinding" }), "RBAC").to.equal(false);
            expect(projectAdmits(p, { ...ok, server: "https://other-cluster.example", group: "apps", kind: "Deployment" }), "another cluster").to.equal(false);
            expect(projectAdmits(p, { ...ok, repo: "https://github.com/acme/analytics-models.git", group: "apps", kind: "Deployment" }), "another team's repository").to.equal(false);
        });

        it("lets Argo CD's controller and server only read cluster-wide, and only the controller edit each team's namespace", async () => {
            const { RoleBinding } = await import("kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding");
            const readOnly = [{ apiGroups: ["*"], resources: ["*"], verbs: ["get", "list", "watch"] }, { nonResourceURLs: ["*"], verbs: ["get", "list"] }];
            expect(values(staging).controller.clusterRoleRules).to.deep.equal({ enabled: true, rules: readOnly });
            expect(values(staging).server.clusterRoleRules).to.deep.equal({ enabled: true, rules: readOnly });
            for (const team of ["payments", "analytics"]) {
                const binding = I(staging.ofType("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").find((b) => I(b).metadata.namespace === team && I(b).metadata.name === "argocd-edit")!);
                new RoleBinding(binding).validate();
                expect(binding.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" });
                expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: "argocd-application-controller", namespace: "argocd" }]);
            }
        });

        it("syncs the team's repository automatically, pruned and self-healed, in staging; by hand in prod", async () => {
            expect(application("analytics").spec).to.deep.include({
                project: "analytics",
                source: { repoURL: "https://github.com/acme/analytics-models.git", path: "deploy/staging", targetRevision: "v1.4.0" },
                destination: { server: "https://kubernetes.default.svc", namespace: "analytics" },
                syncPolicy: { automated: { prune: true, selfHeal: true } },
            });
            const teams = [{ name: "payments", roleArn: "arn:aws:iam::111122223333:role/payments-developers", gitops: { repoURL: "https://github.com/acme/payments-deploy.git" } }];
            const r = await register(() => new Environment("acme-prod", { ...validInput("prod"), teams } as EnvironmentInput));
            const app = I(r.ofType("kubernetes:argoproj.io/v1alpha1:Application")[0]) as IApplication;
            expect(app.spec!.syncPolicy).to.deep.equal({});
            expect(app.spec!.source).to.deep.equal({ repoURL: "https://github.com/acme/payments-deploy.git", path: ".", targetRevision: "main" });
        });

        it("refuses Argo CD objects in team namespaces, and judges Argo CD's writes to NetworkPolicies as a member's", async () => {
            const ns = { metadata: { name: "payments", labels: { "envstack.io/team": "payments" } } };
            const create = (resource: string) => admit(gitopsGuardPolicy(), { request: { operation: "CREATE", resource: { resource } }, object: { metadata: { name: "x" } }, oldObject: null, namespaceObject: ns });
            for (const resource of ["applications", "applicationsets", "appprojects"]) expect(await create(resource), resource).to.not.equal("admitted");
            const guarded = { metadata: { name: "default-deny", labels: { "envstack.io/guarded": "true" } }, spec: { podSelector: {} } };
            const byArgo = { operation: "UPDATE", resource: { resource: "networkpolicies" }, userInfo: { username: "system:serviceaccount:argocd:argocd-application-controller", groups: ["system:serviceaccounts"] } };
            expect(await admit(networkGuardPolicy(), { request: byArgo, object: guarded, oldObject: guarded, namespaceObject: ns })).to.not.equal("admitted");
            // The server too, which acts for its users.
            const byServer = { ...byArgo, userInfo: { username: "system:serviceaccount:argocd:argocd-server", groups: ["system:serviceaccounts"] } };
            expect(await admit(networkGuardPolicy(), { request: byServer, object: guarded, oldObject: guarded, namespaceObject: ns })).to.not.equal("admitted");
            expect(await admit(networkGuardPolicy(), { request: { ...byArgo, userInfo: { username: "system:serviceaccount:kube-system:other", groups: [] } }, object: guarded, oldObject: guarded, namespaceObject: ns })).to.equal("not checked");
        });

        it("sends a team's sync failures to its own route when it has one, and everyone else's to the platform's", async () => {
            const { PrometheusRule } = await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule");
            const teams = [
                { name: "payments", roleArn: "arn:aws:iam::111122223333:role/payments-developers", alerts: { email: "payments-oncall@acme.example" } },
                { name: "search", roleArn: "arn:aws:iam::111122223333:role/search-developers" },
            ];
            const r = await register(() => new Environment("acme-staging", { ...validInput("staging"), observability: { prometheus: { enabled: true } }, teams } as EnvironmentInput));
            const rule = I(r.ofType("kubernetes:monitoring.coreos.com/v1:PrometheusRule").find((x) => I(x).metadata.name === "envstack-gitops")!) as IPrometheusRule;
            new PrometheusRule(rule).validate();
            const [team, platform] = rule.spec!.groups![0].rules!;
            expect(team.expr).to.include('dest_namespace=~"payments"').and.to.include('"namespace", "$1", "dest_namespace"');
            expect(platform.expr).to.include('dest_namespace!~"payments"').and.not.to.include("label_replace");
        });
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
                "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
                "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
                "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
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
