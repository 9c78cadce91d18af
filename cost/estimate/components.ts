import type { PolicyResource } from "@pulumi/policy";

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

/** Remote components and the children that realize what they stand for in a real deployment: the child is priced, not both. */
const REALIZED_BY: Record<string, string[]> = {
    "awsx:ec2:Vpc": ["aws:ec2/natGateway:NatGateway"],
    "eks:index:Cluster": ["aws:eks/cluster:Cluster", "eks:index:NodeGroup", "eks:index:NodeGroupV2", "aws:autoscaling/group:Group"],
    "eks:index:ManagedNodeGroup": ["aws:eks/nodeGroup:NodeGroup"],
    "eks:index:NodeGroup": ["aws:autoscaling/group:Group"],
    "eks:index:NodeGroupV2": ["aws:autoscaling/group:Group"],
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

/**
 * Whether a pricer's item on `r` is realized by a child the plan also shows (a real preview
 * shows a remote component's children; the offline plan does not). `types` narrows which
 * children count: the control plane is realized by the cluster, the default group by its nodes.
 */
export function realizedByChild(r: PolicyResource, below: Map<string, Set<string>>, types: string[] = REALIZED_BY[r.type] ?? []): boolean {
    const children = below.get(r.urn);
    return children !== undefined && types.some((t) => children.has(t));
}

export { REALIZED_BY };
