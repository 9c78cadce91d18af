import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { didYouMean } from "../components/config/suggest";
import { renderMarkdown } from "./markdown";
import type { CostEstimate, EstimateOptions, Figures } from "../cost/estimate";
import { evaluatePack, PackDefinition, PolicyReport, policyResources } from "./policy";
import { PolicyConfigError, readPolicyConfigFile, ResolvedPolicyConfig, resolvePolicyConfig } from "./policyConfig";
import { ProjectError } from "./project";
import { renderPolicyReport, renderText, toJson } from "./report";
import { PlanResult, runPlan } from "./run";

/** `envstack`: the command line. Its one command, `plan`, is the offline plan with the guardrails. */

export const USAGE = `Usage: envstack <command> [options]

Commands:
  plan        plan a Pulumi program offline and check it with the envstack guardrails
  help        show this help (envstack plan --help for the plan's options)

Options:
  -h, --help     show this help
  -v, --version  print envstack's version`;

export const PLAN_USAGE = `Usage: envstack plan [--stack <name>] [options]

Runs a Pulumi program in-process under a mock engine (no Pulumi CLI, no cloud credentials, no
network), prints what would be registered and the stack's outputs, evaluates the envstack
guardrails on it, as \`pulumi preview --policy-pack policy\` would, and estimates what it costs
a month (the environment-budget entry of the policy config holds the tier, prices and budget).

In this repository:  envstack plan --stack dev
In a team's project: envstack plan --program ./index.ts --policy-config ./policy.json

Options:
  --stack <name>           stack to plan; its config is Pulumi.<name>.yaml. Required unless
                           --program is given (then the stack is "offline", with no config
                           unless --config or Pulumi.offline.yaml gives some)
  --config <file>          use this stack config file (Pulumi.<stack>.yaml format) instead
  --program <entry>        run this program instead of Pulumi.yaml's main: any Pulumi
                           TypeScript or JavaScript program (TypeScript is transpiled, not
                           type-checked); Pulumi.yaml is then optional
  --policy-config <file>   policy config, as for pulumi's --policy-pack-config, or the name
                           of a config envstack ships: dev, staging or prod (default:
                           policy/config/<stack>.json when it exists)
  --no-policy              skip the guardrails
  --json <file>            also write every resource, the outputs, the violations and the
                           cost estimate as JSON
  --summary <file>         also append a Markdown summary with a cost table, e.g. to
                           "$GITHUB_STEP_SUMMARY"
  --compare <file>         show the monthly cost difference from an earlier --json file (the
                           base branch's plan), by component and item
  --tree                   print the resource tree instead of the summary by type
  --cwd <dir>              project directory (default: the current directory)
  --quiet                  no progress lines (they are shown only on a terminal, never in CI)
  -h, --help               show this help

Exit codes: 0 planned, no mandatory violation; 1 mandatory violations; 2 config errors
(stack or policy config), a missing program, or the program failed; 64 bad usage.`;

const COMMANDS = ["plan", "help"];

const PLAN_OPTIONS = {
    stack: { type: "string" },
    config: { type: "string" },
    program: { type: "string" },
    "policy-config": { type: "string" },
    json: { type: "string" },
    summary: { type: "string" },
    compare: { type: "string" },
    tree: { type: "boolean", default: false },
    cwd: { type: "string" },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
} as const;

export async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    // `npm run plan -- --stack dev` and older scripts pass the plan's flags with no command.
    if (command === undefined || (command.startsWith("--") && command !== "--help" && command !== "--version")) return plan(argv);
    switch (command) {
        case "plan":
            return plan(rest);
        case "help":
        case "--help":
        case "-h":
            return out(USAGE, 0);
        case "--version":
        case "-v":
            return out(require("../../package.json").version, 0);
        default:
            return usageError(`unknown command "${command}"; ${didYouMean(command, COMMANDS)}commands: ${COMMANDS.join(", ")}`, "envstack --help");
    }
}

