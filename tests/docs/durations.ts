import type { RecordedResource } from "../../plan/engine";

/**
 * How long `pulumi up` and `pulumi destroy` take, estimated from a plan: the longest chain of
 * dependencies, each resource weighted by a typical service time. The engine creates resources as
 * soon as their dependencies exist and deletes them in reverse, so that chain is the wall time's
 * floor. The times are typical figures, not measurements: no AWS account runs here.
 */

/** Typical create and delete seconds of the slow kinds; everything else takes `OTHER`. */
export const TYPICAL: { type: string; what: string; create: number; destroy: number }[] = [
    { type: "eks:index:Cluster", what: "EKS control plane", create: 720, destroy: 300 },
    { type: "eks:index:ManagedNodeGroup", what: "managed node group", create: 240, destroy: 300 },
    { type: "awsx:ec2:Vpc", what: "VPC with NAT gateways", create: 150, destroy: 120 },
    { type: "aws:eks/addon:Addon", what: "EKS add-on", create: 60, destroy: 30 },
    { type: "kubernetes:helm.sh/v3:Release", what: "Helm release, until ready", create: 120, destroy: 60 },
    { type: "aws:efs/mountTarget:MountTarget", what: "EFS mount target", create: 90, destroy: 90 },
    { type: "aws:sqs/queue:Queue", what: "SQS queue", create: 30, destroy: 60 },
];
export const OTHER = { create: 5, destroy: 5 };

export interface Estimate {
    /** Seconds along the slowest chain. */
    seconds: number;
    /** That chain's slow links, first to last (the kinds in `TYPICAL`). */
    chain: string[];
}

/** The longest weighted chain through the plan, for create (`up`) or delete (`destroy`). */
export function estimate(resources: RecordedResource[], phase: "create" | "destroy"): Estimate {
    const custom = resources.filter((r) => r.custom || r.remote);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, RecordedResource[]>();
    for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    // Waiting on a component is waiting on everything under it.
    const leaves = (urn: string): string[] => {
        const r = byUrn.get(urn);
        if (!r) return [];
        if (r.custom || r.remote) return [urn];
        return (children.get(urn) ?? []).flatMap((c) => leaves(c.urn));
    };
    const weight = (r: RecordedResource) => TYPICAL.find((t) => t.type === r.type)?.[phase] ?? OTHER[phase];
    // A resource waits on its dependencies and on its provider (a provider reference is `urn::id`).
    const providerOf = (r: RecordedResource) => (r.provider ? [r.provider.slice(0, r.provider.lastIndexOf("::"))] : []);
    const after = new Map<string, string[]>(custom.map((r) => [r.urn, [...new Set([...r.dependencies, ...providerOf(r)].flatMap(leaves))].filter((u) => u !== r.urn)]));
    // Deleting runs the same edges backwards; the longest path is the same set, so one pass serves both.
    const memo = new Map<string, Estimate>();
    const longest = (urn: string, seen: Set<string>): Estimate => {
        const known = memo.get(urn);
        if (known) return known;
        if (seen.has(urn)) throw new Error(`a dependency cycle through ${urn}`);
        seen.add(urn);
        const r = byUrn.get(urn)!;
        let best: Estimate = { seconds: 0, chain: [] };
        for (const dep of after.get(urn) ?? []) {
            const e = longest(dep, seen);
            if (e.seconds > best.seconds) best = e;
        }
        seen.delete(urn);
        const slow = TYPICAL.find((t) => t.type === r.type);
        const result = { seconds: best.seconds + weight(r), chain: slow ? [...best.chain, slow.what] : best.chain };
        memo.set(urn, result);
        return result;
    };
    let overall: Estimate = { seconds: 0, chain: [] };
    for (const r of custom) {
        const e = longest(r.urn, new Set());
        if (e.seconds > overall.seconds) overall = e;
    }
    return overall;
}

/** Minutes, rounded up to the next 5. */
export const roundedMinutes = (seconds: number) => Math.ceil(seconds / 300) * 5;
