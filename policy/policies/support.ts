import type {
    EnforcementLevel,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
} from "@pulumi/policy";

import { declaresKubernetesObjects, KubeObject, kubernetesObjects } from "./kubernetes";

/**
 * Helpers shared by the guardrails. Policies match on Pulumi type tokens rather than on
 * `@pulumi/aws` classes, so the pack loads without the AWS SDK and checks any program's
 * resources, including remote components whose classes a team may not have installed.
 */

export type Props = Record<string, any>;
export type Check = (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void;

/**
 * Every guardrail states its level, severity, why it exists (the attack or accident it stops,
 * for the generated docs) and how to fix a violation.
 */
type Described = { enforcementLevel: EnforcementLevel; severity: Severity; remediationSteps: string; why?: string };
export type GuardrailResourcePolicy = ResourceValidationPolicy & Described;
export type GuardrailStackPolicy = StackValidationPolicy & Described;
export type Guardrail = GuardrailResourcePolicy | GuardrailStackPolicy;

/**
 * A validation that says which resource types it can report on. CrossGuard calls every validation
 * for every resource, and this one returns at once for other types; the offline engine reads
 * `appliesTo` and does not call it for them. Only the helpers below set it, from the same table
 * they dispatch on, so it cannot disagree with what the validation does.
 */
export type TypedValidation = ResourceValidation & { appliesTo?: (type: string) => boolean };

export function onlyFor(appliesTo: (type: string) => boolean, validate: ResourceValidation): TypedValidation {
    return Object.assign(validate, { appliesTo });
}

/** Whether a validation may report on a resource of `type`: false only when it says so. */
export const mayApply = (validate: ResourceValidation, type: string) => (validate as TypedValidation).appliesTo?.(type) !== false;

/** Runs the check registered for the resource's type, if any. */
export function byType(checks: Record<string, Check>): TypedValidation {
    return onlyFor(
        (type) => Object.hasOwn(checks, type),
        (args, report) => checks[args.type]?.(args.props, args, report),
    );
}

/**
 * Runs `check` on every Kubernetes object a resource declares: a typed resource, its server-side
 * patch, or each object inside a `yaml/v2` ConfigGroup or ConfigFile. The same check then holds
 * however a program declared the object.
 */
export function byKubernetesObject(check: (o: KubeObject, args: ResourceValidationArgs, report: ReportViolation) => void): TypedValidation {
    return onlyFor(declaresKubernetesObjects, (args, report) => {
        for (const o of kubernetesObjects(args.type, args.props)) check(o, args, report);
    });
}

/** The same check for several types. */
export function forEach(types: readonly string[], check: Check): Record<string, Check> {
    return Object.fromEntries(types.map((t) => [t, check]));
}

/** The type tokens the guardrails know. */
export const T = {
    eksCluster: "aws:eks/cluster:Cluster",
    eksClusterComponent: "eks:index:Cluster",
    managedNodeGroupComponent: "eks:index:ManagedNodeGroup",
    eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
    autoscalingGroup: "aws:autoscaling/group:Group",
    vpcComponent: "awsx:ec2:Vpc",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    instance: "aws:ec2/instance:Instance",
    ebsVolume: "aws:ebs/volume:Volume",
    efsFileSystem: "aws:efs/fileSystem:FileSystem",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    sqsQueue: "aws:sqs/queue:Queue",
    snsTopic: "aws:sns/topic:Topic",
    s3Buckets: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    s3Encryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    s3PublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    kmsKey: "aws:kms/key:Key",
    namespace: "kubernetes:core/v1:Namespace",
    resourceQuota: "kubernetes:core/v1:ResourceQuota",
    limitRange: "kubernetes:core/v1:LimitRange",
    persistentVolume: "kubernetes:core/v1:PersistentVolume",
    persistentVolumeClaim: "kubernetes:core/v1:PersistentVolumeClaim",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
    nodePool: "kubernetes:karpenter.sh/v1:NodePool",
    ec2NodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
} as const;

/** `value` as a list (props may hold one value or several). */
export function list<T>(value: T | T[] | undefined | null): T[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
}
