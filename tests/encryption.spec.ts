import { expect } from "chai";
import { ConfigError, Environment, EnvironmentKey, environmentKeyPolicy } from "../components";
import { policyDocument } from "../components/shared/iam";
import { json, register, Registered, validInput } from "./harness";
import { simulate } from "./iam";

const KEY = "aws:kms/key:Key";

/** Does an IAM ArnLike pattern (with `*` wildcards) match an ARN? */
function arnLike(pattern: string, arn: string): boolean {
    const regex = new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);
    return regex.test(arn);
}

describe("EnvironmentKey", () => {
    let dev: Registered;
    let prod: Registered;
    before(async () => {
        dev = await register(() => new Environment("acme-dev", validInput("dev")));
        prod = await register(() => new Environment("acme-prod", validInput("prod")));
    });

    it("is a customer-managed symmetric key with yearly rotation and an alias", () => {
        const key = dev.one(KEY).inputs;
        expect(key).to.include({ enableKeyRotation: true, rotationPeriodInDays: 365, keyUsage: "ENCRYPT_DECRYPT", customerMasterKeySpec: "SYMMETRIC_DEFAULT" });
        expect(dev.one("aws:kms/alias:Alias").inputs.name).to.equal("alias/envstack/acme-dev");
    });

    it("keeps a 30-day deletion window and protection in prod, and neither in dev", () => {
        expect(prod.one(KEY).inputs.deletionWindowInDays).to.equal(30);
        expect(prod.one(KEY).protect).to.equal(true);
        expect(dev.one(KEY).inputs.deletionWindowInDays).to.equal(7);
        expect(dev.one(KEY).protect).to.equal(false);
    });

    it("lets CloudWatch Logs use the key only for this environment's log groups, and covers every group created", () => {
        for (const registered of [dev, prod]) {
            const policy = json(registered.one(KEY).inputs.policy);
            const logs = policy.Statement.find((s: { Sid: string }) => s.Sid === "CloudWatchLogsForEnvironmentLogGroups");
            expect(logs.Principal).to.deep.equal({ Service: "logs.eu-west-1.amazonaws.com" });
            expect(logs.Action).not.to.include("kms:*");
            const patterns: string[] = logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"];
            const groups = registered.ofType("aws:cloudwatch/logGroup:LogGroup");
            expect(groups.length).to.be.greaterThan(1);
            for (const group of groups) {
                const arn = `arn:aws:logs:eu-west-1:111122223333:log-group:${group.inputs.name}`;
                expect(patterns.some((p) => arnLike(p, arn)), `${arn} is covered by the key policy`).to.equal(true);
            }
            // ...and nobody else's.
            expect(patterns.some((p) => arnLike(p, "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/eks/other-env/cluster"))).to.equal(false);
        }
    });

    it("lets the Auto Scaling service-linked role use the key for node volumes, with grants only for AWS resources", () => {
        const policy = json(dev.one(KEY).inputs.policy);
        const role = "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
        const grants = policy.Statement.find((s: { Sid: string }) => s.Sid === "AutoScalingGrantsForNodeVolumes");
        expect(grants.Principal).to.deep.equal({ AWS: role });
        expect(grants.Condition).to.deep.equal({ Bool: { "kms:GrantIsForAWSResource": "true" } });
        const use = policy.Statement.find((s: { Sid: string }) => s.Sid === "AutoScalingUsesKeyForNodeVolumes");
        expect(use.Action).to.include("kms:GenerateDataKey*");
    });

    it("lets principals of this account use the key through EC2 alone, so Spot and Fleet can create node volumes (simulated)", async () => {
        const key = dev.one(KEY);
        const keyArn = key.outputs.arn as string;
        const keyPolicy = json(key.inputs.policy);
        const role = "arn:aws:iam::111122223333:role/acme-dev-karpenter-controller";
        const outsider = "arn:aws:iam::999988887777:role/attacker";
        // The outsider's own account lets it do anything; only the key policy stands in the way.
        const outsiderPolicies = [policyDocument({ Effect: "Allow", Action: "kms:*", Resource: "*" })];
        const use = (action: string, principal: string, context: Record<string, string>) =>
            simulate(principal === outsider ? outsiderPolicies : [], {
                action,
                resource: keyArn,
                principal,
                resourcePolicy: keyPolicy,
                context: { "kms:CallerAccount": principal.split(":")[4], ...context },
            });
        const viaEc2 = { "kms:ViaService": "ec2.eu-west-1.amazonaws.com" };
        const forAws = { "kms:GrantIsForAWSResource": "true" };
        for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]) {
            expect(await use(action, role, viaEc2), action).to.equal("Allowed");
        }
        expect(await use("kms:CreateGrant", role, { ...viaEc2, ...forAws })).to.equal("Allowed");
        expect(await use("kms:Decrypt", role, {}), "directly, not through EC2").to.equal("ImplicitlyDenied");
        expect(await use("kms:Decrypt", role, { "kms:ViaService": "s3.eu-west-1.amazonaws.com" }), "through another service").to.equal("ImplicitlyDenied");
        expect(await use("kms:Decrypt", role, { "kms:ViaService": "ec2.us-east-1.amazonaws.com" }), "through EC2 in another region").to.equal("ImplicitlyDenied");
        expect(await use("kms:Decrypt", outsider, viaEc2), "another account").to.equal("ImplicitlyDenied");
        expect(await use("kms:CreateGrant", outsider, { ...viaEc2, ...forAws }), "another account's grant").to.equal("ImplicitlyDenied");
        expect(await use("kms:CreateGrant", role, viaEc2), "a grant not for an AWS resource").to.equal("ImplicitlyDenied");
        expect(await use("kms:CreateGrant", role, { ...viaEc2, "kms:GrantIsForAWSResource": "false" })).to.equal("ImplicitlyDenied");
        expect(await use("kms:ScheduleKeyDeletion", role, viaEc2), "administration").to.equal("ImplicitlyDenied");
    });

    it("can leave the Auto Scaling and EC2 grants out, and builds ARNs and service names in the region's partition", () => {
        const args = { environmentName: "cn", region: "cn-north-1", accountId: "111122223333", deletionWindowInDays: 30, protect: true, tags: {} };
        const policy = environmentKeyPolicy({ ...args, allowAutoScaling: false, allowEc2ForAccount: false });
        expect(policy.Statement.map((s) => s.Sid)).to.deep.equal(["AccountAdministersKeyThroughIam", "CloudWatchLogsForEnvironmentLogGroups"]);
        expect(policy.Statement[0].Principal).to.deep.equal({ AWS: "arn:aws-cn:iam::111122223333:root" });
        expect(policy.Statement[1].Principal).to.deep.equal({ Service: "logs.cn-north-1.amazonaws.com.cn" });
        const ec2 = environmentKeyPolicy({ ...args, allowAutoScaling: false }).Statement.find((s) => s.Sid === "AccountUsesKeyThroughEc2ForNodeVolumes")!;
        expect(ec2.Condition).to.deep.equal({ StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": "ec2.cn-north-1.amazonaws.com.cn" } });
    });

    it("lets EC2 use the key on the account's behalf only when Karpenter is on", async () => {
        const withoutKarpenter = await register(() => new Environment("acme-dev", { ...validInput("dev"), karpenter: { enabled: false } }));
        const sids = json(withoutKarpenter.one(KEY).inputs.policy).Statement.map((s: { Sid: string }) => s.Sid);
        expect(sids).to.include("AutoScalingUsesKeyForNodeVolumes").and.not.include("AccountUsesKeyThroughEc2ForNodeVolumes").and.not.include("AccountGrantsThroughEc2ForNodeVolumes");
        expect(json(dev.one(KEY).inputs.policy).Statement.map((s: { Sid: string }) => s.Sid)).to.include("AccountUsesKeyThroughEc2ForNodeVolumes");
    });

    it("used on its own, reports every bad argument before registering anything", async () => {
        let error: unknown;
        const registered = await register(() => {
            try {
                new EnvironmentKey("data", { environmentName: "", region: "europe", accountId: "1234", deletionWindowInDays: 3, protect: true, tags: {} });
            } catch (err) {
                error = err;
            }
        });
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`)).to.deep.equal([
            'environmentName: got ""; allowed: the environment\'s name, e.g. acme-dev (letters, digits, \'-\' and \'_\': it names the key\'s alias)',
            'region: got "europe"; allowed: an AWS region that exists, like eu-west-1 or us-east-1 (38 known; envstack\'s REGIONS lists them)',
            'accountId: got "1234"; allowed: the 12-digit AWS account id, as a quoted string',
            "deletionWindowInDays: got 3; allowed: a whole number of days from 7 to 30 (what KMS accepts)",
        ]);
        expect(registered.all).to.deep.equal([]);
        const valid = await register(() => new EnvironmentKey("data", { environmentName: "acme-dev", region: "eu-west-1", accountId: "111122223333", deletionWindowInDays: 7, protect: false, tags: {} }));
        expect(valid.one(KEY).inputs).to.include({ deletionWindowInDays: 7, enableKeyRotation: true });
    });
});
