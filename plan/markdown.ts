import type { PolicyReport } from "./policy";
import { countByType } from "./report";
import type { PlanResult } from "./run";

/** The plan as Markdown, for a CI job summary (`--summary "$GITHUB_STEP_SUMMARY"`). */
export function renderMarkdown(result: PlanResult, report?: PolicyReport, policyConfig?: string, cost?: string): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
    const lines = [`### envstack plan: stack \`${result.stack}\``, ""];
    const custom = result.resources.filter((r) => r.custom).length;
    lines.push(`Program \`${result.program}\`: **${result.resources.length} resources** (${custom} cloud resources, ${result.resources.length - custom} components).`, "");
    if (result.failure) {
        lines.push(result.failure.kind === "config" ? "**Configuration errors:**" : "**The program failed:**", "");
        if (result.failure.problems) for (const p of result.failure.problems) lines.push(`- \`${p.path}\`: ${p.message}`);
        else lines.push("```", result.failure.message, "```");
        return `${lines.join("\n")}\n`;
    }
    if (report) {
        const mandatory = report.violations.filter((v) => v.level === "mandatory").length;
        const evaluated = report.policies.filter((p) => p.level !== "disabled").length;
        const verdict = mandatory > 0 ? "❌" : "✅";
        lines.push(`${verdict} Guardrails \`${report.pack}\`${policyConfig ? ` (config \`${policyConfig}\`)` : ""}: ${evaluated} policies, **${mandatory} mandatory** and ${report.violations.length - mandatory} advisory violation(s).`, "");
        if (report.violations.length > 0) {
            lines.push("| policy | level | resource | message |", "| --- | --- | --- | --- |");
            for (const v of report.violations) lines.push(`| ${v.policy} | ${v.level} | ${v.name ? cell(`${v.type} ${v.name}`) : ""} | ${cell(v.message)} |`);
            lines.push("");
        }
    } else {
        lines.push("Guardrails not evaluated (`--no-policy`).", "");
    }
    if (cost) lines.push(cost);
    lines.push("<details><summary>Resources by type</summary>", "", "| type | count |", "| --- | ---: |");
    for (const [type, n] of countByType(result.resources)) lines.push(`| \`${type}\` | ${n} |`);
    lines.push("", "</details>");
    return `${lines.join("\n")}\n`;
}
