import type { PolicyDocument } from "../../components/shared/iam";
import type { RecordedResource } from "../../plan/engine";

/**
 * The IAM policy of the identity that runs `pulumi up` (docs/deployer-policy.json), derived from
 * what the three stacks register, so a new kind of resource cannot be forgotten: the AWS services
 * it touches, in the environment's region only; IAM writes only on roles and policies named after
 * the environment; the service-linked roles EKS, EFS, Auto Scaling and Spot need; the Pulumi state
 * bucket. `ACCOUNT_ID`, `REGION`, `ENVIRONMENT` and `STATE_BUCKET` are placeholders the README's
 * `sed` fills in.
 */

/** The service each resource type (or remote component) is created through. */
const SERVICES: [RegExp, string[]][] = [
    [/^aws:(ec2|vpc)\//, ["ec2"]],
    [/^aws:eks\//, ["eks"]],
    [/^aws:efs\//, ["elasticfilesystem"]],
    [/^aws:cloudwatch\/logGroup:/, ["logs"]],
    [/^aws:cloudwatch\/event(Rule|Target):/, ["events"]],
    [/^aws:kms\//, ["kms"]],
    [/^aws:sns\//, ["sns"]],
    [/^aws:sqs\//, ["sqs"]],
    [/^aws:iam\//, []], // IAM has its own, scoped statement
    [/^awsx:ec2:Vpc$/, ["ec2"]],
    // The control plane's security groups and the node groups' launch templates are EC2.
    [/^eks:index:(Cluster|ManagedNodeGroup)$/, ["eks", "ec2"]],
    [/^(pulumi|kubernetes|random|envstack):/, []],
];

/** The services a set of resources needs; an AWS type with no entry above is an error. */
export function servicesFor(resources: RecordedResource[]): string[] {
    const services = new Set<string>();
    for (const type of new Set(resources.map((r) => r.type))) {
        const match = SERVICES.find(([pattern]) => pattern.test(type));
        if (!match) throw new Error(`the deployer policy does not know which AWS service creates ${type}: add it to tests/docs/deployer.ts`);
        for (const s of match[1]) services.add(s);
    }
    return [...services].sort();
}

const IAM_ROLE_ACTIONS = [
    "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole",
    "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy", "iam:ListRolePolicies",
    "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:PassRole",
];
const IAM_POLICY_ACTIONS = [
    "iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions",
    "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
];
/** Service-linked roles created on an account's first cluster, node group, file system or Spot launch. */
const SERVICE_LINKED = ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "autoscaling.amazonaws.com", "elasticfilesystem.amazonaws.com", "spot.amazonaws.com"];

export function deployerPolicy(resources: RecordedResource[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EnvironmentServicesInItsRegion",
                Effect: "Allow",
                Action: servicesFor(resources).map((s) => `${s}:*`),
                Resource: "*",
                Condition: { StringEquals: { "aws:RequestedRegion": "REGION" } },
            },
            {
                Sid: "EnvironmentRoles",
                Effect: "Allow",
                Action: IAM_ROLE_ACTIONS,
                Resource: "arn:aws:iam::ACCOUNT_ID:role/ENVIRONMENT-*",
            },
            {
                Sid: "EnvironmentPolicies",
                Effect: "Allow",
                Action: IAM_POLICY_ACTIONS,
                Resource: "arn:aws:iam::ACCOUNT_ID:policy/ENVIRONMENT-*",
            },
            {
                Sid: "ReadAwsManagedPolicies",
                Effect: "Allow",
                Action: ["iam:GetPolicy", "iam:GetPolicyVersion"],
                Resource: "arn:aws:iam::aws:policy/*",
            },
            {
                Sid: "ServiceLinkedRoles",
                Effect: "Allow",
                Action: "iam:CreateServiceLinkedRole",
                Resource: "*",
                Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED } },
            },
            {
                Sid: "PulumiState",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation"],
                Resource: ["arn:aws:s3:::STATE_BUCKET", "arn:aws:s3:::STATE_BUCKET/*"],
            },
            { Sid: "WhoAmI", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
        ],
    } as PolicyDocument;
}
