import * as path from "node:path";
import { EnvironmentInput } from "../components";
import type { RecordedResource } from "../plan/engine";
import { recordResources } from "../plan/testing";
import { main } from "../plan/cli";
import { runPlan } from "../plan/run";

/** The repository root (tests run from dist/tests). */
export const REPO = path.resolve(__dirname, "..", "..");

/**
 * Runs `build` under a fresh mock engine (the one the offline plan uses) and returns what was
 * registered. There is no root stack here, so `registerStackTransformation` is not available;
 * the engine records parents, protect and dependencies at the monitor instead.
 */
export async function register(build: () => void, context = { region: "eu-west-1", accountId: "111122223333" }): Promise<Registered> {
    return new Registered(await recordResources(build, context));
}

const plans = new Map<string, ReturnType<typeof plan>>();
async function plan(stack: string) {
    const result = await runPlan({ projectDir: REPO, stack });
    return { ...result, registered: new Registered(Object.freeze(result.resources) as RecordedResource[]) };
}

/**
 * Plans one of the repository's real stacks, exactly as `npm run plan` does. A stack is planned
 * once per test run and shared (read-only: its resources are frozen), since the plan is the same.
 */
export function planStack(stack: string) {
    if (!plans.has(stack)) plans.set(stack, plan(stack));
    return plans.get(stack)!;
}

/** Lookups over recorded resources. */
export class Registered {
    constructor(readonly all: RecordedResource[]) {}

    ofType(type: string): RecordedResource[] {
        return this.all.filter((r) => r.type === type);
    }

    /** The one resource of `type` (named `name`, when given); fails if there is not exactly one. */
    one(type: string, name?: string): RecordedResource {
        const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
        }
        return found[0];
    }

    byUrn(urn: string): RecordedResource | undefined {
        return this.all.find((r) => r.urn === urn);
    }

    /** Names of the resources `r` depends on (explicitly or through inputs). */
    dependencyNames(r: RecordedResource): string[] {
        return r.dependencies.map((u) => u.split("::").pop() as string);
    }
}

/** A complete, valid input for a tier; tests change one thing at a time. */
export function validInput(tier: "dev" | "staging" | "prod" = "dev"): EnvironmentInput {
    return {
        name: `acme-${tier}`,
        tier,
        region: "eu-west-1",
        accountId: "111122223333",
        owner: "platform-team",
        network: { cidr: "10.40.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] },
        cluster: {
            kubernetesVersion: "1.35",
            adminRoleArns: ["arn:aws:iam::111122223333:role/platform-admin"],
            ...(tier === "prod" ? {} : { endpoint: { publicAccessCidrs: ["203.0.113.0/24"] } }),
            nodeGroups: [
                {
                    name: "spot",
                    capacityType: "SPOT",
                    instanceTypes: ["m7i.large", "m6i.large", "m6a.large"],
                    minSize: 0,
                    maxSize: 6,
                    desiredSize: 1,
                    diskSizeGiB: 50,
                },
            ],
        },
    };
}

/** Parses a JSON-string input (policies are registered as JSON strings). */
export function json<T = any>(value: unknown): T {
    if (typeof value !== "string") throw new Error(`expected a JSON string, got ${typeof value}`);
    return JSON.parse(value) as T;
}

/** Runs the plan command in-process, capturing what it prints; returns the exit code and output. */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
    process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
        return { code: await main(args), out: out.join(""), err: err.join("") };
    } finally {
        process.stdout.write = write.out;
        process.stderr.write = write.err;
    }
}
