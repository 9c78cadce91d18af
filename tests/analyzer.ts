import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { pulumiRequire, RecordedResource } from "../plan/engine";
import type { ResolvedPolicyConfig } from "../plan/policyConfig";
import { REPO } from "./harness";

/**
 * The Pulumi CLI's side of CrossGuard, for tests: starts the real policy pack (`policy/`,
 * compiled) as the CLI does, reads its port from stdout, and speaks the analyzer protocol to it
 * over loopback. This shows the pack loads and that it reaches the same verdicts as the offline
 * evaluation.
 */

// The protocol's classes, exactly as the Pulumi SDK loads them.
const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb");
const { Empty } = pulumiRequire("google-protobuf/google/protobuf/empty_pb");
const pb = pulumiRequire("./proto/analyzer_pb");
const { AnalyzerClient } = pulumiRequire("./proto/analyzer_grpc_pb");

const LEVEL = ["advisory", "mandatory", "disabled", "remediate"] as const;
const SEVERITY = ["", "low", "medium", "high", "critical"] as const;

export interface Diagnostic {
    policy: string;
    urn: string;
    message: string;
    level: string;
}

export class RealAnalyzer {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
    ) {}

    static async start(): Promise<RealAnalyzer> {
        const child = spawn(process.execPath, [path.join(REPO, "dist", "policy", "index.js")], { cwd: path.join(REPO, "policy"), stdio: ["ignore", "pipe", "pipe"] });
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            let err = "";
            child.stdout!.on("data", (d) => {
                out += d;
                const line = out.split("\n")[0];
                if (out.includes("\n")) resolve(Number(line));
            });
            child.stderr!.on("data", (d) => (err += d));
            child.on("exit", (code) => reject(new Error(`the policy pack exited with ${code}: ${err}`)));
        });
        const grpc = pulumiRequire("@grpc/grpc-js");
        return new RealAnalyzer(child, new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()));
    }

    stop(): void {
        this.client.close();
        this.child.kill();
    }

    private call<T>(method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) => this.client[method](request, (err: Error | null, resp: T) => (err ? reject(err) : resolve(resp))));
    }

    /** What `pulumi policy` learns about the pack: its policies and their metadata. */
    async policies(): Promise<{ name: string; level: string; severity: string; remediationSteps: string; configProperties: string[] }[]> {
        const info: any = await this.call("getAnalyzerInfo", new Empty());
        return info.getPoliciesList().map((p: any) => ({
            name: p.getName(),
            level: LEVEL[p.getEnforcementlevel()],
            severity: SEVERITY[p.getSeverity()],
            remediationSteps: p.getRemediationSteps(),
            configProperties: Object.keys(p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}),
        }));
    }

    /**
     * Sends resolved config, as the CLI does after validating it: a policy that config gives no
     * level keeps the level the pack reports for it (the CLI's ReconcilePolicyPackConfig).
     */
    async configure(config: Map<string, ResolvedPolicyConfig>, packLevel: string): Promise<void> {
        const own = new Map((await this.policies()).map((p) => [p.name, p.level]));
        const request = new pb.ConfigureAnalyzerRequest();
        for (const [name, c] of config) {
            const entry = new pb.PolicyConfig();
            entry.setEnforcementlevel(LEVEL.indexOf((c.enforcementLevel ?? own.get(name) ?? packLevel) as (typeof LEVEL)[number]));
            entry.setProperties(Struct.fromJavaScript(c.properties));
            request.getPolicyconfigMap().set(name, entry);
        }
        await this.call("configure", request);
    }

    /** Every resource through `analyze`, then all of them through `analyzeStack`. */
    async analyzeAll(resources: RecordedResource[]): Promise<Diagnostic[]> {
        const diagnostics: Diagnostic[] = [];
        for (const r of resources) {
            const request = new pb.AnalyzeRequest();
            request.setType(r.type);
            request.setName(r.name);
            request.setUrn(r.urn);
            request.setProperties(Struct.fromJavaScript(r.inputs));
            request.setOptions(options(r));
            diagnostics.push(...collect(await this.call("analyze", request), r.urn));
        }
        const stack = new pb.AnalyzeStackRequest();
        stack.setResourcesList(
            resources.map((r) => {
                const resource = new pb.AnalyzerResource();
                resource.setType(r.type);
                resource.setName(r.name);
                resource.setUrn(r.urn);
                resource.setProperties(Struct.fromJavaScript(r.outputs));
                resource.setOptions(options(r));
                if (r.parent) resource.setParent(r.parent);
                resource.setDependenciesList(r.dependencies);
                return resource;
            }),
        );
        diagnostics.push(...collect(await this.call("analyzeStack", stack), ""));
        return diagnostics;
    }
}

function options(r: RecordedResource) {
    const o = new pb.AnalyzerResourceOptions();
    o.setProtect(r.protect);
    if (r.parent) o.setParent(r.parent);
    return o;
}

function collect(response: any, urn: string): Diagnostic[] {
    return response.getDiagnosticsList().map((d: any) => ({
        policy: d.getPolicyname(),
        urn: d.getUrn() || urn,
        // The server prefixes a violation with the policy's description; the offline report keeps it separate.
        message: d.getMessage().includes("\n") ? d.getMessage().split("\n").slice(1).join("\n") : d.getMessage(),
        level: LEVEL[d.getEnforcementlevel()],
    }));
}
