import { z } from "zod";
import { CLOUDWATCH_RETENTION_DAYS } from "../shared/aws";
import type { EnvironmentConfig } from "./types";
import { ACCESS_MODES, CAPACITY_TYPES, CONSOLIDATION_POLICIES, EBS_VOLUME_TYPES, EFS_TRANSITIONS, FS_TYPES, RECLAIM_POLICIES, DISRUPTION_REASONS, FLOW_LOG_TRAFFIC, INSTANCE_CATEGORIES, NAT_STRATEGIES, NODE_ARCHITECTURES, POD_SECURITY_LEVELS, TAINT_EFFECTS, TEAM_EGRESS, TEAM_INGRESS, TEAM_SIZES, TIERS } from "./types";
import { EXTERNAL_DNS_POLICIES } from "./sections/platform";
import { LONG_TERM_BACKENDS } from "./sections/observability";
import { ADDON_VERSION_PATTERN, AMI_ALIAS_PATTERN, EKS_ADDONS, KUBERNETES_VERSION_PATTERN, SEMVER_PATTERN } from "./versions";
import { GPU_FAMILIES } from "./instanceTypes";
import { scheduleProblem } from "./schedule";
import { ABSOLUTE_PATH } from "./storageChecks";
import { accountId, dnsSubdomain, extraTags, labelKey, labelValue, nodeLabels, tagValue } from "./fields";

/**
 * The shape of a resolved config: types, enums, ranges and formats of single fields.
 * Checks that relate several fields (AZs against the region, subnets against the CIDR,
 * min/max/desired) live in `checks.ts`, which runs even when this schema finds problems,
 * so that every problem is reported in one go.
 */

export const retentionDays = z
    .number()
    .refine((v) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(v), {
        message: `allowed: one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")} (days CloudWatch accepts; 0 "never expire" is not allowed)`,
    });

const count = z.number().int().nonnegative();
/** The longest environment name whose derived AWS names (IAM roles, EventBridge rules, with Pulumi's suffix) fit AWS's limits. */
export const MAX_ENVIRONMENT_NAME = 22;
const dnsLabel = z
    .string({ error: "the environment name, a DNS label like acme-dev" })
    .regex(
        new RegExp(`^[a-z0-9]([a-z0-9-]{0,${MAX_ENVIRONMENT_NAME - 2}}[a-z0-9])?$`),
        `allowed: lowercase letters, digits and '-', 1 to ${MAX_ENVIRONMENT_NAME} characters, starting and ending alphanumeric (IAM role and EventBridge rule names are built from it, within AWS's 64-character limits)`,
    );
const subnetMask = z.number().int().min(16).max(28);
const taint = z.strictObject({
    key: labelKey,
    value: labelValue.optional(),
    effect: z.enum(TAINT_EFFECTS),
});

const sizes = {
    instanceTypes: z.array(z.string()).min(1),
    minSize: count,
    // What EKS allows in one managed node group.
    maxSize: z.number().int().positive().max(450, "allowed: at most 450, the most nodes EKS allows in one managed node group"),
    desiredSize: count,
    diskSizeGiB: z.number().int().min(20).max(16384).default(50),
};

export const nodeGroupSchema = z.strictObject({
    name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/, "allowed: lowercase letters, digits and '-', 1 to 32 characters"),
    capacityType: z.enum(CAPACITY_TYPES),
    ...sizes,
    labels: nodeLabels.default({}),
    taints: z.array(taint).default([]),
    accelerator: z.enum(["nvidia"]).optional(),
});

const addonVersion = z.string().regex(ADDON_VERSION_PATTERN, "allowed: an exact EKS add-on version like v1.20.1-eksbuild.3");

