#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ProjectError } from "./project";
import { renderText, toJson } from "./report";
import { runPlan } from "./run";

/** `envstack plan`: the offline plan. Exit codes: 0 planned, 2 config or program error, 64 usage. */

export const USAGE = `Usage: npm run plan -- --stack <name> [options]

Runs the Pulumi program for a stack in-process under a mock engine: no Pulumi CLI, no cloud
credentials, no network. Prints what would be registered and the stack's outputs.

Options:
  --stack <name>      stack to plan; its config is Pulumi.<name>.yaml (required)
  --config <file>     use this config file (Pulumi.<stack>.yaml format) instead
  --program <entry>   program to run instead of Pulumi.yaml's main
  --json <file>       also write every registered resource, and the outputs, as JSON
  --tree              print the resource tree instead of the summary by type
  --cwd <dir>         project directory (default: the current directory)
  -h, --help          show this help

Exit codes: 0 planned; 2 config errors or the program failed; 64 bad usage.`;

export async function main(argv: string[]): Promise<number> {
    let args;
    try {
        args = parseArgs({
            args: argv,
            options: {
                stack: { type: "string" },
                config: { type: "string" },
                program: { type: "string" },
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
        const result = await runPlan({ projectDir, stack: args.stack, configFile: args.config, program: args.program });
        process.stdout.write(`${renderText(result, { tree: args.tree })}\n`);
        if (args.json) {
            fs.writeFileSync(path.resolve(args.json), `${JSON.stringify(toJson(result), null, 2)}\n`);
            process.stdout.write(`\nWrote ${args.json}\n`);
        }
        return result.failure ? 2 : 0;
    } catch (err) {
        if (err instanceof ProjectError) {
            process.stderr.write(`envstack plan: ${err.message}\n`);
            return 2;
        }
        throw err;
    }
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
