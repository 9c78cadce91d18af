/**
 * The consumer test: envstack as an application team gets it. It packs the package, installs the
 * tarball into the consumer project (tests/consumer/project) with `npm ci` from that project's own
 * lockfile, which pins the versions the tests ran with, so it installs offline from the cache the
 * repository's `npm ci` filled; compiles the README's examples under `tsc --strict`, runs the
 * Environment program and the existing-VPC program under mocks, and runs
 * `npx envstack plan --program` on both.
 *
 * Run with `npm run test:consumer`; CI runs it after `npm test`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { allBlocks, commands, examples as docExamples, SHELL } from "../docs/markdown";
import { CONSUMER_DIR, consumerLockProblems, readJson, REPO, TARBALL } from "./lockfile";

const TSC = path.join(REPO, "node_modules", "typescript", "bin", "tsc");

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
            fs.renameSync(tarball, path.resolve(project, TARBALL));
            sh("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], project);
            const pulumiCopies = sh("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], project).split("\n").filter((l) => l.endsWith("@pulumi/pulumi"));
            check(new Set(pulumiCopies).size === 1, `expected one copy of @pulumi/pulumi, found:\n${pulumiCopies.join("\n")}`);
        });

        const blocks = allBlocks();
        const examples = docExamples(blocks);
        step("compile every TypeScript example of the docs under --strict, with the documented tsconfig.json", () => {
            for (const e of examples) {
                fs.mkdirSync(path.dirname(path.join(project, e.file)), { recursive: true });
                fs.writeFileSync(path.join(project, e.file), e.code);
            }
            const documented = blocks.filter((b) => b.lang === "json" && b.tags.includes("tsconfig"));
            check(documented.length === 1, `expected one tsconfig.json block in the docs, found ${documented.length}`);
            const tsconfig = JSON.parse(documented[0].code);
            // envstack's declarations must stand on their own: no skipLibCheck for the programs.
            check(!tsconfig.compilerOptions.skipLibCheck, "the documented tsconfig.json must not need skipLibCheck");
            fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
            // @pulumi/policy's own declarations need skipLibCheck, as docs/npm.md says.
            fs.writeFileSync(path.join(project, "tsconfig.policy.json"), JSON.stringify({ compilerOptions: { ...tsconfig.compilerOptions, skipLibCheck: true }, include: ["guardrails/*.ts"] }, null, 2));
            sh(process.execPath, [TSC, "-p", "tsconfig.json"], project);
            sh(process.execPath, [TSC, "-p", "tsconfig.policy.json"], project);
            process.stdout.write(`   ${examples.length} examples: ${examples.map((e) => e.file).join(", ")}\n`);
        });

        step("run the programs under envstack's mocks", () => {
            sh(process.execPath, ["bin/platform.test.js"], project);
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

        step("plan every example program with the guardrails' defaults: no mandatory violation", () => {
            const programs = examples.map((e) => e.file).filter((f) => !f.startsWith("guardrails/") && !f.endsWith(".test.ts"));
            for (const program of programs) {
                const out = sh("npx", ["--no-install", "envstack", "plan", "--program", `./${program}`, "--json", `plan-${path.basename(program)}.json`], project);
                check(/policies evaluated: 0 mandatory violation\(s\)/.test(out), `envstack plan --program ${program}:\n${out}`);
                const plan = JSON.parse(fs.readFileSync(path.join(project, `plan-${path.basename(program)}.json`), "utf8"));
                process.stdout.write(`   ${program}: ${plan.summary.resources} resources, 0 violations\n`);
            }
            const failing = sh("npx", ["--no-install", "envstack", "plan", "--program", "./missing.ts"], project, 2);
            check(failing.includes("missing program: "), `a missing program: ${failing}`);
        });

        step("the docs' commands for a team's project", () => {
            const team = blocks.filter((b) => SHELL.includes(b.lang) && b.tags.includes("team")).flatMap(commands);
            check(team.length > 2, `expected the docs to show a team's commands, found ${team.length}`);
            for (const c of team) {
                const [tool, ...args] = c.text.split(/\s+/);
                if (tool === "npm" && args[0] === "install") {
                    // The install the lockfile stands for: the same tarball version and the same pins.
                    const manifest = readJson<{ dependencies: Record<string, string> }>(path.join(CONSUMER_DIR, "package.json"));
                    const version = readJson<{ version: string }>(path.join(REPO, "package.json")).version;
                    const want = [`../envstack/envstack-${version}.tgz`, ...Object.entries(manifest.dependencies).filter(([p]) => p !== "envstack").map(([p, v]) => `${p}@${v}`)];
                    check(JSON.stringify([...args.slice(1)].sort()) === JSON.stringify([...want].sort()), `${c.block.page}:${c.block.line}: "${c.text}" should install ${want.join(" ")}`);
                } else if (tool === "npx" && args[0] === "envstack") {
                    const out = sh("npx", ["--no-install", ...args], project, Number(/exits (\d+)/.exec(c.comment ?? "")?.[1] ?? 0));
                    process.stdout.write(`   ${c.text}: ${out.split("\n").find((l) => /policies evaluated|^Usage:/.test(l)) ?? "ok"}\n`);
                } else {
                    throw new Error(`${c.block.page}:${c.block.line}: the consumer test cannot run a team's command "${c.text}"`);
                }
            }
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
