import { z } from "zod";
import { CLOUDWATCH_RETENTION_DAYS } from "../shared/aws";
import type { EnvironmentConfig } from "./types";
import { CAPACITY_TYPES, FLOW_LOG_TRAFFIC, NAT_STRATEGIES, TAINT_EFFECTS, TIERS } from "./types";
import { ADDON_VERSION_PATTERN, EKS_ADDONS, KUBERNETES_VERSION_PATTERN } from "./versions";

/**
 * The shape of a resolved config: types, enums, ranges and formats of single fields.
 * Checks that relate several fields (AZs against the region, subnets against the CIDR,
 * min/max/desired) live in `checks.ts`, which runs even when this schema finds problems,
 * so that every problem is reported in one go.
 */

const retentionDays = z
    .number()
    .refine((v) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(v), {
        message: `allowed: one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")} (days CloudWatch accepts; 0 "never expire" is not allowed)`,
    });

const count = z.number().int().nonnegative();
const dnsLabel = z
    .string({ error: "the environment name, a DNS label like acme-dev" })
    .regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, "allowed: lowercase letters, digits and '-', 1 to 40 characters, starting and ending alphanumeric");
const subnetMask = z.number().int().min(16).max(28);
const stringMap = z.record(z.string(), z.string());

const taint = z.strictObject({
    key: z.string().min(1),
    value: z.string().optional(),
    effect: z.enum(TAINT_EFFECTS),
});

const sizes = {
    instanceTypes: z.array(z.string()).min(1),
    minSize: count,
    maxSize: z.number().int().positive(),
    desiredSize: count,
    diskSizeGiB: z.number().int().min(20).max(16384).default(50),
};

const nodeGroup = z.strictObject({
    name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/, "allowed: lowercase letters, digits and '-', 1 to 32 characters"),
    capacityType: z.enum(CAPACITY_TYPES),
    ...sizes,
    labels: stringMap.default({}),
    taints: z.array(taint).default([]),
});

const addonVersion = z.string().regex(ADDON_VERSION_PATTERN, "allowed: an exact EKS add-on version like v1.20.1-eksbuild.3");

const versions = z.strictObject({
    kubernetes: z.record(
        z.string().regex(KUBERNETES_VERSION_PATTERN, "allowed: a Kubernetes minor version like 1.35"),
        z.strictObject({ addons: z.strictObject(Object.fromEntries(EKS_ADDONS.map((a) => [a, addonVersion])) as Record<(typeof EKS_ADDONS)[number], typeof addonVersion>) }),
    ),
    nodeAmiTypes: z.strictObject({
        x86_64: z.string().regex(/^AL2023_x86_64_/, "allowed: an AL2023 x86_64 AMI type"),
        arm64: z.string().regex(/^AL2023_ARM_64_/, "allowed: an AL2023 arm64 AMI type"),
    }),
});

export const environmentSchema = z.strictObject({
    name: dnsLabel,
    tier: z.enum(TIERS),
    region: z.string({ error: "an AWS region like eu-west-1 (config key aws:region)" }),
    accountId: z.string({ error: "the 12-digit AWS account id, as a quoted string" }),
    owner: z.string({ error: "the accountable team, e.g. platform-team" }).min(1),
    tags: stringMap.default({}),
    protect: z.boolean(),
    kms: z.strictObject({ deletionWindowInDays: z.number().int().min(7).max(30) }),
    network: z.strictObject({
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
    }),
    cluster: z.strictObject({
        kubernetesVersion: z.string({ error: "a Kubernetes minor version from the version map, e.g. \"1.35\"" }),
        endpoint: z.strictObject({
            publicAccess: z.boolean(),
            publicAccessCidrs: z.array(z.string()),
        }),
        adminRoleArns: z.array(z.string(), { error: "a list of IAM role ARNs for cluster admins" }),
        logRetentionInDays: retentionDays,
        systemNodeGroup: z.strictObject(sizes),
        nodeGroups: z.array(nodeGroup),
        deletionProtection: z.boolean(),
    }),
    versions,
});

// Compile-time proof that the schema and the documented interfaces agree.
type SchemaOutput = z.output<typeof environmentSchema>;
const _agree: (c: SchemaOutput) => EnvironmentConfig = (c) => c;
const _agreeBack: (c: EnvironmentConfig) => SchemaOutput = (c) => c;
void _agree;
void _agreeBack;
