import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { RecordedResource } from "./engine";
import type { PolicyReport } from "./policy";
import { PolicyConfigError } from "./policyConfig";

/** Resources sent to the worker at a time: often enough to keep it busy, rarely enough to cost little. */
const BATCH = 8;

type Reply = { ready?: boolean; policies?: number; report?: PolicyReport; inputs?: Record<string, Record<string, unknown>>; error?: string; problems?: string[]; source?: string };

/**
 * The guardrails evaluated on a worker thread while the program runs (packWorker.ts): a plan's
 * second core loads the pack and judges each resource as it is registered, so what the pack adds
 * to the plan's wall time is little more than its stack policies.
 */
export class PackRunner {
    private readonly worker: Worker;
    private buffer: RecordedResource[] = [];
    private readonly replies: Reply[] = [];
    private waiting?: { resolve: (r: Reply) => void; reject: (e: Error) => void };
    private failure?: Error;

    constructor(configFile: string | undefined) {
        this.loaded = new Promise((resolve, reject) => (this.onLoaded = { resolve, reject }));
        this.loaded.catch(() => undefined);
        this.worker = new Worker(path.join(__dirname, "packWorker.js"), { workerData: { configFile } });
        this.worker.on("message", (reply: Reply) => this.deliver(reply));
        this.worker.on("error", (err) => this.fail(err));
        this.worker.on("exit", (code) => code !== 0 && this.fail(new Error(`the guardrails' worker exited with code ${code}`)));
    }

    private readonly loaded: Promise<number>;
    private onLoaded?: { resolve: (policies: number) => void; reject: (e: Error) => void };

    /** The pack's size once it is loaded and its config resolved; a config error rejects. */
    ready(): Promise<number> {
        return this.loaded;
    }

    /** Sends a resource to be judged; called by the engine as each registration completes. */
    readonly add = (resource: RecordedResource): void => {
        this.buffer.push(resource);
        if (this.buffer.length >= BATCH) this.flush();
    };

    /** Runs the stack policies once the program is done; `resources` get any remediated inputs. */
    async finish(resources: RecordedResource[]): Promise<PolicyReport> {
        this.flush();
        this.worker.postMessage({ finish: true });
        const reply = await this.next();
        const inputs = reply.inputs ?? {};
        for (const r of resources) if (inputs[r.urn]) r.inputs = inputs[r.urn];
        return reply.report!;
    }

    async stop(): Promise<void> {
        await this.worker.terminate();
    }

    private flush(): void {
        if (this.buffer.length === 0) return;
        this.worker.postMessage({ resources: this.buffer });
        this.buffer = [];
    }

    private deliver(reply: Reply): void {
        if (reply.error !== undefined) {
            this.fail(reply.problems ? new PolicyConfigError(reply.problems, reply.source ?? "") : new Error(`the guardrails failed: ${reply.error}`));
            return;
        }
        if (reply.ready) {
            this.onLoaded?.resolve(reply.policies ?? 0);
            return;
        }
        if (this.waiting) {
            const { resolve } = this.waiting;
            this.waiting = undefined;
            resolve(reply);
        } else this.replies.push(reply);
    }

    private fail(err: Error): void {
        this.failure ??= err;
        this.onLoaded?.reject(err);
        if (this.waiting) {
            const { reject } = this.waiting;
            this.waiting = undefined;
            reject(err);
        }
    }

    private next(): Promise<Reply> {
        const queued = this.replies.shift();
        if (queued) return Promise.resolve(queued);
        if (this.failure) return Promise.reject(this.failure);
        return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
    }
}
