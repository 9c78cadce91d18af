import { expect } from "chai";
import { ExternalDns, resolveEnvironmentConfig } from "../components";
import { dnsGuardPolicy } from "../components/dns/guard";
import { externalDnsPolicy } from "../components/dns/iam";
import { CONTEXT_NAMES, context } from "./badInput";
import { dependsOn, difference, environmentWith, releaseNamed } from "./addons";
import { admit } from "./cel";
import { json, planStack, register, validInput } from "./harness";
import { simulate } from "./iam";

const ZONE = { id: "Z04217463PRODAPPS5ACME", name: "apps.acme.example" };

describe("ExternalDNS", () => {
    let prod: Awaited<ReturnType<typeof planStack>>;
    let staging: Awaited<ReturnType<typeof planStack>>;
    before(async () => {
        [prod, staging] = [await planStack("prod"), await planStack("staging")];
    });
    const values = () => releaseNamed(prod.registered, "external-dns").inputs.values as Record<string, any>;

    it("runs in prod, whose stack names a zone, and not in staging, which names none", () => {
        const release = releaseNamed(prod.registered, "external-dns");
        expect(release.inputs).to.include({ chart: "external-dns", version: "1.21.1", namespace: "kube-system" });
        expect(release.inputs.repositoryOpts).to.deep.equal({ repo: "https://kubernetes-sigs.github.io/external-dns/" });
        expect(staging.registered.ofType("envstack:index:ExternalDns")).to.deep.equal([]);
    });

    it("owns its records by the cluster's name, in the configured zones only, never deleting in prod", () => {
        expect(values()).to.include({ txtOwnerId: "acme-prod", policy: "upsert-only", registry: "txt" });
        expect(values().provider).to.deep.equal({ name: "aws" });
        expect(values().domainFilters).to.deep.equal(["apps.acme.example"]);
        expect(values().extraArgs).to.deep.equal(["--zone-id-filter=Z04217463PRODAPPS5ACME"]);
        expect(values().sources).to.deep.equal(["service", "ingress"]);
        // The guard reads the annotations under the prefix ExternalDNS is told to read.
        expect(values().annotationPrefix).to.equal("external-dns.alpha.kubernetes.io/");
        expect(values().env).to.deep.equal([{ name: "AWS_REGION", value: "eu-west-1" }]);
        expect(values().nodeSelector).to.deep.equal({ "kubernetes.io/os": "linux", "envstack.io/node-group": "system" });
        expect(values().resources.requests).to.deep.equal({ cpu: "50m", memory: "64Mi" });
    });

    it("syncs (deletes records it no longer sees) in staging once zones are configured; a zone's ARN works as its id", async () => {
        const base = resolveEnvironmentConfig(validInput("staging")).platform;
        const zones = [{ id: `arn:aws:route53:::hostedzone/${ZONE.id}`, name: "staging.acme.example" }];
        const r = await environmentWith("staging", { ...base, externalDns: { ...base.externalDns, zones } });
        const v = releaseNamed(r, "external-dns").inputs.values as Record<string, any>;
        expect(v.policy).to.equal("sync");
        expect(v.extraArgs).to.deep.equal([`--zone-id-filter=${ZONE.id}`]);
        expect(json(r.one("aws:iam/rolePolicy:RolePolicy", "acme-staging-external-dns-route53").inputs.policy).Statement[0].Resource).to.deep.equal([`arn:aws:route53:::hostedzone/${ZONE.id}`]);
    });

    describe("its IAM, simulated", () => {
        const policy = () => json(prod.registered.one("aws:iam/rolePolicy:RolePolicy", "acme-prod-external-dns-route53").inputs.policy);
        const zone = (id: string) => `arn:aws:route53:::hostedzone/${id}`;

        it("changes and lists records in its zone, and finds zones", async () => {
            for (const action of ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"]) {
                expect(await simulate([policy()], { action, resource: zone(ZONE.id), account: "777788889999" }), action).to.equal("Allowed");
            }
            expect(await simulate([policy()], { action: "route53:ListHostedZones", resource: "*", account: "777788889999" })).to.equal("Allowed");
        });

        it("is denied every other zone, which upstream's policy allows", async () => {
            const other = { action: "route53:ChangeResourceRecordSets", resource: zone("Z0999999OTHERZONE"), account: "777788889999" };
            expect(await simulate([policy()], other)).to.equal("ImplicitlyDenied");
            const upstream = { Version: "2012-10-17" as const, Statement: [{ Effect: "Allow" as const, Action: ["route53:ChangeResourceRecordSets"], Resource: ["arn:aws:route53:::hostedzone/*"] }] };
            expect(await simulate([upstream], other)).to.equal("Allowed");
            expect(await simulate([policy()], { action: "route53:DeleteHostedZone", resource: zone(ZONE.id), account: "777788889999" })).to.equal("ImplicitlyDenied");
        });

        it("keeps each zone once in its policy", () => {
            expect(externalDnsPolicy("aws", [ZONE.id]).Statement[0].Resource).to.deep.equal([zone(ZONE.id)]);
        });
    });

    describe("the team guard: each team its own subdomain", () => {
        const policy = dnsGuardPolicy(["apps.acme.example", "acme.example"]);
        const request = (resource: string, object: object, team = "payments") =>
            admit(policy, { request: { operation: "CREATE", resource: { resource } }, object, oldObject: null, namespaceObject: { metadata: { name: team, labels: { "envstack.io/team": team } } } });
        const ingress = (hosts: string[], annotations: Record<string, string> = {}) => ({ metadata: { name: "web", annotations }, spec: { rules: hosts.map((host) => ({ host })) } });
        const service = (hostname: string) => ({ metadata: { name: "web", annotations: { "external-dns.alpha.kubernetes.io/hostname": hostname } }, spec: { type: "LoadBalancer" } });

        it("admits the team's subdomain, anything below it, and hosts outside the zones", async () => {
            expect(await request("ingresses", ingress(["payments.apps.acme.example", "api.payments.apps.acme.example", "*.payments.acme.example"]))).to.equal("admitted");
            expect(await request("ingresses", ingress(["www.elsewhere.example"]))).to.equal("admitted");
            expect(await request("services", service("api.payments.apps.acme.example, payments.acme.example."))).to.equal("admitted");
            expect(await request("services", { metadata: { name: "plain" }, spec: { type: "ClusterIP" } })).to.equal("admitted");
        });

        it("refuses another team's name, the zone's apex and wildcard, and look-alikes by case, dot or prefix", async () => {
            expect(await request("ingresses", ingress(["storefront.apps.acme.example"]))).not.to.equal("admitted");
            expect(await request("ingresses", ingress(["apps.acme.example"]))).not.to.equal("admitted");
            expect(await request("ingresses", ingress(["*.apps.acme.example"]))).not.to.equal("admitted");
            expect(await request("ingresses", ingress(["xpayments.apps.acme.example"]))).not.to.equal("admitted");
            // Zones nest: a team named after the inner zone owns nothing in it.
            expect(await request("ingresses", ingress(["storefront.apps.acme.example"]), "apps")).not.to.equal("admitted");
            expect(await request("ingresses", ingress(["apps.acme.example"]), "apps")).not.to.equal("admitted");
            expect(await request("ingresses", ingress(["payments.apps.acme.example"], { "external-dns.alpha.kubernetes.io/hostname": "login.acme.example" }))).not.to.equal("admitted");
            expect(await request("services", service("Storefront.Apps.Acme.Example"))).not.to.equal("admitted");
            // ExternalDNS drops spaces inside a name: such names, and doubled dots, are refused rather than read as outside the zones.
            for (const sneaky of ["pay.apps.acme.exam ple", "pay.apps.acme.example..", "apps.acme.ex ample", "pay.apps..acme.example", ""]) {
                expect(await request("services", service(sneaky)), JSON.stringify(sneaky)).not.to.equal("admitted");
            }
            const tls = { metadata: { name: "web" }, spec: { rules: [{ host: "web.payments.apps.acme.example" }], tls: [{ hosts: ["web.payments.apps.acme.example", "login.storefront.apps.acme.example"] }] } };
            expect(await request("ingresses", tls)).to.deep.equal([
                "in a team namespace, a hostname in apps.acme.example, acme.example must be the team's own subdomain (<team>.<zone>) or below it: check the Ingress's TLS hosts",
            ]);
            expect(await request("services", service("payments.apps.acme.example,storefront.apps.acme.example."))).not.to.equal("admitted");
            expect(await request("services", { metadata: { name: "x", annotations: { "external-dns.alpha.kubernetes.io/internal-hostname": "db.storefront.acme.example" } } })).not.to.equal("admitted");
        });

        it("is created with ExternalDNS, before its release", () => {
            const vap = prod.registered.ofType("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").find((p) => (p.inputs as any).metadata.name === "envstack-team-dns-guard")!;
            expect(releaseNamed(prod.registered, "external-dns").dependencies).to.include(vap.urn);
            expect(JSON.stringify(vap.inputs)).to.include("apps.acme.example");
        });
    });

    it("outlives the team namespaces, so that it deletes their records before it goes", async () => {
        const base = resolveEnvironmentConfig(validInput("staging")).platform;
        const teams = [{ name: "payments", roleArn: "arn:aws:iam::111122223333:role/payments-developers" }];
        const r = await environmentWith("staging", { ...base, externalDns: { ...base.externalDns, zones: [ZONE] } }, { teams } as never);
        const namespace = r.one("kubernetes:core/v1:Namespace", "acme-staging-payments");
        expect(dependsOn(r, namespace, releaseNamed(r, "external-dns"))).to.equal(true);
        expect(dependsOn(r, releaseNamed(r, "external-dns"), namespace)).to.equal(false);
    });

    it("turned off, or left without zones, removes exactly its own resources", async () => {
        const base = resolveEnvironmentConfig(validInput("prod")).platform;
        const on = { ...base, externalDns: { ...base.externalDns, zones: [ZONE] } };
        for (const off of [{ ...on, externalDns: { ...on.externalDns, enabled: false } }, base]) {
            const { removed, added } = await difference("prod", on, off);
            expect(added).to.deep.equal([]);
            // The component, its role, policy and association, the guard and its binding, and the release.
            expect(removed).to.have.length(7);
            expect(removed.every((n) => n.includes("external-dns")), removed.join()).to.equal(true);
        }
    });

    it("used on its own, refuses bad arguments before registering anything, every problem at once", async () => {
        let thrown: Error | undefined;
        const registered = await register(() => {
            const ctx = context();
            try {
                const zones = [{ id: "z-lowercase", name: "Apps.Example" }, ZONE, { id: `arn:aws:route53:::hostedzone/${ZONE.id}`, name: "apps.acme.example" }];
                new ExternalDns("dns", { zones, policy: "delete-all" as never, clusterName: "acme-dev", region: "eu-west-1", accountId: "111122223333", versions: ctx.config.versions, k8sProvider: ctx.provider, tags: {} });
            } catch (err) {
                thrown = err as Error;
            }
        });
        expect(thrown?.message).to.include('zones[0].id: got "z-lowercase"; allowed: a hosted zone id');
        expect(thrown?.message).to.include('zones[0].name: got "Apps.Example"');
        expect(thrown?.message).to.include("zones[2].id").and.to.include("each zone once");
        expect(thrown?.message).to.include('policy: got "delete-all"');
        expect(registered.all.map((r) => r.name).filter((n) => !CONTEXT_NAMES.includes(n))).to.deep.equal([]);
    });
});
