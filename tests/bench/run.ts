/**
 * `npm run bench`: wall time and peak memory of the offline plan and of the test suite, over
 * several warm runs of each case, written as a Markdown table to tests/bench/RESULTS.md (the
 * "History" section there is kept) and quoted in docs/performance.md's generated region. It
 * reports; it never fails on a time.
 *
 * Each run is a fresh process measured by GNU time (`/usr/bin/time -f "%e %M"`: wall seconds,
 * peak RSS in KiB); without it, wall time comes from the harness and memory is not reported.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeRegions } from "../docs/markdown";
import { stackWithTeams } from "../fixtures/teamsStack";

const REPO = path.resolve(__dirname, "..", "..", "..");
const RESULTS = path.join(REPO, "tests", "bench", "RESULTS.md");
const BIN = path.join(REPO, "dist", "plan", "bin.js");
const MOCHA = path.join(REPO, "node_modules", "mocha", "bin", "mocha.js");
const GNU_TIME = "/usr/bin/time";
const HISTORY_MARK = "## History";

interface Case {
    name: string;
    args: string[];
    runs: number;
    /** What to read from the plan's JSON, when it writes one. */
    json?: string;
}

interface Sample {
    wall: number;
    peakMiB?: number;
}

const quick = process.argv.includes("--quick");
/** Lists the cases and what each would run, and runs none: how the docs test exercises the command. */
const dryRun = process.argv.includes("--dry-run");
const runs = (n: number) => (quick ? Math.min(n, 2) : n);

function cases(): Case[][] {
    const plan = (stack: string, policy: boolean, n = 15): Case => ({
        name: `plan ${stack}${policy ? " + pack" : ", no pack"}`,
        args: [BIN, "plan", "--stack", stack, "--quiet", ...(policy ? [] : ["--no-policy"])],
        runs: runs(n),
    });
    const teams = (count: number, n: number, policy = true): Case => {
        const config = stackWithTeams(count);
        const json = path.join(path.dirname(config), "plan.json");
        return {
            name: `plan ${count} teams${policy ? " + pack" : ", no pack"}`,
            args: [BIN, "plan", "--stack", "dev", "--config", config, "--quiet", "--json", json, ...(policy ? [] : ["--no-policy"])],
            runs: runs(n),
            json,
        };
    };
    // Cases in one group are measured in turn, run by run, so drift in the machine's speed falls on both.
    return [
        // The pack's cost at prod is the number the guardrails are held to: more runs.
        [plan("prod", true, 25), plan("prod", false, 25)],
        [plan("staging", true), plan("staging", false)],
        [plan("dev", true), plan("dev", false)],
        [teams(10, 5)],
        [teams(100, 5)],
        [teams(1000, 5), teams(1000, 5, false)],
        [{ name: "test suite (mocha, built)", args: [MOCHA], runs: runs(3) }],
    ];
}

const PACK_COST = path.join(REPO, "dist", "tests", "bench", "packCost.js");

interface ShareCase {
    name: string;
    args: string[];
    runs: number;
}

/** The pack's own share of a plan, timed inside the plan's process (packCost.ts). */
function shareCases(): ShareCase[] {
    const stack = (name: string): ShareCase => ({ name, args: [PACK_COST, name], runs: runs(7) });
    return [stack("prod"), stack("staging"), stack("dev"), { name: "1000 teams", args: [PACK_COST, "dev", stackWithTeams(1000), "dev"], runs: runs(3) }];
}

/** What the pack adds to a plan's wall time: the median of run-by-run differences (each pair ran back to back), against the no-pack median. */
function packAdds(name: string, withPack: Sample[], without: Sample[]): string {
    const differences = withPack.map((s, i) => s.wall - without[i].wall);
    const base = median(without.map((s) => s.wall));
    return `| ${name} | ${differences.length} | ${(1000 * median(differences)).toFixed(0)} | ${((100 * median(differences)) / base).toFixed(1)} % |`;
}

function shareRow(c: ShareCase, planWall: Map<string, number>): string {
    const samples = Array.from({ length: c.runs + 1 }, () => {
        const run = spawnSync(process.execPath, c.args, { cwd: REPO, encoding: "utf8", env: { ...process.env, CI: "true" } });
        if (run.status !== 0) throw new Error(`${c.args.join(" ")} exited ${run.status}:\n${run.stderr}`);
        return JSON.parse(run.stdout.trim().split("\n").pop()!) as { resources: number; programMs: number; packMs: number };
    }).slice(1); // the first run warms the compile cache
    const program = median(samples.map((x) => x.programMs));
    const pack = median(samples.map((x) => x.packMs));
    const wall = planWall.get(c.name);
    const ofWall = wall === undefined ? "n/a" : `${((100 * pack) / (1000 * wall)).toFixed(1)} %`;
    return `| ${c.name} | ${c.runs} | ${samples[0].resources} | ${program.toFixed(0)} | ${pack.toFixed(0)} | ${((100 * pack) / program).toFixed(1)} % | ${ofWall} |`;
}

