import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";

/**
 * A NetworkPolicy evaluator for tests, after the Kubernetes semantics: a pod is isolated for a
 * direction once any policy of its namespace selects it for that direction, and then only what
 * some selecting policy allows gets through. A connection needs the source's egress and the
 * destination's ingress. Only the selector forms envstack uses are supported; others throw.
 */

export interface Peer {
    /** Undefined for an address outside the cluster. */
    namespace?: string;
    namespaceLabels?: Record<string, string>;
    podLabels?: Record<string, string>;
}

export interface Connection {
    from: Peer;
    to: Peer;
    port: number;
    protocol?: "TCP" | "UDP";
}

/** A pod of namespace `namespace` with the labels every namespace gets from Kubernetes. */
export function pod(namespace: string, podLabels: Record<string, string> = { app: "web" }, namespaceLabels: Record<string, string> = {}): Peer {
    return { namespace, namespaceLabels: { "kubernetes.io/metadata.name": namespace, ...namespaceLabels }, podLabels };
}

export const OUTSIDE: Peer = {};

export function isAllowed(policies: readonly INetworkPolicy[], c: Connection): boolean {
    const inNamespace = (ns: string | undefined) => policies.filter((p) => p.metadata?.namespace === ns);
    const egressOk = c.from.namespace === undefined || directionAllows(inNamespace(c.from.namespace), "Egress", c.from, c.to, c);
    const ingressOk = c.to.namespace === undefined || directionAllows(inNamespace(c.to.namespace), "Ingress", c.to, c.from, c);
    return egressOk && ingressOk;
}

function directionAllows(policies: INetworkPolicy[], direction: "Ingress" | "Egress", self: Peer, other: Peer, c: Connection): boolean {
    const selecting = policies.filter((p) => types(p).includes(direction) && matches(p.spec?.podSelector, self.podLabels));
    if (selecting.length === 0) return true;
    return selecting.some((p) => {
        const namespace = p.metadata!.namespace!;
        const rules = direction === "Ingress" ? (p.spec?.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (p.spec?.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
        return rules.some((rule) => peersMatch(rule.peers, namespace, other) && portsMatch(rule.ports, c));
    });
}

function types(p: INetworkPolicy): string[] {
    return p.spec?.policyTypes ?? ["Ingress", ...(p.spec?.egress ? ["Egress"] : [])];
}

function peersMatch(peers: INetworkPolicyPeer[] | undefined, policyNamespace: string, other: Peer): boolean {
    if (!peers || peers.length === 0) return true;
    return peers.some((peer) => {
        if (peer.ipBlock) throw new Error("ipBlock peers are not supported by this evaluator");
        if (other.namespace === undefined) return false;
        const namespaceOk = peer.namespaceSelector ? matches(peer.namespaceSelector, other.namespaceLabels) : other.namespace === policyNamespace;
        const podOk = peer.podSelector ? matches(peer.podSelector, other.podLabels) : true;
        return namespaceOk && podOk;
    });
}

function portsMatch(ports: INetworkPolicyPort[] | undefined, c: Connection): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => (p.protocol ?? "TCP") === (c.protocol ?? "TCP") && (p.port === undefined || p.port === c.port));
}

function matches(selector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined, labels: Record<string, string> = {}): boolean {
    if (selector?.matchExpressions?.length) throw new Error("matchExpressions are not supported by this evaluator");
    return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}
