import type { CostChange } from "./compare";
import type { CostEstimate, Figures } from "./estimate";
import { usd } from "./estimate/types";

/** The estimate and a change to it, as the plan prints them and as pull-request Markdown. */

/** How many items the plan names. */
export const TOP_ITEMS = 5;

const three = (f: Figures) => `floor ${usd(f.floor)}, expected ${usd(f.expected)}, ceiling ${usd(f.ceiling)}`;
const signed = (n: number) => `${n < 0 ? "-" : "+"}${usd(Math.abs(n))}`;
const signedThree = (f: Figures) => `floor ${signed(f.floor)}, expected ${signed(f.expected)}, ceiling ${signed(f.ceiling)}`;
const heading = (e: CostEstimate) =>
    `${e.region} list prices of ${e.pricesAsOf}${e.overriddenPrices.length ? ` (negotiated: ${e.overriddenPrices.join(", ")})` : ""}, ${e.tier} usage assumptions${e.overriddenUsage.length ? ` (overridden: ${e.overriddenUsage.join(", ")})` : ""}`;

/** The plan's cost section: the three figures, the largest items, what could not be priced. */
export function renderCostText(estimate: CostEstimate, change?: CostChange, budget?: Partial<Figures>): string {
    const lines = [`Monthly cost estimate, USD (${heading(estimate)}):`, `  ${three(estimate.totals)}`];
    if (budget && Object.keys(budget).length > 0) lines.push(`  budget (environment-budget): ${budgetText(estimate, budget)}`);
    lines.push("", `Largest items (expected a month):`);
    for (const i of estimate.items.slice(0, TOP_ITEMS)) lines.push(`  ${usd(i.monthly.expected).padStart(11)}  ${i.component}: ${i.resource} ${i.item} (${i.basis}${i.usage ? `; assumes ${i.usage}` : ""})`);
    for (const u of estimate.unpriced) lines.push(`  not priced: ${u.type} ${u.resource}: ${u.reason}`);
    if (change) {
        lines.push("", `Change from --compare: ${signedThree(change.totals)}`);
        for (const c of change.components) lines.push(`  ${c.component}: ${signedThree(c.delta)}`);
        for (const i of change.items.slice(0, 10)) lines.push(`  ${i.change} ${i.component}: ${i.resource} ${i.item}: expected ${signed(i.delta.expected)}, ceiling ${signed(i.delta.ceiling)}`);
        if (change.items.length > 10) lines.push(`  ... and ${change.items.length - 10} more items (see --json)`);
    }
    return lines.join("\n");
}

/** Each budgeted figure, its limit and what is left of it (negative when over). */
function budgetText(estimate: CostEstimate, budget: Partial<Figures>): string {
    return (["floor", "expected", "ceiling"] as const)
        .filter((f) => budget[f] !== undefined)
        .map((f) => `${f} ${usd(budget[f]!)} (${estimate.totals[f] <= budget[f]! ? `${usd(budget[f]! - estimate.totals[f])} left` : `over by ${usd(estimate.totals[f] - budget[f]!)}`})`)
        .join(", ");
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The cost table of the pull-request summary. */
export function renderCostMarkdown(estimate: CostEstimate, change?: CostChange, budget?: Partial<Figures>): string {
    const lines = [`**Monthly cost estimate** (USD; ${heading(estimate)})`, ""];
    if (budget && Object.keys(budget).length > 0) lines.push(`Budget: ${budgetText(estimate, budget)}.`, "");
    lines.push("| component | floor | expected | ceiling |", "| --- | ---: | ---: | ---: |");
    for (const c of estimate.components) lines.push(`| ${c.component} | ${usd(c.monthly.floor)} | ${usd(c.monthly.expected)} | ${usd(c.monthly.ceiling)} |`);
    lines.push(`| **total** | **${usd(estimate.totals.floor)}** | **${usd(estimate.totals.expected)}** | **${usd(estimate.totals.ceiling)}** |`, "");
    if (estimate.unpriced.length > 0) {
        lines.push("⚠️ Not priced, so the figures are incomplete:", "");
        for (const u of estimate.unpriced) lines.push(`- \`${u.type}\` ${cell(u.resource)}: ${cell(u.reason)}`);
        lines.push("");
    }
    if (change) {
        lines.push(`**Change from the compared plan:** ${signedThree(change.totals)} a month`, "");
        if (change.items.length > 0) {
            lines.push("| change | component | resource | item | expected | ceiling |", "| --- | --- | --- | --- | ---: | ---: |");
            for (const i of change.items) lines.push(`| ${i.change} | ${i.component} | ${cell(i.resource)} | ${cell(i.item)} | ${signed(i.delta.expected)} | ${signed(i.delta.ceiling)} |`);
            lines.push("");
        }
    }
    lines.push("<details><summary>Largest items</summary>", "", "| item | expected | basis |", "| --- | ---: | --- |");
    for (const i of estimate.items.slice(0, TOP_ITEMS * 2)) lines.push(`| ${cell(`${i.component}: ${i.resource} ${i.item}`)} | ${usd(i.monthly.expected)} | ${cell(`${i.basis}${i.usage ? `; assumes ${i.usage}` : ""}`)} |`);
    lines.push("", "</details>", "");
    return lines.join("\n");
}
