import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyDocument } from "../components/shared/iam";
import { stackPlans } from "./docs/generated";
import { DocsContext, exercise, scratch } from "./docs/exercise";
import { allBlocks, allCommands, SHELL } from "./docs/markdown";
import { simulate } from "./iam";

describe("the docs' commands", () => {
    let ctx: DocsContext;
    const results: string[] = [];
    before(async function () {
        this.timeout(60_000);
        const blocks = allBlocks().filter((b) => SHELL.includes(b.lang) && !b.tags.includes("team"));
        ctx = { plans: await stackPlans(), all: allCommands(blocks), tmp: scratch(), written: new Map() };
        // Files the docs show in full (```json github-trust-dev.json) exist for the commands that use them.
        for (const b of allBlocks().filter((b) => /^[\w./-]+\.(json|ya?ml)$/.test(b.tags[0] ?? ""))) {
            const file = path.join(ctx.tmp, b.tags[0]);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, b.code);
            ctx.written.set(b.tags[0], file);
        }
    });
    after(() => fs.rmSync(ctx.tmp, { recursive: true, force: true }));

    it("each runs, or is checked against its tool's flags and this repository, and none is unknown", async function () {
        this.timeout(120_000);
        const failures: string[] = [];
        for (const command of ctx.all) {
            try {
                results.push(`${command.text}: ${await exercise(command, ctx)}`);
            } catch (err) {
                failures.push(`${command.block.page}:${command.block.line}: ${command.text}\n    ${(err as Error).message}`);
            }
        }
        expect(failures).to.deep.equal([]);
        expect(ctx.all.length).to.be.greaterThan(30);
    });

    it("refuses a command with a flag its tool lacks, a stack that does not exist, or a role that is not an admin", async () => {
        const block = { page: "test", line: 1, lang: "sh", tags: [], code: "" };
        const wrong = ["pulumi up --stack dev --policy-pack policy --yse", "pulumi preview --stack qa", "aws eks update-kubeconfig --name acme-dev --region eu-west-1 --role-arn arn:aws:iam::111122223333:role/nobody", "kubectl -n payroll get pvc", "helm install x", "npm run plan -- --stack dev --jsn x"];
        for (const text of wrong) {
            const error = await exercise({ text, block }, ctx).then(() => undefined, (err: Error) => err.message);
            expect(error, text).to.be.a("string");
        }
    });

    it("trusts the deploy role to this repository's GitHub environment of the same name only, for STS", () => {
        const trust = JSON.parse(fs.readFileSync(ctx.written.get("github-trust-dev.json")!, "utf8"));
        expect(trust.Statement).to.have.length(1);
        const [statement] = trust.Statement;
        expect(statement.Action).to.equal("sts:AssumeRoleWithWebIdentity");
        expect(statement.Principal).to.deep.equal({ Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" });
        // Exact matches only: no StringLike wildcard could admit a branch, a fork or another environment.
        expect(Object.keys(statement.Condition)).to.deep.equal(["StringEquals"]);
        expect(statement.Condition.StringEquals).to.deep.equal({ "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/platform:environment:dev" });
        // The deploy role is not one the deployer policy lets it change: no role can widen its own rights.
        const policy = JSON.parse(fs.readFileSync(ctx.written.get("deployer-policy.json")!, "utf8"));
        const writable = policy.Statement.filter((x: { Sid: string }) => x.Sid === "EnvironmentRoles")[0].Resource as string[];
        for (const pattern of writable) expect("arn:aws:iam::111122223333:role/envstack-deployer-acme-dev".startsWith(pattern.replace("*", "")), pattern).to.equal(false);
    });

    it("fills in the deployer policy as the README says: it may create every kind of resource the plans hold, in its region, and nothing else", async function () {
        this.timeout(60_000);
        const file = ctx.written.get("deployer-policy.json");
        expect(file, "the README's sed command wrote it").to.be.a("string");
        const text = fs.readFileSync(file!, "utf8");
        expect(text).not.to.match(/ACCOUNT_ID|"REGION"|ENVIRONMENT-|STATE_BUCKET/);
        const policy = JSON.parse(text) as PolicyDocument;
        // A managed policy holds at most 6,144 characters, whitespace aside.
        expect(JSON.stringify(policy).length).to.be.lessThan(6144);
        // A KMS key needs its key policy to delegate to IAM, as envstack's and the default key policy do.
        const keyPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }] };
        const allowed = (action: string, resource: string, region = "eu-west-1", context: Record<string, string> = {}) =>
            simulate([policy], { action, resource, context: { "aws:RequestedRegion": region, ...context }, ...(resource.includes(":key/") ? { resourcePolicy: keyPolicy } : {}) }).catch(
                (err: Error) => `${action} on ${resource}: ${err.message}`,
            );
        const arn = (service: string, rest: string) => `arn:aws:${service}:eu-west-1:111122223333:${rest}`;
        const cluster = arn("eks", "cluster/acme-dev");
        const ADMISSIONS: Record<string, [string, string, Record<string, string>?][]> = {
            "aws:kms/key:Key": [["kms:CreateKey", "*"]],
            "aws:kms/alias:Alias": [["kms:CreateAlias", arn("kms", "alias/envstack/acme-dev")]],
            "aws:cloudwatch/logGroup:LogGroup": [["logs:CreateLogGroup", arn("logs", "log-group:/aws/eks/acme-dev/cluster")]],
            "aws:cloudwatch/eventRule:EventRule": [["events:PutRule", arn("events", "rule/acme-dev-spot")]],
            "aws:cloudwatch/eventTarget:EventTarget": [["events:PutTargets", arn("events", "rule/acme-dev-spot")]],
            "aws:ec2/flowLog:FlowLog": [["ec2:CreateFlowLogs", arn("ec2", "vpc-flow-log/*")]],
            "aws:ec2/launchTemplate:LaunchTemplate": [["ec2:CreateLaunchTemplate", arn("ec2", "launch-template/*")]],
            "aws:ec2/securityGroup:SecurityGroup": [["ec2:CreateSecurityGroup", arn("ec2", "security-group/*")]],
            "aws:ec2/tag:Tag": [["ec2:CreateTags", arn("ec2", "security-group/sg-0123456789abcdef0")]],
            "aws:ec2/vpcEndpoint:VpcEndpoint": [["ec2:CreateVpcEndpoint", arn("ec2", "vpc-endpoint/*")]],
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": [["ec2:AuthorizeSecurityGroupIngress", arn("ec2", "security-group/sg-0123456789abcdef0")]],
            "aws:efs/fileSystem:FileSystem": [["elasticfilesystem:CreateFileSystem", "*"]],
            "aws:efs/mountTarget:MountTarget": [["elasticfilesystem:CreateMountTarget", arn("elasticfilesystem", "file-system/fs-0123456789abcdef0")]],
            "aws:efs/backupPolicy:BackupPolicy": [["elasticfilesystem:PutBackupPolicy", arn("elasticfilesystem", "file-system/fs-0123456789abcdef0")]],
            "aws:efs/fileSystemPolicy:FileSystemPolicy": [["elasticfilesystem:PutFileSystemPolicy", arn("elasticfilesystem", "file-system/fs-0123456789abcdef0")]],
            "aws:eks/accessEntry:AccessEntry": [["eks:CreateAccessEntry", cluster]],
            "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": [["eks:AssociateAccessPolicy", arn("eks", "access-entry/acme-dev/role/111122223333/platform-admin/1ab2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d")]],
            "aws:eks/addon:Addon": [["eks:CreateAddon", cluster]],
            "aws:eks/podIdentityAssociation:PodIdentityAssociation": [["eks:CreatePodIdentityAssociation", cluster]],
            "aws:iam/role:Role": [
                ["iam:CreateRole", "arn:aws:iam::111122223333:role/acme-dev-cluster-1a2b3c4"],
                ["iam:CreateRole", "arn:aws:iam::111122223333:role/envstack/acme-dev/secrets/teams/payments/acme-dev-secrets-payments"],
            ],
            "aws:iam/policy:Policy": [["iam:CreatePolicy", "arn:aws:iam::111122223333:policy/acme-dev-karpenter-node-lifecycle-1a2b3c4"]],
            "aws:iam/rolePolicy:RolePolicy": [["iam:PutRolePolicy", "arn:aws:iam::111122223333:role/acme-dev-node-1a2b3c4"]],
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": [["iam:AttachRolePolicy", "arn:aws:iam::111122223333:role/acme-dev-node-1a2b3c4", { "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" }]],
            "aws:sns/topic:Topic": [["sns:CreateTopic", arn("sns", "acme-dev-alerts")]],
            "aws:sns/topicPolicy:TopicPolicy": [["sns:SetTopicAttributes", arn("sns", "acme-dev-alerts")]],
            "aws:sns/topicSubscription:TopicSubscription": [["sns:Subscribe", arn("sns", "acme-dev-alerts")]],
            "aws:sqs/queue:Queue": [["sqs:CreateQueue", arn("sqs", "acme-dev-karpenter")]],
            "aws:amp/workspace:Workspace": [["aps:CreateWorkspace", "*"], ["logs:CreateLogDelivery", "*"]],
            "aws:sqs/queuePolicy:QueuePolicy": [["sqs:SetQueueAttributes", arn("sqs", "acme-dev-karpenter")]],
            "awsx:ec2:Vpc": [["ec2:CreateVpc", arn("ec2", "vpc/*")], ["ec2:CreateNatGateway", arn("ec2", "natgateway/*")]],
            "eks:index:Cluster": [["eks:CreateCluster", "*"], ["iam:PassRole", "arn:aws:iam::111122223333:role/acme-dev-cluster-1a2b3c4"]],
            "eks:index:ManagedNodeGroup": [["eks:CreateNodegroup", cluster], ["iam:PassRole", "arn:aws:iam::111122223333:role/acme-dev-node-1a2b3c4"]],
        };
        const types = new Set(ctx.plans.flatMap((p) => p.resources.map((r) => r.type)).filter((t) => /^(aws|awsx|eks):/.test(t)));
        expect([...types].filter((t) => !ADMISSIONS[t]), "every AWS type in the plans has a create action here").to.deep.equal([]);
        for (const type of types) for (const [action, resource, context] of ADMISSIONS[type]) expect(await allowed(action, resource, "eu-west-1", context), `${type}: ${action}`).to.equal("Allowed");
        expect(await allowed("iam:CreateServiceLinkedRole", "*", "us-east-1", { "iam:AWSServiceName": "eks.amazonaws.com" })).to.equal("Allowed");
        expect(await allowed("s3:PutObject", "arn:aws:s3:::acme-pulumi-state/.pulumi/stacks/envstack/dev.json")).to.equal("Allowed");

        // And not more: another region, another environment's roles, another service or bucket.
        expect(await allowed("eks:CreateCluster", "*", "us-east-1")).to.equal("ImplicitlyDenied");
        expect(await allowed("iam:CreateRole", "arn:aws:iam::111122223333:role/acme-prod-cluster-1a2b3c4")).to.equal("ImplicitlyDenied");
        expect(await allowed("iam:CreateRole", "arn:aws:iam::111122223333:role/envstack/acme-prod/secrets/teams/payments/acme-prod-secrets-payments")).to.equal("ImplicitlyDenied");
        expect(await allowed("iam:UpdateAssumeRolePolicy", "arn:aws:iam::111122223333:role/envstack/acme-dev-x/secrets/_platform/acme-dev-x-secrets-_platform")).to.equal("ImplicitlyDenied");
        expect(await allowed("iam:PassRole", "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole")).to.equal("ImplicitlyDenied");
        expect(await allowed("iam:CreateUser", "arn:aws:iam::111122223333:user/acme-dev-backdoor")).to.equal("ImplicitlyDenied");
        expect(await allowed("iam:CreateServiceLinkedRole", "*", "eu-west-1", { "iam:AWSServiceName": "rds.amazonaws.com" })).to.equal("ImplicitlyDenied");
        expect(await allowed("rds:CreateDBInstance", arn("rds", "db:acme-dev"))).to.equal("ImplicitlyDenied");
        expect(await allowed("s3:GetObject", "arn:aws:s3:::another-teams-bucket/secrets.json")).to.equal("ImplicitlyDenied");
        // Its own key by tag, the state key by alias; no other key, cluster, log group, topic or queue.
        const key = arn("kms", "key/1ab2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d");
        expect(await allowed("kms:ScheduleKeyDeletion", key, "eu-west-1", { "aws:ResourceTag/environment": "acme-dev" })).to.equal("Allowed");
        expect(await allowed("kms:ScheduleKeyDeletion", key, "eu-west-1", { "aws:ResourceTag/environment": "acme-prod" })).to.equal("ImplicitlyDenied");
        expect(await allowed("kms:PutKeyPolicy", key)).to.equal("ImplicitlyDenied");
        expect(await allowed("kms:Decrypt", key, "us-east-1", { "kms:ResourceAliases": "alias/pulumi-state" })).to.equal("Allowed");
        expect(await allowed("kms:Decrypt", key, "eu-west-1", { "kms:ResourceAliases": "alias/payroll" })).to.equal("ImplicitlyDenied");
        expect(await allowed("eks:CreateAccessEntry", arn("eks", "cluster/acme-prod"))).to.equal("ImplicitlyDenied");
        expect(await allowed("logs:DeleteLogGroup", arn("logs", "log-group:/aws/cloudtrail/org"))).to.equal("ImplicitlyDenied");
        expect(await allowed("sns:SetTopicAttributes", arn("sns", "payroll-events"))).to.equal("ImplicitlyDenied");
        expect(await allowed("sqs:SetQueueAttributes", arn("sqs", "payroll-jobs"))).to.equal("ImplicitlyDenied");
        expect(await allowed("ec2:ModifySnapshotAttribute", "arn:aws:ec2:eu-west-1::snapshot/snap-0123456789abcdef0")).to.equal("ExplicitlyDenied");
        expect(await allowed("ec2:ModifyInstanceAttribute", arn("ec2", "instance/i-0123456789abcdef0"))).to.equal("ExplicitlyDenied");
        // Attaching: only the managed policies the environment uses, never an administrator's.
        const role = "arn:aws:iam::111122223333:role/acme-dev-node-1a2b3c4";
        expect(await allowed("iam:AttachRolePolicy", role, "eu-west-1", { "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" })).to.equal("Allowed");
        expect(await allowed("iam:AttachRolePolicy", role, "eu-west-1", { "iam:PolicyARN": "arn:aws:iam::111122223333:policy/acme-dev-karpenter-zonal-shift-1a2b3c4" })).to.equal("Allowed");
        expect(await allowed("iam:AttachRolePolicy", role, "eu-west-1", { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" })).to.equal("ImplicitlyDenied");
        expect(path.basename(file!)).to.equal("deployer-policy.json");
    });
});
