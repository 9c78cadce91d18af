import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { pages, read } from "./docs/markdown";
import { REPO, runCli } from "./harness";

const DIR = path.join(REPO, "ci-templates", "github", "workflows");
type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { steps?: Step[]; uses?: string; needs?: string | string[]; with?: Record<string, unknown>; environment?: string; permissions?: Record<string, string>; strategy?: { matrix?: Record<string, unknown> } };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };

const workflow = (file: string) => parse(fs.readFileSync(path.join(DIR, file), "utf8")) as Workflow;
/** `${{ matrix.stack }}` and `${{ inputs.stack }}` as `<stack>`, `${{ vars.NAME }}` as `<NAME>`, as the README writes them. */
const normalize = (command: string) => command.replace(/\$\{\{\s*(?:matrix|inputs)\.stack\s*\}\}/g, "<stack>").replace(/\$\{\{\s*vars\.(\w+)\s*\}\}/g, "<$1>");

describe("CI templates", () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));
    const docs = pages().map(read).join("\n");

    it("runs only commands the docs document, verbatim", () => {
        const commands = files.flatMap((f) => Object.values(workflow(f).jobs).flatMap((j) => (j.steps ?? []).filter((s) => s.run).map((s) => normalize(String(s.run).trim()))));
        expect(commands.length).to.be.greaterThan(6);
        const documented = new Set(docs.split("\n").map((l) => l.trim()));
        expect(commands.filter((c) => !documented.has(c))).to.deep.equal([]);
    });

    it("checks every pull request with npm ci, npm test and the offline plan of each stack, into the job summary", () => {
        const pr = workflow("envstack-pr.yml");
        expect(Object.keys(pr.on)).to.deep.equal(["pull_request"]);
        expect(pr.permissions).to.deep.equal({ contents: "read" });
        const runs = (job: string) => (pr.jobs[job].steps ?? []).map((s) => s.run).filter(Boolean);
        expect(runs("test")).to.deep.equal(["npm ci", "npm test"]);
        expect(pr.jobs.plan.strategy?.matrix?.stack).to.deep.equal(["dev", "staging", "prod"]);
        expect(runs("plan").some((r) => /^npx envstack plan --stack \$\{\{ matrix.stack \}\} .*--summary "\$GITHUB_STEP_SUMMARY"$/.test(String(r)))).to.equal(true);
        // The base branch is planned in its own checkout and compared with, for the cost difference.
        const base = pr.jobs.plan.steps!.find((s) => s.uses?.startsWith("actions/checkout@") && s.with?.path === "base")!;
        expect(base.with?.ref).to.equal("${{ github.event.pull_request.base.sha }}");
        expect(runs("plan")).to.include.members(["npm ci --prefix base", "npx envstack plan --stack ${{ matrix.stack }} --cwd base --no-policy --json base-${{ matrix.stack }}.json"]);
        expect(runs("plan").find((r) => String(r).includes("--summary"))).to.include("--compare base-${{ matrix.stack }}.json");
        // Every stack the matrix plans has a stack file and a policy config here.
        for (const stack of pr.jobs.plan.strategy?.matrix?.stack as string[]) {
            expect(fs.existsSync(path.join(REPO, `Pulumi.${stack}.yaml`)), stack).to.equal(true);
            expect(fs.existsSync(path.join(REPO, "policy", "config", `${stack}.json`)), stack).to.equal(true);
        }
    });

    it("deploys dev, staging, then prod with OIDC credentials, the pack, and prod behind its environment's protection", () => {
        const deploy = workflow("envstack-deploy.yml");
        expect(deploy.permissions).to.deep.equal({ contents: "read", "id-token": "write" });
        expect(Object.entries(deploy.jobs).map(([name, j]) => [name, j.needs ?? null, j.with?.stack])).to.deep.equal([
            ["dev", null, "dev"],
            ["staging", "dev", "staging"],
            ["prod", "staging", "prod"],
        ]);
        // Every stack deploys from inside its VPC: the Kubernetes API is private, or open only to listed CIDRs.
        for (const stack of ["dev", "staging", "prod"]) expect(deploy.jobs[stack].with?.runner).to.equal(`["self-hosted", "${stack}-vpc"]`);
        const stack = workflow("envstack-deploy-stack.yml");
        const job = stack.jobs.deploy;
        expect(job.environment).to.equal("${{ inputs.stack }}");
        expect(job.permissions).to.deep.equal({ contents: "read", "id-token": "write" });
        const credentials = job.steps!.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
        expect(credentials.with).to.have.keys(["role-to-assume", "aws-region"]);
        expect(Object.keys(credentials.with!)).not.to.include.members(["aws-access-key-id", "aws-secret-access-key"]);
        const runs = job.steps!.map((s) => s.run).filter(Boolean) as string[];
        const preview = runs.findIndex((r) => r.startsWith("pulumi preview"));
        const up = runs.findIndex((r) => r.startsWith("pulumi up"));
        expect(preview).to.be.greaterThan(-1);
        expect(up).to.be.greaterThan(preview);
        for (const r of [runs[preview], runs[up]]) expect(r).to.include("--policy-pack policy --policy-pack-config policy/config/${{ inputs.stack }}.json");
        expect(fs.existsSync(path.join(REPO, "policy", "PulumiPolicy.yaml"))).to.equal(true);
    });

    it("sets up the newest Node.js LTS CI tests on, and package.json's engines start at the oldest", () => {
        const majors = Object.values(JSON.parse(fs.readFileSync(path.join(REPO, ".ci", "nodes", "package.json"), "utf8")).dependencies as Record<string, string>).map((spec) => Number(/@(\d+)\./.exec(spec)![1]));
        expect(majors).to.deep.equal([22, 24]);
        const setups = files.flatMap((f) => Object.values(workflow(f).jobs).flatMap((j) => (j.steps ?? []).filter((s) => s.uses?.startsWith("actions/setup-node@"))));
        expect(setups.length).to.be.greaterThan(2);
        for (const s of setups) expect(s.with?.["node-version"]).to.equal(Math.max(...majors));
        expect(JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).engines).to.deep.equal({ node: `>=${Math.min(...majors)}` });
    });

    it("runs the PR template's plan commands as written, here: the base, then the pull request against it", async () => {
        const pr = workflow("envstack-pr.yml");
        const commands = (pr.jobs.plan.steps ?? []).map((s) => String(s.run ?? "")).filter((r) => r.startsWith("npx envstack plan"));
        expect(commands).to.have.length(2);
        const tmp = fs.mkdtempSync(path.join(REPO, "dist", "ci-"));
        try {
            for (const command of commands) {
                const args = command
                    .replace("npx envstack ", "")
                    .replace(/\$\{\{ matrix.stack \}\}/g, "staging")
                    .replace('"$GITHUB_STEP_SUMMARY"', path.join(tmp, "summary.md"))
                    .replace(/(plan|base)-staging\.json/g, (file) => path.join(tmp, file))
                    .replace("--cwd base", `--cwd ${REPO}`)
                    .split(" ");
                const { code } = await runCli(args.includes("--cwd") ? args : [...args, "--cwd", REPO]);
                expect(code, command).to.equal(0);
            }
            const summary = fs.readFileSync(path.join(tmp, "summary.md"), "utf8");
            expect(summary).to.include("### envstack plan: stack `staging`");
            // The base here is the same commit: the difference is zero, and shown.
            expect(summary).to.include("**Change from the compared plan:** floor +$0.00, expected +$0.00, ceiling +$0.00 a month");
            expect(JSON.parse(fs.readFileSync(path.join(tmp, "plan-staging.json"), "utf8")).stack).to.equal("staging");
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
