import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { guardrails, PACK } from "../policy/policies";
import { evaluatePack, PolicyReport } from "../plan/policy";
import { PolicyConfigError, readPolicyConfigFile, resolvePolicyConfig } from "../plan/policyConfig";
import { runPlan } from "../plan/run";
import type { GuardrailResourcePolicy } from "../policy/policies";
import { evaluate, expectViolations } from "./guardrails";
import { testTitles } from "./testTitles";
import { planStack, REPO, register, runCli } from "./harness";

const pack = { name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies: guardrails };
const FIXTURE = path.join(REPO, "tests", "fixtures", "Pulumi.fixture.yaml");

function configProblems(raw: unknown): string[] {
    try {
        resolvePolicyConfig(raw, guardrails);
    } catch (err) {
        expect(err).to.be.instanceOf(PolicyConfigError);
        return (err as PolicyConfigError).problems;
    }
    return [];
}

describe("the guardrails pack", () => {
    it("gives every policy a name, description, why, severity, remediation steps and a default level", () => {
        expect(guardrails).to.have.length(50);
        expect(new Set(guardrails.map((p) => p.name)).size).to.equal(guardrails.length);
        for (const p of guardrails) {
            expect(p.name, p.name).to.match(/^[a-z0-9-]+$/);
            expect(p.description, p.name).to.have.length.greaterThan(20);
            expect(["low", "medium", "high", "critical"], p.name).to.include(p.severity);
            expect(p.remediationSteps, p.name).to.have.length.greaterThan(20);
            expect(p.why, p.name).to.have.length.greaterThan(20);
            expect(["advisory", "mandatory"], p.name).to.include(p.enforcementLevel);
        }
    });

    it("has, for every policy, at least two tests and an evasion test of its own, named by the policy", () => {
        const specs = fs.readdirSync(path.join(REPO, "tests")).filter((f) => f.endsWith(".spec.ts")).map((f) => path.join(REPO, "tests", f));
        const titles = testTitles(specs);
        const thin = guardrails
            .map((p) => ({ name: p.name, tests: titles.filter((t) => new RegExp(`\\b${p.name}\\b`).test(t)) }))
            .filter((p) => p.tests.length < 2 || !p.tests.some((t) => /\bevasion\b/.test(t)))
            .map((p) => `${p.name} (${p.tests.length} tests)`);
        expect(thin).to.deep.equal([]);
    });

    for (const stack of ["dev", "staging", "prod"]) {
        it(`passes the ${stack} stack with its policy config and no mandatory violation`, async () => {
            const plan = await planStack(stack);
            const config = resolvePolicyConfig(readPolicyConfigFile(path.join(REPO, "policy", "config", `${stack}.json`)), guardrails);
            const report = await evaluatePack(pack, plan.resources, config);
            expect(report.violations.filter((v) => v.level === "mandatory")).to.deep.equal([]);
            // Only the finding that a chart cannot be seen into stays advisory: it is a prompt to review, not a verdict.
            expect(report.policies.filter((p) => p.level !== "mandatory")).to.deep.equal([{ name: "not-verifiable-offline", level: "advisory" }]);
        });
    }

    it("fails a deliberately bad program with exactly the expected violations", async () => {
        const plan = await runPlan({ projectDir: REPO, stack: "fixture", configFile: FIXTURE, program: "tests/fixtures/badProgram.ts" });
        expect(plan.failure).to.equal(undefined);
        const report = await evaluatePack(pack, plan.resources, resolvePolicyConfig({}, guardrails));
        const found = report.violations.map((v) => `${v.policy} ${v.name ?? ""}`).sort();
        expect(found).to.deep.equal(
            [
                "cluster-admin-bindings devs-admin",
                "customer-managed-key orders",
                "ebs-volume-encryption scratch",
                "environment-budget burst",
                "environment-budget orders",
                "environment-vcpu-ceiling burst",
                "iam-no-admin-access everything",
                "iam-passrole-scoped everything",
                "kms-key-rotation careless",
                "log-group-encryption app",
                "namespace-quota-and-limits team-a",
                "nodepool-limits burst",
                "nodepool-limits burst",
                "pod-security-baseline debug",
                "rds-public-access orders",
                "resource-policy-no-public-principal jobs-open",
                "security-group-admin-ports bastion",
                "sqs-encryption jobs",
            ].sort(),
        );
        expect(report.violations.every((v) => v.level === "mandatory")).to.equal(true);
    });

    it("makes the plan exit 1 on a mandatory violation, and print each one under its policy", async () => {
        const json = path.join(os.tmpdir(), `envstack-bad-${process.pid}.json`);
        const { code, out } = await runCli(["--stack", "fixture", "--cwd", REPO, "--config", FIXTURE, "--program", "tests/fixtures/badProgram.ts", "--json", json]);
        expect(code).to.equal(1);
        const doc = JSON.parse(fs.readFileSync(json, "utf8"));
        fs.rmSync(json);
        expect(doc.policy.pack).to.equal("envstack-guardrails");
        expect(doc.policy.violations).to.have.length(18);
        expect(doc.policy.violations.find((v: { policy: string }) => v.policy === "sqs-encryption")).to.include({ level: "mandatory", name: "jobs", type: "aws:sqs/queue:Queue" });
        const text = out;
        expect(text).to.include("x sqs-encryption [mandatory, medium]");
        expect(text).to.include("- aws:sqs/queue:Queue jobs: the queue is not encrypted");
        expect(text).to.include(`${guardrails.length} of ${guardrails.length} policies evaluated: 18 mandatory violation(s), 0 advisory.`);
    });
});

