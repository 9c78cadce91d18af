/** Service accounts of the Prometheus stack, named in its values so their Pod Identity associations match. */

/** Prometheus's (kube-prometheus-stack with fullnameOverride kps): it remote-writes, and its Thanos sidecar uploads. */
export const PROMETHEUS_SERVICE_ACCOUNT = "kps-prometheus";
/** Grafana's: it queries AMP. */
export const GRAFANA_SERVICE_ACCOUNT = "grafana";
/** The Thanos store gateway's. */
export const THANOS_STORE_SERVICE_ACCOUNT = "thanos-store";
/** The Thanos compactor's. */
export const THANOS_COMPACTOR_SERVICE_ACCOUNT = "thanos-compactor";
/** The Secret holding the Thanos object-store config, and its key. */
export const OBJSTORE_SECRET = { name: "thanos-objstore", key: "objstore.yml" };
/** Thanos Query's (it needs no AWS access and no API token). */
export const THANOS_QUERY_SERVICE_ACCOUNT = "thanos-query";
