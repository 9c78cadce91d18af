import * as aws from "@pulumi/aws";
import { environmentKeyPolicy } from "../components/encryption";
import { queuePolicy } from "../components/karpenter/interruption";
import { alertTopicPolicy } from "../components/observability/alerts";
import { evaluate, expectViolations } from "./guardrails";
import { Native } from "./nativeResource";

const POLICY = "resource-policy-no-public-principal";
const ACCOUNT = "111122223333";
const QUEUE = `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`;
const QUEUE_URL = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/jobs`;
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:events`;
const ORG = "o-a1b2c3d4e5";

/** A policy document of one statement, as JSON. */
function doc(statement: object): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
}
/** An Allow statement for `principal`, with optional conditions. */
const allow = (principal: unknown, action: string | string[], resource: string, condition?: object) => ({
    Effect: "Allow",
    Principal: principal,
    Action: action,
    Resource: resource,
    ...(condition ? { Condition: condition } : {}),
});
const openTo = (what: string) => `lets anyone (Principal "*") ${what} with no condition on who`;

describe("resource policy guardrails", () => {
    it(`${POLICY}: passes named principals, conditioned "*" and Deny statements, including envstack's own policies`, async () => {
        const report = await evaluate(() => {
            new aws.sqs.QueuePolicy("karpenter-interruption", { queueUrl: QUEUE_URL, policy: JSON.stringify(queuePolicy(QUEUE, [`arn:aws:events:eu-west-1:${ACCOUNT}:rule/health`])) });
            new aws.sns.TopicPolicy("alerts", { arn: TOPIC, policy: JSON.stringify(alertTopicPolicy(TOPIC, `arn:aws:iam::${ACCOUNT}:role/alertmanager`)) });
            new aws.kms.Key("environment", {
                policy: JSON.stringify(environmentKeyPolicy({ environmentName: "acme-dev", region: "eu-west-1", accountId: ACCOUNT, deletionWindowInDays: 7, protect: false, tags: {} })),
                enableKeyRotation: true,
            });
            new aws.s3.BucketPolicy("via-endpoint", { bucket: "data", policy: doc(allow("*", "s3:GetObject", "arn:aws:s3:::data/*", { StringEquals: { "aws:SourceVpce": "vpce-0123456789abcdef0" } })) });
            new aws.ecr.RepositoryPolicy("org-pull", { repository: "app", policy: doc(allow({ AWS: "*" }, ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "*", { StringEquals: { "aws:PrincipalOrgID": ORG } })) });
            new aws.sqs.Queue("office", { policy: doc(allow("*", "sqs:SendMessage", QUEUE, { IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } })) });
            new aws.lambda.Permission("from-bucket", { function: "fn", action: "lambda:InvokeFunction", principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::uploads" });
            new aws.lambda.Permission("any-in-org", { function: "fn", action: "lambda:InvokeFunction", principal: "*", principalOrgId: ORG });
            const topic = new aws.sns.Topic("source");
            new aws.lambda.Permission("from-topic-output", { function: "fn", action: "lambda:InvokeFunction", principal: "*", sourceArn: topic.arn });
            new aws.lambda.FunctionUrl("iam-url", { functionName: "fn", authorizationType: "AWS_IAM" });
        }, { only: POLICY });
        expectViolations(report, POLICY, []);
    });

    it(`${POLICY}: flags "*" on SQS, SNS, S3, ECR, KMS and Lambda, inline and through each *Policy resource`, async () => {
        const report = await evaluate(() => {
            new aws.sqs.Queue("queue-inline", { policy: doc(allow("*", "sqs:SendMessage", QUEUE)) });
            new aws.sqs.QueuePolicy("queue-policy", { queueUrl: QUEUE_URL, policy: doc(allow("*", "sqs:*", QUEUE)) });
            new aws.sns.Topic("topic-inline", { policy: doc(allow({ AWS: "*" }, "sns:Publish", TOPIC)) });
            new aws.sns.TopicPolicy("topic-policy", { arn: TOPIC, policy: doc(allow({ AWS: "*" }, "sns:Subscribe", TOPIC)) });
            new aws.s3.BucketPolicy("bucket-policy", { bucket: "data", policy: doc(allow("*", "s3:GetObject", "arn:aws:s3:::data/*")) });
            new aws.ecr.RepositoryPolicy("repository-policy", { repository: "app", policy: doc(allow("*", "ecr:BatchGetImage", "*")) });
            new aws.ecr.RegistryPolicy("registry-policy", { policy: doc(allow({ AWS: "*" }, "ecr:ReplicateImage", "*")) });
            new aws.kms.Key("key-inline", { enableKeyRotation: true, policy: doc(allow("*", "kms:Decrypt", "*")) });
            new aws.kms.KeyPolicy("key-policy", { keyId: "k", policy: doc(allow({ AWS: "*" }, "kms:*", "*")) });
            new aws.lambda.Permission("lambda-anyone", { function: "fn", action: "lambda:InvokeFunction", principal: "*" });
            new aws.lambda.FunctionUrl("lambda-url", { functionName: "fn", authorizationType: "NONE" });
        }, { only: POLICY });
        expectViolations(report, POLICY, [
            `queue-inline: policy: Statement[0] ${openTo("sqs:SendMessage")}`,
            `queue-policy: policy: Statement[0] ${openTo("sqs:*")}`,
            `topic-inline: policy: Statement[0] ${openTo("sns:Publish")}`,
            `topic-policy: policy: Statement[0] ${openTo("sns:Subscribe")}`,
            `bucket-policy: policy: Statement[0] ${openTo("s3:GetObject")}`,
            `repository-policy: policy: Statement[0] ${openTo("ecr:BatchGetImage")}`,
            `registry-policy: policy: Statement[0] ${openTo("ecr:ReplicateImage")}`,
            `key-inline: policy: Statement[0] ${openTo("kms:Decrypt")}`,
            `key-policy: policy: Statement[0] ${openTo("kms:*")}`,
            'lambda-anyone: principal "*" may lambda:InvokeFunction from any account: set sourceArn, sourceAccount, principalOrgId to narrow who',
            "lambda-url: authorizationType is NONE: anyone on the internet can invoke the function through its URL; use AWS_IAM",
        ]);
    });

    it(`${POLICY} evasion: {AWS: ["*"]}, a NotPrincipal, an object document and the legacy Bucket.policy are all "anyone"`, async () => {
        const report = await evaluate(() => {
            new aws.sqs.QueuePolicy("aws-list", { queueUrl: QUEUE_URL, policy: doc(allow({ AWS: ["*"] }, "sqs:ReceiveMessage", QUEUE)) });
            new aws.s3.BucketPolicy("not-principal", {
                bucket: "data",
                policy: doc({ Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/blocked` }, Action: "s3:GetObject", Resource: "arn:aws:s3:::data/*" }),
            });
            new aws.sns.TopicPolicy("object-document", { arn: TOPIC, policy: { Version: "2012-10-17", Statement: [allow("*", "sns:Publish", TOPIC) as never] } });
            new aws.s3.Bucket("legacy-bucket", { policy: doc(allow("*", "s3:PutObject", "arn:aws:s3:::legacy-bucket/*")) });
            new aws.s3.BucketV2("bucket-v2", { policy: doc(allow("*", "s3:GetObject", "arn:aws:s3:::bucket-v2/*")) });
        }, { only: POLICY });
        expectViolations(report, POLICY, [
            `aws-list: policy: Statement[0] ${openTo("sqs:ReceiveMessage")}`,
            "not-principal: policy: Statement[0] lets everyone but its NotPrincipal s3:GetObject with no condition on who",
            `object-document: policy: Statement[0] ${openTo("sns:Publish")}`,
            `legacy-bucket: policy: Statement[0] ${openTo("s3:PutObject")}`,
            `bucket-v2: policy: Statement[0] ${openTo("s3:GetObject")}`,
        ]);
    });

    it(`${POLICY} evasion: conditions that are present but do not narrow who (TLS only, IfExists, ForAllValues, negated, wildcards, half the internet, a /16 of cloud space)`, async () => {
        const queue = (name: string, condition: object) => new aws.sqs.QueuePolicy(name, { queueUrl: QUEUE_URL, policy: doc(allow("*", "sqs:SendMessage", QUEUE, condition)) });
        const report = await evaluate(() => {
            queue("tls-only", { Bool: { "aws:SecureTransport": "true" } });
            queue("if-exists", { StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } });
            queue("for-all-values", { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": ORG } });
            queue("negated", { StringNotEquals: { "aws:PrincipalAccount": "999999999999" } });
            queue("wildcard-arn", { ArnLike: { "aws:SourceArn": "arn:aws:sns:*:*:*" } });
            queue("wildcard-account", { StringLike: { "aws:SourceAccount": "*" } });
            queue("split-internet", { IpAddress: { "aws:SourceIp": ["0.0.0.0/1", "128.0.0.0/1"] } });
            queue("any-bucket", { ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } });
            // A /16 of EC2's public space: anyone can rent an Elastic IP there.
            queue("cloud-range", { IpAddress: { "aws:SourceIp": "3.248.0.0/16" } });
            // One narrowing condition among others is enough: conditions are ANDed.
            queue("tls-and-account", { Bool: { "aws:SecureTransport": "true" }, StringEquals: { "aws:SourceAccount": ACCOUNT } });
        }, { only: POLICY });
        const open = (name: string, key: string) => `${name}: policy: Statement[0] ${openTo("sqs:SendMessage")}; ${key} does not narrow who`;
        expectViolations(report, POLICY, [
            open("tls-only", "aws:SecureTransport"),
            open("if-exists", "aws:SourceAccount"),
            open("for-all-values", "aws:PrincipalOrgID"),
            open("negated", "aws:PrincipalAccount"),
            open("wildcard-arn", "aws:SourceArn"),
            open("wildcard-account", "aws:SourceAccount"),
            open("split-internet", "aws:SourceIp"),
            open("any-bucket", "aws:SourceArn"),
            open("cloud-range", "aws:SourceIp"),
        ]);
    });

    it(`${POLICY} evasion: the same open policy through Cloud Control, AWS Native, Secrets Manager, a layer and a wildcard sourceAccount`, async () => {
        const report = await evaluate(() => {
            new aws.cloudcontrol.Resource("cc-queue-policy", {
                typeName: "AWS::SQS::QueuePolicy",
                desiredState: JSON.stringify({ Queues: [QUEUE_URL], PolicyDocument: { Statement: [allow("*", "sqs:SendMessage", QUEUE)] } }),
            });
            new aws.cloudcontrol.Resource("cc-function-url", { typeName: "AWS::Lambda::Url", desiredState: JSON.stringify({ TargetFunctionArn: "fn", AuthType: "NONE" }) });
            new Native("aws-native:kms:Key", "native-key", { keyPolicy: { Statement: [allow({ AWS: "*" }, "kms:Decrypt", "*")] } });
            new Native("aws-native:lambda:Permission", "native-permission", { functionName: "fn", action: "lambda:InvokeFunction", principal: "*" });
            new aws.secretsmanager.SecretPolicy("secret-policy", { secretArn: "s", policy: doc(allow("*", "secretsmanager:GetSecretValue", "*")) });
            new aws.lambda.LayerVersionPermission("layer", { layerName: "l", versionNumber: 1, action: "lambda:GetLayerVersion", statementId: "all", principal: "*" });
            new aws.lambda.Permission("wildcard-account", { function: "fn", action: "lambda:InvokeFunction", principal: "*", sourceAccount: "*" });
            new aws.lambda.Permission("public-url", { function: "fn", action: "lambda:InvokeFunctionUrl", principal: "*", functionUrlAuthType: "NONE" });
        }, { only: POLICY });
        expectViolations(report, POLICY, [
            `cc-queue-policy: desiredState.PolicyDocument: Statement[0] ${openTo("sqs:SendMessage")}`,
            "cc-function-url: authorizationType is NONE: anyone on the internet can invoke the function through its URL; use AWS_IAM",
            `native-key: keyPolicy: Statement[0] ${openTo("kms:Decrypt")}`,
            'native-permission: principal "*" may lambda:InvokeFunction from any account: set sourceArn, sourceAccount, principalOrgId to narrow who',
            `secret-policy: policy: Statement[0] ${openTo("secretsmanager:GetSecretValue")}`,
            'layer: principal "*" may lambda:GetLayerVersion from any account: set organizationId to narrow who',
            'wildcard-account: principal "*" may lambda:InvokeFunction from any account: set sourceArn, sourceAccount, principalOrgId to narrow who',
            'public-url: principal "*" may lambda:InvokeFunctionUrl from any account: set sourceArn, sourceAccount, principalOrgId to narrow who',
        ]);
    });

    it(`${POLICY} evasion: a public S3 ACL instead of a policy (canned, a grant to AllUsers, Cloud Control)`, async () => {
        const owner = { id: "owner" };
        const report = await evaluate(() => {
            new aws.s3.Bucket("private-acl", { acl: "private" });
            new aws.s3.Bucket("canned", { acl: "public-read" });
            new aws.s3.BucketAcl("grant", {
                bucket: "data",
                accessControlPolicy: { owner, grants: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" }, permission: "READ" }] },
            });
            new aws.s3.BucketObjectv2("object", { bucket: "data", key: "k", acl: "public-read-write" });
            new aws.cloudcontrol.Resource("cc-bucket", { typeName: "AWS::S3::Bucket", desiredState: JSON.stringify({ AccessControl: "PublicRead" }) });
        }, { only: POLICY });
        const acl = (name: string, where: string, who: string, what: string) =>
            `${name}: ${where} grants ${who} access (${what}): an ACL opens the bucket or object as a "*" policy would; use a bucket policy naming principals`;
        expectViolations(report, POLICY, [
            acl("canned", "acl", "anyone", "public-read"),
            acl("grant", "accessControlPolicy.grants[0]", "every AWS account", "AuthenticatedUsers READ"),
            acl("object", "acl", "anyone", "public-read-write"),
            acl("cc-bucket", "desiredState.AccessControl", "anyone", "PublicRead"),
        ]);
    });

    it(`${POLICY} evasion: aws:userid "anonymous", OpenSearch and MSK policies, a Multi-Region Access Point, ECR creation templates, DynamoDB tables, services without a source, and a document that cannot be read`, async () => {
        const DOMAIN = `arn:aws:es:eu-west-1:${ACCOUNT}:domain/search`;
        const report = await evaluate(() => {
            new aws.s3.BucketPolicy("userid-anonymous", { bucket: "data", policy: doc(allow("*", "s3:GetObject", "arn:aws:s3:::data/*", { StringEquals: { "aws:userid": "anonymous" } })) });
            new aws.s3.BucketPolicy("userid-wildcard", { bucket: "data", policy: doc(allow("*", "s3:GetObject", "arn:aws:s3:::data/*", { StringLike: { "aws:userid": "AROA*:*" } })) });
            new aws.s3.BucketPolicy("userid-role", { bucket: "data", policy: doc(allow("*", "s3:GetObject", "arn:aws:s3:::data/*", { StringLike: { "aws:userid": "AROAEXAMPLEID1234567:*" } })) });
            new aws.opensearch.DomainPolicy("domain-policy", { domainName: "search", accessPolicies: doc(allow({ AWS: "*" }, "es:*", `${DOMAIN}/*`)) });
            new aws.opensearch.Domain("public-domain", { accessPolicies: doc(allow({ AWS: "*" }, "es:*", `${DOMAIN}/*`)) });
            new aws.opensearch.Domain("vpc-domain", { accessPolicies: doc(allow({ AWS: "*" }, "es:*", `${DOMAIN}/*`)), vpcOptions: { subnetIds: ["subnet-0123456789abcdef0"] } });
            new aws.msk.ClusterPolicy("msk", { clusterArn: "arn:aws:kafka:eu-west-1:111122223333:cluster/events/x", policy: doc(allow({ AWS: "*" }, "kafka:CreateVpcConnection", "*")) });
            new aws.s3control.MultiRegionAccessPointPolicy("mrap", { details: { name: "global", policy: doc(allow("*", "s3:GetObject", `arn:aws:s3::${ACCOUNT}:accesspoint/abc.mrap/object/*`)) } });
            new aws.lambda.Permission("s3-no-source", { action: "lambda:InvokeFunction", function: "resizer", principal: "s3.amazonaws.com" });
            new aws.lambda.Permission("s3-own-bucket", { action: "lambda:InvokeFunction", function: "resizer", principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::uploads", sourceAccount: ACCOUNT });
            new aws.sns.TopicPolicy("topic-for-s3", { arn: TOPIC, policy: doc(allow({ Service: "s3.amazonaws.com" }, "sns:Publish", TOPIC)) });
            new aws.sns.TopicPolicy("topic-for-own-s3", { arn: TOPIC, policy: doc(allow({ Service: "s3.amazonaws.com" }, "sns:Publish", TOPIC, { StringEquals: { "aws:SourceAccount": ACCOUNT } })) });
            new aws.ecr.RepositoryCreationTemplate("ecr-template", { prefix: "team", appliedFors: ["PULL_THROUGH_CACHE"], repositoryPolicy: doc(allow("*", "ecr:BatchGetImage", "*")) });
            new Native("aws-native:dynamodb:Table", "native-table", { keySchema: [], resourcePolicy: { policyDocument: { Statement: [allow("*", "dynamodb:Scan", "*")] } } });
            new aws.sqs.QueuePolicy("not-json", { queueUrl: QUEUE_URL, policy: "{" });
            new aws.sqs.QueuePolicy("no-statement", { queueUrl: QUEUE_URL, policy: JSON.stringify({ Version: "2012-10-17", Id: "x" }) });
        }, { only: POLICY });
        const cannot = "the guardrails cannot tell what it allows; give a JSON policy document with a Statement";
        expectViolations(report, POLICY, [
            `userid-anonymous: policy: Statement[0] ${openTo("s3:GetObject")}; aws:userid does not narrow who`,
            `userid-wildcard: policy: Statement[0] ${openTo("s3:GetObject")}; aws:userid does not narrow who`,
            `domain-policy: accessPolicies: Statement[0] ${openTo("es:*")}`,
            `public-domain: accessPolicies: Statement[0] ${openTo("es:*")}`,
            `msk: policy: Statement[0] ${openTo("kafka:CreateVpcConnection")}`,
            `mrap: details.policy: Statement[0] ${openTo("s3:GetObject")}`,
            `ecr-template: repositoryPolicy: Statement[0] ${openTo("ecr:BatchGetImage")}`,
            `native-table: resourcePolicy.policyDocument: Statement[0] ${openTo("dynamodb:Scan")}`,
            "s3-no-source: principal s3.amazonaws.com may lambda:InvokeFunction for any account's resource: set sourceArn (with the account) or sourceAccount",
            "topic-for-s3: policy: Statement[0] lets s3.amazonaws.com sns:Publish on behalf of any account's resources: add aws:SourceArn or aws:SourceAccount",
            `not-json: policy is not JSON: ${cannot}`,
            `no-statement: policy has no Statement: ${cannot}`,
        ]);
    });

    it(`${POLICY} evasion: sharing by a field (AMI launch permission, RDS and EBS snapshots, an object ACL, SSM documents, event bus permissions and policies) and KMS grants or RAM shares to another account`, async () => {
        const build = () => {
            new aws.ec2.AmiLaunchPermission("ami-public", { imageId: "ami-0123456789abcdef0", group: "all" });
            new aws.ec2.AmiLaunchPermission("ami-partner", { imageId: "ami-0123456789abcdef0", accountId: "999988887777" });
            new aws.rds.Snapshot("db-snapshot", { dbInstanceIdentifier: "orders", dbSnapshotIdentifier: "orders-dump", sharedAccounts: ["all"] });
            new aws.rds.ClusterSnapshot("cluster-snapshot", { dbClusterIdentifier: "orders", dbClusterSnapshotIdentifier: "orders-dump", sharedAccounts: [ACCOUNT] });
            new aws.ec2.SnapshotCreateVolumePermission("ebs-snapshot", { snapshotId: "snap-0123456789abcdef0", accountId: "all" });
            new aws.s3.ObjectCopy("object-copy", { bucket: "exports", key: "customers.csv", source: "internal/customers.csv", acl: "public-read" });
            new aws.cloudwatch.EventPermission("bus-anyone", { principal: "*", statementId: "AnyoneMayPut" });
            new aws.cloudwatch.EventPermission("bus-org", { principal: "*", statementId: "OrgMayPut", condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: ORG } });
            new aws.ssm.Document("ssm-public", { documentType: "Command", content: "{}", permissions: { type: "Share", accountIds: "all" } });
            new aws.ram.PrincipalAssociation("ram-partner", { resourceShareArn: "arn:aws:ram:eu-west-1:111122223333:resource-share/x", principal: "999988887777" });
            new Native("aws-native:events:EventBusPolicy", "native-bus", { statementId: "anyone", statement: { Effect: "Allow", Principal: "*", Action: "events:PutEvents", Resource: "*" } });
            new Native("aws-native:events:EventBusPolicy", "native-bus-legacy", { statementId: "anyone", principal: "*", action: "events:PutEvents" });
            new aws.kms.Grant("kms-partner", { keyId: "k", granteePrincipal: "arn:aws:iam::999988887777:root", operations: ["Decrypt"] });
        };
        const everyone = (name: string, where: string, what: string) => `${name}: ${where} shares with everyone: any AWS account may ${what}; name the accounts`;
        const shared = [
            everyone("ami-public", "group", "launch the AMI and copy the snapshots behind it"),
            everyone("db-snapshot", "sharedAccounts[0]", "restore the snapshot, and read every row in it"),
            everyone("ebs-snapshot", "accountId", "create volumes from the snapshot, and read its data"),
            everyone("bus-anyone", "principal", "events:PutEvents on the event bus, triggering whatever its rules invoke"),
            'object-copy: acl grants anyone access (public-read): an ACL opens the bucket or object as a "*" policy would; use a bucket policy naming principals',
            everyone("ssm-public", "permissions.accountIds[0]", "run the document and read what it holds"),
            `native-bus: statement: Statement[0] ${openTo("events:PutEvents")}`,
            `native-bus-legacy: principal: Statement[0] ${openTo("events:PutEvents")}`,
        ];
        expectViolations(await evaluate(build, { only: POLICY }), POLICY, shared);
        const config = { [POLICY]: { trustedAccounts: [ACCOUNT] } };
        expectViolations(await evaluate(build, { only: POLICY, config }), POLICY, [
            ...shared,
            "ami-partner: accountId shares with account 999988887777, not among trustedAccounts: it may launch the AMI and copy the snapshots behind it",
            "kms-partner: granteePrincipal shares with account 999988887777, not among trustedAccounts: it may use the key for Decrypt",
            "ram-partner: principal shares with account 999988887777, not among trustedAccounts: it may use every resource in the share",
        ]);
    });

    it(`${POLICY} evasion: a PrivateLink endpoint service any account may connect to (allowedPrincipals "*", a permission resource, AWS Native), or an account not trusted`, async () => {
        const build = () => {
            new aws.ec2.VpcEndpointService("anyone", { acceptanceRequired: false, networkLoadBalancerArns: ["arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/db/1"], allowedPrincipals: ["*"] });
            new aws.ec2.VpcEndpointServiceAllowedPrinciple("anyone-too", { vpcEndpointServiceId: "vpce-svc-0123", principalArn: "*" });
            new Native("aws-native:ec2:VpcEndpointServicePermissions", "native-anyone", { serviceId: "vpce-svc-0123", allowedPrincipals: ["*"] });
            new aws.ec2.VpcEndpointServiceAllowedPrinciple("partner", { vpcEndpointServiceId: "vpce-svc-0123", principalArn: "arn:aws:iam::999988887777:root" });
            new aws.ec2.VpcEndpointService("own", { acceptanceRequired: true, networkLoadBalancerArns: ["arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/db/1"], allowedPrincipals: [`arn:aws:iam::${ACCOUNT}:root`] });
        };
        const what = "connect an endpoint to the PrivateLink service (and reach what its load balancers carry)";
        const everyone = [
            `anyone: allowedPrincipals[0] shares with everyone: any AWS account may ${what}; name the accounts`,
            `anyone-too: principalArn shares with everyone: any AWS account may ${what}; name the accounts`,
            `native-anyone: allowedPrincipals[0] shares with everyone: any AWS account may ${what}; name the accounts`,
        ];
        expectViolations(await evaluate(build, { only: POLICY }), POLICY, everyone);
        expectViolations(await evaluate(build, { only: POLICY, config: { [POLICY]: { trustedAccounts: [ACCOUNT] } } }), POLICY, [
            ...everyone,
            `partner: principalArn shares with account 999988887777, not among trustedAccounts: it may ${what}`,
        ]);
    });

    it(`${POLICY} evasion: API Gateway and VPC Lattice auth policies, signing profile, private CA and OpenSearch Serverless grants, a public CodeBuild project`, async () => {
        const report = await evaluate(() => {
            const api = new aws.apigateway.RestApi("internal", { endpointConfiguration: { types: "PRIVATE" } });
            new aws.apigateway.RestApiPolicy("internal-open", { restApiId: api.id, policy: doc(allow("*", "execute-api:Invoke", "execute-api:/*")) });
            new aws.apigateway.RestApi("inline-open", { policy: doc(allow("*", "execute-api:Invoke", "execute-api:/*")) });
            new aws.apigateway.RestApiPolicy("endpoint-only", {
                restApiId: api.id,
                policy: doc(allow("*", "execute-api:Invoke", "execute-api:/*", { StringEquals: { "aws:SourceVpce": "vpce-0123456789abcdef0" } })),
            });
            new aws.vpclattice.AuthPolicy("mesh-open", { resourceIdentifier: "sn-0123456789abcdef0", policy: doc(allow("*", "vpc-lattice-svcs:Invoke", "*")) });
            new aws.signer.SigningProfilePermission("sign-any", { profileName: "release", action: "signer:StartSigningJob", principal: "*" });
            new aws.acmpca.Permission("pca-any", { certificateAuthorityArn: `arn:aws:acm-pca:eu-west-1:${ACCOUNT}:certificate-authority/x`, actions: ["IssueCertificate"], principal: "acm.amazonaws.com" });
            new aws.acmpca.Permission("pca-own", { certificateAuthorityArn: `arn:aws:acm-pca:eu-west-1:${ACCOUNT}:certificate-authority/x`, actions: ["IssueCertificate"], principal: "acm.amazonaws.com", sourceAccount: ACCOUNT });
            new aws.opensearch.ServerlessAccessPolicy("aoss-any", {
                name: "any",
                type: "data",
                policy: JSON.stringify([{ Rules: [{ ResourceType: "index", Resource: ["index/logs/*"], Permission: ["aoss:*"] }], Principal: ["*"] }]),
            });
            new aws.codebuild.Project("ci", {
                serviceRole: `arn:aws:iam::${ACCOUNT}:role/codebuild`,
                artifacts: { type: "NO_ARTIFACTS" },
                environment: { computeType: "BUILD_GENERAL1_SMALL", image: "aws/codebuild/standard:7.0", type: "LINUX_CONTAINER" },
                source: { type: "GITHUB", location: "https://github.com/example/app.git" },
                projectVisibility: "PUBLIC_READ",
            });
            new Native("aws-native:codebuild:Project", "cc-ci", { visibility: "PUBLIC_READ" });
        }, { only: POLICY });
        expectViolations(report, POLICY, [
            `internal-open: policy: Statement[0] ${openTo("execute-api:Invoke")}`,
            `inline-open: policy: Statement[0] ${openTo("execute-api:Invoke")}`,
            `mesh-open: policy: Statement[0] ${openTo("vpc-lattice-svcs:Invoke")}`,
            "sign-any: principal shares with everyone: any AWS account may signer:StartSigningJob with the signing profile: code signed as yours; name the accounts",
            "pca-any: principal acm.amazonaws.com may issue and renew certificates from the private CA for any account's resource: set sourceArn (with the account) or sourceAccount",
            "aoss-any: policy[0].Principal[0] shares with everyone: any AWS account may read and write the collections and indexes its rules name; name the accounts",
            "ci: projectVisibility shares with everyone: any AWS account may read the project's builds, logs and artifacts, from the internet; name the accounts",
            "cc-ci: Visibility shares with everyone: any AWS account may read the project's builds, logs and artifacts, from the internet; name the accounts",
        ]);
    });

    it(`${POLICY} evasion: ECR replication to a registry outside trustedAccounts`, async () => {
        const build = () => {
            new aws.ecr.ReplicationConfiguration("dr", { replicationConfiguration: { rules: [{ destinations: [{ region: "eu-west-1", registryId: "999999999999" }, { region: "eu-central-1", registryId: ACCOUNT }] }] } });
        };
        expectViolations(await evaluate(build, { only: POLICY }), POLICY, []);
        expectViolations(await evaluate(build, { only: POLICY, config: { [POLICY]: { trustedAccounts: [ACCOUNT] } } }), POLICY, [
            "dr: replicationConfiguration.rules[0].destinations[0].registryId shares with account 999999999999, not among trustedAccounts: it may own a copy of every image pushed to the replicated repositories, and whatever their layers hold",
        ]);
    });

    it(`${POLICY}: a separate DomainPolicy open to "*" passes for a VPC-only domain of the program, as the inline form does; not for a public one`, async () => {
        const open = doc(allow({ AWS: "*" }, "es:*", "arn:aws:es:eu-west-1:111122223333:domain/search/*"));
        const report = await evaluate(() => {
            const vpc = new aws.opensearch.Domain("vpc-search", { engineVersion: "OpenSearch_2.13", vpcOptions: { subnetIds: ["subnet-0123456789abcdef0"] } });
            new aws.opensearch.DomainPolicy("vpc-search-access", { domainName: vpc.domainName, accessPolicies: vpc.arn.apply(() => open) });
            const pub = new aws.opensearch.Domain("public-search", { engineVersion: "OpenSearch_2.13" });
            new aws.opensearch.DomainPolicy("public-search-access", { domainName: pub.domainName, accessPolicies: pub.arn.apply(() => open) });
            new aws.opensearch.Domain("named-vpc", { domainName: "named", engineVersion: "OpenSearch_2.13", vpcOptions: { subnetIds: ["subnet-0123456789abcdef0"] } });
            new aws.opensearch.DomainPolicy("named-vpc-access", { domainName: "named", accessPolicies: open });
        }, { only: POLICY });
        expectViolations(report, POLICY, [`public-search-access: accessPolicies: Statement[0] ${openTo("es:*")}`]);
    });

    it(`${POLICY}: with trustedAccounts and trustedOrganizations set, only those accounts and organizations count`, async () => {
        const build = () => {
            new aws.sqs.QueuePolicy("own-account", { queueUrl: QUEUE_URL, policy: doc(allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` }, "sqs:SendMessage", QUEUE)) });
            new aws.sqs.QueuePolicy("partner", { queueUrl: QUEUE_URL, policy: doc(allow({ AWS: "arn:aws:iam::999999999999:role/partner" }, "sqs:SendMessage", QUEUE)) });
            new aws.sqs.QueuePolicy("other-org", { queueUrl: QUEUE_URL, policy: doc(allow("*", "sqs:SendMessage", QUEUE, { StringEquals: { "aws:PrincipalOrgID": "o-zzzzzzzzzz" } })) });
        };
        expectViolations(await evaluate(build, { only: POLICY }), POLICY, []);
        const config = { [POLICY]: { trustedAccounts: [ACCOUNT], trustedOrganizations: [ORG] } };
        expectViolations(await evaluate(build, { only: POLICY, config }), POLICY, [
            "partner: policy: Statement[0] grants account(s) 999999999999, not among trustedAccounts",
            `other-org: policy: Statement[0] ${openTo("sqs:SendMessage")}; aws:PrincipalOrgID does not narrow who`,
        ]);
    });
});