describe("checking any team's program offline", () => {
    it("runs a TypeScript program that was never built, and applies the guardrails to it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "team-app-"));
        try {
            fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: team-app\nruntime: nodejs\n");
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n");
            fs.writeFileSync(
                path.join(dir, "index.ts"),
                [
                    'import * as aws from "@pulumi/aws";',
                    "const size: number = 50;",
                    'const data = new aws.ebs.Volume("data", { availabilityZone: "eu-west-1a", size });',
                    "export const volumeId = data.id;",
                ].join("\n"),
            );
            const { code, out: text } = await runCli(["--stack", "dev", "--cwd", dir, "--program", "index.ts"]);
            expect(code).to.equal(1);
            expect(text).to.include("project team-app, stack dev (index.ts)");
            expect(text).to.include("- aws:ebs/volume:Volume data: the volume: not encrypted");
            expect(text).to.match(/volumeId: vol-[0-9a-f]{17}/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("policy config, with the CLI's semantics", () => {
    it("reports a config that does not fit a policy's schema, every problem at once", () => {
        const problems = configProblems({
            "node-group-max-size": { maxNodes: "ten" },
            "nodepool-limits": { maxCpu: "lots" },
            "pvc-size": { maxStorge: "1Ti" },
            "no-such-policy": "mandatory",
            "pvc-sizes": "advisory",
            "kms-key-rotation": "strict",
            "sqs-encryption": { retries: 3 },
        });
        expect(problems).to.have.members([
            'node-group-max-size.maxNodes: got "ten"; allowed: a value of type integer',
            'nodepool-limits.maxCpu: got "lots"; allowed: a string matching ^[+]?(\\d+\\.?\\d*|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[mkMGTPE])?$',
            'pvc-size: unknown property "maxStorge"; did you mean "maxStorage"? allowed: maxStorage',
            `pvc-sizes: no such policy in the pack; did you mean "pvc-size"? policies: all, ${guardrails.map((p) => p.name).join(", ")}`,
            `no-such-policy: no such policy in the pack; policies: all, ${guardrails.map((p) => p.name).join(", ")}`,
            'kms-key-rotation: got "strict"; allowed levels: advisory, mandatory, remediate, disabled',
            "sqs-encryption: takes no properties (only enforcementLevel); got retries",
        ]);
    });

    it("has defaults that pass its own schemas, since defaults alone are not validated at plan time", () => {
        const withSchema = guardrails.filter((p) => p.configSchema);
        const defaults = resolvePolicyConfig({}, guardrails);
        // Every default given back as config is validated, as a team's own config would be.
        const given = Object.fromEntries(withSchema.map((p) => [p.name, defaults.get(p.name)!.properties]));
        expect(withSchema.length).to.be.greaterThan(10);
        expect(() => resolvePolicyConfig(given, guardrails)).not.to.throw();
        expect(() => resolvePolicyConfig({ ...given, "ebs-volume-size": { maxVolumeGiB: "big" } }, guardrails)).to.throw(PolicyConfigError, /maxVolumeGiB/);
    });

    it("applies schema defaults, and a limit from config changes the verdict", async () => {
        const defaults = resolvePolicyConfig({}, guardrails);
        expect(defaults.get("node-group-max-size")?.properties).to.deep.equal({ maxNodes: 20 });
        expect(defaults.get("nodepool-limits")?.properties).to.deep.equal({ maxCpu: "1000", maxMemory: "4000Gi" });
        const eks = await import("@pulumi/eks");
        const build = () => new eks.ManagedNodeGroup("g", { cluster: {} as never, launchTemplate: { id: "lt-1", version: "1" }, instanceTypes: ["m7i.large"], scalingConfig: { minSize: 1, maxSize: 15, desiredSize: 1 } });
        expectViolations(await evaluate(build, { only: "node-group-max-size" }), "node-group-max-size", []);
        expectViolations(await evaluate(build, { only: "node-group-max-size", config: { "node-group-max-size": { maxNodes: 10 } } }), "node-group-max-size", ["g: maxSize is 15; at most 10 is allowed here"]);
    });

    it("takes the level from config (policy, then all), else the policy's, else the pack's; disabled skips", async () => {
        const aws = await import("@pulumi/aws");
        const build = () => {
            new aws.sqs.Queue("plain", {});
            new aws.sns.Topic("plain", {});
        };
        const levels = async (config: object) => {
            const report = await evaluate(build, { config });
            return Object.fromEntries(report.violations.map((v) => [v.policy, v.level]));
        };
        expect(await levels({})).to.deep.equal({ "sqs-encryption": "mandatory", "sns-encryption": "mandatory" });
        expect(await levels({ all: "advisory" })).to.deep.equal({ "sqs-encryption": "advisory", "sns-encryption": "advisory" });
        expect(await levels({ all: "advisory", "sns-encryption": { enforcementLevel: "mandatory" } })).to.deep.equal({ "sqs-encryption": "advisory", "sns-encryption": "mandatory" });
        expect(await levels({ "sqs-encryption": "disabled" })).to.deep.equal({ "sns-encryption": "mandatory" });
        const registered = await evaluate(build, { config: { "sqs-encryption": "disabled" } });
        expect(registered.policies.find((p) => p.name === "sqs-encryption")?.level).to.equal("disabled");
        const packLevel = await evaluatePack({ ...pack, enforcementLevel: "advisory", policies: [{ ...guardrails[0], enforcementLevel: undefined } as never] }, [], resolvePolicyConfig({}, []));
        expect(packLevel.policies[0].level).to.equal("advisory");
    });

    it("runs remediations before validation, and treats remediate without a fix as mandatory", async () => {
        const encrypt: GuardrailResourcePolicy = {
            name: "queues-get-sse",
            description: "Turns SQS-managed encryption on for queues that lack it.",
            enforcementLevel: "remediate",
            severity: "low",
            remediationSteps: "None needed: the policy fixes the queue.",
            remediateResource: (args) => (args.type === "aws:sqs/queue:Queue" && !args.props.sqsManagedSseEnabled ? { ...args.props, sqsManagedSseEnabled: true } : undefined),
        };
        const aws = await import("@pulumi/aws");
        const registered = await register(() => new aws.sqs.Queue("plain", {}));
        const sqs = guardrails.find((p) => p.name === "sqs-encryption")!;
        const report: PolicyReport = await evaluatePack({ ...pack, policies: [encrypt, sqs] }, registered.all, resolvePolicyConfig({}, [encrypt, sqs]));
        expect(report.remediations.map((r) => r.policy)).to.deep.equal(["queues-get-sse"]);
        expect(report.violations).to.deep.equal([]);
        expect(registered.one("aws:sqs/queue:Queue").inputs.sqsManagedSseEnabled).to.equal(true);

        const unfixed = await evaluate(() => new aws.sqs.Queue("plain", {}), { only: "sqs-encryption", config: { "sqs-encryption": "remediate" } });
        expect(unfixed.violations.map((v) => v.level)).to.deep.equal(["mandatory"]);
    });

    it("reads --policy-config files in the CLI's format and fails the plan on a bad one", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "envstack-policy-"));
        try {
            const lenient = path.join(dir, "lenient.json");
            fs.writeFileSync(lenient, JSON.stringify({ all: "advisory" }));
            const quiet = async (args: string[]) => {
                const { code, out, err } = await runCli(args);
                return { code, text: out + err };
            };
            const advisory = await quiet(["--stack", "fixture", "--cwd", REPO, "--config", FIXTURE, "--program", "tests/fixtures/badProgram.ts", "--policy-config", lenient]);
            expect(advisory.code).to.equal(0);
            expect(advisory.text).to.include("0 mandatory violation(s), 18 advisory.");
            const broken = path.join(dir, "broken.json");
            fs.writeFileSync(broken, JSON.stringify({ "pvc-size": { maxStorage: 5 } }));
            const bad = await quiet(["--stack", "dev", "--cwd", REPO, "--policy-config", broken]);
            expect(bad.code).to.equal(2);
            expect(bad.text).to.include('pvc-size.maxStorage: got 5; allowed: a value of type string');
            const skipped = await quiet(["--stack", "fixture", "--cwd", REPO, "--config", FIXTURE, "--program", "tests/fixtures/badProgram.ts", "--no-policy"]);
            expect(skipped.code).to.equal(0);
            expect(skipped.text).not.to.include("Guardrails");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
