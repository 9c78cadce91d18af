import type { PolicyDocument } from "../../components/shared/iam";
import type { RecordedResource } from "../../plan/engine";

/**
 * The IAM policy of the identity that runs `pulumi up` (docs/deployer-policy.json), derived from
 * what the three stacks register: the AWS services they touch, in the environment's region only;
 * writes on EKS, logs, rules, topics, queues and keys only where the resource is the
 * environment's (by name or by its `environment` tag); IAM writes only on roles and policies
 * named after the environment, attaching only the managed policies the plans attach; never the
 * EC2 actions that would reach other workloads' snapshots, images or machines; the service-linked
 * roles EKS, EFS, Auto Scaling and Spot need; the Pulumi state bucket and key. `ACCOUNT_ID`,
 * `REGION`, `ENVIRONMENT` and `STATE_BUCKET` are placeholders the README's `sed` fills in.
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
    [/^aws:amp\//, ["aps"]],
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
    "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:PassRole",
];
const IAM_POLICY_ACTIONS = [
    "iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions",
    "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
];
/** Service-linked roles created on an account's first cluster, node group, file system or Spot launch. */
const SERVICE_LINKED = ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "autoscaling.amazonaws.com", "elasticfilesystem.amazonaws.com", "spot.amazonaws.com"];

/** The AWS managed policies the plans attach to roles: the only ones the deployer may attach. */
export function awsManagedPolicies(resources: RecordedResource[]): string[] {
    const arns = resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => String(r.inputs.policyArn));
    return [...new Set(arns.filter((a) => a.startsWith("arn:aws:iam::aws:policy/")))].sort();
}

/** EC2 actions the plans never need that would reach other workloads' data or machines. */
const EC2_NEVER = ["ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "ec2:ModifyInstanceAttribute", "ec2:GetPasswordData", "ec2:CreateVpcPeeringConnection", "ec2:AcceptVpcPeeringConnection"];

const inRegion = { StringEquals: { "aws:RequestedRegion": "REGION" } };
const arn = (service: string, resource: string) => `arn:aws:${service}:REGION:ACCOUNT_ID:${resource}`;

export function deployerPolicy(resources: RecordedResource[]): PolicyDocument {
    const services = servicesFor(resources);
    // Services whose resources are named after the environment get their writes scoped to those names.
    const named: Record<string, string[]> = {
        eks: ["cluster/ENVIRONMENT", "nodegroup/ENVIRONMENT/*", "addon/ENVIRONMENT/*", "access-entry/ENVIRONMENT/*", "podidentityassociation/ENVIRONMENT/*"].map((r) => arn("eks", r)),
        logs: ["eks", "vpc", "containerinsights"].map((kind) => arn("logs", `log-group:/aws/${kind}/ENVIRONMENT/*`)),
        events: [arn("events", "rule/ENVIRONMENT-*")],
        sns: [arn("sns", "ENVIRONMENT-*")],
        sqs: [arn("sqs", "ENVIRONMENT-*")],
    };
    const unscoped = services.filter((s) => !named[s] && s !== "kms");
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ServicesInTheRegion", Effect: "Allow", Action: unscoped.map((s) => `${s}:*`), Resource: "*", Condition: inRegion },
            { Sid: "TheEnvironmentsOwnResources", Effect: "Allow", Action: Object.keys(named).filter((s) => services.includes(s)).map((s) => `${s}:*`), Resource: Object.entries(named).filter(([s]) => services.includes(s)).flatMap(([, r]) => r) },
            {
                Sid: "CreateAndReadAnywhereInTheRegion",
                Effect: "Allow",
                Action: ["eks:CreateCluster", "eks:Describe*", "eks:List*", "logs:DescribeLogGroups", "events:Describe*", "events:List*", "sns:List*", "sqs:List*", "kms:CreateKey", "kms:List*"],
                Resource: "*",
                Condition: inRegion,
            },
            // A workspace's logging is a vended log delivery, which CloudWatch Logs grants on no named resource.
            ...(services.includes("aps")
                ? [
                      {
                          Sid: "WorkspaceLogDelivery",
                          Effect: "Allow" as const,
                          Action: ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies"],
                          Resource: "*",
                          Condition: inRegion,
                      },
                  ]
                : []),
            {
                Sid: "TagNewKeys",
                Effect: "Allow",
                Action: "kms:TagResource",
                Resource: "*",
                Condition: { StringEquals: { "aws:RequestTag/environment": "ENVIRONMENT", "aws:RequestedRegion": "REGION" } },
            },
            { Sid: "TheEnvironmentsKey", Effect: "Allow", Action: "kms:*", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/environment": "ENVIRONMENT", "aws:RequestedRegion": "REGION" } } },
            { Sid: "TheEnvironmentsKeyAlias", Effect: "Allow", Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"], Resource: arn("kms", "alias/envstack/ENVIRONMENT") },
            {
                Sid: "PulumiSecretsAndStateKey",
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: "*",
                Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/pulumi-state" } },
            },
            { Sid: "NeverNeeded", Effect: "Deny", Action: EC2_NEVER, Resource: "*" },
            // Roles named after the environment, and the secret readers under its IAM path.
            { Sid: "EnvironmentRoles", Effect: "Allow", Action: IAM_ROLE_ACTIONS, Resource: ["arn:aws:iam::ACCOUNT_ID:role/ENVIRONMENT-*", "arn:aws:iam::ACCOUNT_ID:role/envstack/ENVIRONMENT/*"] },
            {
                Sid: "AttachOnlyThePoliciesTheEnvironmentUses",
                Effect: "Allow",
                Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
                Resource: "arn:aws:iam::ACCOUNT_ID:role/ENVIRONMENT-*",
                Condition: { ArnLike: { "iam:PolicyARN": [...awsManagedPolicies(resources), "arn:aws:iam::ACCOUNT_ID:policy/ENVIRONMENT-*"] } },
            },
            { Sid: "EnvironmentPolicies", Effect: "Allow", Action: IAM_POLICY_ACTIONS, Resource: "arn:aws:iam::ACCOUNT_ID:policy/ENVIRONMENT-*" },
            { Sid: "ReadAwsManagedPolicies", Effect: "Allow", Action: ["iam:GetPolicy", "iam:GetPolicyVersion"], Resource: "arn:aws:iam::aws:policy/*" },
            { Sid: "ServiceLinkedRoles", Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: "*", Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED } } },
            { Sid: "PulumiState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation"], Resource: ["arn:aws:s3:::STATE_BUCKET", "arn:aws:s3:::STATE_BUCKET/*"] },
            { Sid: "WhoAmI", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
        ],
    } as PolicyDocument;
}
