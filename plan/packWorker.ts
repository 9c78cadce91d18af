/**
 * The guardrails on a worker thread, beside the program: it loads the pack and resolves its
 * config while the program runs, judges each resource with the resource policies as the program
 * registers it, and runs the stack policies when the program is done. Messages in:
 * `{ resources }` (in registration order), `{ finish: true }`; out: `{ ready, policies }`,
 * `{ report, inputs }` (remediated inputs by URN), or `{ error, problems?, source? }`.
 */
import Module from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import type { RecordedResource } from "./engine";

const builtin = (Module as unknown as { enableCompileCache?: () => unknown }).enableCompileCache;
if (typeof builtin === "function") builtin();
else require("v8-compile-cache");

const { loadGuardrails } = require("./guardrails") as typeof import("./guardrails");
const { PackEvaluation } = require("./policy") as typeof import("./policy");
const { PolicyConfigError } = require("./policyConfig") as typeof import("./policyConfig");

const port = parentPort!;
let evaluation: InstanceType<typeof PackEvaluation> | undefined;
let queue: Promise<void> = Promise.resolve();
const fail = (err: unknown) => {
    const e = err as Error & { problems?: string[] };
    port.postMessage(err instanceof PolicyConfigError ? { error: e.message, problems: e.problems, source: (workerData as { configFile?: string }).configFile ?? "" } : { error: e?.message ?? String(err) });
};

try {
    const { pack, config } = loadGuardrails((workerData as { configFile?: string }).configFile);
    evaluation = new PackEvaluation(pack, config);
    port.postMessage({ ready: true, policies: pack.policies.length });
} catch (err) {
    fail(err);
}

port.on("message", (message: { resources?: RecordedResource[]; finish?: boolean }) => {
    const current = evaluation;
    if (!current) return;
    for (const resource of message.resources ?? []) queue = queue.then(() => current.add(resource));
    if (message.finish) {
        queue
            .then(() => current.finish())
            .then((report) => {
                const changed = new Set(report.remediations.map((r) => r.urn));
                port.postMessage({ report, inputs: Object.fromEntries(current.added.filter((r) => changed.has(r.urn)).map((r) => [r.urn, r.inputs])) });
            })
            .catch(fail);
    }
});
