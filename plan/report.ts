import type { RecordedResource } from "./engine";
import type { PolicyReport, Violation } from "./policy";
import type { PlanResult } from "./run";

/** Text and JSON renderings of a plan. */

export function countByType(resources: readonly RecordedResource[]): [string, number][] {
    const counts = new Map<string, number>();
    for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The resource tree, children under their parents, in registration order. */
export function renderTree(resources: readonly RecordedResource[]): string[] {
    const children = new Map<string | undefined, RecordedResource[]>();
    for (const r of resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const known = new Set(resources.map((r) => r.urn));
    const lines: string[] = [];
    const walk = (r: RecordedResource, depth: number) => {
        const flags = [r.protect ? "protected" : "", r.remote ? "remote component" : ""].filter(Boolean);
        lines.push(`${"  ".repeat(depth)}${r.type}  ${r.name}${flags.length ? `  (${flags.join(", ")})` : ""}`);
        for (const c of children.get(r.urn) ?? []) walk(c, depth + 1);
    };
    // Roots: no parent, or a parent that was never registered.
    for (const r of resources) if (!r.parent || !known.has(r.parent)) walk(r, 0);
    return lines;
}

export function renderText(result: PlanResult, options: { tree?: boolean } = {}): string {
    const lines: string[] = [];
    const custom = result.resources.filter((r) => r.custom).length;
    lines.push(`envstack plan: project ${result.project}, stack ${result.stack} (${result.program})`);
    lines.push(`${result.resources.length} resources registered (${custom} cloud resources, ${result.resources.length - custom} components)`);
    if (result.failure) {
        lines.push("", result.failure.kind === "config" ? "Configuration errors:" : "The program failed:");
        if (result.failure.problems) for (const p of result.failure.problems) lines.push(`  - ${p.path}: ${p.message}`);
        else lines.push(indent(result.failure.message), ...(result.failure.where ?? []).map((w) => `    ${w}`));
        return lines.join("\n");
    }
    if (options.tree) {
        lines.push("", "Resources:", ...renderTree(result.resources).map((l) => `  ${l}`));
    } else {
        const counts = countByType(result.resources);
        const width = Math.max(...counts.map(([t]) => t.length));
        lines.push("", "Resources by type:", ...counts.map(([type, n]) => `  ${type.padEnd(width)}  ${n}`));
    }
    lines.push("", "Outputs:");
    for (const [key, value] of Object.entries(result.outputs)) lines.push(`  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
    return lines.join("\n");
}

/** Violations grouped by policy, mandatory first, each naming its resource. */
export function renderPolicyReport(report: PolicyReport, configSource?: string): string {
    const lines = [`Guardrails: ${report.pack}${configSource ? ` (config ${configSource})` : " (default config)"}`];
    const active = report.policies.filter((p) => p.level !== "disabled").length;
    const groups = new Map<string, Violation[]>();
    for (const v of report.violations) groups.set(v.policy, [...(groups.get(v.policy) ?? []), v]);
    const ordered = [...groups.entries()].sort(([, a], [, b]) => (a[0].level === b[0].level ? 0 : a[0].level === "mandatory" ? -1 : 1));
    for (const [policy, violations] of ordered) {
        const first = violations[0];
        lines.push("", `  ${first.level === "mandatory" ? "x" : "!"} ${policy} [${first.level}${first.severity ? `, ${first.severity}` : ""}]`);
        for (const v of violations) lines.push(`      - ${v.urn ? `${v.type} ${v.name}: ` : ""}${v.message}`);
        if (first.remediationSteps) lines.push(`      fix: ${first.remediationSteps}`);
    }
    for (const r of report.remediations) lines.push(`  ~ ${r.policy} remediated ${r.urn}`);
    const mandatory = report.violations.filter((v) => v.level === "mandatory").length;
    const advisory = report.violations.length - mandatory;
    lines.push("", `${active} of ${report.policies.length} policies evaluated: ${mandatory} mandatory violation(s), ${advisory} advisory.`);
    return lines.join("\n");
}

/** The plan as a JSON document for CI and reviewers. */
export function toJson(result: PlanResult, policy?: PolicyReport, cost?: unknown): Record<string, unknown> {
    return {
        format: "envstack-plan/v1",
        project: result.project,
        stack: result.stack,
        program: result.program,
        summary: {
            resources: result.resources.length,
            byType: Object.fromEntries(countByType(result.resources)),
        },
        failure: result.failure ?? null,
        resources: result.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent ?? null,
            custom: r.custom,
            remote: r.remote,
            provider: r.provider ?? null,
            protect: r.protect,
            retainOnDelete: r.retainOnDelete,
            dependsOn: r.dependsOn,
            dependencies: r.dependencies,
            aliases: r.aliases,
            inputs: redactPaths(r.inputs, r.secretInputs),
        })),
        outputs: result.outputs,
        policy: policy ?? null,
        cost: cost ?? null,
    };
}

/** Inputs with secret values replaced, so the JSON can be shared. */
function redactPaths(inputs: Record<string, unknown>, secretPaths: readonly string[]): Record<string, unknown> {
    if (secretPaths.length === 0) return inputs;
    const copy = structuredClone(inputs);
    for (const p of secretPaths) {
        const parts = p.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== "");
        let node: any = copy;
        for (const part of parts.slice(0, -1)) node = node?.[part];
        if (node && typeof node === "object") node[parts[parts.length - 1]] = "[secret]";
    }
    return copy;
}

function indent(text: string): string {
    return text
        .split("\n")
        .map((l) => `  ${l}`)
        .join("\n");
}