async function plan(argv: string[]): Promise<number> {
    let args;
    try {
        // --no-policy by hand: parseArgs learned negative flags only in Node 20.16.
        args = { ...parseArgs({ args: argv.filter((a) => a !== "--no-policy"), options: PLAN_OPTIONS, strict: true, allowPositionals: false }).values, policy: !argv.includes("--no-policy") };
    } catch (err) {
        return usageError(describeArgumentError(err as Error & { code?: string }), "envstack plan --help");
    }
    if (args.help) return out(PLAN_USAGE, 0);
    if (!args.stack && !args.program) return usageError("--stack is required (or --program, to plan any program)", "envstack plan --help");
    const stack = args.stack ?? "offline";
    const projectDir = path.resolve(args.cwd ?? process.cwd());
    const progress = progressReporter(!args.quiet && process.stderr.isTTY === true && !process.env.CI);
    try {
        // Output paths and policy config problems are found before the program runs.
        if (args.json) checkWritable("--json", args.json);
        if (args.summary) checkWritable("--summary", args.summary);
        // The policy config also holds the cost settings, so it is read even with --no-policy.
        const policyConfigFile = policyConfigFor(args["policy-config"], projectDir, stack);
        const loaded = loadGuardrails(policyConfigFile);
        const guardrails = args.policy ? loaded : undefined;
        const shownConfig = policyConfigFile && path.relative(projectDir, policyConfigFile);
        const costSettings = costSettingsOf(loaded.config, shownConfig);
        const previous = args.compare ? readPrevious(args.compare) : undefined;

        progress(`running ${args.program ?? "the stack's program"} for stack ${stack}`);
        const result = await runPlan({ projectDir, stack, configFile: args.config, program: args.program, configOptional: !args.stack });
        process.stdout.write(`${renderText(result, { tree: args.tree })}\n`);
        let report: PolicyReport | undefined;
        if (guardrails && !result.failure) {
            progress(`evaluating ${guardrails.pack.policies.length} policies on ${result.resources.length} resources`);
            report = await evaluatePack(guardrails.pack, result.resources, guardrails.config);
            process.stdout.write(`\n${renderPolicyReport(report, shownConfig)}\n`);
        }
        const cost = result.failure ? undefined : costOf(result, costSettings, previous);
        if (cost) process.stdout.write(`\n${cost.text}\n`);
        if (args.json) {
            progress(`writing ${args.json}`);
            fs.writeFileSync(path.resolve(args.json), `${JSON.stringify(toJson(result, report, cost?.json), null, 2)}\n`);
            process.stdout.write(`\nWrote ${args.json}\n`);
        }
        if (args.summary) fs.appendFileSync(path.resolve(args.summary), renderMarkdown(result, report, shownConfig, cost?.markdown));
        progress("done");
        if (result.failure) return 2;
        return report?.violations.some((v) => v.level === "mandatory") ? 1 : 0;
    } catch (err) {
        if (err instanceof ProjectError || err instanceof PolicyConfigError) {
            process.stderr.write(`envstack plan: ${err.message}\n`);
            return 2;
        }
        throw err;
    }
}

/** The cost settings and budget from the environment-budget entry of the policy config, checked before the program runs. */
function costSettingsOf(config: Map<string, ResolvedPolicyConfig>, source: string | undefined): { options: EstimateOptions; budget?: Partial<Figures> } {
    const { costConfigProblems, estimateOptions } = require("../cost/config") as typeof import("../cost/config");
    const properties = config.get("environment-budget")?.properties ?? {};
    const problems = costConfigProblems(properties, "environment-budget");
    if (problems.length > 0) throw new PolicyConfigError(problems, source ?? "");
    return { options: estimateOptions(properties), budget: properties.budget as Partial<Figures> | undefined };
}

/**
 * The estimate written by an earlier `--json`, for `--compare`, or why there is none. A base that
 * did not plan (or predates the estimate) leaves the difference out; it does not fail the plan.
 */
function readPrevious(file: string): CostEstimate | string {
    const { previousEstimate } = require("../cost/compare") as typeof import("../cost/compare");
    try {
        return previousEstimate(JSON.parse(fs.readFileSync(path.resolve(file), "utf8")), file);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === "ENOENT" ? `${file}: no such file` : err instanceof SyntaxError ? `${file} is not JSON (${err.message})` : (err as Error).message;
        return `not compared: ${why}; give a file written by envstack plan --json`;
    }
}

/** The plan's estimate as text, JSON and Markdown; an estimate that cannot be made says why instead. */
function costOf(result: PlanResult, { options: settings, budget }: ReturnType<typeof costSettingsOf>, previous: CostEstimate | string | undefined) {
    const { estimateCost } = require("../cost/estimate") as typeof import("../cost/estimate");
    const { PriceError } = require("../cost/prices") as typeof import("../cost/prices");
    const { compareEstimates } = require("../cost/compare") as typeof import("../cost/compare");
    const { renderCostText, renderCostMarkdown } = require("../cost/render") as typeof import("../cost/render");
    let estimate: CostEstimate;
    try {
        estimate = estimateCost(policyResources(result.resources), settings);
    } catch (err) {
        if (!(err instanceof PriceError)) throw err;
        const text = `Monthly cost estimate: cannot estimate: ${err.message}`;
        process.stderr.write(`envstack plan: ${text}\n`);
        return { text, json: { error: err.message }, markdown: `**Monthly cost estimate:** cannot estimate: ${err.message}\n` };
    }
    if (typeof previous === "string") {
        return { text: `${renderCostText(estimate, undefined, budget)}\n\n${previous}`, json: { ...estimate, notCompared: previous }, markdown: `${renderCostMarkdown(estimate, undefined, budget)}\n_${previous}_\n` };
    }
    const change = previous ? compareEstimates(previous, estimate) : undefined;
    return { text: renderCostText(estimate, change, budget), json: { ...estimate, ...(change ? { change } : {}) }, markdown: renderCostMarkdown(estimate, change, budget) };
}

