/**
 * The guardrails' own share of one plan, for `npm run bench`: runs a stack's program under the
 * offline engine, loaded as the `envstack` command loads it, then times what the pack adds in
 * this fresh process (loading its modules, resolving the tier's policy config, evaluating every
 * policy) and prints it as JSON. A wall-clock difference between two whole plans is mostly noise
 * at this size; this is the share itself.
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
    const started = performance.now();
    const plan = await runPlan({ projectDir: REPO, stack, configFile });
    const programMs = performance.now() - started;
    const packStarted = performance.now();
    const { guardrails, PACK } = require("../../policy/policies") as typeof import("../../policy/policies");
    const { readPolicyConfigFile, resolvePolicyConfig } = require("../../plan/policyConfig") as typeof import("../../plan/policyConfig");
    const { evaluatePack } = require("../../plan/policy") as typeof import("../../plan/policy");
    const config = resolvePolicyConfig(readPolicyConfigFile(path.join(REPO, "policy", "config", `${tier}.json`)), guardrails);
    const report = await evaluatePack({ name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies: guardrails }, plan.resources, config);
    const packMs = performance.now() - packStarted;
    process.stdout.write(`${JSON.stringify({ resources: plan.resources.length, policies: guardrails.length, programMs, packMs, violations: report.violations.length })}\n`);
}

main().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
});
