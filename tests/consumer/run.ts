/**
 * The consumer test: envstack as an application team gets it, following docs/npm.md. It packs the
 * package into the consumer project's vendor/ (tests/consumer/project) and installs it with
 * `npm ci` from that project's own lockfile, which pins the versions the tests ran with, so it
 * installs offline from the cache the repository's `npm ci` filled; writes the docs' project files
 * and TypeScript examples; runs the docs' commands for a team's project in order (compile, unit
 * test, `npx envstack plan`); runs the programs under envstack's mocks; and plans every example
 * program with the team's policy config from the docs.
 *
 * Run with `npm run test:consumer`; CI runs it after `npm test`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { allBlocks, commands, examples as docExamples, SHELL } from "../docs/markdown";
import { CONSUMER_DIR, consumerLockProblems, readJson, REPO, tarballPath } from "./lockfile";


/** The policy config a team writes in docs/npm.md, naming its own admin roles. */
const TEAM_POLICY_CONFIG = "guardrails/policy.json";

const started = performance.now();
const timings: [string, number][] = [];

function step<T>(name: string, run: () => T): T {
    const t0 = performance.now();
    process.stdout.write(`== ${name}\n`);
    const result = run();
    timings.push([name, (performance.now() - t0) / 1000]);
    return result;
}

function sh(command: string, args: string[], cwd: string, expectCode = 0): string {
    const run = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, CI: "true", npm_config_update_notifier: "false" } });
    const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
    if (run.status !== expectCode) throw new Error(`${command} ${args.join(" ")} exited ${run.status} (expected ${expectCode}) in ${cwd}:\n${output}`);
    return output;
}

function check(condition: boolean, message: string): void {
    if (!condition) throw new Error(message);
}

