import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { DEFAULT_VERSIONS } from "../../components";
import type { RecordedResource } from "../../plan/engine";
import { evaluatePack, PolicyReport } from "../../plan/policy";
import { readPolicyConfigFile, resolvePolicyConfig } from "../../plan/policyConfig";
import { runPlan } from "../../plan/run";
import { guardrails, PACK } from "../../policy/policies";
import { deployerPolicy } from "./deployer";
import { estimate, OTHER, roundedMinutes, TYPICAL } from "./durations";
import { REPO } from "./markdown";
import { karpenterMix, teamPresets, tierDefaults } from "./tables";
import { ampMonthlyCost, samplesPerMonth, thanosMonthlyCost } from "../../components/longTermMetrics/cost";
import type { CostEstimate } from "../../cost/estimate";
import { usd } from "../../cost/estimate/types";
import { costLevers, costPrices, costTiers, costUsage, stackEstimate } from "./costTables";

/**
 * The generated regions of the docs: every number a page states comes from here (or from the
 * bench), so none goes stale. `npm run docs:generate` rewrites them; the docs test fails when a
 * page differs from what these produce.
 */

export const STACKS = ["dev", "staging", "prod"] as const;

/** The Node.js releases CI installs, from .ci/nodes/package.json. */
export function testedNodes(): string[] {
    const deps = JSON.parse(fs.readFileSync(path.join(REPO, ".ci", "nodes", "package.json"), "utf8")).dependencies as Record<string, string>;
    return Object.values(deps).map((spec) => spec.split("@").pop()!);
}

