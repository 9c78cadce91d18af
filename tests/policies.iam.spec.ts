import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrust } from "../components/shared/iam";
import { evaluate, expectViolations } from "./guardrails";
import { Native } from "./nativeResource";

const ACCOUNT = "111122223333";
const ROLE = "workload";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

/** A policy document of these statements, as JSON. */
const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (action: unknown, resource: unknown, extra: object = {}) => ({ Effect: "Allow", Action: action, Resource: resource, ...extra });
/** A role trusting EC2, the usual carrier of identity policies here. */
const ec2Trust = JSON.stringify(serviceTrust("ec2.amazonaws.com"));

describe("IAM guardrails", () => {
    describe("iam-no-admin-access", () => {
        const P = "iam-no-admin-access";

        it("passes scoped policies and narrow AWS-managed policies", async () => {
            const report = await evaluate(() => {
                new aws.iam.Policy("read-bucket", { policy: doc(allow(["s3:GetObject", "s3:ListBucket"], ["arn:aws:s3:::data", "arn:aws:s3:::data/*"])) });
                new aws.iam.Policy("all-on-one-bucket", { policy: doc(allow("s3:*", "arn:aws:s3:::data/*")) });
                new aws.iam.RolePolicy("describe", { role: ROLE, policy: doc(allow("ec2:Describe*", "*")) });
                new aws.iam.RolePolicy("bounded-attach", {
                    role: ROLE,
                    policy: doc(allow("iam:AttachRolePolicy", "*", { Condition: { ArnEquals: { "iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess" } } })),
                });
                new aws.iam.Policy("deny-everything", { policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) });
                new aws.iam.RolePolicyAttachment("worker", { role: ROLE, policyArn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" });
                new aws.iam.Role("with-readonly", { assumeRolePolicy: ec2Trust, managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] });
            }, { only: P });
            expectViolations(report, P, []);
        });

        it("flags Action \"*\" on \"*\" in every identity policy resource, and admin policies on every attachment resource", async () => {
            const admin = doc(allow("*", "*"));
            const report = await evaluate(() => {
                new aws.iam.Policy("policy", { policy: admin });
                new aws.iam.RolePolicy("role-policy", { role: ROLE, policy: admin });
                new aws.iam.UserPolicy("user-policy", { user: "u", policy: admin });
                new aws.iam.GroupPolicy("group-policy", { group: "g", policy: admin });
                new aws.iam.Role("role-inline", { assumeRolePolicy: ec2Trust, inlinePolicies: [{ name: "all", policy: admin }] });
                new aws.iam.RolePolicyAttachment("role-attachment", { role: ROLE, policyArn: ADMIN });
                new aws.iam.UserPolicyAttachment("user-attachment", { user: "u", policyArn: ADMIN });
                new aws.iam.GroupPolicyAttachment("group-attachment", { group: "g", policyArn: "arn:aws:iam::aws:policy/IAMFullAccess" });
                new aws.iam.PolicyAttachment("policy-attachment", { roles: [ROLE], policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" });
            }, { only: P });
            const everything = "Statement[0] allows every action on every resource: administrator access";
            expectViolations(report, P, [
                `policy: policy: ${everything}`,
                `role-policy: policy: ${everything}`,
                `user-policy: policy: ${everything}`,
                `group-policy: policy: ${everything}`,
                `role-inline: inlinePolicies[0] (all): ${everything}`,
                "role-attachment: policyArn attaches the AWS-managed AdministratorAccess: every action on every resource",
                "user-attachment: policyArn attaches the AWS-managed AdministratorAccess: every action on every resource",
                "group-attachment: policyArn attaches the AWS-managed IAMFullAccess: iam:* on every resource: the holder can attach AdministratorAccess to itself",
                "policy-attachment: policyArn attaches the AWS-managed PowerUserAccess: every action but IAM, Organizations and Account on every resource: every service and all data",
            ]);
        });

        it("evasion: NotAction, \"*\" hidden in a list, \"*:*\", NotResource, iam:* on every role, and the exclusive and managedPolicyArns attachments", async () => {
            const report = await evaluate(() => {
                new aws.iam.Policy("not-action", { policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) });
                new aws.iam.Policy("star-in-list", { policy: doc(allow(["s3:*", "*"], ["*"])) });
                new aws.iam.Policy("star-colon-star", { policy: doc(allow("*:*", "arn:aws:*:*:*:*")) });
                new aws.iam.Policy("not-resource", { policy: doc({ Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::audit/*" }) });
                new aws.iam.Policy("iam-star", { policy: doc(allow("iam:*", "arn:aws:iam::*:*")) });
                new aws.iam.Policy("put-role-policy", {
                    policy: doc(allow("iam:Put*", `arn:aws:iam::${ACCOUNT}:role/*`, { Condition: { ArnLike: { "iam:PolicyARN": "arn:aws:iam::aws:policy/*" } } })),
                });
                new aws.iam.Role("managed-arns", { assumeRolePolicy: ec2Trust, managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", ADMIN] });
                new aws.iam.RolePolicyAttachmentsExclusive("exclusive", { roleName: ROLE, policyArns: ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess-Amplify"] });
                new aws.ssoadmin.ManagedPolicyAttachment("permission-set", { instanceArn: "i", permissionSetArn: "p", managedPolicyArn: ADMIN });
            }, { only: P });
            expectViolations(report, P, [
                "not-action: policy: Statement[0] allows every action but iam:* on every resource: administrator access in all but name",
                "star-in-list: policy: Statement[0] allows every action on every resource: administrator access",
                "star-colon-star: policy: Statement[0] allows every action on every resource: administrator access",
                "not-resource: policy: Statement[0] allows every action on every resource: administrator access",
                "iam-star: policy: Statement[0] allows iam:AttachRolePolicy, iam:PutRolePolicy, iam:UpdateAssumeRolePolicy, iam:PutRolePermissionsBoundary, iam:DeleteRolePermissionsBoundary, iam:AttachUserPolicy, iam:PutUserPolicy, iam:CreateAccessKey, iam:CreateLoginProfile, iam:UpdateLoginProfile, iam:PutUserPermissionsBoundary, iam:DeleteUserPermissionsBoundary, iam:AttachGroupPolicy, iam:PutGroupPolicy, iam:AddUserToGroup, iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion on every principal or policy it names: the holder can grant itself any permission",
                "put-role-policy: policy: Statement[0] allows iam:PutRolePolicy, iam:PutRolePermissionsBoundary on every principal or policy it names: the holder can grant itself any permission",
                "managed-arns: managedPolicyArns[1] attaches the AWS-managed AdministratorAccess: every action on every resource",
                "exclusive: policyArns[0] attaches the AWS-managed AdministratorAccess-Amplify: IAM role and policy management with PassRole on every role, which AWS rates as powerful as AdministratorAccess",
                "permission-set: managedPolicyArn attaches the AWS-managed AdministratorAccess: every action on every resource",
            ]);
        });

        it("evasion: admin through Cloud Control and AWS Native roles; forbiddenManagedPolicies extends by name or path", async () => {
            const build = () => {
                new aws.cloudcontrol.Resource("cc-role", {
                    typeName: "AWS::IAM::Role",
                    desiredState: JSON.stringify({ AssumeRolePolicyDocument: JSON.parse(ec2Trust), Policies: [{ PolicyName: "all", PolicyDocument: { Statement: [allow("*", "*")] } }] }),
                });
                new Native("aws-native:iam:Role", "native-role", { assumeRolePolicyDocument: JSON.parse(ec2Trust), managedPolicyArns: [ADMIN] });
                new Native("aws-native:iam:ManagedPolicy", "native-policy", { policyDocument: { Statement: [{ Effect: "Allow", NotAction: ["s3:DeleteBucket"], Resource: "*" }] } });
                new aws.iam.RolePolicyAttachment("sysadmin", { role: ROLE, policyArn: "arn:aws:iam::aws:policy/job-function/SystemAdministrator" });
            };
            expectViolations(await evaluate(build, { only: P }), P, [
                "cc-role: desiredState.Policies[0]: Statement[0] allows every action on every resource: administrator access",
                "native-role: managedPolicyArns[0] attaches the AWS-managed AdministratorAccess: every action on every resource",
                "native-policy: policyDocument: Statement[0] allows every action but s3:DeleteBucket on every resource: administrator access in all but name",
            ]);
            const config = { [P]: { forbiddenManagedPolicies: ["AdministratorAccess", "job-function/SystemAdministrator"] } };
            const report = await evaluate(build, { only: P, config });
            expectViolations(report, P, [
                "cc-role: desiredState.Policies[0]: Statement[0] allows every action on every resource: administrator access",
                "native-role: managedPolicyArns[0] attaches the AWS-managed AdministratorAccess: every action on every resource",
                "native-policy: policyDocument: Statement[0] allows every action but s3:DeleteBucket on every resource: administrator access in all but name",
                "sysadmin: policyArn attaches the AWS-managed job-function/SystemAdministrator: listed in forbiddenManagedPolicies",
            ]);
        });

        it("evasion: IAM writes pinned to an administrator policy by ARN (any partition or case), permissions boundaries removed, policies on the holder's own user, and a policy or attachment that cannot be read", async () => {
            const report = await evaluate(() => {
                new aws.iam.Policy("pinned-to-admin", {
                    policy: doc(allow(["iam:AttachRolePolicy", "iam:AttachUserPolicy"], "*", { Condition: { ArnEquals: { "iam:PolicyARN": ["arn:aws:iam::aws:policy/AdministratorAccess"] } } })),
                });
                new aws.iam.Policy("pinned-govcloud", {
                    policy: doc(allow("iam:AttachRolePolicy", "*", { Condition: { StringEquals: { "iam:PolicyARN": "arn:aws-us-gov:iam::aws:policy/PowerUserAccess" } } })),
                });
                new aws.iam.Policy("pinned-lower-case", {
                    policy: doc(allow("iam:AttachRolePolicy", "*", { Condition: { StringEqualsIgnoreCase: { "iam:PolicyARN": "arn:aws:iam::aws:policy/administratoraccess" } } })),
                });
                new aws.iam.Policy("own-user", { policy: doc(allow(["iam:PutUserPolicy", "iam:CreateAccessKey"], "arn:aws:iam::*:user/${aws:username}")) });
                new aws.iam.Policy("own-keys", { policy: doc(allow(["iam:CreateAccessKey", "iam:UpdateLoginProfile"], "arn:aws:iam::*:user/${aws:username}")) });
                new aws.iam.Policy("drops-boundaries", { policy: doc(allow(["iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"], "arn:aws:iam::*:role/*")) });
                new aws.iam.Role("govcloud-arn", { assumeRolePolicy: ec2Trust, managedPolicyArns: ["arn:aws-cn:iam::aws:policy/AdministratorAccess"] });
                new aws.iam.RolePolicy("not-json", { role: ROLE, policy: "{ Statement: [" });
                new aws.iam.RolePolicy("no-statement", { role: ROLE, policy: JSON.stringify({ Version: "2012-10-17" }) });
                // A value the plan never learns (as from an output the engine cannot answer) is not a pass.
                new aws.iam.RolePolicyAttachment("unknown-arn", { role: ROLE, policyArn: pulumi.output(undefined as unknown as string) });
            }, { only: P });
            const cannot = "the guardrails cannot tell what it allows; give a JSON policy document with a Statement";
            const grant = "on every principal or policy it names: the holder can grant itself any permission";
            expectViolations(report, P, [
                `pinned-to-admin: policy: Statement[0] allows iam:AttachRolePolicy, iam:AttachUserPolicy ${grant}`,
                `pinned-govcloud: policy: Statement[0] allows iam:AttachRolePolicy ${grant}`,
                `pinned-lower-case: policy: Statement[0] allows iam:AttachRolePolicy ${grant}`,
                "own-user: policy: Statement[0] allows iam:PutUserPolicy on the holder's own user: the holder can grant itself any permission",
                `drops-boundaries: policy: Statement[0] allows iam:PutRolePermissionsBoundary, iam:DeleteRolePermissionsBoundary ${grant}`,
                "govcloud-arn: managedPolicyArns[0] attaches the AWS-managed AdministratorAccess: every action on every resource",
                `not-json: policy is not JSON: ${cannot}`,
                `no-statement: policy has no Statement: ${cannot}`,
                "unknown-arn: policyArn is missing (the plan does not know it): the guardrails cannot tell which policy it attaches",
            ]);
        });

        it("evasion: administrator access in all but name: PowerUser by patterns (one statement, per-service ARNs, split statements), a policy that edits itself, sts:AssumeRole on every role", async () => {
            const letters = [..."abcdefghijklmnopqrstuvwxyz"].filter((c) => c !== "i").map((c) => `${c}*`);
            const services = ["s3", "ec2", "lambda", "kms", "secretsmanager", "ssm", "dynamodb", "rds", "eks", "ecr", "ecs", "sqs", "sns", "logs", "cloudtrail", "cloudformation", "guardduty", "config", "route53",
                "elasticloadbalancing", "autoscaling", "glue", "states", "codebuild", "sagemaker", "redshift", "backup", "kinesis", "es", "kafka", "athena", "cloudwatch", "events", "apigateway", "cognito-idp",
                "elasticache", "firehose", "acm", "wafv2", "securityhub"];
            const report = await evaluate(() => {
                new aws.iam.Policy("by-letters", { policy: doc(allow(letters, "*")) });
                new aws.iam.Policy("per-service-arns", { policy: doc(allow(services.map((x) => `${x}:*`), services.map((x) => (x === "s3" ? "arn:aws:s3:::*" : `arn:aws:${x}:*:*:*`)))) });
                new aws.iam.Role("split", {
                    assumeRolePolicy: ec2Trust,
                    inlinePolicies: [
                        { name: "first-half", policy: doc(allow(letters.slice(0, 12), "*")) },
                        { name: "second-half", policy: doc(allow(letters.slice(12), "*")) },
                    ],
                });
                new aws.iam.Policy("self-edit", {
                    name: "app",
                    policy: doc(allow("s3:GetObject", "arn:aws:s3:::data/*"), allow(["iam:CreatePolicyVersion"], `arn:aws:iam::${ACCOUNT}:policy/app`)),
                });
                new aws.iam.Role("edits-attached", {
                    assumeRolePolicy: ec2Trust,
                    managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/team-app`],
                    inlinePolicies: [{ name: "edit", policy: doc(allow("iam:SetDefaultPolicyVersion", `arn:aws:iam::${ACCOUNT}:policy/team-*`)) }],
                });
                new aws.iam.Policy("assume-any", { policy: doc(allow("sts:AssumeRole", "arn:aws:iam::*:role/*")) });
                new aws.iam.Policy("assume-admins", { policy: doc(allow("sts:AssumeRole", "arn:aws:iam::*:role/*Admin*")) });
                new aws.iam.Policy("assume-named", { policy: doc(allow("sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/deployer`)) });
                new aws.iam.Policy("assume-tagged", { policy: doc(allow("sts:AssumeRole", "*", { Condition: { StringEquals: { "aws:ResourceTag/team": "payments" } } })) });
                new aws.iam.Policy("read-many", { policy: doc(allow(["s3:Get*", "ec2:Describe*", "logs:*", "cloudwatch:*"], "*")) });
            }, { only: P });
            const sso = "sso:CreateAccountAssignment, sso:AttachManagedPolicyToPermissionSet, sso:PutInlinePolicyToPermissionSet, sso:AttachCustomerManagedPolicyReferenceToPermissionSet, sso:DeletePermissionsBoundaryFromPermissionSet on every permission set: the holder assigns itself an administrator permission set, or makes its own one, in every account of the organization";
            const eks = "eks:CreateAccessEntry, eks:AssociateAccessPolicy on every cluster: the holder gives itself an access entry with AmazonEKSClusterAdminPolicy, cluster-admin of every cluster";
            const power = "allow 40 of 40 services' key actions (s3:GetObject, ec2:RunInstances, lambda:UpdateFunctionCode, kms:Decrypt, ...) on every resource: administrator access in all but name, as PowerUserAccess";
            const becomes = "the holder becomes any role that trusts its account, administrator roles too; name the roles";
            const rewrites = "on a policy its holder has: the holder can rewrite its own permissions to anything";
            expectViolations(report, P, [
                `by-letters: policy: Statement[0] allows sts:AssumeRole on every role: ${becomes}`,
                `by-letters: policy: Statement[0] allows ${sso}`,
                `by-letters: policy: Statement[0] allows ${eks}`,
                `by-letters: policy: Statement[0] ${power}`,
                `per-service-arns: policy: Statement[0] allows ${eks}`,
                `split: inlinePolicies[1] (second-half): Statement[0] allows ${sso}`,
                `split: inlinePolicies[0] (first-half): Statement[0] allows ${eks}`,
                `per-service-arns: policy: Statement[0] ${power}`,
                `split: inlinePolicies[1] (second-half): Statement[0] allows sts:AssumeRole on every role: ${becomes}`,
                `split: inlinePolicies[0] (first-half): Statement[0], inlinePolicies[1] (second-half): Statement[0] ${power}`,
                `self-edit: policy: Statement[1] allows iam:CreatePolicyVersion ${rewrites}`,
                `edits-attached: inlinePolicies[0] (edit): Statement[0] allows iam:SetDefaultPolicyVersion ${rewrites}`,
                `assume-any: policy: Statement[0] allows sts:AssumeRole on every role: ${becomes}`,
                `assume-admins: policy: Statement[0] allows sts:AssumeRole on aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef, Admin, Administrator: ${becomes}`,
            ]);
        });

        it("evasion: IAM writes on roles of every length but the probe's by lists of ? patterns, short prefixes, and sts:AssumeRole on the CDK deploy role", async () => {
            const lengths = [...Array(18).keys()].map((i) => `arn:aws:iam::*:role/${"?".repeat(i + 1)}`).concat(`arn:aws:iam::*:role/${"?".repeat(20)}*`);
            const report = await evaluate(() => {
                new aws.iam.Policy("role-lengths", { policy: doc(allow(["iam:AttachRolePolicy", "iam:PutRolePolicy"], lengths)) });
                new aws.iam.Policy("user-short", { policy: doc(allow("iam:AttachUserPolicy", ["arn:aws:iam::*:user/a*", "arn:aws:iam::*:user/*z"])) });
                new aws.iam.Policy("cdk-deploy", { policy: doc(allow("sts:AssumeRole", "arn:aws:iam::*:role/cdk-hnb659fds-deploy-role-*")) });
                new aws.iam.Policy("team-roles", { policy: doc(allow("iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/payments-*`)) });
            }, { only: P });
            const grants = "on every principal or policy it names: the holder can grant itself any permission";
            expectViolations(report, P, [
                `role-lengths: policy: Statement[0] allows iam:AttachRolePolicy, iam:PutRolePolicy ${grants}`,
                `user-short: policy: Statement[0] allows iam:AttachUserPolicy ${grants}`,
                "cdk-deploy: policy: Statement[0] allows sts:AssumeRole on cdk-hnb659fds-deploy-role-000000000000-xx-probe-1: the holder becomes any role that trusts its account, administrator roles too; name the roles",
            ]);
        });

        it("evasion: administrator in all but name: the Identity Center admin policies, account assignments and EKS access entries on everything, and a user put into an administrators' group", async () => {
            const report = await evaluate(() => {
                new aws.iam.RolePolicyAttachment("sso-master", { role: ROLE, policyArn: "arn:aws:iam::aws:policy/AWSSSOMasterAccountAdministrator" });
                new aws.iam.RolePolicy("sso-star", { role: ROLE, policy: doc(allow(["sso:*", "identitystore:*"], "*")) });
                new aws.iam.Policy("sso-named", { policy: doc(allow("sso:CreateAccountAssignment", "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef")) });
                new aws.iam.Policy("eks-onboarding", { policy: doc(allow(["eks:CreateAccessEntry", "eks:DescribeCluster"], "*"), allow("eks:AssociateAccessPolicy", "arn:aws:eks:*:*:access-entry/*")) });
                new aws.iam.Policy("eks-entries-only", { policy: doc(allow("eks:CreateAccessEntry", "*")) });
                new aws.iam.UserGroupMembership("bot-admins", { user: "release-bot", groups: ["developers", "Administrators"] });
                new aws.iam.GroupMembership("readers", { group: "readers", users: ["release-bot"] });
            }, { only: P });
            const sso = "sso:CreateAccountAssignment, sso:AttachManagedPolicyToPermissionSet, sso:PutInlinePolicyToPermissionSet, sso:AttachCustomerManagedPolicyReferenceToPermissionSet, sso:DeletePermissionsBoundaryFromPermissionSet";
            const assigns = "the holder assigns itself an administrator permission set, or makes its own one, in every account of the organization";
            expectViolations(report, P, [
                "sso-master: policyArn attaches the AWS-managed AWSSSOMasterAccountAdministrator: full IAM Identity Center control: the holder assigns itself an administrator permission set in every account of the organization",
                `sso-star: policy: Statement[0] allows ${sso} on every permission set: ${assigns}`,
                "eks-onboarding: policy: Statement[0], policy: Statement[1] allow eks:CreateAccessEntry, eks:AssociateAccessPolicy on every cluster: the holder gives itself an access entry with AmazonEKSClusterAdminPolicy, cluster-admin of every cluster",
                "bot-admins: groups[1] adds users to the group Administrators, an administrators' group by its name: membership grants whatever is attached to it outside the program",
            ]);
        });

        it("evasion: IAM writes on the role, user or group holding the policy (by name, autonamed, through Cloud Control); writes on another named role pass", async () => {
            const trust = ec2Trust;
            const report = await evaluate(() => {
                const role = new aws.iam.Role("ci-deployer", { name: "ci-deployer", assumeRolePolicy: trust });
                new aws.iam.RolePolicy("ci-deployer-self", { role: role.name, policy: doc(allow(["iam:AttachRolePolicy", "iam:PutRolePolicy"], `arn:aws:iam::${ACCOUNT}:role/ci-deployer`)) });
                new aws.iam.RolePolicy("ci-deployer-other", { role: role.name, policy: doc(allow("iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/app-runtime`)) });
                new aws.iam.UserPolicy("bot-self", { user: "release-bot", policy: doc(allow("iam:AttachUserPolicy", `arn:aws:iam::${ACCOUNT}:user/release-*`)) });
                new aws.iam.GroupPolicy("ops-self", { group: "ops", policy: doc(allow("iam:PutGroupPolicy", "arn:aws:iam::*:group/ops")) });
                new aws.iam.Role("worker", { assumeRolePolicy: trust, inlinePolicies: [{ name: "grow", policy: doc(allow("iam:AttachRolePolicy", `arn:aws:iam::${ACCOUNT}:role/worker-*`)) }] });
                new aws.cloudcontrol.Resource("cc-attached", {
                    typeName: "AWS::IAM::ManagedPolicy",
                    desiredState: JSON.stringify({ Roles: ["builder"], PolicyDocument: { Statement: [allow("iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/builder`)] } }),
                });
            }, { only: P });
            const grants = "the holder can grant itself any permission";
            expectViolations(report, P, [
                `ci-deployer-self: policy: Statement[0] allows iam:AttachRolePolicy, iam:PutRolePolicy on its own holder (role/ci-deployer): ${grants}`,
                `bot-self: policy: Statement[0] allows iam:AttachUserPolicy on its own holder (user/release-bot): ${grants}`,
                `ops-self: policy: Statement[0] allows iam:PutGroupPolicy on its own holder (group/ops): ${grants}`,
                `worker: inlinePolicies[0] (grow): Statement[0] allows iam:AttachRolePolicy on its own holder (role/worker-0000000): ${grants}`,
                `cc-attached: desiredState.PolicyDocument: Statement[0] allows iam:PutRolePolicy on its own holder (role/builder): ${grants}`,
            ]);
        });

        it("evasion: rewriting a customer policy attached to the holder by a separate attachment, or to a group its user is in", async () => {
            const report = await evaluate(() => {
                const role = new aws.iam.Role("app", { name: "app", assumeRolePolicy: ec2Trust });
                const base = new aws.iam.Policy("app-base", { name: "app-base", policy: doc(allow("s3:GetObject", "arn:aws:s3:::app-assets/*")) });
                new aws.iam.RolePolicyAttachment("app-base", { role: role.name, policyArn: base.arn });
                new aws.iam.RolePolicy("app-maintain", { role: role.name, policy: doc(allow(["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"], `arn:aws:iam::${ACCOUNT}:policy/app-base`)) });
                const shared = new aws.iam.Policy("ops-shared", { name: "ops-shared", policy: doc(allow("logs:GetLogEvents", "*")) });
                new aws.iam.GroupPolicyAttachment("ops-shared", { group: "ops", policyArn: shared.arn });
                new aws.iam.UserGroupMembership("bot-ops", { user: "release-bot", groups: ["ops"] });
                new aws.iam.UserPolicy("bot-maintain", { user: "release-bot", policy: doc(allow("iam:CreatePolicyVersion", "arn:aws:iam::*:policy/ops-*")) });
                new aws.iam.RolePolicy("other-maintain", { role: "unrelated", policy: doc(allow("iam:CreatePolicyVersion", `arn:aws:iam::${ACCOUNT}:policy/app-base`)) });
            }, { only: P });
            const rewrites = "a policy its holder has: the holder can rewrite its own permissions to anything";
            expectViolations(report, P, [
                `app-maintain: policy: Statement[0] allows iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion on arn:aws:iam::${ACCOUNT}:policy/app-base (attached to role/app), ${rewrites}`,
                `bot-maintain: policy: Statement[0] allows iam:CreatePolicyVersion on arn:aws:iam::${ACCOUNT}:policy/ops-shared (attached to group/ops), ${rewrites}`,
            ]);
        });
    });

    describe("iam-passrole-scoped", () => {
        const P = "iam-passrole-scoped";

        it("passes PassRole on named roles and a path of roles; flags it on every role", async () => {
            const report = await evaluate(() => {
                new aws.iam.RolePolicy("node-role", { role: ROLE, policy: doc(allow("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/acme-dev-nodes`)) });
                new aws.iam.RolePolicy("team-prefix", { role: ROLE, policy: doc(allow("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/payments-*`)) });
                new aws.iam.RolePolicy("everything", { role: ROLE, policy: doc(allow("iam:PassRole", "*")) });
                new aws.iam.Policy("all-roles", {
                    policy: doc(allow("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/*`, { Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } })),
                });
            }, { only: P });
            expectViolations(report, P, [
                "everything: policy: Statement[0] allows iam:PassRole (through iam:PassRole) on every role (*): name the roles it may pass",
                `all-roles: policy: Statement[0] allows iam:PassRole (through iam:PassRole) on every role (arn:aws:iam::${ACCOUNT}:role/*): name the roles it may pass`,
            ]);
        });

        it("evasion: iam:Pass*, iam:*, \"*\", NotAction, any account's roles, inline on a Role and through Cloud Control", async () => {
            const report = await evaluate(() => {
                new aws.iam.Policy("pass-star", { policy: doc(allow("iam:Pass*", "*")) });
                new aws.iam.Policy("iam-star", { policy: doc(allow("iam:*", "arn:aws:iam::*:role/*")) });
                new aws.iam.Policy("lowercase", { policy: doc(allow("IAM:passrole", "arn:aws:iam::*:*")) });
                new aws.iam.Policy("not-action", { policy: doc({ Effect: "Allow", NotAction: "s3:*", Resource: "arn:aws:iam::*:role/*" }) });
                new aws.iam.Role("inline", { assumeRolePolicy: ec2Trust, inlinePolicies: [{ name: "pass", policy: doc(allow(["ec2:RunInstances", "iam:PassRole"], "*")) }] });
                new aws.cloudcontrol.Resource("cc-policy", { typeName: "AWS::IAM::ManagedPolicy", desiredState: JSON.stringify({ PolicyDocument: { Statement: [allow("iam:PassRole", "*")] } }) });
            }, { only: P });
            expectViolations(report, P, [
                "pass-star: policy: Statement[0] allows iam:PassRole (through iam:Pass*) on every role (*): name the roles it may pass",
                "iam-star: policy: Statement[0] allows iam:PassRole (through iam:*) on every role (arn:aws:iam::*:role/*): name the roles it may pass",
                "lowercase: policy: Statement[0] allows iam:PassRole (through IAM:passrole) on every role (arn:aws:iam::*:*): name the roles it may pass",
                "not-action: policy: Statement[0] allows iam:PassRole (through every action but s3:*) on every role (arn:aws:iam::*:role/*): name the roles it may pass",
                "inline: inlinePolicies[0] (pass): Statement[0] allows iam:PassRole (through ec2:RunInstances, iam:PassRole) on every role (*): name the roles it may pass",
                "cc-policy: desiredState.PolicyDocument: Statement[0] allows iam:PassRole (through iam:PassRole) on every role (*): name the roles it may pass",
            ]);
        });

        it("evasion: PassRole on roles of every length but the probe's, by ? patterns", async () => {
            const lengths = ["?", "??", "???", "?????????????????", `${"?".repeat(20)}*`].map((p) => `arn:aws:iam::*:role/${p}`);
            const report = await evaluate(() => {
                new aws.iam.Policy("pass-lengths", { policy: doc(allow("iam:PassRole", lengths.slice(3))) });
            }, { only: P });
            expectViolations(report, P, [`pass-lengths: policy: Statement[0] allows iam:PassRole (through iam:PassRole) on every role (${lengths.slice(3).join(", ")}): name the roles it may pass`]);
        });
    });
});
