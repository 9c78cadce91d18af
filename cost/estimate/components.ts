import type { PolicyResource } from "@pulumi/policy";
import { REALIZED_BY as CAPACITY_REALIZED_BY } from "../../policy/policies/capacity";
import type { CostItem } from "./types";

/**
 * Which part of the environment a resource's cost belongs to: the nearest envstack component
 * above it, grouped as the estimate reports them; in any other program, the nearest component's
 * type name, or "stack" for resources at the top.
 */

const GROUPS: Record<string, string> = {
    Network: "network",
    Cluster: "cluster",
    Karpenter: "karpenter",
    Storage: "storage",
    Observability: "observability",
    LongTermMetrics: "observability",
    EnvironmentKey: "encryption",
    Team: "teams",
    TeamNetworkGuard: "teams",
    TeamSecrets: "teams",
    TeamGitOps: "teams",
    LoadBalancerController: "add-ons",
    ExternalDns: "add-ons",
    ExternalSecrets: "add-ons",
    MetricsServer: "add-ons",
    ArgoCd: "add-ons",
    GpuSupport: "add-ons",
};

const ENVSTACK = "envstack:index:";

/** Whether a group is one of envstack's own components'. */
export const isEnvstackGroup = (group: string) => Object.values(GROUPS).includes(group);

/** The component group of a resource. */
export function componentOf(r: PolicyResource): string {
    let firstComponent: string | undefined;
    for (let p: PolicyResource | undefined = r.parent; p; p = p.parent) {
        if (p.type.startsWith(ENVSTACK)) {
            const group = GROUPS[p.type.slice(ENVSTACK.length)];
            if (group) return group;
        }
        if (firstComponent === undefined && p.type !== "pulumi:pulumi:Stack" && !p.type.startsWith(ENVSTACK)) firstComponent = p.type.split(":").pop();
    }
    return firstComponent ?? "stack";
}

/**
 * Remote components and the children that realize what they stand for in a real deployment: the
 * capacity ceiling's, and what bills besides capacity (the VPC's NAT gateways, the cluster itself).
 * One of the two is priced, not both.
 */
const REALIZED_BY: Record<string, string[]> = {
    ...CAPACITY_REALIZED_BY,
    "awsx:ec2:Vpc": ["aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip"],
    "eks:index:Cluster": [...CAPACITY_REALIZED_BY["eks:index:Cluster"], "aws:eks/cluster:Cluster"],
};

/** The types each resource has below it, for finding remote components whose children the plan shows. */
export function descendantTypes(resources: PolicyResource[]): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const r of resources) {
        for (let p = r.parent; p; p = p.parent) {
            if (!out.has(p.urn)) out.set(p.urn, new Set());
            out.get(p.urn)!.add(r.type);
        }
    }
    return out;
}

const isBelow = (child: PolicyResource, ancestor: string) => {
    for (let p = child.parent; p; p = p.parent) if (p.urn === ancestor) return true;
    return false;
};

/**
 * The URNs whose items a real preview would count twice: a remote component priced from its
 * inputs, and the children that realize it (a real preview shows them; the offline plan does
 * not). The larger reading of the two counts, so a cheap child cannot hide a dear component.
 */
export function realizedTwice(resources: PolicyResource[], items: CostItem[]): Set<string> {
    const weight = (urns: Set<string>) => items.filter((i) => urns.has(i.urn)).reduce((n, i) => n + i.monthly.ceiling + i.monthly.expected, 0);
    const dropped = new Set<string>();
    for (const r of resources) {
        const types = REALIZED_BY[r.type];
        if (!types) continue;
        const children = new Set(resources.filter((c) => types.includes(c.type) && isBelow(c, r.urn)).map((c) => c.urn));
        if (children.size === 0) continue;
        if (weight(new Set([r.urn])) > weight(children)) for (const urn of children) dropped.add(urn);
        else dropped.add(r.urn);
    }
    return dropped;
}
