import { dnsSuffixOf, partitionOf } from "../shared/aws";
import { PolicyDocument, policyDocument } from "../shared/iam";

/**
 * The Karpenter controller's permissions, following upstream's controller policy for the pinned
 * version (v1.14 getting-started CloudFormation), split the same way because one document would
 * exceed IAM's 6,144-character limit. Launches and deletions are scoped to this cluster's tags,
 * discovery to this region, PassRole to the node role, the queue to this queue. envstack adds one
 * policy: use of the environment key by EC2 for the encrypted root volumes it launches.
 */

export interface ControllerPolicyContext {
    /** The EKS cluster's name; instances and templates are scoped by its tag. */
    clusterName: string;
    /** AWS region; actions are limited to it. */
    region: string;
    /** The account the resources are in. */
    accountId: string;
    /** The role Karpenter nodes run as: the only role it may pass. */
    nodeRoleArn: string;
    /** The interruption queue it reads. */
    queueArn: string;
    /** The environment key, for node volumes. */
    kmsKeyArn: string;
}

/** The names of the controller's policies, as upstream splits them. */
export type ControllerPolicyName = "node-lifecycle" | "iam-integration" | "eks-integration" | "interruption" | "resource-discovery" | "zonal-shift" | "node-volume-kms";

/** The controller's IAM policies, each least-privilege for one concern. */
export function controllerPolicies(ctx: ControllerPolicyContext): Record<ControllerPolicyName, PolicyDocument> {
    const p = partitionOf(ctx.region);
    const ec2 = (type: string) => `arn:${p}:ec2:${ctx.region}:*:${type}/*`;
    const clusterTag = `kubernetes.io/cluster/${ctx.clusterName}`;
    const clusterArn = `arn:${p}:eks:${ctx.region}:${ctx.accountId}:cluster/${ctx.clusterName}`;
    const instanceProfiles = `arn:${p}:iam::${ctx.accountId}:instance-profile/*`;
    const launched = ["fleet", "instance", "volume", "network-interface", "launch-template", "spot-instances-request"].map(ec2);
    const requestTags = { [`aws:RequestTag/${clusterTag}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": ctx.clusterName };
    const ownedByPool = { StringEquals: { [`aws:ResourceTag/${clusterTag}`]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } };

    return {
        "node-lifecycle": policyDocument(
            {
                Sid: "AllowScopedEC2InstanceAccessActions",
                Effect: "Allow",
                Resource: [
                    `arn:${p}:ec2:${ctx.region}::image/*`,
                    `arn:${p}:ec2:${ctx.region}::snapshot/*`,
                    ...["security-group", "subnet", "capacity-reservation", "placement-group"].map(ec2),
                ],
                Action: ["ec2:RunInstances", "ec2:CreateFleet"],
            },
            { Sid: "AllowScopedEC2LaunchTemplateAccessActions", Effect: "Allow", Resource: ec2("launch-template"), Action: ["ec2:RunInstances", "ec2:CreateFleet"], Condition: ownedByPool },
            {
                Sid: "AllowScopedEC2InstanceActionsWithTags",
                Effect: "Allow",
                Resource: launched,
                Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
                Condition: { StringEquals: requestTags, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
            },
            {
                Sid: "AllowScopedResourceCreationTagging",
                Effect: "Allow",
                Resource: launched,
                Action: "ec2:CreateTags",
                Condition: {
                    StringEquals: { ...requestTags, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] },
                    StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
                },
            },
            {
                Sid: "AllowScopedResourceTagging",
                Effect: "Allow",
                Resource: ec2("instance"),
                Action: "ec2:CreateTags",
                Condition: {
                    ...ownedByPool,
                    StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": ctx.clusterName },
                    "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
                },
            },
            { Sid: "AllowScopedDeletion", Effect: "Allow", Resource: [ec2("instance"), ec2("launch-template")], Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"], Condition: ownedByPool },
        ),
        "iam-integration": policyDocument(
            {
                Sid: "AllowPassingInstanceRole",
                Effect: "Allow",
                Resource: ctx.nodeRoleArn,
                Action: "iam:PassRole",
                Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
            },
            {
                Sid: "AllowScopedInstanceProfileCreationActions",
                Effect: "Allow",
                Resource: instanceProfiles,
                Action: ["iam:CreateInstanceProfile"],
                Condition: {
                    StringEquals: { ...requestTags, "aws:RequestTag/topology.kubernetes.io/region": ctx.region },
                    StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                },
            },
            {
                Sid: "AllowScopedInstanceProfileTagActions",
                Effect: "Allow",
                Resource: instanceProfiles,
                Action: ["iam:TagInstanceProfile"],
                Condition: {
                    StringEquals: {
                        [`aws:ResourceTag/${clusterTag}`]: "owned",
                        "aws:ResourceTag/topology.kubernetes.io/region": ctx.region,
                        ...requestTags,
                        "aws:RequestTag/topology.kubernetes.io/region": ctx.region,
                    },
                    StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                },
            },
            {
                Sid: "AllowScopedInstanceProfileActions",
                Effect: "Allow",
                Resource: instanceProfiles,
                Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
                Condition: {
                    StringEquals: { [`aws:ResourceTag/${clusterTag}`]: "owned", "aws:ResourceTag/topology.kubernetes.io/region": ctx.region },
                    StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
                },
            },
        ),
        "eks-integration": policyDocument({ Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Resource: clusterArn, Action: "eks:DescribeCluster" }),
        interruption: policyDocument(
            {
                Sid: "AllowInterruptionQueueActions",
                Effect: "Allow",
                Resource: ctx.queueArn,
                Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
            },
            {
                // The queue is encrypted with the environment key: reading it decrypts, through SQS, for this queue only.
                Sid: "AllowInterruptionQueueDecryption",
                Effect: "Allow",
                Resource: ctx.kmsKeyArn,
                Action: "kms:Decrypt",
                Condition: { StringEquals: { "kms:ViaService": `sqs.${ctx.region}.${dnsSuffixOf(ctx.region)}`, "kms:EncryptionContext:aws:sqs:arn": ctx.queueArn } },
            },
        ),
        "resource-discovery": policyDocument(
            {
                Sid: "AllowRegionalReadActions",
                Effect: "Allow",
                Resource: "*",
                Action: [
                    "ec2:DescribeCapacityReservations",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstances",
                    "ec2:DescribeInstanceStatus",
                    "ec2:DescribeInstanceTypeOfferings",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplates",
                    "ec2:DescribePlacementGroups",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeSpotPriceHistory",
                    "ec2:DescribeSubnets",
                ],
                Condition: { StringEquals: { "aws:RequestedRegion": ctx.region } },
            },
            { Sid: "AllowSSMReadActions", Effect: "Allow", Resource: `arn:${p}:ssm:${ctx.region}::parameter/aws/service/*`, Action: "ssm:GetParameter" },
            { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
            { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Resource: "*", Action: "iam:ListInstanceProfiles" },
            { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Resource: instanceProfiles, Action: "iam:GetInstanceProfile" },
        ),
        "zonal-shift": policyDocument({
            Sid: "AllowZonalShiftStatusReadOnly",
            Effect: "Allow",
            Resource: "*",
            Action: ["arc-zonal-shift:GetManagedResource"],
            Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } },
        }),
        "node-volume-kms": policyDocument(
            {
                Sid: "AllowEncryptedNodeVolumesWithEnvironmentKey",
                Effect: "Allow",
                Resource: ctx.kmsKeyArn,
                Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
                Condition: { StringEquals: { "kms:ViaService": `ec2.${ctx.region}.${dnsSuffixOf(ctx.region)}` } },
            },
            {
                Sid: "AllowGrantsForNodeVolumes",
                Effect: "Allow",
                Resource: ctx.kmsKeyArn,
                Action: "kms:CreateGrant",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" }, StringEquals: { "kms:ViaService": `ec2.${ctx.region}.${dnsSuffixOf(ctx.region)}` } },
            },
        ),
    };
}
