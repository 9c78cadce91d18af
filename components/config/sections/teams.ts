import type { AlertReceivers } from "./observability";

/** The teams section of a stack's config: namespaces, quotas, limits and Pod Identity roles. */

/** Team size presets (see `TEAM_PRESETS`). */
export const TEAM_SIZES = ["small", "medium", "large"] as const;
/** One of the team sizes. */
export type TeamSize = (typeof TEAM_SIZES)[number];
/** Pod Security admission levels a team namespace may enforce (privileged is not offered). */
export const POD_SECURITY_LEVELS = ["baseline", "restricted"] as const;
/** Whether a team namespace's egress is open or limited to DNS and the namespace. */
export const TEAM_EGRESS = ["open", "restricted"] as const;
/** Whether a team's load balancers and ingresses may face the internet. */
export const TEAM_INGRESS = ["internal", "public"] as const;

/** A team namespace's ResourceQuota. Quantities are Kubernetes quantities (`4`, `500m`, `16Gi`). */
export interface TeamQuota {
    /** CPU all pods may request together, e.g. `16`. */
    requestsCpu: string;
    /** CPU limits of all pods together. */
    limitsCpu: string;
    /** Memory all pods may request together, e.g. `32Gi`. */
    requestsMemory: string;
    /** Memory limits of all pods together. */
    limitsMemory: string;
    /** Most pods at once. */
    pods: number;
    /** Most Services. */
    services: number;
    /** Most PersistentVolumeClaims. */
    persistentVolumeClaims: number;
    /** Most Services of type LoadBalancer (and Ingresses). */
    loadBalancers: number;
    /** NVIDIA GPUs all pods may request together; 0 unless the team's config grants some. */
    gpus: number;
    /** Total storage all claims may request. */
    requestsStorage: string;
    /** Storage per StorageClass, e.g. { gp3: 200Gi, efs: 100Gi }. */
    storageByClass: Record<string, string>;
}

/** A team namespace's LimitRange for containers. */
export interface TeamLimits {
    /** CPU limit given to containers that state none. */
    defaultCpu: string;
    /** Memory limit given to containers that state none. */
    defaultMemory: string;
    /** CPU request given to containers that state none. */
    defaultRequestCpu: string;
    /** Memory request given to containers that state none. */
    defaultRequestMemory: string;
    /** The most CPU one container may ask for. */
    maxCpu: string;
    /** The most memory one container may ask for. */
    maxMemory: string;
}

/** One IAM permission of a team's Pod Identity role. Actions are explicit: no `*`. */
export interface TeamPolicyStatement {
    /** IAM actions, e.g. `s3:GetObject`. */
    actions: string[];
    /** ARNs the actions apply to, or `*` for actions without resource-level permissions. */
    resources: string[];
}

/** A service account of the team whose pods get this IAM role through Pod Identity. */
export interface TeamServiceAccount {
    /** The service account's name in the team's namespace. */
    name: string;
    /** What its pods may do in AWS (allow statements). */
    statements: TeamPolicyStatement[];
}

/** Where a team's applications come from: Argo CD syncs this directory of this repository into the team's namespace. */
export interface TeamGitOpsConfig {
    /** The repository, `https://` or `git@host:org/repo.git`. */
    repoURL: string;
    /** The directory in it (default the root). */
    path: string;
    /** The branch, tag or commit (default main). */
    targetRevision: string;
}

/** One team: a namespace, its quota and limits, isolation, and scoped access. */
export interface TeamConfig {
    /** Namespace name, a DNS-1123 label; not a reserved name. */
    name: string;
    /** Preset for the quota and limits. */
    size: TeamSize;
    /** The team's IAM role: an access entry with AmazonEKSEditPolicy on its namespace only. */
    roleArn: string;
    /** Pod Security admission level enforced; warn and audit are always `restricted`. */
    podSecurity: (typeof POD_SECURITY_LEVELS)[number];
    /** Whether egress is open (default) or limited to DNS and the namespace itself. */
    egress: (typeof TEAM_EGRESS)[number];
    /** Whether the team's LoadBalancer Services and Ingresses may face the internet (`public`) or must be internal (default); NodePorts never. */
    ingress: (typeof TEAM_INGRESS)[number];
    /** Where the alerts of the team's own rules go: its own encrypted topic, with these subscriptions. Without any, they are dropped, never sent to the platform's on-call. */
    alerts: AlertReceivers;
    /** Overrides of the preset's quota. */
    quota: Partial<TeamQuota>;
    /** Overrides of the preset's limits. */
    limits: Partial<TeamLimits>;
    /** ClusterRoles bound in the namespace on top of Edit, e.g. [view, admin]. */
    clusterRoles: string[];
    /** Pod Identity roles for the team's service accounts. */
    serviceAccounts: TeamServiceAccount[];
    /** The repository Argo CD deploys the team's applications from, when GitOps runs. */
    gitops?: TeamGitOpsConfig;
}
