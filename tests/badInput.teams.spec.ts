import { expect } from "chai";
import { ConfigError, Environment, EnvironmentKey, EnvironmentKeyArgs, Observability, ObservabilityArgs, Team, TeamArgs, TeamNetworkGuard, TeamNetworkGuardArgs } from "../components";
import { describeTables, KEY_ARN, row, Table, WHERE } from "./badInput";
import { register } from "./harness";

/**
 * Bad arguments to the observability, key and team components used on their own: each row is
 * refused with a ConfigError naming the argument path, the value and what is allowed, before
 * anything is registered.
 */

type Any = any;

const observability: Table<ObservabilityArgs> = {
    name: "Observability",
    valid: (ctx) => ({
        ...ctx.config.observability,
        ...WHERE,
        kubernetesVersion: "1.35",
        versions: ctx.config.versions,
        logRetentionInDays: 30,
        kmsKeyArn: KEY_ARN,
        storageClassName: "gp3",
        scrapeKarpenter: false,
        k8sProvider: ctx.provider,
        dependsOn: [ctx.nodes],
        tags: {},
    }),
    build: (_, args) => new Observability("o", args),
    rows: [
        row("a malformed email", (a) => (a.alerts = { email: "oncall@" }), "alerts.email", '"oncall@"', "an email address"),
        row("an email with a space", (a) => (a.alerts = { email: "on call@example.com" }), "alerts.email", '"on call@example.com"', "an email address"),
        row("an endpoint over plain HTTP", (a) => (a.alerts = { httpsEndpoint: "http://hooks.example.com/x" }), "alerts.httpsEndpoint", '"http://hooks.example.com/x"', "an https:// URL"),
        row("a retention in words", (a) => (a.prometheus.retention = "15 days"), "prometheus.retention", '"15 days"', "a Prometheus duration"),
        row("a CPU request in words", (a) => (a.prometheus.cpu = "lots"), "prometheus.cpu", '"lots"', "a Kubernetes quantity"),
        row("a size retention larger than the volume", (a) => ((a.prometheus.storageGiB = 50), (a.prometheus.retentionSizeGB = 100)), "prometheus.retentionSizeGB", "got 100", "at most 45"),
        row("a StorageClass name with capitals", (a) => (a.storageClassName = "GP3!"), "storageClassName", '"GP3!"', "a StorageClass name"),
        row("room for no nodes", (a) => (a.maxNodes = 0), "maxNodes", "got 0", ">= 1"),
        row("a team namespace with a space", (a) => (a.teams = [{ name: "team a" }]), "teams[0].name", '"team a"', "a DNS label"),
        row("a log retention CloudWatch lacks", (a) => (a.logRetentionInDays = 10), "logRetentionInDays", "got 10", "7, 14, 30"),
        row("a version missing from the version map", (a) => (a.kubernetesVersion = "1.20"), "kubernetesVersion", '"1.20"', "allowed: 1.34, 1.35"),
        row("no provider", (a: Any) => delete a.k8sProvider, "k8sProvider", "is required", "a Kubernetes provider"),
    ],
};

const key: Table<EnvironmentKeyArgs> = {
    name: "EnvironmentKey",
    valid: () => ({ environmentName: "acme-dev", region: "eu-west-1", accountId: "111122223333", deletionWindowInDays: 7, protect: false, tags: {} }),
    build: (_, args) => new EnvironmentKey("key", args),
    rows: [
        row("a deletion window of 3 days", (a) => (a.deletionWindowInDays = 3), "deletionWindowInDays", "got 3", "from 7 to 30"),
        row("a deletion window of 7.5 days", (a) => (a.deletionWindowInDays = 7.5), "deletionWindowInDays", "got 7.5", "a whole number"),
        row("no environment name", (a) => (a.environmentName = ""), "environmentName", 'got ""', "the environment's name"),
        row("a short account id", (a) => (a.accountId = "1234"), "accountId", '"1234"', "the 12-digit AWS account id"),
        row("an account id as a number", (a: Any) => (a.accountId = 111122223333), "accountId", "got 111122223333", "as text in quotes"),
        row("a region that is a continent", (a) => (a.region = "europe"), "region", '"europe"', "an AWS region that exists"),
        row("a queue name with a space", (a) => (a.interruptionQueueName = "a b"), "interruptionQueueName", '"a b"', "an SQS queue name"),
        row("an environment name with a newline", (a) => (a.environmentName = "acme\ndev"), "environmentName", '"acme\\ndev"', "the environment's name"),
    ],
};