/** The Pulumi CLI the deploy template installs. */
export function pulumiCliVersion(): string {
    const workflow = parse(fs.readFileSync(path.join(REPO, "ci-templates", "github", "workflows", "envstack-deploy-stack.yml"), "utf8"));
    const step = workflow.jobs.deploy.steps.find((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@"));
    return String(step.with["pulumi-version"]);
}

export interface StackPlan {
    stack: string;
    tier: string;
    resources: RecordedResource[];
    report: PolicyReport;
    estimate: CostEstimate;
}

let plans: Promise<StackPlan[]> | undefined;

/** The three stacks planned with their policy configs, once per process. */
export function stackPlans(): Promise<StackPlan[]> {
    plans ??= (async () => {
        const out: StackPlan[] = [];
        for (const stack of STACKS) {
            const result = await runPlan({ projectDir: REPO, stack });
            if (result.failure) throw new Error(`${stack} did not plan: ${result.failure.message}`);
            const configFile = path.join(REPO, "policy", "config", `${stack}.json`);
            const report = await evaluatePack({ name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies: guardrails }, result.resources, resolvePolicyConfig(readPolicyConfigFile(configFile), guardrails, configFile));
            const stackFile = parse(fs.readFileSync(path.join(REPO, `Pulumi.${stack}.yaml`), "utf8")).config;
            out.push({ stack, tier: stackFile["envstack:tier"], resources: result.resources, report, estimate: stackEstimate(stack, result.resources) });
        }
        return out;
    })();
    return plans;
}

const minutes = (n: number) => `${n} min`;

/** Each generator returns a region's body, ending in a newline. */
export const GENERATORS: Record<string, () => Promise<string>> = {
    async "long-term-cost"() {
        const usd = (v: number) => `$${v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2)}`;
        const rows = [100_000, 500_000, 2_000_000].map((series) => {
            const amp = ampMonthlyCost(series, 30, 150);
            const thanos = thanosMonthlyCost(series, 30, 150, 2);
            const samples = samplesPerMonth(series, 30) / 1e9;
            return `| ${series.toLocaleString("en-US")} | ${samples.toFixed(1)} billion | ${usd(amp.total)} (ingestion ${usd(amp.parts.ingestion)}, storage ${usd(amp.parts.storage)}) | ${usd(thanos.total)} (S3 ${usd(thanos.parts.s3)}, pods and volumes ${usd(thanos.parts.pods + thanos.parts.volumes)}) |`;
        });
        return [
            "| active series | samples a month (30 s scrapes) | AMP a month | Thanos on S3 a month |",
            "| ---: | ---: | --- | --- |",
            ...rows,
            "",
            "Both keep 150 days; AMP's queries and S3's transfer are left out. List prices for us-east-1 in USD, from `components/longTermMetrics/cost.ts`, which states each price and size it assumes.",
            "",
        ].join("\n");
    },

    async requirements() {
        const [oldest, ...rest] = testedNodes();
        return [
            `- **Node.js** ${[oldest, ...rest].map((v) => v.split(".")[0]).join(" or ")} (LTS). CI runs every test and plan on ${[oldest, ...rest].join(" and ")}, and on the build machine's Node, and compares the plans byte for byte.`,
            `- **Pulumi CLI** ${pulumiCliVersion()} (what the CI templates install), for \`pulumi preview\` and \`pulumi up\`; the offline plan needs no CLI.`,
            "",
        ].join("\n");
    },

    async stacks() {
        const rows = (await stackPlans()).map((p) => {
            const mandatory = p.report.violations.filter((v) => v.level === "mandatory").length;
            const e = p.estimate.totals;
            return `| \`${p.stack}\` | ${p.tier} | ${p.resources.length} | ${p.report.policies.length} | ${mandatory} | ${usd(e.floor, 0)} / ${usd(e.expected, 0)} / ${usd(e.ceiling, 0)} |`;
        });
        const asOf = (await stackPlans())[0].estimate.pricesAsOf;
        return [
            `| stack | tier | resources planned | guardrails evaluated | mandatory violations | USD a month: floor / expected / ceiling (prices of ${asOf}) |`,
            "| --- | --- | ---: | ---: | ---: | ---: |",
            ...rows,
            "",
        ].join("\n");
    },

    async "cost-tiers"() {
        return costTiers(await stackPlans());
    },

    async "cost-levers"() {
        return costLevers((await stackPlans()).find((p) => p.stack === "dev")!);
    },

    async "cost-usage"() {
        return costUsage();
    },

    async "cost-prices"() {
        return costPrices();
    },

    async durations() {
        const rows = (await stackPlans()).map((p) => {
            const up = estimate(p.resources, "create");
            const down = estimate(p.resources, "destroy");
            return `| \`${p.stack}\` | about ${minutes(roundedMinutes(up.seconds))} | about ${minutes(roundedMinutes(down.seconds))} | ${up.chain.join(" → ")} |`;
        });
        const typical = TYPICAL.map((t) => `${t.what} ${Math.round(t.create / 60 * 10) / 10} / ${Math.round(t.destroy / 60 * 10) / 10} min`).join("; ");
        return [
            "| stack | `pulumi up` | `pulumi destroy` | the slowest chain (up; destroy runs it backwards) |",
            "| --- | --- | --- | --- |",
            ...rows,
            "",
            `Estimated, not measured: the longest chain of dependencies in the plan, each resource at a typical create / delete time (${typical}; anything else ${OTHER.create} s).`,
            "",
        ].join("\n");
    },

    async guardrails() {
        const tiers = STACKS.map((stack) => {
            const file = path.join(REPO, "policy", "config", `${stack}.json`);
            return { stack, config: resolvePolicyConfig(readPolicyConfigFile(file), guardrails, file) };
        });
        const show = (v: unknown) => (v === undefined ? "none" : JSON.stringify(v).replace(/"/g, "").replace(/,/g, ", "));
        const sections = guardrails.map((g) => {
            const defaults = Object.entries((g.configSchema?.properties ?? {}) as Record<string, { default?: unknown; description?: string }>);
            const levels = tiers.map((t) => `${t.stack} ${t.config.get(g.name)?.enforcementLevel ?? g.enforcementLevel}`).join(", ");
            const knobs = defaults.map(([name, p]) => {
                const perTier = tiers.map((t) => show(t.config.get(g.name)?.properties[name])).join(" / ");
                return `\`${name}\` (default ${show(p.default)}; dev / staging / prod: ${perTier})`;
            });
            return [
                `### \`${g.name}\``,
                "",
                `${g.description} Severity ${g.severity}; level ${levels}.`,
                "",
                ...(g.why ? [`Why: ${g.why}`, ""] : []),
                `Fix: ${g.remediationSteps}`,
                "",
                ...(knobs.length ? [`Config: ${knobs.join("; ")}.`, ""] : []),
            ].join("\n");
        });
        return [`${guardrails.length} policies in the pack \`${PACK.name}\`.`, "", ...sections].join("\n");
    },

    async "karpenter-mix"() {
        return karpenterMix(await stackPlans());
    },

    async "team-presets"() {
        return teamPresets();
    },

    async "tier-defaults"() {
        return tierDefaults();
    },

    async versions() {
        const kubernetes = Object.entries(DEFAULT_VERSIONS.kubernetes);
        const addons = Object.keys(kubernetes[0][1].addons);
        const header = `| | ${kubernetes.map(([v]) => `Kubernetes ${v}`).join(" | ")} |`;
        const line = (label: string, pick: (r: (typeof kubernetes)[number][1]) => string) => `| ${label} | ${kubernetes.map(([, r]) => `\`${pick(r)}\``).join(" | ")} |`;
        const charts = Object.values(DEFAULT_VERSIONS.charts).map((c) => `\`${c.chart.split("/").pop()}\` ${c.version}`);
        return [
            header,
            `| --- | ${kubernetes.map(() => "---").join(" | ")} |`,
            ...addons.map((a) => line(a, (r) => r.addons[a as keyof typeof r.addons])),
            line("Karpenter node AMI", (r) => r.karpenterAmiAlias),
            line("oldest Karpenter", (r) => r.minKarpenterVersion),
            "",
            `Charts: ${charts.join(", ")}. Managed node groups: \`${DEFAULT_VERSIONS.nodeAmiTypes.x86_64}\`, \`${DEFAULT_VERSIONS.nodeAmiTypes.arm64}\`.`,
            "",
        ].join("\n");
    },
};

/** Generated files (not regions): their path and content. */
export const GENERATED_FILES: Record<string, () => Promise<string>> = {
    "docs/deployer-policy.json": async () => `${JSON.stringify(deployerPolicy((await stackPlans()).flatMap((p) => p.resources)), null, 2)}\n`,
};
