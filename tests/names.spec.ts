import { expect } from "chai";
import { ConfigError, EnvironmentInput, resolveEnvironmentConfig } from "../components";
import { MAX_ENVIRONMENT_NAME } from "../components/config/schema";
import { Environment } from "../components";
import { register, validInput } from "./harness";

/** AWS's limits on the names envstack's resources get: an explicit name, or Pulumi's auto-name (the resource name and an 8-character suffix). */
const LIMITS: Record<string, { field?: string; max: number }> = {
    "aws:iam/role:Role": { max: 64 },
    "aws:iam/policy:Policy": { max: 128 },
    "aws:cloudwatch/eventRule:EventRule": { max: 64 },
    "aws:sqs/queue:Queue": { field: "name", max: 80 },
    "aws:sns/topic:Topic": { field: "name", max: 256 },
    "aws:ec2/launchTemplate:LaunchTemplate": { field: "name", max: 128 },
    "aws:ec2/securityGroup:SecurityGroup": { max: 255 },
    "eks:index:ManagedNodeGroup": { max: 63 },
    "aws:kms/alias:Alias": { field: "name", max: 256 },
};

function problems(input: EnvironmentInput): string[] {
    try {
        resolveEnvironmentConfig(input);
        return [];
    } catch (err) {
        return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
    }
}

describe("AWS name limits", () => {
    it("the longest allowed names give every IAM role, rule, queue and node group a name AWS accepts", async () => {
        const name = "a".repeat(MAX_ENVIRONMENT_NAME);
        const base = validInput("staging");
        const input = {
            ...base,
            name,
            // Node group names are capped so that, with the longest environment name, EKS's 63 characters hold.
            cluster: { ...base.cluster, nodeGroups: [{ ...base.cluster!.nodeGroups![0], name: "g".repeat(32) }] },
            observability: { prometheus: { enabled: true } },
            teams: [{ name: "t".repeat(20), roleArn: "arn:aws:iam::111122223333:role/t", serviceAccounts: [{ name: "s".repeat(64 - 8 - 1 - name.length - 1 - 20), statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] }] }],
        } as EnvironmentInput;
        expect(problems(input)).to.deep.equal([]);
        const registered = await register(() => new Environment(name, input));
        const checked = new Set<string>();
        for (const r of registered.all) {
            const limit = LIMITS[r.type];
            if (!limit) continue;
            const physical = limit.field ? String(r.inputs[limit.field]) : `${r.name}-1a2b3c4`;
            expect(physical.length, `${r.type} ${physical}`).to.be.at.most(limit.max);
            checked.add(r.type);
        }
        expect([...checked].sort()).to.deep.equal(Object.keys(LIMITS).sort());
    });

    it("refuses, with the field and the room left, a name one character too long", () => {
        const base = validInput("staging");
        expect(problems({ ...base, name: "a".repeat(MAX_ENVIRONMENT_NAME + 1) })[0]).to.match(/^name: got "a{23}"; allowed: lowercase letters, digits and '-', 1 to 22 characters/);
        const name = "acme-staging";
        const account = "s".repeat(64 - 8 - 1 - "acme-staging-payments".length + 1);
        const team = { name: "payments", roleArn: "arn:aws:iam::111122223333:role/p", serviceAccounts: [{ name: account, statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] }] };
        expect(problems({ ...base, name, teams: [team] } as EnvironmentInput)).to.deep.equal([
            `teams[0].serviceAccounts[0].name: got "${account}"; allowed: at most ${account.length - 1} characters here: its IAM role is named "acme-staging-payments-${account}" plus an 8-character suffix, and IAM allows 64`,
        ]);
    });
});
