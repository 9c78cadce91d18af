import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../shared/iam";
import type { Tags } from "../shared/tags";

/** One EventBridge rule that feeds the interruption queue. */
export interface InterruptionRule {
    /** Short name; the rule is `<cluster>-<name>`. */
    name: string;
    /** The event source, e.g. `aws.ec2`. */
    source: string;
    /** The event's detail type. */
    detailType: string;
}

/**
 * The events Karpenter acts on before capacity disappears, exactly as upstream's CloudFormation
 * names them. A misspelt detail-type never matches and fails silently, so these strings are
 * checked in tests against upstream's list.
 */
export const INTERRUPTION_RULES: readonly InterruptionRule[] = [
    { name: "health", source: "aws.health", detailType: "AWS Health Event" },
    { name: "spot-interruption", source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
    { name: "rebalance", source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
    { name: "instance-state-change", source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
    { name: "capacity-reservation-interruption", source: "aws.ec2", detailType: "EC2 Capacity Reservation Instance Interruption Warning" },
];

/**
 * The queue's policy: only EventBridge, and only for this environment's rules, may send (any rule
 * in the account could otherwise make Karpenter drain nodes); nothing may use it without TLS.
 * Upstream also names `sqs.amazonaws.com`; nothing here needs it, so it is left out.
 */
export function queuePolicy(queueArn: string, ruleArns: string[]) {
    return {
        ...policyDocument(
            {
                Sid: "EventBridgeRulesSend",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: queueArn,
                Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
            },
            {
                Sid: "DenyHTTP",
                Effect: "Deny",
                Principal: "*",
                Action: "sqs:*",
                Resource: queueArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ),
        Id: "EC2InterruptionPolicy",
    };
}

export interface InterruptionQueueArgs {
    clusterName: string;
    /** The environment key, which encrypts the queue (EventBridge may use it for this queue only). */
    kmsKeyArn: pulumi.Input<string>;
    tags: Tags;
    /** Resources the queue is created after (and deleted before): the cluster. */
    dependsOn: pulumi.Resource[];
}

/** The interruption queue's name; the environment key's policy names it before the queue exists. */
export function interruptionQueueName(clusterName: string): string {
    return `${clusterName}-karpenter`;
}

/** The interruption queue (300 s retention, encrypted with the environment key) and the EventBridge rules that feed it. */
export function createInterruptionQueue(name: string, args: InterruptionQueueArgs, parent: pulumi.Resource) {
    const queue = new aws.sqs.Queue(
        `${name}-interruption`,
        { name: interruptionQueueName(args.clusterName), messageRetentionSeconds: 300, kmsMasterKeyId: args.kmsKeyArn, tags: args.tags },
        { parent, dependsOn: args.dependsOn },
    );
    const rules = INTERRUPTION_RULES.map((r) => {
        const rule = new aws.cloudwatch.EventRule(
            `${name}-${r.name}`,
            {
                description: `Karpenter interruption handling for ${args.clusterName}: ${r.detailType}`,
                eventPattern: JSON.stringify({ source: [r.source], "detail-type": [r.detailType] }),
                tags: args.tags,
            },
            { parent: queue },
        );
        new aws.cloudwatch.EventTarget(`${name}-${r.name}`, { rule: rule.name, targetId: "KarpenterInterruptionQueueTarget", arn: queue.arn }, { parent: rule });
        return rule;
    });
    const policy = pulumi.all([queue.arn, ...rules.map((rule) => rule.arn)]).apply(([queueArn, ...ruleArns]) => JSON.stringify(queuePolicy(queueArn, ruleArns)));
    new aws.sqs.QueuePolicy(`${name}-interruption`, { queueUrl: queue.url, policy }, { parent: queue });
    return { queue, rules };
}
