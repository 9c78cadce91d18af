import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SYSTEM_NAMESPACES, policyConfig, policyConfigFile, POLICY_CONFIG_PRESETS } from "../policy/policies";
import { REPO, runCli } from "./harness";

/** A line of a JavaScript stack trace. */
const STACK_FRAME = /^\s+at .+[(:]\d+/m;

describe("a new user's first mistakes: each message says what to do next", () => {
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "envstack-first-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    /** A copy of the repository's manifests and install check, with `node_modules` as given. */
    function checkout(installed?: Record<string, { version: string }>): string {
        const dir = fs.mkdtempSync(path.join(tmp, "clone-"));
        fs.mkdirSync(path.join(dir, "scripts"));
        for (const f of ["package.json", "package-lock.json", "scripts/check-install.js"]) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
        if (installed) {
            fs.mkdirSync(path.join(dir, "node_modules"));
            fs.writeFileSync(path.join(dir, "node_modules", ".package-lock.json"), JSON.stringify({ packages: installed }));
        }
        return dir;
    }
    const npmRun = (dir: string, script: string) => spawnSync("npm", ["run", script], { cwd: dir, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });

    it("npm run plan, npm test or npm run docs before npm ci: run npm ci first (not 'tsc: not found')", () => {
        const dir = checkout();
        for (const script of ["plan", "test", "docs"]) {
            const run = npmRun(dir, script);
            expect(run.status, script).to.equal(1);
            expect(run.stderr, script).to.include("envstack: the dependencies are not installed. Run `npm ci` first");
            expect(run.stderr, script).not.to.include("not found");
        }
    });

    it("after package-lock.json changed: names what moved and says to run npm ci again", () => {
        const lock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8")).packages;
        const installed = Object.fromEntries(Object.entries(lock as Record<string, { version: string }>).filter(([k]) => k.startsWith("node_modules/")));
        expect(npmRun(checkout(installed), "build").stderr).not.to.include("envstack:");
        const stale = { ...installed, "node_modules/zod": { version: "3.0.0" } };
        const run = npmRun(checkout(stale), "build");
        expect(run.status).to.equal(1);
        expect(run.stderr).to.include(`package-lock.json changed since the last install (zod 3.0.0 installed, ${lock["node_modules/zod"].version} locked). Run \`npm ci\``);
    });

    it("an unknown stack lists the stacks there are, the nearest first, and how to add one", async () => {
        const qa = await runCli(["plan", "--stack", "qa", "--cwd", REPO]);
        expect(qa.code).to.equal(2);
        expect(qa.err).to.include(`envstack plan: no stack "qa": Pulumi.qa.yaml is missing in ${REPO}; stacks here: dev, prod, staging.`);
        expect(qa.err).to.include("To add it: pulumi stack init qa, then copy Pulumi.dev.yaml to Pulumi.qa.yaml and edit it");
        const prd = await runCli(["plan", "--stack", "prd", "--cwd", REPO]);
        expect(prd.err).to.include('did you mean "prod"? stacks here: dev, prod, staging');
        const noProject = await runCli(["plan", "--stack", "dev", "--cwd", tmp]);
        expect([noProject.code, noProject.err.trim()]).to.deep.equal([2, `envstack plan: missing Pulumi.yaml in ${tmp}: run envstack plan in a Pulumi project, point --cwd at one, or plan any program with --program <entry>`]);
    });

    it("an unknown flag or command suggests the nearest, in one line, without the whole usage", async () => {
        const flag = await runCli(["plan", "--stack", "dev", "--jsn", "plan.json"]);
        expect(flag.code).to.equal(64);
        expect(flag.err.split("\n")[0]).to.match(/^envstack: unknown option --jsn; did you mean "--json"\? options: --stack, --config, /);
        expect(flag.err.split("\n")[1]).to.equal('Run "envstack plan --help" for usage.');
        expect(flag.err).not.to.include("Usage:");
        const value = await runCli(["plan", "--stack"]);
        expect([value.code, value.err.split("\n")[0]]).to.deep.equal([64, "envstack: --stack needs a value"]);
        const command = await runCli(["pln", "--stack", "dev"]);
        expect([command.code, command.err.split("\n")[0]]).to.deep.equal([64, 'envstack: unknown command "pln"; did you mean "plan"? commands: plan, help']);
    });

    it("a missing file is called missing: stack config, policy config, program", async () => {
        const config = await runCli(["plan", "--stack", "dev", "--config", "nowhere.yaml", "--cwd", REPO]);
        expect([config.code, config.err.trim()]).to.deep.equal([2, "envstack plan: missing file: nowhere.yaml"]);
        const policy = await runCli(["plan", "--stack", "dev", "--policy-config", "nowhere.json", "--cwd", REPO]);
        expect([policy.code, policy.err.trim()]).to.deep.equal([2, "envstack plan: missing policy config: nowhere.json is not a file; --policy-config takes a JSON file or a preset envstack ships (dev, staging, prod)"]);
        expect(policy.out).to.equal("");
    });

    it("an output path that cannot be written, or is a link, is refused before planning", async () => {
        const link = path.join(tmp, "plan-link.json");
        fs.symlinkSync(path.join(REPO, "Pulumi.prod.yaml"), link);
        for (const [flag, file, why] of [
            ["--json", path.join(tmp, "no-such-folder", "plan.json"), `the folder ${path.join(tmp, "no-such-folder")} is missing; create it or choose another path`],
            ["--summary", tmp, "that is a folder; give a file path"],
            ["--json", link, "that is a symbolic link; give the path of a regular file"],
        ]) {
            const started = performance.now();
            const run = await runCli(["plan", "--stack", "prod", "--cwd", REPO, flag, file]);
            expect([run.code, run.err.trim()]).to.deep.equal([2, `envstack plan: ${flag} ${file}: ${why}`]);
            expect(run.out, "nothing was planned").to.equal("");
            expect(performance.now() - started).to.be.lessThan(500);
        }
    });

    it("the policy configs envstack ships are presets by name, and files any tool can read", async () => {
        expect([...POLICY_CONFIG_PRESETS]).to.deep.equal(["dev", "staging", "prod"]);
        for (const preset of POLICY_CONFIG_PRESETS) {
            expect(policyConfigFile(preset)).to.equal(path.join(REPO, "policy", "config", `${preset}.json`));
            const exempt = (policyConfig(preset)["namespace-quota-and-limits"] as { exemptNamespaces: string[] }).exemptNamespaces;
            expect(exempt).to.have.members(SYSTEM_NAMESPACES);
        }
        // A program with no policy config of its own: the preset by name is exactly its file, and the tiers differ.
        const program = ["plan", "--program", "tests/fixtures/badProgram.ts", "--cwd", REPO, "--json"];
        const verdicts = async (name: string, config: string) => {
            const run = await runCli([...program, path.join(tmp, name), "--policy-config", config]);
            expect(run.out).to.include(`Guardrails: envstack-guardrails (config policy/config/`);
            return JSON.parse(fs.readFileSync(path.join(tmp, name), "utf8")).policy;
        };
        const byName = await verdicts("prod.json", "prod");
        expect(byName).to.deep.equal(await verdicts("prod-file.json", path.join(REPO, "policy", "config", "prod.json")));
        expect(byName.violations.length).to.be.greaterThan(0);
        expect(policyConfig("dev")).not.to.deep.equal(policyConfig("prod"));
        // A file named like a preset in the project cannot stand in for it.
        const cwd = process.cwd();
        fs.writeFileSync(path.join(tmp, "prod"), JSON.stringify({ all: "disabled" }));
        try {
            process.chdir(tmp);
            expect(await verdicts("shadowed.json", "prod")).to.deep.equal(byName);
        } finally {
            process.chdir(cwd);
        }
    });

    it("prints no stack trace for any of these", async () => {
        for (const args of [
            ["plan", "--stack", "qa", "--cwd", REPO],
            ["plan", "--stack", "dev", "--jsn", "x"],
            ["plan", "--stack", "dev", "--config", "nowhere.yaml", "--cwd", REPO],
            ["plan", "--stack", "dev", "--policy-config", "nowhere.json", "--cwd", REPO],
            ["plan", "--stack", "dev", "--cwd", REPO, "--json", path.join(tmp, "missing", "x.json")],
        ]) {
            const run = await runCli(args);
            expect(`${run.out}${run.err}`, args.join(" ")).not.to.match(STACK_FRAME);
        }
    });
});
