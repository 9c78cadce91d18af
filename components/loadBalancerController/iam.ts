import { PolicyDocument, policyDocument, PolicyStatement } from "../shared/iam";
import type { Partition } from "../shared/aws";

/**
 * The controller's IAM. `upstreamControllerPolicy` is upstream's `docs/install/iam_policy.json`
 * for controller v3.5.0, statement for statement: the same actions, resources and conditions, so
 * a chart upgrade is reviewed against upstream's diff. It fits one policy (under IAM's 6,144
 * characters). Upstream grants any load balancer or security group with the controller's tag, in
 * any region and VPC; `environmentScopePolicy` narrows that with explicit denies.
 */

/** The tag the controller puts on everything it creates; its value is the cluster's name. */
export const CLUSTER_TAG = "elbv2.k8s.aws/cluster";

const tagged = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" } };
const untaggedRequestOnTagged = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "true", [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" } };
const taggedRequest = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "false" } };

/** Upstream's read-only calls: discovery of subnets, security groups, certificates and the load balancers' state. */
const DESCRIBE_ACTIONS = [
    "ec2:DescribeAccountAttributes",
    "ec2:DescribeAddresses",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeVpcs",
    "ec2:DescribeVpcPeeringConnections",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeInstances",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeTags",
    "ec2:GetCoipPoolUsage",
    "ec2:DescribeCoipPools",
    "ec2:GetSecurityGroupsForVpc",
    "ec2:DescribeIpamPools",
    "ec2:DescribeRouteTables",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeListenerCertificates",
    "elasticloadbalancing:DescribeSSLPolicies",
    "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTrustStores",
    "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeCapacityReservation",
];

/** Upstream's changes to load balancers and target groups the controller tagged. */
const TAGGED_LOAD_BALANCER_CHANGES = [
    "elasticloadbalancing:ModifyLoadBalancerAttributes",
    "elasticloadbalancing:SetIpAddressType",
    "elasticloadbalancing:SetSecurityGroups",
    "elasticloadbalancing:SetSubnets",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:ModifyTargetGroup",
    "elasticloadbalancing:ModifyTargetGroupAttributes",
    "elasticloadbalancing:DeleteTargetGroup",
    "elasticloadbalancing:ModifyListenerAttributes",
    "elasticloadbalancing:ModifyCapacityReservation",
    "elasticloadbalancing:ModifyIpPools",
];

/** The controller policy of upstream v3.5.0, in this partition. */
export function upstreamControllerPolicy(partition: Partition): PolicyDocument {
    const elb = (path: string) => `arn:${partition}:elasticloadbalancing:*:*:${path}`;
    const balancers = [elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")];
    const securityGroups = `arn:${partition}:ec2:*:*:security-group/*`;
    const statements: PolicyStatement[] = [
        { Effect: "Allow", Action: ["iam:CreateServiceLinkedRole"], Resource: "*", Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } } },
        { Effect: "Allow", Action: DESCRIBE_ACTIONS, Resource: "*" },
        {
            Effect: "Allow",
            Action: [
                "cognito-idp:DescribeUserPoolClient",
                "acm:ListCertificates",
                "acm:DescribeCertificate",
                "iam:ListServerCertificates",
                "iam:GetServerCertificate",
                "waf-regional:GetWebACL",
                "waf-regional:GetWebACLForResource",
                "waf-regional:AssociateWebACL",
                "waf-regional:DisassociateWebACL",
                "wafv2:GetWebACL",
                "wafv2:GetWebACLForResource",
                "wafv2:AssociateWebACL",
                "wafv2:DisassociateWebACL",
                "shield:GetSubscriptionState",
                "shield:DescribeProtection",
                "shield:CreateProtection",
                "shield:DeleteProtection",
            ],
            Resource: "*",
        },
        { Effect: "Allow", Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], Resource: "*" },
        { Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: "*" },
        { Effect: "Allow", Action: ["ec2:CreateTags"], Resource: securityGroups, Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...taggedRequest } },
        { Effect: "Allow", Action: ["ec2:CreateTags", "ec2:DeleteTags"], Resource: securityGroups, Condition: untaggedRequestOnTagged },
        { Effect: "Allow", Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"], Resource: "*", Condition: tagged },
        { Effect: "Allow", Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"], Resource: "*", Condition: taggedRequest },
        { Effect: "Allow", Action: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule"], Resource: "*" },
        { Effect: "Allow", Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], Resource: balancers, Condition: untaggedRequestOnTagged },
        {
            Effect: "Allow",
            Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            Resource: [elb("listener/net/*/*/*"), elb("listener/app/*/*/*"), elb("listener-rule/net/*/*/*"), elb("listener-rule/app/*/*/*")],
        },
        { Effect: "Allow", Action: TAGGED_LOAD_BALANCER_CHANGES, Resource: "*", Condition: tagged },
        {
            Effect: "Allow",
            Action: ["elasticloadbalancing:AddTags"],
            Resource: balancers,
            Condition: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] }, ...taggedRequest },
        },
        { Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: elb("targetgroup/*/*") },
        {
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:SetWebAcl",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:SetRulePriorities",
            ],
            Resource: "*",
        },
    ];
    return policyDocument(...statements);
}

/** Where this controller works: one cluster's load balancers, in one region and one VPC. */
export interface ControllerScope {
    /** The cluster's name: the value of the controller's tag on what it creates. */
    clusterName: string;
    /** The cluster's region. */
    region: string;
    /** The cluster's account. */
    accountId: string;
    /** The cluster's VPC. */
    vpcId: string;
    /** The partition. */
    partition: Partition;
}

/**
 * Denies that keep the upstream grants to this environment: no EC2 or load balancer change
 * outside the region, no security group rule outside the VPC, and no change to the attributes,
 * targets or existence of a load balancer, target group or security group that another cluster's
 * controller created in the same account. (Listeners and rules stay as upstream grants them: the
 * controller does not tag every listener, so a deny by tag would break it.)
 */
export function environmentScopePolicy(scope: ControllerScope): PolicyDocument {
    const vpcArn = `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:vpc/${scope.vpcId}`;
    const changes = upstreamControllerPolicy(scope.partition)
        .Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
        .filter((a) => /^(ec2|elasticloadbalancing):/.test(a) && !/:(Describe|Get)/.test(a));
    return policyDocument(
        { Sid: "DenyOtherRegions", Effect: "Deny", Action: [...new Set(changes)], Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": scope.region } } },
        {
            Sid: "DenySecurityGroupsOutsideTheVpc",
            Effect: "Deny",
            // Creating a group takes no VPC condition key on the group; an empty group elsewhere opens nothing.
            Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
            Resource: `arn:${scope.partition}:ec2:*:*:security-group/*`,
            Condition: { StringNotEquals: { "ec2:Vpc": vpcArn } },
        },
        {
            Sid: "DenyOtherClustersLoadBalancers",
            Effect: "Deny",
            // Target groups are created with the tag, so registering targets in one is kept to this cluster's too.
            Action: [...TAGGED_LOAD_BALANCER_CHANGES, "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets", "ec2:DeleteSecurityGroup"],
            Resource: "*",
            Condition: { StringNotEquals: { [`aws:ResourceTag/${CLUSTER_TAG}`]: scope.clusterName } },
        },
        {
            Sid: "DenyCreatingForOtherClusters",
            Effect: "Deny",
            Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
            Resource: "*",
            Condition: { StringNotEquals: { [`aws:RequestTag/${CLUSTER_TAG}`]: scope.clusterName } },
        },
    );
}
