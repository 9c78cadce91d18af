import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { runPlan } from "../plan/run";
import { REPO, runCli } from "./harness";

/**
 * Bad stack files, as a new user writes them: each row plans the real program with one thing
 * made bad in a copy of a stack file. The plan must fail on config (the command exits 2), name
 * the config key, show the value and say what is allowed, and register nothing but the root
 * stack. Files the reader cannot take (not a map, .inf, an alias bomb) end the command with one
 * line and exit 2.
 */

type Config = Record<string, any>;
interface Row {
    what: string;
    stack?: "dev" | "prod";
    change: (config: Config) => void;
    key: string;
    shows: string;
    allows: string;
}

const row = (what: string, change: (c: Config) => void, key: string, shows: string, allows: string, stack: "dev" | "prod" = "dev"): Row => ({ what, change, key, shows, allows, stack });
const nodeGroup = (c: Config) => c["envstack:cluster"].nodeGroups[0];
const budgets = (c: Config, value: unknown) => (c["envstack:karpenter"] = { ...c["envstack:karpenter"], budgets: value });
const serviceAccount = (statement: object) => [{ name: "payments", roleArn: "arn:aws:iam::111122223333:role/payments-developers", serviceAccounts: [{ name: "reader", statements: [statement] }] }];

const ROWS: Row[] = [
    row("a misspelt namespace", (c) => (c["envstak:karpenter"] = { maxCpu: 8 }), "envstak:karpenter", 'namespace "envstak"', 'did you mean "envstack"'),
    row("a namespace no package reads", (c) => (c["kubernetes:context"] = "prod"), "kubernetes:context", 'namespace "kubernetes"', "allowed namespaces: envstack, aws, pulumi"),
    row("a misspelt envstack key", (c) => (c["envstack:karpentr"] = { maxCpu: 8 }), "envstack:karpentr", "unknown config key", 'did you mean "envstack:karpenter"'),
    row("a misspelt aws key", (c) => (c["aws:profil"] = "dev"), "aws:profil", "unknown config key", 'did you mean "aws:profile"'),
    row("a region on Mars", (c) => (c["aws:region"] = "mars-1"), "aws:region", '"mars-1"', "an AWS region that exists"),
    row("a region that does not exist", (c) => (c["aws:region"] = "eu-west-9"), "aws:region", '"eu-west-9"', 'did you mean "eu-west-1"'),
    row("an unknown tier", (c) => (c["envstack:tier"] = "qa"), "envstack:tier", '"qa"', "dev, staging, prod"),
    row("a short account id", (c) => (c["envstack:accountId"] = "1234"), "envstack:accountId", '"1234"', "the 12-digit AWS account id"),
    row("a name with capitals", (c) => (c["envstack:name"] = "Acme_Dev"), "envstack:name", '"Acme_Dev"', "lowercase letters"),
    row("an owner with a newline", (c) => (c["envstack:owner"] = "platform\nteam"), "envstack:owner", '"platform\\nteam"', "letters, digits, spaces"),
    row("an owner with shell characters", (c) => (c["envstack:owner"] = "ops; rm -rf /"), "envstack:owner", '"ops; rm -rf /"', "letters, digits, spaces"),
    row("an owner with an emoji", (c) => (c["envstack:owner"] = "ops \u{1F525}"), "envstack:owner", "ops", "letters, digits, spaces"),
    row("an owner of 100 KB", (c) => (c["envstack:owner"] = "x".repeat(100_000)), "envstack:owner", "...", "at most 256 characters"),
    row("a tag envstack sets", (c) => (c["envstack:tags"] = { owner: "me" }), "envstack:tags.owner", '"owner"', "envstack sets from the environment"),
    row("a tag key AWS reserves", (c) => (c["envstack:tags"] = { "aws:cost": "x" }), "envstack:tags.aws:cost", '"aws:cost"', "not starting with aws:"),
    row("a tag value with a newline", (c) => (c["envstack:tags"] = { team: "a\nb" }), "envstack:tags.team", '"a\\nb"', "letters, digits, spaces"),
    row("tags as a list", (c) => (c["envstack:tags"] = ["a", "b"]), "envstack:tags", '["a","b"]', "a map of keys to values"),
    row("a whole section as text", (c) => (c["envstack:cluster"] = "big"), "envstack:cluster", '"big"', "a YAML map or list"),
    row("a CIDR with leading zeros", (c) => (c["envstack:network"].cidr = "10.040.0.0/16"), "envstack:network.cidr", '"10.040.0.0/16"', "without leading zeros"),
    row("an AZ the region lacks", (c) => (c["envstack:network"].availabilityZones = ["eu-west-1a", "eu-west-1q"]), "envstack:network.availabilityZones[1]", '"eu-west-1q"', "eu-west-1a, eu-west-1b, eu-west-1c"),
    row(
        "a subnet both private and public",
        (c) => (c["envstack:network"].existingVpc = { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"], publicSubnetIds: ["subnet-0123456789abcdef1"] }),
        "envstack:network.existingVpc.publicSubnetIds[0]",
        '"subnet-0123456789abcdef1"',
        "each id once",
    ),
    row("a load balancer controller chart of another release", (c) => (c["envstack:versions"] = { charts: { awsLoadBalancerController: { version: "3.6.0" } } }), "envstack:versions.charts.awsLoadBalancerController.version", '"3.6.0"', "a 3.5.x release"),
    row("a GPU family not in the catalogue", (c) => (c["envstack:karpenter"] = { ...c["envstack:karpenter"], gpu: { enabled: true, instanceFamilies: ["g4dn"] } }), "envstack:karpenter.gpu.instanceFamilies[0]", '"g4dn"', "g5, g6, g6e"),
    row("a GPU pool without GPUs", (c) => (c["envstack:karpenter"] = { ...c["envstack:karpenter"], gpu: { enabled: true, maxGpus: 0 } }), "envstack:karpenter.gpu.maxGpus", "got 0", "a number > 0"),
    row("GPUs on reserved capacity", (c) => (c["envstack:karpenter"] = { ...c["envstack:karpenter"], gpu: { enabled: true, capacityTypes: ["reserved"] } }), "envstack:karpenter.gpu.capacityTypes[0]", '"reserved"', "on-demand"),
    row("GPU nodes that expire every ten minutes", (c) => (c["envstack:karpenter"] = { ...c["envstack:karpenter"], gpu: { enabled: true, expireAfter: "10m" } }), "envstack:karpenter.gpu.expireAfter", '"10m"', "at least 1h"),
    row("an accelerator of another maker", (c) => (nodeGroup(c).accelerator = "amd"), "envstack:cluster.nodeGroups[0].accelerator", '"amd"', "nvidia"),
    row("a team granted half a GPU", (c) => (c["envstack:teams"] = [{ name: "ml", roleArn: "arn:aws:iam::111122223333:role/ml", quota: { gpus: 0.5 } }]), "envstack:teams[0].quota.gpus", "0.5", "a whole number"),
    row("an add-on envstack does not have", (c) => (c["envstack:platform"] = { certManager: { enabled: true } }), "envstack:platform.certManager", "unknown", "externalDns"),
    row("a hosted zone given by name only", (c) => (c["envstack:platform"] = { externalDns: { zones: [{ id: "apps.acme.example", name: "apps.acme.example" }] } }), "envstack:platform.externalDns.zones[0].id", '"apps.acme.example"', "a hosted zone id"),
    row("a zone listed twice", (c) => (c["envstack:platform"] = { externalDns: { zones: [{ id: "Z0123", name: "a.example" }, { id: "Z0123", name: "b.example" }] } }), "envstack:platform.externalDns.zones[1].id", '"Z0123"', "each zone once"),
    row("an ExternalDNS policy that is no policy", (c) => (c["envstack:platform"] = { externalDns: { policy: "create-only" } }), "envstack:platform.externalDns.policy", '"create-only"', "upsert-only"),
    row("no replicas of the load balancer controller", (c) => (c["envstack:platform"] = { loadBalancerController: { replicas: 0 } }), "envstack:platform.loadBalancerController.replicas", "got 0", "a number >= 1"),
    row("the secrets operator switched on by a word", (c) => (c["envstack:platform"] = { externalSecrets: { enabled: "yes" } }), "envstack:platform.externalSecrets.enabled", '"yes"', "true or false"),
    row("overlapping endpoint CIDRs", (c) => (c["envstack:cluster"].endpoint.publicAccessCidrs = ["203.0.113.0/24", "203.0.113.7/32"]), "envstack:cluster.endpoint.publicAccessCidrs[1]", '"203.0.113.7/32"', "do not overlap"),
    row(
        "a prod endpoint open to the internet in two halves",
        (c) => (c["envstack:cluster"].endpoint = { publicAccess: true, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }),
        "envstack:cluster.endpoint.publicAccessCidrs",
        '"0.0.0.0/1"',
        "allowed in prod: at most 65,536",
        "prod",
    ),
    row("a node group of 5,000", (c) => (nodeGroup(c).maxSize = 5000), "envstack:cluster.nodeGroups[0].maxSize", "got 5000", "at most 450"),
    row("a node group over the tier's ceiling", (c) => (nodeGroup(c).maxSize = 40), "envstack:cluster.nodeGroups[0].maxSize", "got 40", "at most 10 nodes in a dev node group"),
    row("an instance size EC2 lacks", (c) => (nodeGroup(c).instanceTypes = ["m7i.huge", "m6i.large"]), "envstack:cluster.nodeGroups[0].instanceTypes[0]", '"m7i.huge"', "m7i has no size huge"),
    row("a node label value with a newline", (c) => (nodeGroup(c).labels = { workload: "a\nb" }), "envstack:cluster.nodeGroups[0].labels.workload", '"a\\nb"', "a label value"),
    row("a version missing from the version map", (c) => (c["envstack:cluster"].kubernetesVersion = "1.99"), "envstack:cluster.kubernetesVersion", '"1.99"', "allowed: 1.34, 1.35"),
    row("a Spot share of 150%", (c) => (c["envstack:karpenter"].spotPercentage = 150), "envstack:karpenter.spotPercentage", "got 150", "<= 100"),
    row("a budget schedule of any five words", (c) => budgets(c, [{ nodes: "1", schedule: "when it is quiet at night", duration: "1h" }]), "envstack:karpenter.budgets[0].schedule", '"when it is quiet at night"', "cron schedule"),
    row("a budget schedule with seconds", (c) => budgets(c, [{ nodes: "1", schedule: "0 0 8 * * mon", duration: "1h" }]), "envstack:karpenter.budgets[0].schedule", '"0 0 8 * * mon"', "have five"),
    row("a reclaim policy of Keep", (c) => (c["envstack:storage"] = { reclaimPolicy: "Keep" }), "envstack:storage.reclaimPolicy", '"Keep"', "Retain"),
    row("a deletion window of 3 days", (c) => (c["envstack:kms"] = { deletionWindowInDays: 3 }), "envstack:kms.deletionWindowInDays", "got 3", ">= 7"),
    row("a malformed alert email", (c) => (c["envstack:observability"] = { alerts: { email: "oncall@" } }), "envstack:observability.alerts.email", '"oncall@"', "an email address"),
    row("a team on a system namespace", (c) => (c["envstack:teams"] = [{ name: "kube-system", roleArn: "arn:aws:iam::111122223333:role/sys" }]), "envstack:teams[0].name", '"kube-system"', "allowed: any name"),
    row("s3:GetObject on every bucket", (c) => (c["envstack:teams"] = serviceAccount({ actions: ["s3:GetObject"], resources: ["*"] })), "envstack:teams[0].serviceAccounts[0].statements[0].resources[0]", 'got "*"', "it supports resource-level permissions"),
    row("an action IAM does not have", (c) => (c["envstack:teams"] = serviceAccount({ actions: ["dynamodb:GetIteam"], resources: ["*"] })), "envstack:teams[0].serviceAccounts[0].statements[0].actions[0]", '"dynamodb:GetIteam"', "an action dynamodb has"),
    row("a key with an extra colon", (c) => (c["envstack:tier:x"] = "prod"), "envstack:tier:x", "unknown config key", "allowed: envstack:name"),
    row("an aws key with an extra colon", (c) => (c["aws:profile:dev"] = "dev"), "aws:profile:dev", "unknown config key", "the AWS provider's keys"),
    row("ignoreTags with a string for a list", (c) => (c["aws:ignoreTags"] = { keys: "cost-center" }), "aws:ignoreTags", 'keys: got "cost-center"', "a YAML list of strings"),
    row("a profile given as a list", (c) => (c["aws:profile"] = ["dev", "prod"]), "aws:profile", 'got "[\\"dev\\",\\"prod\\"]"', "a profile name"),
    row("negative retries", (c) => (c["aws:maxRetries"] = -5), "aws:maxRetries", "got -5", "from 0 to 100"),
    row("a retry mode AWS lacks", (c) => (c["aws:retryMode"] = "sometimes"), "aws:retryMode", '"sometimes"', "standard, adaptive"),
    row(
        "a plain team alert URL beside a secret one, in prod",
        (c) =>
            (c["envstack:teams"] = [
                { name: "payments", roleArn: "arn:aws:iam::111122223333:role/payments-developers", alerts: { httpsEndpoint: { secure: "v1:abcdef" } } },
                { name: "analytics", roleArn: "arn:aws:iam::111122223333:role/analytics-developers", alerts: { httpsEndpoint: "https://events.example.com/PLAINKEY" } },
            ]),
        "envstack:teams[1].alerts.httpsEndpoint",
        "a plain value in prod",
        "allowed: a secret",
        "prod",
    ),
    row("a chart from a plain-HTTP URL", (c) => (c["envstack:versions"] = { charts: { karpenter: { chart: "http://charts.example.com/karpenter.tgz", version: "1.14.1" } } }), "envstack:versions.charts.karpenter.chart", '"http://charts.example.com/karpenter.tgz"', "an oci:// chart reference"),
    row("a repository Karpenter's chart ignores", (c) => (c["envstack:versions"] = { charts: { karpenter: { repository: "https://charts.example.com" } } }), "envstack:versions.charts.karpenter.repository", "unknown field", "allowed here: chart, version"),
    row("a node label the kubelet refuses", (c) => (nodeGroup(c).labels = { "node-role.kubernetes.io/worker": "true" }), "envstack:cluster.nodeGroups[0].labels.node-role.kubernetes.io/worker", '"node-role.kubernetes.io/worker"', "outside the kubernetes.io and k8s.io domains"),
    row(
        "NAT settings with an adopted VPC",
        (c) => (c["envstack:network"] = { ...c["envstack:network"], natGateways: "OnePerAz", existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"] } }),
        "envstack:network.natGateways",
        '"OnePerAz"',
        "nothing with network.existingVpc",
    ),
    row(
        "an EFS volume with EFS off",
        (c) => (c["envstack:storage"] = { efs: { enabled: false }, staticVolumes: [{ name: "data", namespace: "analytics", accessMode: "ReadWriteMany", capacity: "100Gi", efs: { fileSystemId: "fs-0123456789abcdef0" } }] }),
        "envstack:storage.staticVolumes[0].efs",
        "fs-0123456789abcdef0",
        "efs.enabled: true",
    ),
    row("an EFS path that climbs out", (c) => (c["envstack:storage"] = { staticVolumes: [{ name: "data", namespace: "analytics", accessMode: "ReadWriteMany", capacity: "100Gi", efs: { fileSystemId: "fs-0123456789abcdef0", path: "/../../etc" } }] }), "envstack:storage.staticVolumes[0].efs.path", '"/../../etc"', "no .. segments"),
    row("more tags than AWS allows", (c) => (c["envstack:tags"] = Object.fromEntries(Array.from({ length: 48 }, (_, k) => [`tag-${k}`, "x"]))), "envstack:tags", "tag-0", "at most 42 extra tags"),
    row("s3:ListBucket on every bucket by ARN", (c) => (c["envstack:teams"] = serviceAccount({ actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::*"] })), "envstack:teams[0].serviceAccounts[0].statements[0].resources[0]", '"arn:aws:s3:::*"', "it supports resource-level permissions"),
    row("a schedule with day of week 7", (c) => budgets(c, [{ nodes: "1", schedule: "0 8 * * 7", duration: "1h" }]), "envstack:karpenter.budgets[0].schedule", '"0 8 * * 7"', "from 0 to 6"),
    row("a schedule with L", (c) => budgets(c, [{ nodes: "1", schedule: "0 0 L * *", duration: "1h" }]), "envstack:karpenter.budgets[0].schedule", '"0 0 L * *"', "not a cron value Karpenter reads"),
    row("a node label that claims a Karpenter NodePool", (c) => (nodeGroup(c).labels = { "karpenter.sh/nodepool": "general" }), "envstack:cluster.nodeGroups[0].labels.karpenter.sh/nodepool", '"karpenter.sh/nodepool"', "mark Karpenter's own nodes"),
    row("a pulumi key the engine does not read", (c) => (c["pulumi:tag"] = { team: "x" }), "pulumi:tag", "unknown config key", 'did you mean "pulumi:tags"'),
    row("nodes expiring every second", (c) => (c["envstack:karpenter"].expireAfter = "1s"), "envstack:karpenter.expireAfter", '"1s"', "at least 1h, or Never"),
    row("a budget node count unquoted", (c) => budgets(c, [{ nodes: 10 }]), "envstack:karpenter.budgets[0].nodes", "got 10", "as text in quotes (10 is a number)"),
    row("an account id kept secret", (c) => (c["envstack:accountId"] = { secure: "v1:abcdef" }), "envstack:accountId", "a secret value (the offline plan cannot read it)", "the 12-digit AWS account id"),
    row("an overcommit factor as text", (c) => (c["envstack:teamOvercommitFactor"] = "lots"), "envstack:teamOvercommitFactor", '"lots"', "a finite number"),
];

describe("bad stack files, planned", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "envstack-bad-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const base = (stack: string) => parse(fs.readFileSync(path.join(REPO, `Pulumi.${stack}.yaml`), "utf8")) as { config: Config };

    ROWS.forEach((r, i) => {
        it(`refuses ${r.what}, naming ${r.key}`, async () => {
            const doc = base(r.stack ?? "dev");
            r.change(doc.config);
            const file = path.join(tmp, `Pulumi.case${i}.yaml`);
            fs.writeFileSync(file, stringify(doc));
            const result = await runPlan({ projectDir: REPO, stack: `case${i}`, configFile: file });
            // A config failure is what makes `envstack plan` exit 2.
            expect(result.failure?.kind, result.failure?.message).to.equal("config");
            const at = (result.failure?.problems ?? []).filter((p) => p.path === r.key).map((p) => p.message);
            expect(at, JSON.stringify(result.failure?.problems, null, 1)).to.have.length.greaterThan(0);
            expect(at.join(" | ")).to.include(r.shows).and.to.include(r.allows);
            expect(result.resources.map((x) => x.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
        });
    });

    const unreadable: { what: string; text: string; says: string }[] = [
        { what: "config that is not a map", text: "config: hello\n", says: "config must be a map of keys to values" },
        { what: "a stack file that is a list", text: "- config\n", says: "a stack file is a map with a config key" },
        { what: "a number .inf", text: "config:\n  aws:region: eu-west-1\n  envstack:teamOvercommitFactor: .inf\n", says: "envstack:teamOvercommitFactor (Infinity) is not a finite number" },
        { what: "a YAML alias bomb", text: `config:\n  envstack:tags:\n    a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n${Array.from({ length: 8 }, (_, k) => `    a${k + 1}: &a${k + 1} [${Array(10).fill(`*a${k}`).join(",")}]`).join("\n")}\n`, says: "more than 100 YAML aliases" },
        { what: "a stack file over 1 MiB", text: `config:\n  envstack:owner: ${"x".repeat(1 << 20)}\n`, says: "larger than 1024 KiB" },
        { what: "a YAML tag", text: "config:\n  envstack:owner: !!binary cGxhdGZvcm0=\n", says: "config.envstack:owner holds a YAML value no config can hold" },
        { what: "a custom YAML tag", text: "config:\n  envstack:owner: !custom platform\n", says: "Unresolved tag: !custom" },
        { what: "a key written twice", text: "config:\n  envstack:owner: a\n  envstack:owner: b\n", says: "Map keys must be unique at line 3, column 3 (envstack:owner: b)" },
        { what: "a key with no value", text: "config:\n  envstack:name: ~\n", says: "envstack:name has no value" },
        { what: "YAML that does not parse", text: "config:\n  envstack:tier: [dev\n", says: "not valid YAML" },
    ];
    for (const u of unreadable) {
        it(`ends on ${u.what} with one line and exit 2`, async () => {
            const file = path.join(tmp, "Pulumi.unreadable.yaml");
            fs.writeFileSync(file, u.text);
            const started = Date.now();
            const { code, err } = await runCli(["--stack", "unreadable", "--config", file, "--cwd", REPO]);
            expect(code).to.equal(2);
            expect(err).to.include(u.says);
            expect(err.trim().split("\n")).to.have.length(1);
            expect(err).not.to.match(/\n\s+at /);
            expect(Date.now() - started).to.be.below(5000);
        });
    }
});
