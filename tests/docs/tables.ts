import { TEAM_PRESETS, TIER_PROFILES } from "../../components";
import type { RecordedResource } from "../../plan/engine";

/** Tables the docs generate from the code and the plans: the numbers a reader needs, never retyped. */

type NodePool = {
    metadata: { name: string };
    spec: {
        weight?: number;
        limits: { cpu: string; memory: string };
        disruption: { budgets?: { nodes: string; schedule?: string; duration?: string; reasons?: string[] }[] };
        template: { spec: { expireAfter?: string; requirements: { key: string; operator: string; values: string[] }[] } };
    };
};

const requirement = (pool: NodePool, key: string) => pool.spec.template.spec.requirements.find((r) => r.key === key);

/** The NodePools each stack registers: weight, capacity types, limits, categories, expiry, budgets. */
export function karpenterMix(plans: { stack: string; resources: RecordedResource[] }[]): string {
    const rows = plans.flatMap(({ stack, resources }) =>
        resources
            .filter((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool")
            .map((r) => r.inputs as unknown as NodePool)
            .map((p) => {
                const generation = requirement(p, "karpenter.k8s.aws/instance-generation");
                const budgets = (p.spec.disruption.budgets ?? []).map((b) => (b.schedule ? `none for ${b.reasons?.join("/") ?? "any reason"} from \`${b.schedule}\` for ${b.duration}` : `${b.nodes} of nodes`));
                return `| \`${stack}\` | \`${p.metadata.name}\` | ${p.spec.weight ?? 0} | ${requirement(p, "karpenter.sh/capacity-type")?.values.join(", ")} | ${p.spec.limits.cpu} vCPU, ${p.spec.limits.memory} | ${requirement(p, "karpenter.k8s.aws/instance-category")?.values.join(", ")}, generation > ${generation?.values[0]} | ${p.spec.template.spec.expireAfter} | ${budgets.join("; ")} |`;
            }),
    );
    return ["| stack | pool | weight | capacity types | limits | instances | expireAfter | disruption budgets |", "| --- | --- | ---: | --- | --- | --- | --- | --- |", ...rows, ""].join("\n");
}

/** What each team size grants. */
export function teamPresets(): string {
    const sizes = Object.keys(TEAM_PRESETS) as (keyof typeof TEAM_PRESETS)[];
    const row = (label: string, pick: (a: (typeof TEAM_PRESETS)[keyof typeof TEAM_PRESETS]) => string) => `| ${label} | ${sizes.map((s) => pick(TEAM_PRESETS[s])).join(" | ")} |`;
    return [
        `| | ${sizes.join(" | ")} |`,
        `| --- | ${sizes.map(() => "---").join(" | ")} |`,
        row("CPU requests / limits", (a) => `${a.quota.requestsCpu} / ${a.quota.limitsCpu}`),
        row("memory requests / limits", (a) => `${a.quota.requestsMemory} / ${a.quota.limitsMemory}`),
        row("pods / services / load balancers", (a) => `${a.quota.pods} / ${a.quota.services} / ${a.quota.loadBalancers}`),
        row("claims", (a) => `${a.quota.persistentVolumeClaims}`),
        row("storage in total, by class", (a) => `${a.quota.requestsStorage}: ${Object.entries(a.quota.storageByClass ?? {}).map(([c, q]) => `${c} ${q}`).join(", ")}`),
        row("container default request → limit", (a) => `${a.limits.defaultRequestCpu}, ${a.limits.defaultRequestMemory} → ${a.limits.defaultCpu}, ${a.limits.defaultMemory}`),
        row("one container at most", (a) => `${a.limits.maxCpu} CPU, ${a.limits.maxMemory}`),
        "",
    ].join("\n");
}

/** The defaults each tier's profile sets. */
export function tierDefaults(): string {
    const tiers = Object.keys(TIER_PROFILES) as (keyof typeof TIER_PROFILES)[];
    const row = (key: string, pick: (p: (typeof TIER_PROFILES)[keyof typeof TIER_PROFILES]) => unknown) => `| \`${key}\` | ${tiers.map((t) => `${pick(TIER_PROFILES[t])}`).join(" | ")} |`;
    const prom = (p: (typeof TIER_PROFILES)["dev"]) => p.observability?.prometheus;
    const karp = (p: (typeof TIER_PROFILES)["dev"]) => p.karpenter;
    const sys = (p: (typeof TIER_PROFILES)["dev"]) => p.cluster?.systemNodeGroup;
    return [
        `| key | ${tiers.join(" | ")} |`,
        `| --- | ${tiers.map(() => "---").join(" | ")} |`,
        row("protect", (p) => p.protect),
        row("kms.deletionWindowInDays", (p) => p.kms?.deletionWindowInDays),
        row("network.natGateways", (p) => p.network?.natGateways),
        row("network.isolatedSubnets", (p) => p.network?.isolatedSubnets),
        row("network.flowLogs", (p) => `${p.network?.flowLogs?.retentionInDays} days, ${p.network?.flowLogs?.trafficType}`),
        row("cluster.endpoint.publicAccess", (p) => p.cluster?.endpoint?.publicAccess),
        row("cluster.logRetentionInDays", (p) => p.cluster?.logRetentionInDays),
        row("cluster.systemNodeGroup", (p) => `${sys(p)?.instanceTypes?.join(", ")}, ${sys(p)?.minSize}–${sys(p)?.maxSize}`),
        row("cluster.deletionProtection", (p) => p.cluster?.deletionProtection),
        row("karpenter (base / ceiling / Spot share)", (p) => `${karp(p)?.onDemandBaseCpu} / ${karp(p)?.maxCpu} vCPU / ${karp(p)?.spotPercentage}%`),
        row("storage.reclaimPolicy", (p) => p.storage?.reclaimPolicy),
        row("observability.prometheus", (p) => (prom(p)?.enabled ? `${prom(p)?.retention}, ${prom(p)?.storageGiB} GiB` : "off")),
        ...(["loadBalancerController", "externalDns", "externalSecrets", "metricsServer"] as const).map((addon) =>
            row(`platform.${addon}`, (p) => {
                const a = p.platform?.[addon] as { enabled?: boolean; replicas?: number; policy?: string } | undefined;
                if (!a?.enabled) return "off";
                return addon === "externalDns" ? `with zones, ${a.policy}` : `${a.replicas} ${a.replicas === 1 ? "replica" : "replicas"}`;
            }),
        ),
        row("teamOvercommitFactor", (p) => p.teamOvercommitFactor),
        "",
    ].join("\n");
}
