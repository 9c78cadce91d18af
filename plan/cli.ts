#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { evaluatePack, PackDefinition, PolicyReport } from "./policy";
import { PolicyConfigError, readPolicyConfigFile, resolvePolicyConfig } from "./policyConfig";
import { ProjectError } from "./project";
import { renderPolicyReport, renderText, toJson } from "./report";
import { runPlan } from "./run";

/** `envstack plan`: the offline plan with the guardrails. */

export const USAGE = `Usage: npm run plan -- --stack <name> [options]

Runs the Pulumi program for a stack in-process under a mock engine (no Pulumi CLI, no cloud
credentials, no network), prints what would be registered and the stack's outputs, and
evaluates the envstack guardrails on it, as \`pulumi preview --policy-pack policy\` would.

Options:
  --stack <name>           stack to plan; its config is Pulumi.<name>.yaml (required)
  --config <file>          use this stack config file (Pulumi.<stack>.yaml format) instead
  --program <entry>        run this program instead of Pulumi.yaml's main: any Pulumi
                           TypeScript or JavaScript program
  --policy-config <file>   policy config, as for --policy-pack-config (default:
                           policy/config/<stack>.json when it exists)
  --no-policy              skip the guardrails
  --json <file>            also write every resource, the outputs and the violations as JSON
  --tree                   print the resource tree instead of the summary by type
  --cwd <dir>              project directory (default: the current directory)
  -h, --help               show this help

Exit codes: 0 planned, no mandatory violation; 1 mandatory violations; 2 config errors
(stack or policy config) or the program failed; 64 bad usage.`;

export async function main(argv: string[]): Promise<number> {
    const noPolicy = argv.includes("--no-policy");
    let args;
    try {
        args = parseArgs({
            args: argv.filter((a) => a !== "--no-policy"),
            options: {
                stack: { type: "string" },
                config: { type: "string" },
                program: { type: "string" },
                "policy-config": { type: "string" },
                json: { type: "string" },
                tree: { type: "boolean", default: false },
                cwd: { type: "string" },
                help: { type: "boolean", short: "h", default: false },
            },
            strict: true,
            allowPositionals: false,
        }).values;
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
        return 64;
    }
    if (args.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if (!args.stack) {
        process.stderr.write(`--stack is required\n\n${USAGE}\n`);
        return 64;
    }
    const projectDir = path.resolve(args.cwd ?? process.cwd());
    try {
        // Policy config problems are found before the program runs.
        const policyConfigFile = noPolicy ? undefined : (args["policy-config"] ?? defaultPolicyConfig(projectDir, args.stack));
        const guardrails = noPolicy ? undefined : loadGuardrails(policyConfigFile);

        const result = await runPlan({ projectDir, stack: args.stack, configFile: args.config, program: args.program });
        process.stdout.write(`${renderText(result, { tree: args.tree })}\n`);
        let report: PolicyReport | undefined;
        if (guardrails && !result.failure) {
            report = await evaluatePack(guardrails.pack, result.resources, guardrails.config);
            process.stdout.write(`\n${renderPolicyReport(report, policyConfigFile && path.relative(projectDir, policyConfigFile))}\n`);
        }
        if (args.json) {
            fs.writeFileSync(path.resolve(args.json), `${JSON.stringify(toJson(result, report), null, 2)}\n`);
            process.stdout.write(`\nWrote ${args.json}\n`);
        }
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

function defaultPolicyConfig(projectDir: string, stack: string): string | undefined {
    const file = path.join(projectDir, "policy", "config", `${stack}.json`);
    return fs.existsSync(file) ? file : undefined;
}

/** The envstack guardrails with their config resolved (validated, defaults applied). */
function loadGuardrails(configFile: string | undefined) {
    const { guardrails, PACK } = require("../policy/policies") as typeof import("../policy/policies");
    const pack: PackDefinition = { name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies: guardrails };
    const raw = configFile ? readPolicyConfigFile(configFile) : {};
    return { pack, config: resolvePolicyConfig(raw, guardrails, configFile ?? "") };
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => {
            process.stderr.write(`envstack plan: unexpected failure: ${(err as Error)?.stack ?? err}\n`);
            process.exit(2);
        },
    );
}