const team: Table<TeamArgs> = {
    name: "Team",
    valid: (ctx) => ({
        ...WHERE,
        name: "search",
        roleArn: "arn:aws:iam::111122223333:role/search-developers",
        environmentName: "acme-dev",
        kubernetesVersion: "1.35",
        storageClasses: ["gp3", "efs"],
        monitoring: false,
        protect: false,
        k8sProvider: ctx.provider,
        tags: {},
    }),
    build: (_, args) => new Team("t", args),
    rows: [
        row("a role that is no ARN", (a) => (a.roleArn = "admin"), "roleArn", '"admin"', "IAM role ARN"),
        row("a memory limit in words", (a) => (a.quota = { limitsMemory: "lots" }), "quota.limitsMemory", '"lots"', "quantity"),
        row("s3:GetObject on every bucket", (a) => (a.serviceAccounts = [{ name: "reader", statements: [{ actions: ["s3:GetObject"], resources: ["*"] }] }]), "serviceAccounts[0].statements[0].resources[0]", 'got "*"', "it supports resource-level permissions"),
        row("a wildcard action", (a) => (a.serviceAccounts = [{ name: "reader", statements: [{ actions: ["s3:*"], resources: ["arn:aws:s3:::ledger/*"] }] }]), "serviceAccounts[0].statements[0].actions[0]", '"s3:*"', "explicit actions"),
        row("an action S3 does not have", (a) => (a.serviceAccounts = [{ name: "reader", statements: [{ actions: ["s3:GetObjekt"], resources: ["arn:aws:s3:::ledger/*"] }] }]), "serviceAccounts[0].statements[0].actions[0]", '"s3:GetObjekt"', "an action s3 has"),
        row("a service that does not exist", (a) => (a.serviceAccounts = [{ name: "reader", statements: [{ actions: ["s4:GetObject"], resources: ["arn:aws:s3:::ledger/*"] }] }]), "serviceAccounts[0].statements[0].actions[0]", '"s4:GetObject"', 'there is no service "s4"'),
        row("a system namespace", (a) => (a.name = "kube-system"), "name", '"kube-system"', "allowed: any name"),
        row("an unknown size", (a: Any) => (a.size = "huge"), "size", '"huge"', "small"),
        row("a StorageClass name with capitals", (a) => (a.storageClasses = ["GP3"]), "storageClasses[0]", '"GP3"', "a StorageClass name"),
        row("an unknown egress mode", (a: Any) => (a.egress = "sometimes"), "egress", '"sometimes"', "open"),
        row("monitoring as text", (a: Any) => (a.monitoring = "no"), "monitoring", '"no"', "true or false"),
        row("a service account with capitals", (a) => (a.serviceAccounts = [{ name: "Reader", statements: [{ actions: ["sts:GetCallerIdentity"], resources: ["*"] }] }]), "serviceAccounts[0].name", '"Reader"', "a DNS-1123 label"),
    ],
};

const guard: Table<TeamNetworkGuardArgs> = {
    name: "TeamNetworkGuard",
    valid: (ctx) => ({ k8sProvider: ctx.provider, vpcCidr: "10.40.0.0/16" }),
    build: (_, args) => new TeamNetworkGuard("guard", args),
    rows: [
        row("a VPC range with host bits", (a) => (a.vpcCidr = "10.40.0.1/16"), "vpcCidr", '"10.40.0.1/16"', "the VPC's IPv4 CIDR"),
        row("a VPC range with leading zeros", (a) => (a.vpcCidr = "10.040.0.0/16"), "vpcCidr", '"10.040.0.0/16"', "the VPC's IPv4 CIDR"),
        row("no provider", (a: Any) => delete a.k8sProvider, "k8sProvider", "is required", "a Kubernetes provider"),
        row("the whole internet as the VPC", (a) => (a.vpcCidr = "0.0.0.0/0"), "vpcCidr", '"0.0.0.0/0"', "private space"),
    ],
};

describe("Environment with no arguments", () => {
    it("refuses them as a config error, before registering anything", async () => {
        let thrown: unknown;
        const registered = await register(() => {
            try {
                new Environment("e", null as never);
            } catch (err) {
                thrown = err;
            }
        });
        expect(thrown).to.be.instanceOf(ConfigError);
        expect((thrown as ConfigError).problems.map((p) => p.path)).to.include.members(["name", "region", "accountId"]);
        expect(registered.all).to.deep.equal([]);
    });
});

const tables: Table<Any>[] = [observability, key, team, guard];

describeTables("bad arguments to observability, keys and teams used on their own", tables);
