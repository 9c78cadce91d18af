// Its own module: kubernetes-models is a devDependency, and no public declaration may reach its types.
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { MONITORING_NAMESPACE } from "../shared/naming";

/** The monitoring namespace admits traffic from itself only: Grafana, Prometheus and Alertmanager talk among themselves; teams reach none of them. */
export function monitoringNetworkPolicies(): INetworkPolicy[] {
    const policy = (name: string, spec: INetworkPolicy["spec"]): INetworkPolicy => ({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name, namespace: MONITORING_NAMESPACE, labels: { "app.kubernetes.io/managed-by": "envstack" } },
        spec,
    });
    return [
        policy("default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] }),
        policy("allow-same-namespace", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }] }] }),
    ];
}
