import { expect } from "chai";
import { ConfigError, Environment, EnvironmentKey, environmentKeyPolicy } from "../components";
import { json, register, Registered, validInput } from "./harness";

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

    it("can leave the Auto Scaling grant out, and builds ARNs in the region's partition", () => {
        const policy = environmentKeyPolicy({
            environmentName: "cn",
            region: "cn-north-1",
            accountId: "111122223333",
            deletionWindowInDays: 30,
            protect: true,
            allowAutoScaling: false,
            tags: {},
        });
        expect(policy.Statement.map((s) => s.Sid)).to.deep.equal(["AccountAdministersKeyThroughIam", "CloudWatchLogsForEnvironmentLogGroups"]);
        expect(policy.Statement[0].Principal).to.deep.equal({ AWS: "arn:aws-cn:iam::111122223333:root" });
        expect(policy.Statement[1].Principal).to.deep.equal({ Service: "logs.cn-north-1.amazonaws.com.cn" });
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
            'region: got "europe"; allowed: an AWS region name like eu-west-1 (config key aws:region)',
            'accountId: got "1234"; allowed: the 12-digit AWS account id, as a string',
            'environmentName: got ""; allowed: the environment\'s name, e.g. acme-dev',
            "deletionWindowInDays: got 3; allowed: a whole number of days from 7 to 30 (what KMS accepts)",
        ]);
        expect(registered.all).to.deep.equal([]);
        const valid = await register(() => new EnvironmentKey("data", { environmentName: "acme-dev", region: "eu-west-1", accountId: "111122223333", deletionWindowInDays: 7, protect: false, tags: {} }));
        expect(valid.one(KEY).inputs).to.include({ deletionWindowInDays: 7, enableKeyRotation: true });
    });
});
