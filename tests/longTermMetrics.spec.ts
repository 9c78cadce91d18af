import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IService } from "kubernetes-models/v1/Service";
import { expect } from "chai";
import { Environment, EnvironmentInput, resolveEnvironmentConfig } from "../components";
import { environmentKeyPolicy } from "../components/encryption/environmentKey";
import { ampReaderPolicy, ampWriterPolicy, thanosBucketPolicy } from "../components/longTermMetrics/iam";
import { ampMonthlyCost, samplesPerMonth, thanosMonthlyCost } from "../components/longTermMetrics/cost";
import { dependsOn, releaseNamed } from "./addons";
import { evaluate } from "./guardrails";
import * as fs from "node:fs";
import * as path from "node:path";
import { json, planStack, register, Registered, REPO, validInput } from "./harness";
import { simulate } from "./iam";

const I = (r: { inputs: unknown }): any => r.inputs;
const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0b3a6c1e-1f1e-4f8e-9a55-0c2d3e4f5a6b";
const keyPolicy = environmentKeyPolicy({ environmentName: "acme-staging", region: "eu-west-1", accountId: "111122223333", deletionWindowInDays: 30, protect: false, tags: {} });
const withBackend = (tier: "dev" | "staging" | "prod", backend: "none" | "amp" | "thanos") => () =>
    new Environment(`acme-${tier}`, { ...validInput(tier), observability: { prometheus: { enabled: true }, longTermMetrics: { backend } } } as EnvironmentInput);
const values = (r: Registered) => I(releaseNamed(r, "kube-prometheus-stack")).values;

