import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PLAN_USAGE, USAGE } from "../plan/cli";
import { guardrails } from "../policy/policies";
import { runPlan } from "../plan/run";
import { REPO, runCli } from "./harness";

describe("the envstack command (and npm run plan)", () => {
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "envstack-plan-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("reports every config error by key, exits 2, and registers nothing but the root stack", async () => {
        const bad = path.join(tmp, "Pulumi.bad.yaml");
        const text = fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8")
            .replace('kubernetesVersion: "1.35"', 'kubernetesVersion: "1.21"')
            .replace("cidr: 10.40.0.0/16", "cidr: 10.40.0.0/12");
        fs.writeFileSync(bad, text);
        const result = await runPlan({ projectDir: REPO, stack: "bad", configFile: bad });
        expect(result.failure?.kind).to.equal("config");
        expect(result.failure?.problems?.map((p) => p.path)).to.have.members(["envstack:cluster.kubernetesVersion", "envstack:network.cidr"]);
        expect(result.resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);

        const { code, out } = await runCli(["--stack", "bad", "--config", bad, "--cwd", REPO]);
        expect(code).to.equal(2);
        expect(out).to.include("Configuration errors:");
        expect(out).to.include('envstack:cluster.kubernetesVersion: got "1.21"; allowed: 1.34, 1.35');
    });

    it("writes every registered resource as JSON with urn, type, name, parent, inputs and options", async () => {
        const file = path.join(tmp, "plan.json");
        const { code, out } = await runCli(["--stack", "dev", "--cwd", REPO, "--json", file]);
        expect(code).to.equal(0);
        expect(out).to.include("Resources by type:");
        const doc = JSON.parse(fs.readFileSync(file, "utf8"));
        expect(doc.format).to.equal("envstack-plan/v1");
        expect(doc.summary.resources).to.equal(doc.resources.length);
        const key = doc.resources.find((r: { type: string }) => r.type === "aws:kms/key:Key");
        expect(Object.keys(key)).to.include.members(["urn", "type", "name", "parent", "inputs", "protect", "dependsOn", "dependencies"]);
        const provider = doc.resources.find((r: { type: string }) => r.type === "pulumi:providers:kubernetes");
        expect(provider.inputs.kubeconfig).to.equal("[secret]");
        expect(doc.outputs.kubeconfig).to.equal("[secret]");
    });

    it("prints the resource tree on request, and usage on bad flags", async () => {
        const tree = await runCli(["--stack", "dev", "--cwd", REPO, "--tree"]);
        expect(tree.code).to.equal(0);
        expect(tree.out).to.match(/\n {4}envstack:index:Environment {2}acme-dev/);
        expect(tree.out).to.match(/\n {6}envstack:index:EnvironmentKey {2}acme-dev/);
        const unknown = await runCli(["--stack", "dev", "--bogus"]);
        expect(unknown.code).to.equal(64);
        expect(unknown.err).to.match(/^envstack: unknown option --bogus; options: --stack, /);
        const missing = await runCli([]);
        expect(missing.code).to.equal(64);
        expect(missing.err).to.include("--stack is required");
        const absent = await runCli(["--stack", "nope", "--cwd", REPO]);
        expect(absent.code).to.equal(2);
        expect(absent.err).to.include('no stack "nope"');
    });

    it("documents every flag in --help, and runs the plan with or without the plan command word", async () => {
        const help = await runCli(["plan", "--help"]);
        expect(help.code).to.equal(0);
        const source = fs.readFileSync(path.join(REPO, "plan", "cli.ts"), "utf8");
        const declared = [...source.matchAll(/^ {4}"?([a-z-]+)"?: \{ type:/gm)].map((m) => m[1]);
        expect(declared).to.include.members(["stack", "config", "program", "policy-config", "json", "summary", "tree", "cwd", "quiet", "help"]);
        for (const flag of [...declared, "no-policy"]) expect(help.out, flag).to.include(`--${flag}`);
        expect((await runCli(["--help"])).out).to.equal(`${USAGE}\n`);
        const withWord = await runCli(["plan", "--stack", "prod", "--cwd", REPO, "--no-policy"]);
        const without = await runCli(["--stack", "prod", "--cwd", REPO, "--no-policy"]);
        expect(withWord.code).to.equal(0);
        expect(withWord.out).to.equal(without.out);
        const unknown = await runCli(["deploy"]);
        expect([unknown.code, unknown.err.split("\n")[0]]).to.deep.equal([64, 'envstack: unknown command "deploy"; commands: plan, help']);
        expect(PLAN_USAGE).to.include("Exit codes:");
    });

    it("says where a program failed, in the program's own code, and exits 2", async () => {
        const { code, out, err } = await runCli(["plan", "--program", "tests/fixtures/throwingProgram.ts", "--cwd", REPO]);
        expect(code).to.equal(2);
        expect(err).to.equal("");
        expect(out).to.include("The program failed:\n  the bucket name is required: set app:bucketName\n    at bucketName (");
        expect(out).to.match(/throwingProgram\.(js|ts):\d+:\d+\)/);
        expect(out).not.to.include("node_modules");
        const missing = await runCli(["plan", "--program", "nowhere.ts", "--cwd", REPO]);
        expect([missing.code, missing.err.trim()]).to.deep.equal([2, `envstack plan: missing program: ${path.join(REPO, "nowhere.ts")} does not exist`]);
    });

    it("prints a progress line per phase on a terminal, and none in CI", async () => {
        const stderr = process.stderr as { isTTY?: boolean };
        const [tty, ci] = [stderr.isTTY, process.env.CI];
        try {
            stderr.isTTY = true;
            delete process.env.CI;
            const onTerminal = await runCli(["plan", "--stack", "prod", "--cwd", REPO]);
            expect(onTerminal.err.split("\n").filter(Boolean).map((l) => l.replace(/ \([\d.]+ s\)$/, ""))).to.deep.equal([
                "envstack: running the stack's program for stack prod",
                `envstack: evaluating ${guardrails.length} policies on 179 resources`,
                "envstack: done",
            ]);
            process.env.CI = "true";
            expect((await runCli(["plan", "--stack", "prod", "--cwd", REPO])).err).to.equal("");
        } finally {
            stderr.isTTY = tty;
            if (ci === undefined) delete process.env.CI;
            else process.env.CI = ci;
        }
    });

    it("appends a Markdown summary for a CI job summary", async () => {
        const summary = path.join(tmp, "summary.md");
        fs.writeFileSync(summary, "# earlier step\n");
        const { code } = await runCli(["plan", "--program", "tests/fixtures/badProgram.ts", "--config", "tests/fixtures/Pulumi.fixture.yaml", "--stack", "fixture", "--cwd", REPO, "--summary", summary]);
        expect(code).to.equal(1);
        const text = fs.readFileSync(summary, "utf8");
        expect(text.startsWith("# earlier step\n### envstack plan: stack `fixture`")).to.equal(true);
        expect(text).to.match(new RegExp(`❌ Guardrails \`envstack-guardrails\`: ${guardrails.length} policies, \\*\\*\\d+ mandatory\\*\\*`));
        expect(text).to.include("| kms-key-rotation | mandatory | aws:kms/key:Key careless |");
        expect(text).to.include("<details><summary>Resources by type</summary>");
    });

    it("plans exactly the same through the envstack executable, which loads modules lazily and from a compile cache", async function () {
        this.timeout(60_000);
        const viaBin = path.join(tmp, "bin.json");
        const inProcess = path.join(tmp, "in-process.json");
        const run = spawnSync(process.execPath, [path.join(REPO, "dist", "plan", "bin.js"), "plan", "--stack", "staging", "--quiet", "--json", viaBin], { cwd: REPO, encoding: "utf8" });
        expect(run.status, run.stderr).to.equal(0);
        expect((await runCli(["plan", "--stack", "staging", "--cwd", REPO, "--json", inProcess])).code).to.equal(0);
        const [a, b] = [viaBin, inProcess].map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
        expect(a.resources.length).to.be.greaterThan(100);
        expect(a.resources).to.deep.equal(b.resources);
        expect(a.outputs).to.deep.equal(b.outputs);
        expect(a.policy).to.deep.equal(b.policy);
    });
});