function measure(args: string[]): Sample {
    const hasTime = fs.existsSync(GNU_TIME);
    const started = performance.now();
    const run = hasTime
        ? spawnSync(GNU_TIME, ["-f", "%e %M", process.execPath, ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, CI: "true" } })
        : spawnSync(process.execPath, args, { cwd: REPO, encoding: "utf8", env: { ...process.env, CI: "true" } });
    const wall = (performance.now() - started) / 1000;
    if (run.status !== 0) throw new Error(`${args.join(" ")} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
    if (!hasTime) return { wall };
    const [seconds, kib] = run.stderr.trim().split("\n").pop()!.split(" ").map(Number);
    return { wall: seconds || wall, peakMiB: kib / 1024 };
}

/** Resources a plan case registers, from one extra run with --json (not timed). */
function countResources(c: Case): number | "" {
    if (c.args[0] !== BIN) return "";
    const json = path.join(os.tmpdir(), `envstack-bench-${process.pid}.json`);
    measure([...c.args, "--json", json]);
    const count = JSON.parse(fs.readFileSync(json, "utf8")).summary.resources;
    fs.rmSync(json, { force: true });
    return count;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)} / **${median(xs).toFixed(digits)}** / ${Math.max(...xs).toFixed(digits)}`;

function main(): void {
    const rows: string[] = [];
    if (dryRun) {
        for (const c of [...cases().flat(), ...shareCases()]) process.stdout.write(`${c.name}: ${c.runs} runs of node ${c.args.map((a) => path.relative(REPO, a) || a).join(" ")}\n`);
        return;
    }
    const adds: string[] = [];
    /** Median wall of each plan without the pack, by the share table's names. */
    const planWall = new Map<string, number>();
    for (const group of cases()) {
        for (const c of group) measure(c.args); // warm-up: file cache, compile caches
        const samples = group.map(() => [] as Sample[]);
        // Alternating which goes first, so neither always runs on a cache the other warmed.
        for (let run = 0; run < group[0].runs; run++) (run % 2 ? [...group.keys()].reverse() : [...group.keys()]).forEach((i) => samples[i].push(measure(group[i].args)));
        group.forEach((c, i) => row(c, samples[i]));
        const pair = /^plan (.+) \+ pack$/.exec(group[0].name)?.[1];
        if (pair && group[1]?.name === `plan ${pair}, no pack`) {
            adds.push(packAdds(pair, samples[0], samples[1]));
            planWall.set(pair, median(samples[1].map((s) => s.wall)));
        }
    }
    function row(c: Case, samples: Sample[]): void {
        const resources = c.json ? JSON.parse(fs.readFileSync(c.json, "utf8")).summary.resources : countResources(c);
        const walls = samples.map((s) => s.wall);
        const peaks = samples.flatMap((s) => (s.peakMiB === undefined ? [] : [s.peakMiB]));
        rows.push(`| ${c.name} | ${c.runs} | ${stats(walls, 2)} | ${peaks.length ? stats(peaks, 0) : "n/a"} | ${resources} |`);
        process.stdout.write(`${rows[rows.length - 1]}\n`);
        if (c.json) fs.rmSync(path.dirname(c.json), { recursive: true, force: true });
    }
    const shares: string[] = [];
    for (const c of shareCases()) {
        shares.push(shareRow(c, planWall));
        process.stdout.write(`${shares[shares.length - 1]}\n`);
    }
    const cpu = os.cpus();
    const header = [
        "# Benchmark results",
        "",
        "Written by `npm run bench` (tests/bench/run.ts); the History section is kept between runs.",
        "",
        `Latest run: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}, ${os.platform()} ${os.release()}.`,
        "Each case: one warm-up run, then the runs counted; every run is a fresh process. Wall in seconds and peak RSS in MiB as min / **median** / max.",
        "",
        "| case | runs | wall s | peak MiB | resources |",
        "| --- | ---: | --- | --- | ---: |",
        ...rows,
        "",
        "What the pack adds to a plan's wall time: the median of the differences between runs with and without it, each pair run back to back, against the median without it.",
        "",
        "| plan | pairs | pack adds, ms | of the plan's wall |",
        "| --- | ---: | ---: | ---: |",
        ...adds,
        "",
        "The pack's own share, measured inside one plan process (tests/bench/packCost.ts), median ms: the program's time, and the pack's (loading its modules, resolving the tier's config, every policy), against the program and against the whole plan's wall time without the pack (from the table above). Wall-time differences between whole runs vary by tens of milliseconds on a shared machine; this share does not.",
        "",
        "| plan | runs | resources | program ms | pack ms | pack / program | pack / plan wall |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ...shares,
        "",
    ].join("\n");
    if (quick) {
        // Two runs a case are a smoke test, not a measurement to publish.
        process.stdout.write(`\n${header}\n(--quick: nothing written)\n`);
        return;
    }
    const previous = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, "utf8") : "";
    const history = previous.includes(HISTORY_MARK) ? previous.slice(previous.indexOf(HISTORY_MARK)) : `${HISTORY_MARK}\n`;
    fs.writeFileSync(RESULTS, `${header}\n${history.trimEnd()}\n`);
    writeRegions("docs/performance.md", new Map([["bench", `${header.slice(header.indexOf("Latest run:")).trimEnd()}\n`]]));
    process.stdout.write(`\nwrote ${path.relative(REPO, RESULTS)} and the table in docs/performance.md\n`);
}

main();
