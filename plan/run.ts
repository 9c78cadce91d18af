import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigProblem } from "../components/config/errors";
import { MockEngine, RecordedResource } from "./engine";
import { didYouMean } from "../components/config/suggest";
import { ProjectError, readProject, readStackConfig, resolveEntry, stacksIn } from "./project";

/**
 * Runs a Pulumi program in-process under the mock engine, inside a root stack as the Pulumi
 * language host does, and returns everything it registered. No CLI, no credentials, no network.
 */

export interface PlanOptions {
    /** Project directory (with Pulumi.yaml, or any directory when `program` is given). */
    projectDir: string;
    /** Stack name; its config is `Pulumi.<stack>.yaml` unless `configFile` is given. */
    stack: string;
    /** A config file in the `Pulumi.<stack>.yaml` format to use instead. */
    configFile?: string;
    /** The program entry; defaults to Pulumi.yaml's `main`. */
    program?: string;
    /** Plan with no stack config when the stack has no config file (a team's program with `--program`). */
    configOptional?: boolean;
}

/** What went wrong, when the program did not complete. */
export interface PlanFailure {
    /** A config error (every problem listed) or any other failure. */
    kind: "config" | "program";
    /** One line: the error's type (unless plain Error) and message. */
    message: string;
    /** Where it was thrown: the first frames in the project's own code. */
    where?: string[];
    /** For config errors: every problem, by config key. */
    problems?: ConfigProblem[];
}

/** What a plan produced. */
export interface PlanResult {
    /** The project name. */
    project: string;
    /** The stack name. */
    stack: string;
    /** The program that ran, relative to the project. */
    program: string;
    /** Everything registered, in order. */
    resources: RecordedResource[];
    /** The stack's outputs, secrets shown as `[secret]`. */
    outputs: Record<string, unknown>;
    /** Set when the program did not complete. */
    failure?: PlanFailure;
    /** Milliseconds spent running the program under the mock engine. */
    programMs: number;
}

const DEFAULT_CONTEXT = { region: "us-east-1", accountId: "123456789012" };

/** Runs the program for a stack under a fresh mock engine and returns what it registered. */
export async function runPlan(options: PlanOptions): Promise<PlanResult> {
    const projectDir = path.resolve(options.projectDir);
    const project = readProject(projectDir, options.program !== undefined);
    const configFile = options.configFile ?? path.join(projectDir, `Pulumi.${options.stack}.yaml`);
    const unknownStack = !options.configFile && !fs.existsSync(configFile);
    if (unknownStack && !options.configOptional) throw new ProjectError(noSuchStack(options.stack, projectDir));
    const config = unknownStack ? { values: {}, secretKeys: [] } : readStackConfig(configFile, project.name);
    const { file: entry, transpile } = resolveEntry(options.program ? path.resolve(projectDir, options.program) : project.main, projectDir);
    if (transpile) registerTypeScript();

    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    const engine = new MockEngine(
        {
            region: config.values["aws:region"] ?? DEFAULT_CONTEXT.region,
            accountId: config.values[`${project.name}:accountId`] ?? DEFAULT_CONTEXT.accountId,
        },
        project.name,
        options.stack,
    );
    await engine.install();

    const started = performance.now();
    let failure: PlanFailure | undefined;
    try {
        // Each plan runs the program afresh, as a new process would.
        delete require.cache[entry];
        await pulumi.runtime.runInPulumiStack(async () => {
            const mod = require(entry);
            return typeof mod?.default === "function" ? await mod.default() : mod;
        });
    } catch (err) {
        failure = describeFailure(err, projectDir);
    }
    // Registrations that no output waits on may still be in flight; a failure among them fails the plan.
    try {
        await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    } catch (err) {
        failure ??= describeFailure(err, projectDir);
    }
    if (!failure && (pulumi.log as unknown as { hasErrors(): boolean }).hasErrors()) {
        failure = { kind: "program", message: "the program logged errors (see above)" };
    }
    return {
        project: project.name,
        stack: options.stack,
        program: path.relative(projectDir, entry),
        resources: engine.resources,
        outputs: engine.stackOutputs,
        failure,
        programMs: performance.now() - started,
    };
}

/** An unknown stack: which stacks exist, and how to add one. */
function noSuchStack(stack: string, projectDir: string): string {
    const stacks = stacksIn(projectDir);
    const known = stacks.length ? `stacks here: ${stacks.join(", ")}` : "this project has no stack files yet";
    return [
        `no stack "${stack}": Pulumi.${stack}.yaml is missing in ${projectDir}; ${didYouMean(stack, stacks)}${known}.`,
        `To add it: pulumi stack init ${stack}, then copy ${stacks.length ? `Pulumi.${stacks[0]}.yaml` : "a stack file"} to Pulumi.${stack}.yaml and edit it; or plan another file with --config <file>.`,
    ].join("\n");
}

let typescriptRegistered = false;

/** Lets `require` load TypeScript programs that have not been built (transpiled by tsx, not type-checked). */
function registerTypeScript(): void {
    if (typescriptRegistered) return;
    require("tsx/cjs/api").register();
    typescriptRegistered = true;
}

function describeFailure(err: unknown, projectDir: string): PlanFailure {
    const e = err as { name?: string; message?: string; stack?: string; problems?: PlanFailure["problems"] };
    if (e?.name === "ConfigError" && Array.isArray(e.problems)) {
        return { kind: "config", message: e.message ?? "invalid config", problems: [...e.problems] };
    }
    if (!(err instanceof Error)) return { kind: "program", message: `the program threw ${JSON.stringify(err) ?? String(err)}` };
    const message = `${err.name && err.name !== "Error" ? `${err.name}: ` : ""}${err.message.split("\n")[0]}`;
    // The frames in the project's own files say where; the runtime's and the dependencies' do not.
    const where = (err.stack ?? "")
        .split("\n")
        .filter((line) => /^\s+at /.test(line) && line.includes(projectDir) && !line.includes("node_modules"))
        .slice(0, 5)
        .map((line) => line.trim().replace(`${projectDir}${path.sep}`, ""));
    return { kind: "program", message, ...(where.length ? { where } : {}) };
}