/** One line per phase on stderr, with the time since the start; silent when off. */
function progressReporter(enabled: boolean): (phase: string) => void {
    const started = performance.now();
    return (phase) => {
        if (enabled) process.stderr.write(`envstack: ${phase} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    };
}

function out(text: string, code: number): number {
    process.stdout.write(`${text}\n`);
    return code;
}

/** One line saying what is wrong, and where the help is; not the whole usage. */
function usageError(message: string, help: string): number {
    process.stderr.write(`envstack: ${message}\nRun "${help}" for usage.\n`);
    return 64;
}

/** parseArgs' errors, said plainly, with the nearest option for an unknown one. */
function describeArgumentError(err: Error & { code?: string }): string {
    const unknown = /Unknown option '([^']+)'/.exec(err.message)?.[1];
    if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown) {
        const options = [...Object.keys(PLAN_OPTIONS).map((o) => `--${o}`), "--no-policy"];
        return `unknown option ${unknown}; ${didYouMean(unknown.split("=")[0], options)}options: ${options.join(", ")}`;
    }
    const missing = /Option '(-[^ ']+)[^']*' argument missing/.exec(err.message)?.[1];
    if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && missing) return `${missing} needs a value`;
    return err.message.split(". ")[0];
}

/** Refuses an output path the plan could not write, so a long plan is not lost at the end. */
function checkWritable(flag: string, file: string): void {
    const target = path.resolve(file);
    const folder = path.dirname(target);
    // A symlink could point the plan's output at any file the user can write.
    if (fs.lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) throw new ProjectError(`${flag} ${file}: that is a symbolic link; give the path of a regular file`);
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new ProjectError(`${flag} ${file}: that is a folder; give a file path`);
    if (!fs.existsSync(folder)) throw new ProjectError(`${flag} ${file}: the folder ${folder} is missing; create it or choose another path`);
    try {
        fs.accessSync(fs.existsSync(target) ? target : folder, fs.constants.W_OK);
    } catch {
        throw new ProjectError(`${flag} ${file}: not writable here; choose another path`);
    }
}

/**
 * The policy config to use: a preset envstack ships when given by name (`--policy-config prod`),
 * else the file given, else the project's `policy/config/<stack>.json` when it exists, else
 * none (the policies' defaults). A bare preset name always means the preset, so a file of that
 * name in the project cannot stand in for it; a file needs a path or a `.json` name.
 */
function policyConfigFor(given: string | undefined, projectDir: string, stack: string): string | undefined {
    const { isPolicyConfigPreset, policyConfigFile, POLICY_CONFIG_PRESETS } = require("../policy/policies/presets") as typeof import("../policy/policies/presets");
    if (given === undefined) {
        const file = path.join(projectDir, "policy", "config", `${stack}.json`);
        return fs.existsSync(file) ? file : undefined;
    }
    if (isPolicyConfigPreset(given)) return policyConfigFile(given);
    if (fs.existsSync(given) && fs.statSync(given).isFile()) return path.resolve(given);
    throw new ProjectError(`missing policy config: ${given} is not a file; --policy-config takes a JSON file or a preset envstack ships (${POLICY_CONFIG_PRESETS.join(", ")})`);
}

/** The envstack guardrails with their config resolved (validated, defaults applied). */
function loadGuardrails(configFile: string | undefined) {
    const { guardrails, PACK } = require("../policy/policies") as typeof import("../policy/policies");
    const pack: PackDefinition = { name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies: guardrails };
    const raw = configFile ? readPolicyConfigFile(configFile) : {};
    try {
        return { pack, config: resolvePolicyConfig(raw, guardrails, configFile ?? "") };
    } catch (err) {
        // The cost settings' own problems join the schema's, so every problem is listed at once.
        if (!(err instanceof PolicyConfigError)) throw err;
        const { costConfigProblems } = require("../cost/config") as typeof import("../cost/config");
        const entry = (raw as Record<string, unknown>)?.["environment-budget"];
        const cost = typeof entry === "object" && entry !== null ? costConfigProblems(entry as Record<string, unknown>, "environment-budget") : [];
        throw cost.length > 0 ? new PolicyConfigError([...err.problems, ...cost], configFile ?? "") : err;
    }
}
