import { partitionOf } from "./aws";

/**
 * Names that several components must agree on. The key policy lets CloudWatch Logs use the
 * environment key only for log groups under these prefixes, so every log group envstack creates
 * takes its name from here.
 */
export const logGroupName = {
    /** EKS writes control-plane logs here; the name is fixed by EKS. */
    controlPlane: (cluster: string) => `/aws/eks/${cluster}/cluster`,
    /** VPC flow logs. */
    flowLogs: (cluster: string) => `/aws/vpc/${cluster}/flow-logs`,
    /** Container Insights and Fluent Bit write here; the names are fixed by the add-on. */
    containerInsights: (cluster: string, kind: string) => `/aws/containerinsights/${cluster}/${kind}`,
    /** The AMP workspace's logs: under the cluster's prefix, which the environment key lets CloudWatch Logs use. */
    amp: (cluster: string) => `/aws/eks/${cluster}/amp-workspace`,
};

/** The log group name prefixes of one environment. */
export function logGroupPrefixes(cluster: string): string[] {
    return [`/aws/eks/${cluster}/`, `/aws/vpc/${cluster}/`, `/aws/containerinsights/${cluster}/`];
}

/** `arn:<partition>:logs:<region>:<account>:log-group:<prefix>*`, for ArnLike conditions. */
export function logGroupArnPattern(region: string, accountId: string, prefix: string): string {
    return `arn:${partitionOf(region)}:logs:${region}:${accountId}:log-group:${prefix}*`;
}

/** Namespaces that envstack's own components use. */
export const MONITORING_NAMESPACE = "monitoring";
/** The CloudWatch agent and Fluent Bit (fixed by the add-on). */
export const CLOUDWATCH_NAMESPACE = "amazon-cloudwatch";

/** Where Thanos's store gateway, compactor and Query run, when Thanos is the long-term backend. */
export const THANOS_NAMESPACE = "thanos";
/** Where Argo CD runs. */
export const ARGOCD_NAMESPACE = "argocd";
/** Namespaces a team may not take: Kubernetes' own and those envstack and its add-ons use. */
export const RESERVED_NAMESPACES: readonly string[] = ["kube-system", "kube-public", "kube-node-lease", "default", MONITORING_NAMESPACE, CLOUDWATCH_NAMESPACE, "karpenter", THANOS_NAMESPACE, ARGOCD_NAMESPACE];

/** The namespace label naming the team; alerts and cost reports group by it. */
export const TEAM_LABEL = "envstack.io/team";

/** The Kubernetes group a team's IAM role is mapped to by its access entry. */
export const teamGroup = (team: string) => `envstack:team:${team}`;