const semver = z.string().regex(SEMVER_PATTERN, "allowed: an exact version like 1.14.1 (never a range or latest)");
// A stack can point a chart at a mirror, but only over TLS or OCI, and only in a way the release reads.
const OCI_CHART = /^oci:\/\/[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/;
const ociChart = z.strictObject({
    chart: z.string().regex(OCI_CHART, "allowed: an oci:// chart reference like oci://public.ecr.aws/karpenter/karpenter (a mirror of it is fine)"),
    version: semver,
});
const repositoryChart = z
    .strictObject({
        chart: z.string().regex(/^([a-z0-9][a-z0-9-]*|oci:\/\/[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+)$/, "allowed: a chart name like kube-prometheus-stack with its repository, or an oci:// chart reference"),
        version: semver,
        repository: z.string().regex(/^https:\/\/[^\s]+$/, "allowed: an https:// chart repository").optional(),
    })
    .superRefine((c, ctx) => {
        const oci = c.chart.startsWith("oci://");
        if (oci && c.repository !== undefined) ctx.addIssue({ code: "custom", path: ["repository"], input: c.repository, message: "allowed: no repository with an oci:// chart, which names its registry itself" });
        if (!oci && c.repository === undefined) ctx.addIssue({ code: "custom", path: ["repository"], input: undefined, message: "allowed: the https:// repository the chart is in" });
    });

export const versionsSchema = z.strictObject({
    kubernetes: z.record(
        z.string().regex(KUBERNETES_VERSION_PATTERN, "allowed: a Kubernetes minor version like 1.35"),
        z.strictObject({
            addons: z.strictObject(Object.fromEntries(EKS_ADDONS.map((a) => [a, addonVersion])) as Record<(typeof EKS_ADDONS)[number], typeof addonVersion>),
            karpenterAmiAlias: z.string().regex(AMI_ALIAS_PATTERN, "allowed: a pinned AL2023 release like al2023@v20260903 (@latest drifts every node on each release)"),
            minKarpenterVersion: semver,
        }),
    ),
    nodeAmiTypes: z.strictObject({
        x86_64: z.string().regex(/^AL2023_x86_64_/, "allowed: an AL2023 x86_64 AMI type"),
        arm64: z.string().regex(/^AL2023_ARM_64_/, "allowed: an AL2023 arm64 AMI type"),
        nvidia: z.string().regex(/^AL2023_x86_64_NVIDIA$/, "allowed: AL2023_x86_64_NVIDIA (GPU node groups are x86_64)"),
    }),
    images: z.strictObject({
        thanos: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+:v\d+\.\d+\.\d+$/, "allowed: an image at an exact release tag, like quay.io/thanos/thanos:v0.42.4 (never latest)"),
    }),
    charts: z.strictObject({
        karpenter: ociChart,
        karpenterCrd: ociChart,
        kubePrometheusStack: repositoryChart,
        metricsServer: repositoryChart,
        awsLoadBalancerController: repositoryChart,
        externalDns: repositoryChart,
        externalSecrets: repositoryChart,
        nvidiaDevicePlugin: repositoryChart,
        dcgmExporter: repositoryChart,
        argoCd: repositoryChart,
    }),
});

const DURATION = "allowed: a duration like 30s, 5m or 720h";
const duration = z.string().regex(/^([0-9]+(s|m|h))+$/, DURATION);
/** Seconds in a Go-style duration like 1h30m. */
const durationSeconds = (d: string) => [...d.matchAll(/(\d+)(s|m|h)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * { s: 1, m: 60, h: 3600 }[unit as "s" | "m" | "h"], 0);
const durationOrNever = z.string().regex(/^(([0-9]+(s|m|h))+|Never)$/, `${DURATION}, or Never`);

const budgetSchema = z.strictObject({
    nodes: z.string().regex(/^((100|[0-9]{1,2})%|[0-9]+)$/, "allowed: a node count like 2, or a percentage like 10%"),
    schedule: z
        .string()
        .superRefine((value, ctx) => {
            const problem = scheduleProblem(value);
            if (problem) ctx.addIssue({ code: "custom", input: value, message: `allowed: a cron schedule in UTC like 0 8 * * mon-fri, or @daily; ${problem}` });
        })
        .optional(),
    duration: duration.optional(),
    reasons: z.array(z.enum(DISRUPTION_REASONS)).optional(),
});

export const karpenterConfigSchema = z.strictObject({
    enabled: z.boolean(),
    onDemandBaseCpu: count,
    maxCpu: z.number().int().positive(),
    maxMemoryGiB: z.number().int().positive(),
    spotPercentage: z.number().min(0).max(100),
    instanceCategories: z.array(z.enum(INSTANCE_CATEGORIES)).min(1),
    minInstanceGeneration: z.number().int().min(1).max(10),
    architectures: z.array(z.enum(NODE_ARCHITECTURES)).min(1),
    // Every node is replaced when it expires: a short lifetime churns the whole cluster.
    expireAfter: durationOrNever.refine((d) => d === "Never" || durationSeconds(d) >= 3600, { message: "allowed: at least 1h, or Never (nodes are replaced when they expire; less would churn every workload)" }),
    consolidationPolicy: z.enum(CONSOLIDATION_POLICIES),
    consolidateAfter: durationOrNever,
    budgets: z.array(budgetSchema),
    diskSizeGiB: z.number().int().min(20).max(16384),
    replicas: z.number().int().min(1).max(5),
    gpu: z.strictObject({
        enabled: z.boolean(),
        instanceFamilies: z.array(z.string().refine((f) => GPU_FAMILIES.includes(f), `allowed: NVIDIA families of envstack's catalogue: ${GPU_FAMILIES.join(", ")}`)).min(1),
        capacityTypes: z.array(z.enum(["on-demand", "spot"])).min(1),
        maxGpus: z.number().int().positive(),
        maxCpu: z.number().int().positive(),
        maxMemoryGiB: z.number().int().positive(),
        expireAfter: durationOrNever.refine((d) => d === "Never" || durationSeconds(d) >= 3600, { message: "allowed: at least 1h, or Never (a GPU job is killed when its node expires)" }),
        consolidateAfter: duration,
        budgets: z.array(budgetSchema),
        diskSizeGiB: z.number().int().min(50).max(16384),
    }),
});

export const staticVolumeSchema = z.strictObject({
    name: z.string(),
    namespace: z.string().optional().default(""),
    accessMode: z.enum(ACCESS_MODES),
    capacity: z.string(),
    efs: z.strictObject({ fileSystemId: z.string(), accessPointId: z.string().optional(), path: z.string().optional() }).optional(),
    ebs: z.strictObject({ volumeId: z.string(), availabilityZone: z.string(), fsType: z.enum(FS_TYPES).optional() }).optional(),
});

export const storageConfigSchema = z.strictObject({
    reclaimPolicy: z.enum(RECLAIM_POLICIES),
    gp3: z.strictObject({ fsType: z.enum(FS_TYPES), iops: z.number().int(), throughputMiBps: z.number().int() }),
    extraClasses: z.array(
        z.strictObject({
            name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "allowed: a DNS label"),
            type: z.enum(EBS_VOLUME_TYPES),
            iops: z.number().int().optional(),
            throughputMiBps: z.number().int().optional(),
            fsType: z.enum(FS_TYPES).optional(),
            reclaimPolicy: z.enum(RECLAIM_POLICIES).optional(),
        }),
    ),
    efs: z.strictObject({
        enabled: z.boolean(),
        transitionToIa: z.enum(EFS_TRANSITIONS),
        basePath: z.string().regex(ABSOLUTE_PATH, "allowed: an absolute path like /dynamic, with no .. segments"),
    }),
    // Static volumes are checked field by field in storageChecks.ts, which names the bad source.
    staticVolumes: z.array(staticVolumeSchema),
});

const gib = z.number().int().positive();
const quantity = z.string().regex(/^(\d+\.?\d*|\.\d+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, "allowed: a Kubernetes quantity like 500m or 2Gi");
export const alertReceiversSchema = z.strictObject({
    email: z.email({ error: "allowed: an email address like oncall@example.com" }).optional(),
    httpsEndpoint: z.string().regex(/^https:\/\/[^\s]+$/, "allowed: an https:// URL").optional(),
});
const promDuration = z.string().regex(/^[0-9]+(ms|s|m|h|d|w|y)$/, "allowed: a Prometheus duration like 15d or 720h");
export const observabilityConfigSchema = z.strictObject({
    containerInsights: z.strictObject({ enabled: z.boolean() }),
    prometheus: z.strictObject({
        enabled: z.boolean(),
        retention: z.string().regex(/^[0-9]+(ms|s|m|h|d|w|y)$/, "allowed: a Prometheus duration like 15d or 720h"),
        retentionSizeGB: gib,
        storageGiB: gib,
        cpu: quantity,
        memory: quantity,
        alertmanagerStorageGiB: gib,
        grafanaStorageGiB: gib,
    }),
    longTermMetrics: z.strictObject({
        backend: z.enum(LONG_TERM_BACKENDS),
        localRetention: promDuration,
        amp: z.strictObject({ capacity: z.number().int().min(100).max(100000), maxShards: z.number().int().min(1).max(1000), maxSamplesPerSend: z.number().int().min(100).max(10000) }),
        thanos: z.strictObject({
            retentionRaw: promDuration,
            retention5m: promDuration,
            retention1h: promDuration,
            noncurrentVersionDays: z.number().int().min(1).max(365),
            replicas: z.number().int().min(1).max(5),
        }),
    }),
    alerts: alertReceiversSchema,
});

// Names, ARNs, quantities and statements are checked in teamChecks.ts, which names the team.
// YAML reads `4` or `0` as numbers; quantities keep Kubernetes' text form.
const quantityText = z.union([z.string(), z.number()], { error: "allowed: a Kubernetes quantity like 500m or 2Gi" }).transform(String);
const teamQuota = z.strictObject({
    requestsCpu: quantityText.optional(),
    limitsCpu: quantityText.optional(),
    requestsMemory: quantityText.optional(),
    limitsMemory: quantityText.optional(),
    pods: count.optional(),
    services: count.optional(),
    persistentVolumeClaims: count.optional(),
    loadBalancers: count.optional(),
    gpus: count.optional(),
    requestsStorage: quantityText.optional(),
    storageByClass: z.record(z.string(), quantityText).optional(),
});
const teamLimits = z.strictObject({
    defaultCpu: quantityText.optional(),
    defaultMemory: quantityText.optional(),
    defaultRequestCpu: quantityText.optional(),
    defaultRequestMemory: quantityText.optional(),
    maxCpu: quantityText.optional(),
    maxMemory: quantityText.optional(),
});
export const teamSchema = z.strictObject({
    name: z.string({ error: "the team's namespace, a DNS label like payments" }),
    size: z.enum(TEAM_SIZES).default("small"),
    roleArn: z.string({ error: "the team's IAM role ARN, e.g. arn:aws:iam::111122223333:role/payments-developers" }),
    podSecurity: z.enum(POD_SECURITY_LEVELS).default("baseline"),
    egress: z.enum(TEAM_EGRESS).default("open"),
    ingress: z.enum(TEAM_INGRESS).default("internal"),
    alerts: alertReceiversSchema.default({}),
    quota: teamQuota.default({}),
    limits: teamLimits.default({}),
    clusterRoles: z.array(z.string()).default([]),
    serviceAccounts: z
        .array(
            z.strictObject({
                name: z.string(),
                statements: z.array(z.strictObject({ actions: z.array(z.string()).min(1), resources: z.array(z.string()).min(1) })).min(1),
            }),
        )
        .default([]),
    gitops: z
        .strictObject({
            repoURL: z.string().regex(/^(https:\/\/[^\s]+|git@[\w.-]+:[\w./-]+)$/, "allowed: the repository's https:// URL, or git@host:org/repo.git"),
            path: z.string().regex(/^[\w.-][\w./-]*$/, "allowed: a directory in the repository, like deploy/staging").default("."),
            targetRevision: z.string().regex(/^[\w./-]+$/, "allowed: a branch, tag or commit, like main or v1.2.0").default("main"),
        })
        .optional(),
});

export const networkConfigSchema = z.strictObject({
    cidr: z.string({ error: "the VPC IPv4 CIDR, e.g. 10.40.0.0/16" }),
    availabilityZones: z.array(z.string(), { error: "a list of at least 2 AZ names, e.g. [eu-west-1a, eu-west-1b]" }),
    natGateways: z.enum(NAT_STRATEGIES),
    subnetMasks: z.strictObject({ public: subnetMask, private: subnetMask, isolated: subnetMask }),
    isolatedSubnets: z.boolean(),
    flowLogs: z.strictObject({
        enabled: z.boolean(),
        retentionInDays: retentionDays,
        trafficType: z.enum(FLOW_LOG_TRAFFIC),
    }),
    existingVpc: z
        .strictObject({
            vpcId: z.string(),
            publicSubnetIds: z.array(z.string()).default([]),
            privateSubnetIds: z.array(z.string()),
            isolatedSubnetIds: z.array(z.string()).default([]),
            routeTableIds: z.array(z.string()).default([]),
        })
        .optional(),
});

export const clusterConfigSchema = z.strictObject({
    kubernetesVersion: z.string({ error: "a Kubernetes minor version from the version map, e.g. \"1.35\"" }),
    endpoint: z.strictObject({
        publicAccess: z.boolean(),
        publicAccessCidrs: z.array(z.string()),
    }),
    adminRoleArns: z.array(z.string(), { error: "a list of IAM role ARNs for cluster admins" }),
    logRetentionInDays: retentionDays,
    systemNodeGroup: z.strictObject({ ...sizes, capacityType: z.enum(CAPACITY_TYPES).optional() }),
    nodeGroups: z.array(nodeGroupSchema),
    deletionProtection: z.boolean(),
});

/** The platform add-ons envstack runs on the system nodes. */
const addonReplicas = z.number().int().min(1).max(5);
/** A Route 53 hosted zone id, like Z0123456789ABCDEFGHIJ. */
export const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
/** A hosted zone's ARN (global: no region or account). */
export const HOSTED_ZONE_ARN = /^arn:aws[a-z-]*:route53:::hostedzone\/(Z[A-Z0-9]{1,32})$/;
const hostedZone = z.strictObject({
    id: z.string().refine((v) => HOSTED_ZONE_ID.test(v) || HOSTED_ZONE_ARN.test(v), "allowed: a hosted zone id like Z0123456789ABCDEFGHIJ, or its ARN arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"),
    name: dnsSubdomain("the zone's domain name, like apps.example.com (no trailing dot)"),
});
export const platformConfigSchema = z.strictObject({
    metricsServer: z.strictObject({ enabled: z.boolean(), replicas: addonReplicas }),
    loadBalancerController: z.strictObject({ enabled: z.boolean(), replicas: addonReplicas }),
    externalDns: z.strictObject({ enabled: z.boolean(), zones: z.array(hostedZone).max(20, "allowed: at most 20 zones"), policy: z.enum(EXTERNAL_DNS_POLICIES) }),
    externalSecrets: z.strictObject({ enabled: z.boolean(), replicas: addonReplicas }),
});

/** Argo CD, for teams that deploy from Git. */
export const gitopsConfigSchema = z.strictObject({
    enabled: z.boolean(),
    ha: z.boolean(),
    sso: z
        .strictObject({
            issuer: z.string().regex(/^https:\/\/[^\s/]+(\/\S*)?$/, "allowed: the OIDC issuer's https:// URL"),
            clientId: z.string().min(1).max(256),
            clientSecretName: dnsSubdomain("the name of a Secret in the argocd namespace"),
        })
        .optional(),
});

/** Which EKS managed add-ons to install. */
export const addonSwitchesSchema = z.strictObject(Object.fromEntries(EKS_ADDONS.map((a) => [a, z.boolean()])) as Record<(typeof EKS_ADDONS)[number], z.ZodBoolean>);

export const environmentSchema = z.strictObject({
    name: dnsLabel,
    tier: z.enum(TIERS),
    region: z.string({ error: "an AWS region like eu-west-1 (config key aws:region)" }),
    accountId: z.string({ error: "the 12-digit AWS account id, as a quoted string" }).pipe(accountId),
    // The owner is a tag value on every resource.
    owner: tagValue.min(1, "allowed: the accountable team, e.g. platform-team"),
    tags: extraTags.default({}),
    protect: z.boolean(),
    kms: z.strictObject({ deletionWindowInDays: z.number().int().min(7).max(30) }),
    network: networkConfigSchema,
    cluster: clusterConfigSchema,
    karpenter: karpenterConfigSchema,
    storage: storageConfigSchema,
    observability: observabilityConfigSchema,
    platform: platformConfigSchema,
    gitops: gitopsConfigSchema,
    teams: z.array(teamSchema),
    teamOvercommitFactor: z.number().positive().max(10),
    addons: addonSwitchesSchema,
    versions: versionsSchema,
});

// Compile-time proof that the schema and the documented interfaces agree.
type SchemaOutput = z.output<typeof environmentSchema>;
const _agree: (c: SchemaOutput) => EnvironmentConfig = (c) => c;
const _agreeBack: (c: EnvironmentConfig) => SchemaOutput = (c) => c;
void _agree;
void _agreeBack;
