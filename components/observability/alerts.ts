import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlertReceivers } from "../config/types";
import { dnsSuffixOf } from "../shared/aws";
import { PolicyDocument, policyDocument, scopedPodIdentityTrust } from "../shared/iam";
import { MONITORING_NAMESPACE } from "../shared/naming";
import type { Tags } from "../shared/tags";
import { TeamAlertRoute, teamsWithReceivers } from "./tenancy";

/**
 * Where alerts go: the platform's encrypted SNS topic, one encrypted topic per team that has
 * receivers, and Alertmanager's Pod Identity role, which may publish to those topics only.
 * Subscription endpoints often carry a key, so they are secrets end to end.
 */

export const ALERTMANAGER_SERVICE_ACCOUNT = "alertmanager";

export interface AlertTopicsArgs {
    clusterName: string;
    accountId: string;
    region: string;
    /** The platform's receivers. */
    alerts: AlertReceivers;
    /** Every team, with its own receivers (if any). */
    teams: { name: string; alerts: AlertReceivers }[];
    kmsKeyArn: pulumi.Input<string>;
    tags: Tags;
}

/** Alertmanager may publish to its topics and nothing else; SNS uses the environment key to encrypt. */
export function alertPublisherPolicy(topicArns: string[], kmsKeyArn: string, region: string): PolicyDocument {
    return policyDocument(
        { Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: topicArns.length === 1 ? topicArns[0] : topicArns },
        {
            Sid: "EncryptAlertsWithEnvironmentKey",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `sns.${region}.${dnsSuffixOf(region)}` } },
        },
    );
}

/** A topic's policy: only the Alertmanager role may publish, and never without TLS. */
export function alertTopicPolicy(topicArn: string, publisherRoleArn: string) {
    return policyDocument(
        { Sid: "AlertmanagerPublishes", Effect: "Allow", Principal: { AWS: publisherRoleArn }, Action: "sns:Publish", Resource: topicArn },
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: topicArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
    );
}

export function createAlertTopics(name: string, args: AlertTopicsArgs, parent: pulumi.Resource) {
    const publisher = new aws.iam.Role(
        `${name}-alertmanager`,
        {
            description: `Alertmanager of ${args.clusterName}: publishes alerts`,
            assumeRolePolicy: JSON.stringify(scopedPodIdentityTrust({ accountId: args.accountId, region: args.region, clusterName: args.clusterName, namespace: MONITORING_NAMESPACE, serviceAccount: ALERTMANAGER_SERVICE_ACCOUNT })),
            tags: args.tags,
        },
        { parent },
    );
    const topic = (resourceName: string, topicName: string, receivers: AlertReceivers) => {
        const created = new aws.sns.Topic(resourceName, { name: topicName, kmsMasterKeyId: args.kmsKeyArn, tags: args.tags }, { parent });
        new aws.sns.TopicPolicy(resourceName, { arn: created.arn, policy: pulumi.all([created.arn, publisher.arn]).apply(([t, r]) => JSON.stringify(alertTopicPolicy(t, r))) }, { parent: created });
        if (receivers.email) new aws.sns.TopicSubscription(`${resourceName}-email`, { topic: created.arn, protocol: "email", endpoint: receivers.email }, { parent: created });
        if (receivers.httpsEndpoint) {
            new aws.sns.TopicSubscription(`${resourceName}-https`, { topic: created.arn, protocol: "https", endpoint: pulumi.secret(receivers.httpsEndpoint) }, { parent: created });
        }
        return created;
    };
    const platform = topic(`${name}-alerts`, `${args.clusterName}-alerts`, args.alerts);
    const withReceivers = new Set(teamsWithReceivers(args.teams).map((t) => t.name));
    const teamRoutes: TeamAlertRoute[] = args.teams.map((t) => ({
        namespace: t.name,
        ...(withReceivers.has(t.name) ? { topicArn: topic(`${name}-alerts-${t.name}`, `${args.clusterName}-alerts-${t.name}`, t.alerts).arn } : {}),
    }));
    const publish = new aws.iam.RolePolicy(
        `${name}-alertmanager`,
        {
            role: publisher.name,
            policy: pulumi
                .all([platform.arn, ...teamRoutes.filter((t) => t.topicArn).map((t) => t.topicArn!), args.kmsKeyArn])
                .apply((values) => JSON.stringify(alertPublisherPolicy(values.slice(0, -1), values[values.length - 1], args.region))),
        },
        { parent: publisher },
    );
    const association = new aws.eks.PodIdentityAssociation(
        `${name}-alertmanager`,
        { clusterName: args.clusterName, namespace: MONITORING_NAMESPACE, serviceAccount: ALERTMANAGER_SERVICE_ACCOUNT, roleArn: publisher.arn, tags: args.tags },
        { parent, dependsOn: [publish] },
    );
    return { platform, teamRoutes, publisher, association };
}
