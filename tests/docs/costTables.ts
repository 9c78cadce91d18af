import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { compareEstimates } from "../../cost/compare";
import { estimateOptions } from "../../cost/config";
import { CostEstimate, estimateCost } from "../../cost/estimate";
import { usd } from "../../cost/estimate/types";
import { LEFT_OUT, priceBook, PRICED_REGIONS, PRICE_TABLE } from "../../cost/prices";
import { LOG_KINDS, TIER_USAGE, UsageAssumptions } from "../../cost/usage";
import { TIERS } from "../../components/config/types";
import { policyResources } from "../../plan/policy";
import { readPolicyConfigFile } from "../../plan/policyConfig";
import type { RecordedResource } from "../../plan/engine";
import { runPlan } from "../../plan/run";
import { REPO } from "./markdown";

/** The cost pages' generated tables: each tier's figures, what dev's levers saved, the assumptions and the prices. */

/** A stack's estimate with its policy config's cost settings, as `npm run plan` makes it. */
export function stackEstimate(stack: string, resources: Parameters<typeof policyResources>[0]): CostEstimate {
    const config = (readPolicyConfigFile(path.join(REPO, "policy", "config", `${stack}.json`)) as Record<string, Record<string, unknown>>)["environment-budget"];
    return estimateCost(policyResources(resources), estimateOptions(config));
}

/** Each stack's three figures and its largest items. */
export function costTiers(plans: { stack: string; estimate: CostEstimate }[]): string {
    const rows = plans.map(({ stack, estimate: e }) => {
        const top = e.items.slice(0, 3).map((i) => `${i.item} (${i.component}) ${usd(i.monthly.expected, 0)}`);
        return `| \`${stack}\` | ${usd(e.totals.floor)} | ${usd(e.totals.expected)} | ${usd(e.totals.ceiling)} | ${top.join("; ")} |`;
    });
    const e = plans[0].estimate;
    return [
        "| stack | floor | expected | ceiling | largest expected items |",
        "| --- | ---: | ---: | ---: | --- |",
        ...rows,
        "",
        `USD a month, ${e.region} list prices of ${e.pricesAsOf}, each tier's usage assumptions (below), Spot at ${Math.round(priceBook(e.region).service("ec2.spot.fraction") * 100)}% of On-Demand.`,
        "",
    ].join("\n");
}

/** The dev stack as it was before its cost work: On-Demand t3.large system nodes with 30 GiB roots. */
function devBefore(): string {
    const file = parse(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8"));
    const config = file.config;
    config["envstack:cluster"] = { ...config["envstack:cluster"], systemNodeGroup: { capacityType: "ON_DEMAND", instanceTypes: ["t3.large"], minSize: 2, maxSize: 3, desiredSize: 2, diskSizeGiB: 30 } };
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "envstack-dev-before-")), "Pulumi.dev.yaml");
    fs.writeFileSync(out, stringify(file));
    return out;
}

/** Dev's resources with one thing changed, for a lever no plan needs to be rerun for. */
function varied(resources: RecordedResource[], type: string, change: (inputs: Record<string, any>) => Record<string, any>): RecordedResource[] {
    return resources.map((r) => (r.type === type ? { ...r, inputs: change(r.inputs), outputs: change(r.outputs) } : r));
}

/**
 * What each of dev's levers saves at the floor: the system nodes against dev as it was before
 * them (planned); NAT gateways and log retention by re-pricing dev's own resources changed.
 */
