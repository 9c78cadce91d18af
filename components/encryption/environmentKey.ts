import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkEnvironmentKeyArguments } from "./args";
import { dnsSuffixOf, partitionOf } from "../shared/aws";
import { PolicyDocument, policyDocument } from "../shared/iam";
import { logGroupArnPattern, logGroupPrefixes } from "../shared/naming";
import type { Tags } from "../shared/tags";

/** What the environment key is for. */
export interface EnvironmentKeyArgs {
    /** The environment (and cluster) name; the alias is `alias/envstack/<name>`. */
    environmentName: string;
    /** AWS region of the key. */
    region: string;
    /** Account that owns the key; its root may administer it through IAM. */
    accountId: string;
    /** Days a scheduled deletion waits (7 to 30); 30 in prod. */
    deletionWindowInDays: number;
    /** Protect the key from deletion by Pulumi (prod). */
    protect: boolean;
    /**
     * Grant the EC2 Auto Scaling service-linked role use of the key, so node groups can launch
     * with encrypted root volumes. The role must already exist in the account. Default true.
     */
    allowAutoScaling?: boolean;
    /**
     * Let principals of this account use the key through EC2 in this region only, as AWS's own
     * EBS key does. Karpenter needs it: EC2 Fleet and Spot may create a node's volume under a
     * service identity, and without it the node is terminated right after launch. Default true.
     */
    allowEc2ForAccount?: boolean;
    /**
     * The name of Karpenter's interruption queue, which the key encrypts: EventBridge may then use
     * the key for that queue, in this account, and nothing else. Unset: no such grant.
     */
    interruptionQueueName?: string;
    /** Tags on the key. */
    tags: Tags;
}

/**
 * The environment's customer-managed KMS key: rotation on, one key for everything that stores
 * data (secrets, log groups, volumes, file systems, queues and topics), with a key policy that
 * lets CloudWatch Logs use it only for this environment's log groups.
 */
export class EnvironmentKey extends pulumi.ComponentResource {
    /** The key. */
    readonly key: aws.kms.Key;
    /** The key's ARN. */
    readonly keyArn: pulumi.Output<string>;
    /** The key's alias name. */
    readonly aliasName: pulumi.Output<string>;
    /** The key policy, as a document. */
    readonly policy: PolicyDocument;

    constructor(name: string, args: EnvironmentKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        checkEnvironmentKeyArguments(args);
        super("envstack:index:EnvironmentKey", name, {}, opts);

        this.policy = environmentKeyPolicy(args);
        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `envstack ${args.environmentName}: secrets, logs, volumes and file systems`,
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: args.deletionWindowInDays,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                policy: JSON.stringify(this.policy),
                tags: args.tags,
            },
            { parent: this, protect: args.protect },
        );
        const alias = new aws.kms.Alias(
            `${name}-key`,
            { name: `alias/envstack/${args.environmentName}`, targetKeyId: this.key.keyId },
            { parent: this },
        );
        this.keyArn = this.key.arn;
        this.aliasName = alias.name;
        this.registerOutputs({ keyArn: this.keyArn, aliasName: this.aliasName });
    }
}

/** The key policy: account administration through IAM, CloudWatch Logs for our groups, Auto Scaling and EC2 for node volumes. */
export function environmentKeyPolicy(args: EnvironmentKeyArgs): PolicyDocument {
    const partition = partitionOf(args.region);
    const account = args.accountId;
    const useKey = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];
    const statements: PolicyDocument["Statement"] = [
        {
            Sid: "AccountAdministersKeyThroughIam",
            Effect: "Allow",
            Principal: { AWS: `arn:${partition}:iam::${account}:root` },
            Action: "kms:*",
            Resource: "*",
        },
        {
            Sid: "CloudWatchLogsForEnvironmentLogGroups",
            Effect: "Allow",
            Principal: { Service: `logs.${args.region}.${dnsSuffixOf(args.region)}` },
            Action: useKey,
            Resource: "*",
            Condition: {
                ArnLike: {
                    "kms:EncryptionContext:aws:logs:arn": logGroupPrefixes(args.environmentName).map((prefix) =>
                        logGroupArnPattern(args.region, account, prefix),
                    ),
                },
            },
        },
    ];
    if (args.allowAutoScaling ?? true) {
        const autoScaling = `arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
        statements.push(
            {
                Sid: "AutoScalingUsesKeyForNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: autoScaling },
                Action: useKey,
                Resource: "*",
            },
            {
                Sid: "AutoScalingGrantsForNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: autoScaling },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        );
    }
    if (args.allowEc2ForAccount ?? true) {
        // Principal "*" is bounded by the caller's account and by EC2 in this region; it needs no IAM grant.
        const throughEc2 = { "kms:CallerAccount": account, "kms:ViaService": `ec2.${args.region}.${dnsSuffixOf(args.region)}` };
        statements.push(
            {
                Sid: "AccountUsesKeyThroughEc2ForNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: useKey,
                Resource: "*",
                Condition: { StringEquals: throughEc2 },
            },
            {
                Sid: "AccountGrantsThroughEc2ForNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { StringEquals: throughEc2, Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        );
    }
    if (args.interruptionQueueName) {
        statements.push({
            Sid: "EventBridgeWritesInterruptionQueue",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: "*",
            Condition: {
                StringEquals: {
                    "aws:SourceAccount": account,
                    "kms:EncryptionContext:aws:sqs:arn": `arn:${partition}:sqs:${args.region}:${account}:${args.interruptionQueueName}`,
                },
            },
        });
    }
    return policyDocument(...statements);
}
