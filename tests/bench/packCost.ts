/**
 * What the guardrails add to a plan's wall time, for `npm run bench`: runs a stack's program
 * under the offline engine, loaded as the `envstack` command loads it, with the pack beside it on
 * its worker thread as the command runs it (loading, resolving the tier's config and judging each
 * resource as it is registered), and times what is left once the program is done: waiting for the
 * pack and its stack policies. Prints it as JSON. A wall-clock difference between two whole plans
 * is mostly noise at this size; this is the pack's tail itself.
 *
 * Usage: node dist/tests/bench/packCost.js <stack> [config file] [tier]
 */
import Module from "node:module";
import * as path from "node:path";
import { installLazyModules } from "../../plan/lean";

// Loaded as the `envstack` command loads them: compile cache on, lazy SDK modules.
const builtin = (Module as unknown as { enableCompileCache?: () => unknown }).enableCompileCache;
if (typeof builtin === "function") builtin();
else require("v8-compile-cache");
installLazyModules();
const { runPlan } = require("../../plan/run") as typeof import("../../plan/run");

const REPO = path.resolve(__dirname, "..", "..", "..");

async function main(): Promise<void> {
    const [stack = "prod", configFile, tier = stack] = process.argv.slice(2);
    const { PackRunner } = require("../../plan/packRunner") as typeof import("../../plan/packRunner");
    const pack = new PackRunner(path.join(REPO, "policy", "config", `${tier}.json`));
    const policies = pack.ready();
    const started = performance.now();
    const plan = await runPlan({ projectDir: REPO, stack, configFile, onResource: pack.add });
    const programMs = performance.now() - started;
    await policies;
    const tail = performance.now();
    const report = await pack.finish(plan.resources);
    const packMs = performance.now() - tail;
    await pack.stop();
    process.stdout.write(`${JSON.stringify({ resources: plan.resources.length, policies: report.policies.length, programMs, packMs, violations: report.violations.length })}\n`);
}

main().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
});