function main(): void {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "envstack-consumer-"));
    const project = path.join(work, "project");
    fs.mkdirSync(project);
    try {
        const tarball = step("npm pack", () => {
            const [info] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
            const files: string[] = info.files.map((f: { path: string }) => f.path);
            check(!files.some((f) => /^(tests|stacks|dist\/tests|dist\/stacks)\/|^Pulumi\./.test(f)), `the tarball ships tests or stack files: ${files.filter((f) => /tests|stacks|Pulumi\./.test(f)).join(", ")}`);
            const presets = ["dev", "staging", "prod"].map((p) => `policy/config/${p}.json`);
            check(presets.every((p) => files.includes(p)), `the tarball lacks the policy config presets: ${presets.filter((p) => !files.includes(p)).join(", ")}`);
            process.stdout.write(`   ${info.filename}: ${(info.size / 1024).toFixed(0)} KiB packed, ${(info.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${info.entryCount} files\n`);
            return path.join(work, info.filename);
        });

        step("npm ci the consumer project: the tarball and the peers, offline, from its own lockfile", () => {
            const stale = consumerLockProblems();
            check(stale.length === 0, `the consumer project no longer installs what the tests ran; run \`npm run consumer:lock\`:\n${stale.map((p) => `  - ${p}`).join("\n")}`);
            for (const file of ["package.json", "package-lock.json"]) fs.copyFileSync(path.join(CONSUMER_DIR, file), path.join(project, file));
            fs.mkdirSync(path.join(project, "vendor"));
            fs.renameSync(tarball, path.join(project, tarballPath()));
            sh("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], project);
            const pulumiCopies = sh("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], project).split("\n").filter((l) => l.endsWith("@pulumi/pulumi"));
            check(new Set(pulumiCopies).size === 1, `expected one copy of @pulumi/pulumi, found:\n${pulumiCopies.join("\n")}`);
        });

        const blocks = allBlocks();
        const examples = docExamples(blocks);
        step("the docs' files and examples, in a team's project", () => {
            // Blocks whose tag names a file (```json tsconfig.json) are files of the project.
            const files = blocks.filter((b) => (b.lang === "json" || b.lang === "yaml") && /^[\w./-]+\.(json|ya?ml)$/.test(b.tags[0] ?? ""));
            for (const f of [...files.map((b) => ({ file: b.tags[0], code: `${b.code}\n` })), ...examples]) {
                fs.mkdirSync(path.dirname(path.join(project, f.file)), { recursive: true });
                fs.writeFileSync(path.join(project, f.file), f.code);
            }
            const tsconfig = JSON.parse(fs.readFileSync(path.join(project, "tsconfig.json"), "utf8"));
            // envstack's declarations must stand on their own: no skipLibCheck for the programs.
            check(tsconfig.compilerOptions.strict === true && !tsconfig.compilerOptions.skipLibCheck, "the documented tsconfig.json must be strict and not need skipLibCheck");
            process.stdout.write(`   ${files.map((b) => b.tags[0]).join(", ")}; ${examples.length} examples: ${examples.map((e) => e.file).join(", ")}\n`);
        });

        step("the docs' commands for a team's project, in order", () => {
            const team = blocks.filter((b) => SHELL.includes(b.lang) && b.tags.includes("team")).flatMap(commands);
            check(team.length > 5, `expected the docs to show a team's commands, found ${team.length}`);
            const manifest = readJson<{ dependencies: Record<string, string>; devDependencies: Record<string, string> }>(path.join(CONSUMER_DIR, "package.json"));
            for (const c of team) {
                const [tool, ...args] = c.text.split(/\s+/);
                if (tool === "npm" && args[0] === "install") {
                    // The install the lockfile stands for: the same tarball and the same pins.
                    const dev = args[1] === "--save-dev";
                    const pins = Object.entries(dev ? manifest.devDependencies : manifest.dependencies).map(([p, v]) => (v.startsWith("file:") ? `./${v.slice("file:".length)}` : `${p}@${v}`));
                    const named = args.slice(dev ? 2 : 1);
                    check(JSON.stringify([...named].sort()) === JSON.stringify([...pins].sort()), `${c.block.page}:${c.block.line}: "${c.text}" should install ${pins.join(" ")}`);
                } else if ((tool === "npx" && (args[0] === "envstack" || args[0] === "tsc")) || tool === "node") {
                    const out = sh(tool, tool === "npx" ? ["--no-install", ...args] : args, project, Number(/exits (\d+)/.exec(c.comment ?? "")?.[1] ?? 0));
                    process.stdout.write(`   ${c.text}: ${out.split("\n").find((l) => /policies evaluated|^Usage:/.test(l)) ?? "ok"}\n`);
                } else {
                    throw new Error(`${c.block.page}:${c.block.line}: the consumer test cannot run a team's command "${c.text}"`);
                }
            }
        });

        step("run the programs under envstack's mocks", () => {
            const probe = `
                const { recordResources } = require("envstack/testing");
                (async () => {
                    const env = await recordResources(() => require("./bin/environment"));
                    const platform = await recordResources(() => require("./bin/platform"));
                    const count = (rs, t) => rs.filter((r) => r.type === t).length;
                    const report = { env: env.length, envClusters: count(env, "eks:index:Cluster"), envTeams: count(env, "envstack:index:Team"), platform: platform.length, platformVpcs: count(platform, "awsx:ec2:Vpc"), platformClusters: count(platform, "eks:index:Cluster") };
                    console.log(JSON.stringify(report));
                })().catch((e) => { console.error(e); process.exit(1); });`;
            const report = JSON.parse(sh(process.execPath, ["-e", probe], project).trim().split("\n").pop()!);
            check(report.envClusters === 1 && report.envTeams === 1 && report.env > 100, `Environment under mocks: ${JSON.stringify(report)}`);
            check(report.platformVpcs === 0 && report.platformClusters === 1 && report.platform > 40, `existing-VPC program under mocks: ${JSON.stringify(report)}`);
            process.stdout.write(`   Environment: ${report.env} resources; Network, Cluster and Storage on an existing VPC: ${report.platform}\n`);
        });

        // The defaults allow cluster-admin to no one, so the examples are planned with the team's own
        // config from docs/npm.md, which names its reviewed admin roles.
        step("plan every example program with the team's policy config: no mandatory violation", () => {
            const programs = examples.map((e) => e.file).filter((f) => !f.startsWith("guardrails/") && !f.endsWith(".test.ts"));
            check(fs.existsSync(path.join(project, TEAM_POLICY_CONFIG)), `docs/npm.md no longer writes ${TEAM_POLICY_CONFIG}`);
            for (const program of programs) {
                const out = sh("npx", ["--no-install", "envstack", "plan", "--program", `./${program}`, "--policy-config", TEAM_POLICY_CONFIG, "--json", `plan-${path.basename(program)}.json`], project);
                check(/policies evaluated: 0 mandatory violation\(s\)/.test(out), `envstack plan --program ${program}:\n${out}`);
                const plan = JSON.parse(fs.readFileSync(path.join(project, `plan-${path.basename(program)}.json`), "utf8"));
                process.stdout.write(`   ${program}: ${plan.summary.resources} resources, 0 violations\n`);
            }
            const failing = sh("npx", ["--no-install", "envstack", "plan", "--program", "./missing.ts"], project, 2);
            check(failing.includes("missing program: "), `a missing program: ${failing}`);
        });

    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
    const total = (performance.now() - started) / 1000;
    process.stdout.write(`\n${timings.map(([n, s]) => `${s.toFixed(1).padStart(6)} s  ${n}`).join("\n")}\nconsumer test passed in ${total.toFixed(1)} s\n`);
}

try {
    main();
} catch (err) {
    process.stderr.write(`consumer test failed: ${(err as Error).message}\n`);
    process.exit(1);
}
