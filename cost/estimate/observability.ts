import type { PolicyResource } from "@pulumi/policy";
import { ampMonthlyCost, samplesPerMonth } from "../../components/longTermMetrics/cost";
import { known } from "../../policy/policies/preview";
import { T } from "../../policy/policies/support";
import type { LogKind } from "../usage";
import { Draft, flat, Figures, Pricer, PricingContext, rate } from "./types";

/**
 * Log groups (ingestion by kind and what their retention keeps), Container Insights' observations
 * per node, AMP workspaces, S3 buckets and SNS topics: all usage-based, each with its assumption.
 */

const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const ADDON = "aws:eks/addon:Addon";
const AMP_WORKSPACE = "aws:amp/workspace:Workspace";
const BUCKETS: readonly string[] = T.s3Buckets;

/** AMP keeps samples 150 days unless the workspace says otherwise. */
const AMP_DEFAULT_RETENTION_DAYS = 150;

/** Names of log groups that VPC flow logs deliver to. */
function flowLogGroups(resources: PolicyResource[]): Set<string> {
    const names = new Set<string>();
    for (const r of resources) {
        if (r.type !== FLOW_LOG) continue;
        const destination = known(() => r.props.logDestination);
        const name = known(() => r.props.logGroupName) ?? (typeof destination === "string" ? /:log-group:([^:]+)/.exec(destination)?.[1] : undefined);
        if (typeof name === "string") names.add(name);
    }
    return names;
}

/** What writes to a log group, by the names AWS gives them. */
function logKind(name: string, flowLogs: Set<string>): LogKind {
    if (flowLogs.has(name)) return "flowLogs";
    if (/^\/aws\/eks\/[^/]+\/cluster$/.test(name)) return "controlPlane";
    const insights = /^\/aws\/containerinsights\/[^/]+\/(application|dataplane|host|performance)$/.exec(name)?.[1];
    return (insights as LogKind | undefined) ?? "other";
}

export function logGroupPricer(): Pricer {
    let flowLogs: Set<string> | undefined;
    return (r: PolicyResource, context: PricingContext): Draft[] => {
        if (r.type !== T.logGroup) return [];
        flowLogs ??= flowLogGroups(context.resources);
        const book = context.book(r);
        const name = String(known(() => r.props.name) ?? r.name);
        const kind = logKind(name, flowLogs);
        const gb = context.usage.logsGbPerMonth[kind];
        // Flow logs are vended logs, billed at their own rate.
        const ingestId = kind === "flowLogs" ? "logs.vended.gb" : "logs.ingest.gb";
        const days = Number(known(() => r.props.retentionInDays) ?? 0);
        const months = days > 0 ? days / 30.4 : context.usage.neverExpiringLogMonths;
        const storedGb = gb * context.usage.logsStoredFraction * months;
        const ingest = gb * book.service(ingestId);
        const storage = storedGb * book.service("logs.storage.gbMonth");
        return [
            {
                item: `log ingestion and storage (${kind})`,
                monthly: flat(ingest + storage),
                basis: `${gb} GB × ${rate(book.service(ingestId))}/GB; ${Number(storedGb.toFixed(2))} GB stored compressed (${days > 0 ? `${days} days` : "never expires"}) × ${rate(book.service("logs.storage.gbMonth"))}/GB-month`,
                usage: `logsGbPerMonth.${kind} ${gb} GB, logsStoredFraction ${context.usage.logsStoredFraction}`,
                prices: [ingestId, "logs.storage.gbMonth"],
            },
        ];
    };
}

/** Whether the CloudWatch add-on runs Container Insights with enhanced observability (its default). */
function enhancedInsights(props: Record<string, unknown>): boolean {
    const raw = props.configurationValues;
    if (typeof raw !== "string" || raw.trim() === "") return true;
    try {
        const flag = JSON.parse(raw)?.agent?.config?.logs?.metrics_collected?.kubernetes?.enhanced_container_insights;
        return flag !== false;
    } catch {
        return true;
    }
}

/** Container Insights with enhanced observability bills observations; they grow with the nodes. */
export const containerInsightsPricer: Pricer = (r, context) => {
    if (r.type !== ADDON || known(() => r.props.addonName) !== "amazon-cloudwatch-observability") return [];
    if (!(known(() => enhancedInsights(r.props)) ?? true)) return [];
    const book = context.book(r);
    const perNode = context.usage.containerInsightsObservationsPerNode;
    const perMillion = book.service("containerInsights.observation.million");
    const at = (nodes: number) => (nodes * perNode * perMillion) / 1e6;
    const nodes = context.nodes;
    const monthly: Figures = { floor: at(nodes.floor), expected: at(nodes.expected), ceiling: at(nodes.ceiling) };
    return [
        {
            item: "Container Insights observations",
            monthly,
            basis: `${nodes.floor}/${nodes.expected}/${nodes.ceiling} nodes (floor/expected/ceiling) × ${(perNode / 1e6).toLocaleString("en-US")}M observations × ${rate(perMillion)}/million`,
            usage: `containerInsightsObservationsPerNode ${perNode.toLocaleString("en-US")}`,
            prices: ["containerInsights.observation.million"],
        },
    ];
};

/** AMP's ingestion by tier, its storage of the workspace's retention (as the long-term metrics docs price it), and queries. */
export const ampPricer: Pricer = (r, context) => {
    if (r.type !== AMP_WORKSPACE) return [];
    const book = context.book(r);
    const u = context.usage;
    const retention = Number(known(() => r.props.retentionPeriodInDays) ?? AMP_DEFAULT_RETENTION_DAYS);
    const month = ampMonthlyCost(u.ampActiveSeries, u.ampScrapeIntervalSeconds, retention, book);
    const query = u.ampQueryBillionSamples * book.service("amp.query.billion");
    return [
        {
            item: "AMP ingestion, storage and queries",
            monthly: flat(month.total + query),
            basis: `${(samplesPerMonth(u.ampActiveSeries, u.ampScrapeIntervalSeconds) / 1e9).toFixed(2)}B samples a month, kept ${retention} days; ${u.ampQueryBillionSamples}B samples queried`,
            usage: `ampActiveSeries ${u.ampActiveSeries.toLocaleString("en-US")} every ${u.ampScrapeIntervalSeconds} s, ampQueryBillionSamples ${u.ampQueryBillionSamples}`,
            prices: ["amp.ingest.first2B.tenMillion", "amp.ingest.next250B.tenMillion", "amp.ingest.over252B.tenMillion", "amp.storage.gbMonth", "amp.query.billion"],
        },
    ];
};

export const bucketPricer: Pricer = (r, context) => {
    if (!BUCKETS.includes(r.type)) return [];
    const gb = context.usage.s3StoredGbPerBucket;
    const perGb = context.book(r).service("s3.standard.gbMonth");
    return [{ item: "S3 Standard storage", monthly: flat(gb * perGb), basis: `${gb} GB × ${rate(perGb)}/GB-month`, usage: `s3StoredGbPerBucket ${gb} GB`, prices: ["s3.standard.gbMonth"] }];
};

export const topicPricer: Pricer = (r, context) => {
    if (r.type !== T.snsTopic) return [];
    const n = context.usage.snsPublishesPerTopic;
    const perMillion = context.book(r).service("sns.publishes.million");
    return [{ item: "SNS publishes", monthly: flat((n / 1e6) * perMillion), basis: `${n.toLocaleString("en-US")} publishes × ${rate(perMillion)}/million`, usage: `snsPublishesPerTopic ${n}`, prices: ["sns.publishes.million"] }];
};