export async function costLevers(dev: { resources: RecordedResource[]; estimate: CostEstimate }): Promise<string> {
    const configFile = devBefore();
    try {
        const before = await runPlan({ projectDir: REPO, stack: "dev", configFile });
        if (before.failure) throw new Error(`dev as it was did not plan: ${before.failure.message}`);
        const nodes = compareEstimates(stackEstimate("dev", before.resources), dev.estimate);
        const saved = (item: (name: string) => boolean) => -nodes.items.filter((i) => item(i.item)).reduce((n, i) => n + i.delta.floor, 0);
        const perAz = stackEstimate("dev", varied(dev.resources, "awsx:ec2:Vpc", (i) => ({ ...i, natGateways: { strategy: "OnePerAz" } })));
        const shorter = stackEstimate("dev", varied(dev.resources, "aws:cloudwatch/logGroup:LogGroup", (i) => ({ ...i, retentionInDays: 3 })));
        const rows = [
            ["small Graviton system nodes, on Spot, instead of t3.large On-Demand", saved((i) => /Spot|On-Demand/.test(i)), "taken"],
            ["20 GiB system roots instead of 30 GiB", saved((i) => i.startsWith("node volumes")), "taken"],
            ["one NAT gateway instead of one per AZ", perAz.totals.floor - dev.estimate.totals.floor, "in place already"],
            ["three days of logs instead of seven", dev.estimate.totals.floor - shorter.totals.floor, "not taken: ingestion is what logs cost"],
        ] as const;
        return [
            "| lever | floor saved a month | |",
            "| --- | ---: | --- |",
            ...rows.map(([name, n, taken]) => `| ${name} | ${usd(n)} | ${taken} |`),
            `| **taken here** | **${usd(-nodes.totals.floor)}** | the floor went from ${usd(dev.estimate.totals.floor - nodes.totals.floor)} to ${usd(dev.estimate.totals.floor)} |`,
            "",
        ].join("\n");
    } finally {
        fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
    }
}

/** The usage assumptions, tier by tier. */
export function costUsage(): string {
    const keys = Object.keys(TIER_USAGE.dev).filter((k) => k !== "logsGbPerMonth") as (keyof UsageAssumptions)[];
    const show = (v: unknown) => (typeof v === "number" ? v.toLocaleString("en-US") : String(v));
    return [
        `| assumption | ${TIERS.join(" | ")} |`,
        `| --- | ${TIERS.map(() => "---:").join(" | ")} |`,
        ...keys.map((k) => `| \`${k}\` | ${TIERS.map((t) => show(TIER_USAGE[t][k])).join(" | ")} |`),
        ...LOG_KINDS.map((kind) => `| \`logsGbPerMonth.${kind}\` | ${TIERS.map((t) => show(TIER_USAGE[t].logsGbPerMonth[kind])).join(" | ")} |`),
        "",
    ].join("\n");
}

/** The prices the tiers' figures rest on, region by region, and what the table leaves out. */
export function costPrices(): string {
    const ids = ["eks.cluster.standardHour", "eks.cluster.extendedHour", "nat.hour", "nat.gb", "vpc.publicIpv4.hour", "vpc.interfaceEndpoint.azHour", "ebs.gp3.gbMonth", "efs.standard.gbMonth", "logs.ingest.gb", "logs.storage.gbMonth", "containerInsights.observation.million", "kms.key.month", "amp.ingest.first2B.tenMillion", "s3.standard.gbMonth", "ec2.m7i.large", "ec2.t4g.medium", "ec2.g6.xlarge", "ec2.spot.fraction"];
    const books = PRICED_REGIONS.map((r) => priceBook(r));
    return [
        `| price | unit | ${PRICED_REGIONS.join(" | ")} |`,
        `| --- | --- | ${PRICED_REGIONS.map(() => "---:").join(" | ")} |`,
        ...ids.map((id) => `| \`${id}\` | ${books[0].entry(id)!.unit} | ${books.map((b) => String(b.entry(id)!.usd)).join(" | ")} |`),
        "",
        `Read on ${[...new Set(PRICED_REGIONS.map((r) => PRICE_TABLE[r].asOf))].join(", ")}; every entry in \`cost/prices\` names its source. Left out: ${LEFT_OUT.join("; ")}.`,
        "",
    ].join("\n");
}
