// Its own module: kubernetes-models is a devDependency, and no public declaration may reach its types.
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { ILimitRange } from "kubernetes-models/v1/LimitRange";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IResourceQuota } from "kubernetes-models/v1/ResourceQuota";

/** The `argocd` namespace and its fence: Pod Security, a quota, container defaults, and network policies. */

const MANAGED = { "app.kubernetes.io/managed-by": "envstack" };

/** Argo CD's namespace: baseline enforced (its chart's pods run as non-root), restricted warned. */
export function argoCdNamespace(name: string): INamespace {
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name, labels: { ...MANAGED, "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted" } },
    };
}

/** A quota sized for the HA or single set of Argo CD's pods, twice over for rolling updates. */
export function argoCdFence(namespace: string, ha: boolean): [IResourceQuota, ILimitRange] {
    const pods = ha ? 16 : 8;
    return [
        {
            apiVersion: "v1",
            kind: "ResourceQuota",
            metadata: { name: "argocd", namespace, labels: MANAGED },
            spec: { hard: { "requests.cpu": ha ? "6" : "3", "requests.memory": ha ? "12Gi" : "6Gi", "requests.storage": "0", pods: String(2 * pods), persistentvolumeclaims: "0", "services.loadbalancers": "0", "services.nodeports": "0" } },
        },
        { apiVersion: "v1", kind: "LimitRange", metadata: { name: "argocd", namespace, labels: MANAGED }, spec: { limits: [{ type: "Container", defaultRequest: { cpu: "50m", memory: "64Mi" } }] } },
    ];
}

/**
 * Ingress to Argo CD only from itself (server, repo server, controller, Redis among themselves)
 * and Prometheus's scrapes of its metrics ports. The UI and API are reached through `kubectl
 * port-forward` by cluster admins, which no NetworkPolicy sees; no team pod reaches them.
 */
export function argoCdNetworkPolicies(namespace: string, monitoringNamespace: string): INetworkPolicy[] {
    const policy = (name: string, spec: INetworkPolicy["spec"]): INetworkPolicy => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace, labels: MANAGED }, spec });
    return [
        policy("default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] }),
        policy("allow-same-namespace", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }] }] }),
        policy("allow-prometheus-scrape", {
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [
                {
                    from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": monitoringNamespace } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }],
                    // The metrics ports of the controller, server, repo server and ApplicationSet controller.
                    ports: [8082, 8083, 8084, 8085].map((port) => ({ protocol: "TCP" as const, port })),
                },
            ],
        }),
    ];
}
