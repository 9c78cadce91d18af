import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { capacityCeiling, ConfigError, ConfigProblem, EnvironmentInput, resolveEnvironmentConfig, Team } from "../components";
import { readStackInput } from "../stacks/config";
import { register, validInput } from "./harness";

type TeamEntry = NonNullable<EnvironmentInput["teams"]>[number];

const ROLE = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

function problemsOf(input: unknown): ConfigProblem[] {
    try {
        resolveEnvironmentConfig(input as EnvironmentInput);
        return [];
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return [...err.problems];
    }
}
const withTeams = (teams: unknown[], extra: object = {}) => ({ ...validInput("dev"), teams, ...extra });
const at = (list: ConfigProblem[], path: string) => list.filter((p) => p.path === path).map((p) => p.message).join(" | ");

describe("Team config", () => {
    it("reports every bad team value at once, each with its field, the value and what is allowed", () => {
        const list = problemsOf(
            withTeams([
                { name: "Payments_Team", roleArn: "arn:aws:iam::111122223333:user/alice" },
                { name: "monitoring", roleArn: ROLE("a"), quota: { requestsMemory: "10Gb" } },
                { name: "kube-extra", roleArn: ROLE("b"), limits: { defaultCpu: "4", maxCpu: "2" } },
                { name: "search", size: "huge", roleArn: ROLE("platform-admin") },
                { name: "search", roleArn: ROLE("c"), clusterRoles: ["cluster-admin", "view", "view"], quota: { storageByClass: { gp2: "10Gi" }, requestsCpu: "20", limitsCpu: "10" } },
                {
                    name: "ml",
                    roleArn: ROLE("c"),
                    egress: "restricted",
                    serviceAccounts: [{ name: "trainer", statements: [{ actions: ["s3:*", "s3:Get*", "GetObject"], resources: ["my-bucket"] }] }],
                },
            ]),
        );
        expect(at(list, "teams[0].name")).to.match(/got "Payments_Team"; allowed: a DNS-1123 label/);
        expect(at(list, "teams[0].roleArn")).to.match(/got "arn:aws:iam::111122223333:user\/alice"; allowed: an IAM role ARN/);
        expect(at(list, "teams[1].name")).to.match(/got "monitoring"; allowed: any name but kube-system, .*monitoring.*karpenter/);
        expect(at(list, "teams[1].quota.requestsMemory")).to.match(/got "10Gb"; allowed: a Kubernetes quantity/);
        expect(at(list, "teams[2].name")).to.match(/got "kube-extra"/);
        expect(at(list, "teams[2].limits.maxCpu")).to.equal('got "2"; allowed: at least limits.defaultCpu (4)');
        expect(at(list, "teams[3].size")).to.match(/got "huge"; allowed: small, medium, large/);
        expect(at(list, "teams[3].roleArn")).to.match(/not a cluster admin/);
        expect(at(list, "teams[4].name")).to.match(/got "search"; allowed: a name no other team has; teams\[3\]/);
        expect(at(list, "teams[4].clusterRoles[0]")).to.match(/got "cluster-admin"/);
        expect(at(list, "teams[4].clusterRoles[2]")).to.match(/duplicate/);
        expect(at(list, "teams[4].quota.storageByClass.gp2")).to.match(/no StorageClass gp2; allowed classes: gp3, efs/);
        expect(at(list, "teams[4].quota.requestsCpu")).to.match(/got "20"; allowed: quota.requestsCpu \(20\) at most quota.limitsCpu \(10\)/);
        expect(at(list, "teams[5].roleArn")).to.match(/a role no other team has .*teams\[4\]/);
        expect(at(list, "teams[5].egress")).to.match(/got "restricted"; allowed: open for a team with serviceAccounts/);
        const sa = "teams[5].serviceAccounts[0].statements[0]";
        expect(at(list, `${sa}.actions[0]`)).to.match(/got "s3:\*"; allowed: explicit actions/);
        expect(at(list, `${sa}.actions[1]`)).to.match(/got "s3:Get\*"; allowed: explicit actions/);
        expect(at(list, `${sa}.actions[2]`)).to.match(/got "GetObject"; allowed: an IAM action/);
        expect(at(list, `${sa}.resources[0]`)).to.match(/got "my-bucket"; allowed: an ARN/);
        expect(list.filter((p) => p.path.startsWith("teams"))).to.have.length(19);
    });

    it("accepts YAML numbers as quantities, and refuses unknown fields by name", () => {
        const ok = resolveEnvironmentConfig(withTeams([{ name: "batch", roleArn: ROLE("batch"), quota: { requestsCpu: 2, limitsCpu: 4, storageByClass: { efs: 0 } } }]) as EnvironmentInput);
        expect(ok.teams[0].quota).to.deep.include({ requestsCpu: "2", limitsCpu: "4", storageByClass: { efs: "0" } });
        expect(ok.teams[0]).to.deep.include({ size: "small", podSecurity: "baseline", egress: "open", clusterRoles: [], serviceAccounts: [] });
        const list = problemsOf(withTeams([{ name: "batch", roleArn: ROLE("batch"), quota: { cores: "2", gpu: 1 } }]));
        expect(at(list, "teams[0].quota.cores")).to.match(/unknown field; allowed here: requestsCpu, limitsCpu/);
        expect(at(list, "teams[0].quota.gpu")).to.match(/unknown field; did you mean "gpus"/);
    });

    it("sums the teams' requests against the capacity ceiling and names the teams when over-committed", () => {
        const input = validInput("dev");
        // dev: a 6 x m7i.large Spot group (12 vCPU, 48 GiB) plus Karpenter's 32 vCPU / 128 GiB.
        expect(capacityCeiling(resolveEnvironmentConfig(input) as never)).to.deep.include({ cpu: 44, memoryBytes: 176 * 2 ** 30 });
        const large = (name: string) => ({ name, size: "large", roleArn: ROLE(name) });
        const list = problemsOf(withTeams([large("search"), large("ml"), { name: "web", roleArn: ROLE("web") }]));
        const message = at(list, "teams");
        // 64 + 64 + 4 = 132 vCPU over 44 x 2 = 88.
        expect(message).to.contain("the teams' CPU requests add up to 132, over the ceiling of 44 (node group spot (6 x 2 vCPU) + Karpenter (32 vCPU)) x teamOvercommitFactor 2 = 88");
        expect(message).to.contain("teams: search (64), ml (64), web (4)");
        // Memory (128 + 128 + 8 = 264Gi) is within 176Gi x 2.
        expect(message).not.to.contain("memory");
        // Raising the factor, or the ceiling, clears it.
        expect(problemsOf(withTeams([large("search"), large("ml"), { name: "web", roleArn: ROLE("web") }], { teamOvercommitFactor: 3 }))).to.deep.equal([]);
        expect(problemsOf(withTeams([large("search")], { karpenter: { enabled: false }, cluster: { ...validInput("dev").cluster, nodeGroups: [] } })).map((p) => p.message).join()).to.contain("(no general node group and Karpenter off)");
    });

    it("validates a Team used on its own before registering anything", async () => {
        const args = {
            name: "payments",
            roleArn: "not-an-arn",
            quota: { limitsMemory: "lots" },
            environmentName: "acme-dev",
            clusterName: "acme-dev",
            region: "eu-west-1",
            accountId: "111122223333",
            kubernetesVersion: "1.35",
            storageClasses: ["gp3"],
            monitoring: false,
            protect: false,
            tags: {},
        };
        let error: unknown;
        const registered = await register(() => {
            try {
                new Team("payments", { ...args, k8sProvider: new k8s.Provider("k8s", {}) } as never);
            } catch (err) {
                error = err;
            }
        });
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as ConfigError).problems.map((p) => p.path)).to.have.members(["roleArn", "quota.limitsMemory"]);
        expect(registered.all.map((r) => r.type)).to.deep.equal(["pulumi:providers:kubernetes"]);
    });

    it("reads envstack:teams and envstack:teamOvercommitFactor from the stack file", () => {
        const base = { "aws:region": "eu-west-1", "envstack:tier": "dev", "envstack:accountId": "111122223333", "envstack:owner": "platform-team" };
        const config = {
            ...base,
            "envstack:network": JSON.stringify(validInput("dev").network),
            "envstack:cluster": JSON.stringify(validInput("dev").cluster),
            "envstack:teams": JSON.stringify([{ name: "web", roleArn: ROLE("web") } satisfies TeamEntry]),
            "envstack:teamOvercommitFactor": "1.25",
        };
        const input = readStackInput(config);
        expect(input.teams).to.deep.equal([{ name: "web", roleArn: ROLE("web") }]);
        expect(input.teamOvercommitFactor).to.equal(1.25);
        expect(() => readStackInput({ ...config, "envstack:teamOvercommitFactor": "lots" })).to.throw(ConfigError, /envstack:teamOvercommitFactor: got "lots"/);
    });
});