describe("long-term metrics", () => {
    describe("Amazon Managed Service for Prometheus (the default in staging and prod)", () => {
        let prod: Registered;
        before(async () => {
            prod = (await planStack("prod")).registered;
        });

        it("creates a workspace under the environment key, logging to an encrypted log group created first, protected in prod", () => {
            const workspace = prod.one("aws:amp/workspace:Workspace");
            const logGroup = prod.one("aws:cloudwatch/logGroup:LogGroup", "acme-prod-long-term-metrics-amp");
            const key = prod.one("aws:kms/key:Key").outputs.arn;
            expect(I(workspace)).to.include({ alias: "acme-prod-metrics", kmsKeyArn: key });
            expect(I(workspace).loggingConfiguration.logGroupArn).to.equal(`${logGroup.outputs.arn}:*`);
            expect(I(logGroup)).to.include({ name: "/aws/eks/acme-prod/amp-workspace", kmsKeyId: key, retentionInDays: 90 });
            expect(workspace.protect).to.equal(true);
            expect(workspace.dependencies).to.include(logGroup.urn);
        });

        it("remote-writes with SigV4 and the tier's queue, keeps two days locally, and gives Grafana an AMP datasource", () => {
            const endpoint = prod.one("aws:amp/workspace:Workspace").outputs.prometheusEndpoint as string;
            const spec = values(prod).prometheus.prometheusSpec;
            expect(endpoint).to.match(/^https:\/\/aps-workspaces\.eu-west-1\.amazonaws\.com\/workspaces\/ws-[0-9a-f-]+\/$/);
            expect(spec.remoteWrite).to.deep.equal([{ url: `${endpoint}api/v1/remote_write`, sigv4: { region: "eu-west-1" }, queueConfig: { capacity: 10000, maxShards: 200, maxSamplesPerSend: 2000 } }]);
            expect(spec.retention).to.equal("2d");
            expect(values(prod).prometheus.serviceAccount).to.deep.equal({ create: true, name: "kps-prometheus" });
            expect(values(prod).grafana.additionalDataSources).to.deep.equal([
                { name: "Amazon Managed Prometheus", type: "prometheus", access: "proxy", url: endpoint, jsonData: { sigV4Auth: true, sigV4AuthType: "default", sigV4Region: "eu-west-1", httpMethod: "POST" } },
            ]);
            expect(values(prod).grafana["grafana.ini"]).to.deep.equal({ auth: { sigv4_auth_enabled: true }, aws: { allowed_auth_providers: "default" } });
        });

        it("binds the writer to Prometheus's service account and the reader to Grafana's, each trusted by that account only", () => {
            const association = (name: string) => I(prod.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", name));
            expect(association("acme-prod-long-term-metrics-amp-writer")).to.include({ namespace: "monitoring", serviceAccount: "kps-prometheus" });
            expect(association("acme-prod-long-term-metrics-amp-reader")).to.include({ namespace: "monitoring", serviceAccount: "grafana" });
            const trust = json(I(prod.one("aws:iam/role:Role", "acme-prod-long-term-metrics-amp-writer")).assumeRolePolicy);
            expect(trust.Statement[0].Condition.StringEquals).to.include({ "aws:RequestTag/kubernetes-service-account": "kps-prometheus", "aws:RequestTag/kubernetes-namespace": "monitoring" });
        });

        it("simulated: Prometheus only writes to its workspace, Grafana only reads it", async () => {
            const ws = "arn:aws:aps:eu-west-1:111122223333:workspace/ws-b226cc2a-a446-46a9-933a-ac50479a5568";
            const other = "arn:aws:aps:eu-west-1:111122223333:workspace/ws-00000000-0000-0000-0000-000000000000";
            const writer = ampWriterPolicy(ws, KEY, "eu-west-1");
            const reader = ampReaderPolicy(ws, KEY, "eu-west-1");
            expect(await simulate([writer], { action: "aps:RemoteWrite", resource: ws })).to.equal("Allowed");
            expect(await simulate([writer], { action: "aps:RemoteWrite", resource: other })).to.equal("ImplicitlyDenied");
            expect(await simulate([writer], { action: "aps:QueryMetrics", resource: ws })).to.equal("ImplicitlyDenied");
            expect(await simulate([writer], { action: "aps:DeleteWorkspace", resource: ws })).to.equal("ImplicitlyDenied");
            for (const action of ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"]) expect(await simulate([reader], { action, resource: ws }), action).to.equal("Allowed");
            expect(await simulate([reader], { action: "aps:RemoteWrite", resource: ws })).to.equal("ImplicitlyDenied");
            expect(await simulate([reader], { action: "aps:QueryMetrics", resource: other })).to.equal("ImplicitlyDenied");
            const decrypt = (service: string) => simulate([writer], { action: "kms:Decrypt", resource: KEY, resourcePolicy: keyPolicy, context: { "kms:ViaService": `${service}.eu-west-1.amazonaws.com` } });
            expect(await decrypt("aps")).to.equal("Allowed");
            expect(await decrypt("s3")).to.equal("ImplicitlyDenied");
        });

        it("orders teardown: Prometheus goes before the workspace, its roles and their associations", () => {
            const release = releaseNamed(prod, "kube-prometheus-stack");
            expect(dependsOn(prod, release, prod.one("aws:amp/workspace:Workspace"))).to.equal(true);
            for (const name of ["acme-prod-long-term-metrics-amp-writer", "acme-prod-long-term-metrics-amp-reader"]) {
                expect(dependsOn(prod, release, prod.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", name)), name).to.equal(true);
            }
        });
    });

    describe("Thanos on S3", () => {
        let staging: Registered;
        before(async () => {
            staging = await register(withBackend("staging", "thanos"));
        });
        const bucket = () => staging.one("aws:s3/bucket:Bucket");

        it("keeps blocks in a bucket under the environment key (bucket key on), private, TLS-only, versioned, old versions expired by tier", () => {
            const key = staging.one("aws:kms/key:Key").outputs.arn;
            const id = bucket().outputs.bucket;
            expect(I(staging.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")).rules).to.deep.equal([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key }, bucketKeyEnabled: true }]);
            expect(I(staging.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"))).to.deep.include({ bucket: id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            expect(I(staging.one("aws:s3/bucketVersioning:BucketVersioning")).versioningConfiguration).to.deep.equal({ status: "Enabled" });
            expect(I(staging.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")).rules[0].noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: 30 });
            const policy = json(I(staging.one("aws:s3/bucketPolicy:BucketPolicy")).policy);
            expect(policy.Statement[0]).to.deep.include({ Sid: "DenyInsecureTransport", Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
            expect(bucket().protect).to.equal(false);
        });

        it("is protected in prod", async () => {
            const prod = await register(withBackend("prod", "thanos"));
            expect(prod.one("aws:s3/bucket:Bucket").protect).to.equal(true);
            expect(I(prod.one("aws:s3/bucket:Bucket")).forceDestroy).to.equal(false);
        });

        it("gives Prometheus the sidecar from a Secret built from outputs, marked secret, and Grafana the Thanos datasource", () => {
            const v = values(staging);
            expect(v.prometheus.prometheusSpec.thanos).to.deep.equal({ objectStorageConfig: { existingSecret: { name: "thanos-objstore", key: "objstore.yml" } } });
            expect(v.prometheus.thanosService).to.deep.equal({ enabled: true });
            expect(v.prometheus.prometheusSpec.retention).to.equal("2d");
            expect(v.grafana.additionalDataSources).to.deep.equal([{ name: "Thanos", type: "prometheus", access: "proxy", url: "http://thanos-query.thanos.svc:10902", jsonData: { httpMethod: "POST" } }]);
            const secret = staging.ofType("kubernetes:core/v1:Secret").find((s) => I(s).metadata.name === "thanos-objstore")!;
            expect(JSON.stringify(I(secret))).to.include(bucket().outputs.bucket).and.to.include("SSE-KMS").and.to.include("aws_sdk_auth: true");
            expect(secret.secretInputs ?? []).to.include("stringData");
        });

        it("runs Thanos in its own restricted, fenced namespace; network policies admit exactly Grafana to Query, Query to the store gateway and to Prometheus's sidecar", async () => {
            const { NetworkPolicy } = await import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy");
            const ns = staging.ofType("kubernetes:core/v1:Namespace").find((n) => I(n).metadata.name === "thanos")!;
            expect(I(ns).metadata.labels).to.include({ "pod-security.kubernetes.io/enforce": "restricted" });
            expect(staging.ofType("kubernetes:core/v1:ResourceQuota").some((q) => I(q).metadata.namespace === "thanos")).to.equal(true);
            const policies = staging.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.name.includes("long-term-metrics"));
            for (const p of policies) new NetworkPolicy(I(p)).validate();
            expect(policies.map((p) => `${I(p).metadata.namespace}/${I(p).metadata.name}`).sort()).to.deep.equal([
                "monitoring/thanos-query-to-sidecar",
                "thanos/default-deny-ingress",
                "thanos/grafana-to-query",
                "thanos/query-to-store",
            ]);
            const sidecar = I(policies.find((p) => I(p).metadata.name === "thanos-query-to-sidecar")!).spec;
            expect(sidecar.ingress).to.deep.equal([
                { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "thanos" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "thanos", "app.kubernetes.io/component": "query", "app.kubernetes.io/managed-by": "envstack" } } }], ports: [{ protocol: "TCP", port: 10901 }] },
            ]);
            expect(I(staging.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "acme-staging-long-term-metrics-thanos-store"))).to.include({ namespace: "thanos", serviceAccount: "thanos-store" });
        });

        it("runs the store gateway, a single compactor with retention per resolution, and Query, valid against the upstream schemas", async () => {
            const { StatefulSet } = await import("kubernetes-models/apps/v1/StatefulSet");
            const { Deployment } = await import("kubernetes-models/apps/v1/Deployment");
            const { Service } = await import("kubernetes-models/v1/Service");
            const sets = staging.ofType("kubernetes:apps/v1:StatefulSet").map((s) => I(s) as IStatefulSet);
            for (const s of sets) new StatefulSet(s).validate();
            for (const d of staging.ofType("kubernetes:apps/v1:Deployment").filter((x) => I(x).metadata.name === "thanos-query")) new Deployment(I(d) as IDeployment).validate();
            for (const s of staging.ofType("kubernetes:core/v1:Service").filter((x) => I(x).metadata.name.startsWith("thanos-"))) new Service(I(s) as IService).validate();
            const compactor = sets.find((s) => s.metadata!.name === "thanos-compactor")!;
            expect(compactor.spec!.replicas).to.equal(1);
            expect(compactor.spec!.template.spec!.containers[0].args).to.include.members(["compact", "--wait", "--retention.resolution-raw=30d", "--retention.resolution-5m=180d", "--retention.resolution-1h=365d"]);
            expect(compactor.spec!.template.spec!.containers[0].image).to.equal("quay.io/thanos/thanos:v0.42.4");
            expect(sets.find((s) => s.metadata!.name === "thanos-store")!.spec!.replicas).to.equal(2);
        });

        it("simulated: each Thanos component reaches its own bucket only, with the object actions its job needs", async () => {
            const own = "acme-staging-metrics-1a2b3c";
            const obj = (b: string) => `arn:aws:s3:::${b}/01HXYZ/chunks/000001`;
            const policy = (c: "sidecar" | "store" | "compactor") => [thanosBucketPolicy(c, own, KEY, "eu-west-1")];
            expect(await simulate(policy("sidecar"), { action: "s3:PutObject", resource: obj(own) })).to.equal("Allowed");
            expect(await simulate(policy("sidecar"), { action: "s3:DeleteObject", resource: obj(own) })).to.equal("ImplicitlyDenied");
            expect(await simulate(policy("store"), { action: "s3:GetObject", resource: obj(own) })).to.equal("Allowed");
            expect(await simulate(policy("store"), { action: "s3:PutObject", resource: obj(own) })).to.equal("ImplicitlyDenied");
            expect(await simulate(policy("compactor"), { action: "s3:DeleteObject", resource: obj(own) })).to.equal("Allowed");
            for (const c of ["sidecar", "store", "compactor"] as const) {
                expect(await simulate(policy(c), { action: "s3:GetObject", resource: obj("another-teams-bucket") }), c).to.equal("ImplicitlyDenied");
                expect(await simulate(policy(c), { action: "s3:ListBucket", resource: "arn:aws:s3:::another-teams-bucket" }), c).to.equal("ImplicitlyDenied");
            }
        });

        it("orders teardown: Prometheus goes before the bucket and the sidecar's role", () => {
            const release = releaseNamed(staging, "kube-prometheus-stack");
            expect(dependsOn(staging, release, bucket())).to.equal(true);
            expect(dependsOn(staging, release, staging.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "acme-staging-long-term-metrics-thanos-sidecar"))).to.equal(true);
        });

        it("passes the pack", async () => {
            // Under staging's own policy config, as `npm run plan -- --stack staging` evaluates it.
            const config = JSON.parse(fs.readFileSync(path.join(REPO, "policy", "config", "staging.json"), "utf8"));
            const report = await evaluate(withBackend("staging", "thanos"), { config });
            // This program's admin roles are not the staging stack's; what Thanos adds must pass as the stack's own resources do.
            expect(report.violations.filter((v) => v.level === "mandatory" && !/platform-admin|eks:index:Cluster::/.test(v.urn ?? ""))).to.deep.equal([]);
        });
    });

    it("switching the backend changes only the long-term resources", async () => {
        const key = (r: Registered) => new Set(r.all.map((x) => `${x.type}::${x.name}`));
        const none = key(await register(withBackend("staging", "none")));
        for (const backend of ["amp", "thanos"] as const) {
            const other = key(await register(withBackend("staging", backend)));
            const changed = [...[...other].filter((n) => !none.has(n)), ...[...none].filter((n) => !other.has(n))];
            expect(changed.length, backend).to.be.greaterThan(3);
            expect(changed.filter((n) => !n.includes("long-term-metrics")), backend).to.deep.equal([]);
        }
    });

    it("prices each backend from the stated list prices: AMP's ingestion by tier, storage at rest, Thanos's S3 and pods", () => {
        const samples = samplesPerMonth(100_000, 30);
        expect(samples).to.equal(100_000 * 730 * 120);
        const amp = ampMonthlyCost(100_000, 30, 150);
        expect(amp.parts.ingestion).to.be.closeTo((2e9 / 1e6) * 0.09 + ((samples - 2e9) / 1e6) * 0.035, 1e-6);
        expect(amp.parts.storage).to.be.closeTo(((samples * 5 * 2) / 1e9) * 0.03, 1e-6);
        // The first tier alone below two billion samples a month.
        expect(ampMonthlyCost(10_000, 60, 30).parts.ingestion).to.be.closeTo((samplesPerMonth(10_000, 60) / 1e6) * 0.09, 1e-9);
        const thanos = thanosMonthlyCost(100_000, 30, 150, 2);
        expect(thanos.parts.s3).to.be.closeTo(((samples * 5 * 1.3) / 1e9) * 0.023, 1e-6);
        expect(thanos.total).to.be.lessThan(amp.total);
    });

    it("defaults per tier: none in dev, AMP in staging and prod", () => {
        expect(["dev", "staging", "prod"].map((t) => resolveEnvironmentConfig(validInput(t as "dev")).observability.longTermMetrics.backend)).to.deep.equal(["none", "amp", "amp"]);
    });
});
