// Its own module: kubernetes-models is a devDependency, and no public declaration may reach its types.
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import type { ILimitRange } from "kubernetes-models/v1/LimitRange";
import type { IService } from "kubernetes-models/v1/Service";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { LongTermMetricsConfig } from "../config/types";
import { OBJSTORE_SECRET, THANOS_COMPACTOR_SERVICE_ACCOUNT, THANOS_QUERY_SERVICE_ACCOUNT, THANOS_STORE_SERVICE_ACCOUNT } from "./names";

/** Where and how the Thanos components run. */
export interface ThanosObjectsArgs {
    /** Thanos's own namespace. */
    namespace: string;
    /** The Prometheus stack's namespace: its sidecar, and Grafana. */
    monitoringNamespace: string;
    /** The pinned Thanos image. */
    image: string;
    /** The encrypted gp3 class, for the store's cache and the compactor's scratch space. */
    storageClassName: string;
    thanos: LongTermMetricsConfig["thanos"];
}

const GRPC = 10901;
const HTTP = 10902;
const CONFIG_FILE = `/etc/thanos/${OBJSTORE_SECRET.key}`;
const labels = (component: string) => ({ "app.kubernetes.io/name": "thanos", "app.kubernetes.io/component": component, "app.kubernetes.io/managed-by": "envstack" });

/** A Thanos container: non-root, read-only root, no privileges, its requests set. */
function container(component: string, image: string, args: string[], cpu: string, memory: string, mounts: { name: string; mountPath: string }[]): IContainer {
    return {
        name: component,
        image,
        args,
        ports: [
            { name: "grpc", containerPort: GRPC },
            { name: "http", containerPort: HTTP },
        ],
        readinessProbe: { httpGet: { path: "/-/ready", port: "http" } },
        livenessProbe: { httpGet: { path: "/-/healthy", port: "http" } },
        resources: { requests: { cpu, memory }, limits: { memory } },
        securityContext: { runAsNonRoot: true, runAsUser: 1001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
        volumeMounts: mounts,
    };
}

const objstoreVolume = { name: "objstore", secret: { secretName: OBJSTORE_SECRET.name } };
const objstoreMount = { name: "objstore", mountPath: "/etc/thanos", readOnly: true };
const dataVolume = (storageClassName: string, gib: number) => [{ metadata: { name: "data" }, spec: { storageClassName, accessModes: ["ReadWriteOnce" as const], resources: { requests: { storage: `${gib}Gi` } } } }];

/** A StatefulSet of one Thanos component reading the bucket, with a data volume. */
function statefulSet(args: ThanosObjectsArgs, component: string, serviceAccount: string, replicas: number, containerArgs: string[], cpu: string, memory: string, gib: number): IStatefulSet {
    return {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: `thanos-${component}`, namespace: args.namespace, labels: labels(component) },
        spec: {
            replicas,
            serviceName: `thanos-${component}`,
            selector: { matchLabels: labels(component) },
            template: {
                metadata: { labels: labels(component) },
                spec: {
                    serviceAccountName: serviceAccount,
                    securityContext: { fsGroup: 1001, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [container(component, args.image, containerArgs, cpu, memory, [objstoreMount, { name: "data", mountPath: "/var/thanos" }])],
                    volumes: [objstoreVolume],
                },
            },
            volumeClaimTemplates: dataVolume(args.storageClassName, gib),
        },
    };
}

/** The Thanos objects: the store gateway, the compactor (one, ever: two would corrupt the bucket) and Query, with their services. */
export function thanosObjects(args: ThanosObjectsArgs): (IDeployment | IStatefulSet | IService | IServiceAccount)[] {
    const ns = args.namespace;
    const account = (name: string): IServiceAccount => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: ns, labels: labels(name) } });
    const service = (component: string, port: number, portName: string): IService => ({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: `thanos-${component}`, namespace: ns, labels: labels(component) },
        spec: { type: "ClusterIP", selector: labels(component), ports: [{ name: portName, port, targetPort: portName }] },
    });
    const common = [`--objstore.config-file=${CONFIG_FILE}`, `--grpc-address=0.0.0.0:${GRPC}`, `--http-address=0.0.0.0:${HTTP}`];
    const query: IDeployment = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "thanos-query", namespace: ns, labels: labels("query") },
        spec: {
            replicas: args.thanos.replicas,
            selector: { matchLabels: labels("query") },
            template: {
                metadata: { labels: labels("query") },
                spec: {
                    serviceAccountName: THANOS_QUERY_SERVICE_ACCOUNT,
                    automountServiceAccountToken: false,
                    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [
                        container(
                            "query",
                            args.image,
                            [
                                "query",
                                `--grpc-address=0.0.0.0:${GRPC}`,
                                `--http-address=0.0.0.0:${HTTP}`,
                                // The sidecar (recent data) through the chart's discovery service, and the store gateway (the bucket).
                                `--endpoint=dnssrv+_grpc._tcp.kps-thanos-discovery.${args.monitoringNamespace}.svc.cluster.local`,
                                `--endpoint=dnssrv+_grpc._tcp.thanos-store.${ns}.svc.cluster.local`,
                                "--query.replica-label=prometheus_replica",
                            ],
                            "100m",
                            "512Mi",
                            [],
                        ),
                    ],
                },
            },
        },
    };
    return [
        account(THANOS_QUERY_SERVICE_ACCOUNT),
        account(THANOS_STORE_SERVICE_ACCOUNT),
        account(THANOS_COMPACTOR_SERVICE_ACCOUNT),
        statefulSet(args, "store", THANOS_STORE_SERVICE_ACCOUNT, args.thanos.replicas, ["store", "--data-dir=/var/thanos/store", ...common], "100m", "1Gi", 20),
        statefulSet(
            args,
            "compactor",
            THANOS_COMPACTOR_SERVICE_ACCOUNT,
            1,
            [
                "compact",
                "--wait",
                "--data-dir=/var/thanos/compact",
                ...common,
                `--retention.resolution-raw=${args.thanos.retentionRaw}`,
                `--retention.resolution-5m=${args.thanos.retention5m}`,
                `--retention.resolution-1h=${args.thanos.retention1h}`,
            ],
            "200m",
            "1Gi",
            50,
        ),
        service("store", GRPC, "grpc"),
        query,
        service("query", HTTP, "http"),
    ];
}

/** What the Thanos pods ask of the monitoring namespace's quota: CPU, memory, storage, pods and claims. */
export function thanosAllowance(thanos: LongTermMetricsConfig["thanos"]) {
    const replicas = thanos.replicas;
    return { cpu: 0.1 * replicas + 0.1 * replicas + 0.2, memoryGiB: 0.5 * replicas + 1 * replicas + 1, storageGiB: 20 * replicas + 50, pods: 2 * replicas + 1, claims: replicas + 1 };
}

/** Thanos's namespace, at the restricted Pod Security level. */
export function thanosNamespace(name: string): INamespace {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "pod-security.kubernetes.io/enforce": "restricted", "app.kubernetes.io/part-of": "envstack" } } };
}

/** Its quota and container defaults, sized from the same figures as its pods. */
export function thanosFence(namespace: string, thanos: LongTermMetricsConfig["thanos"]): [IResourceQuota, ILimitRange] {
    const a = thanosAllowance(thanos);
    // Twice over, for a rolling update.
    return [
        {
            apiVersion: "v1",
            kind: "ResourceQuota",
            metadata: { name: "thanos", namespace },
            spec: { hard: { "requests.cpu": `${Math.ceil(a.cpu * 2000)}m`, "requests.memory": `${Math.ceil(a.memoryGiB * 2 * 1024)}Mi`, "requests.storage": `${a.storageGiB}Gi`, pods: String(2 * a.pods), persistentvolumeclaims: String(a.claims), "services.loadbalancers": "0", "services.nodeports": "0" } },
        },
        { apiVersion: "v1", kind: "LimitRange", metadata: { name: "thanos", namespace }, spec: { limits: [{ type: "Container", defaultRequest: { cpu: "50m", memory: "64Mi" } }] } },
    ];
}

/**
 * The Thanos paths, and nothing else: in Thanos's namespace, Query takes Grafana's queries on HTTP
 * and reaches the store gateway on gRPC; in the monitoring namespace, which admits only itself,
 * Prometheus's sidecar takes Query's gRPC calls.
 */
export function thanosNetworkPolicies(namespace: string, monitoringNamespace: string): INetworkPolicy[] {
    const inNs = (ns: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
    const policy = (ns: string, name: string, spec: INetworkPolicy["spec"]): INetworkPolicy => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: ns, labels: { "app.kubernetes.io/managed-by": "envstack" } }, spec });
    return [
        policy(namespace, "default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] }),
        policy(namespace, "grafana-to-query", {
            podSelector: { matchLabels: labels("query") },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ ...inNs(monitoringNamespace), podSelector: { matchLabels: { "app.kubernetes.io/name": "grafana" } } }], ports: [{ protocol: "TCP", port: HTTP }] }],
        }),
        policy(namespace, "query-to-store", {
            podSelector: { matchLabels: labels("store") },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchLabels: labels("query") } }], ports: [{ protocol: "TCP", port: GRPC }] }],
        }),
        policy(monitoringNamespace, "thanos-query-to-sidecar", {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ ...inNs(namespace), podSelector: { matchLabels: labels("query") } }], ports: [{ protocol: "TCP", port: GRPC }] }],
        }),
    ];
}
