import { expect } from "chai";
import { ConfigError, ConfigProblem, DEFAULT_VERSIONS, Environment, EnvironmentInput, resolveEnvironmentConfig } from "../components";
import { readStackInput } from "../stacks/config";
import * as fs from "node:fs";
import * as path from "node:path";
import { NODE_GROUP_MAX_SIZE } from "../components/config/tiers";
import { REPO, register, validInput } from "./harness";

function problemsOf(input: EnvironmentInput): ConfigProblem[] {
    try {
        resolveEnvironmentConfig(input);
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return [...(err as ConfigError).problems];
    }
    return [];
}

/** Asserts one problem at `path` whose message names the bad value and what is allowed. */
function expectProblem(problems: ConfigProblem[], path: string, ...mentions: string[]): void {
    const atPath = problems.filter((p) => p.path === path);
    expect(atPath, `problems at ${path}: ${JSON.stringify(problems, null, 1)}`).to.have.length.greaterThan(0);
    for (const text of mentions) {
        expect(atPath.map((p) => p.message).join(" | ")).to.include(text);
    }
}

function withCluster(patch: object, tier: "dev" | "prod" = "dev"): EnvironmentInput {
    const input = validInput(tier);
    return { ...input, cluster: { ...input.cluster, ...patch } };
}

function withNetwork(patch: object): EnvironmentInput {
    const input = validInput();
    return { ...input, network: { ...input.network, ...patch } };
}

describe("config validation", () => {
    it("holds node groups to the ceiling of the tier's node-group-max-size guardrail preset", () => {
        for (const tier of ["dev", "staging", "prod"] as const) {
            const preset = JSON.parse(fs.readFileSync(path.join(REPO, "policy", "config", `${tier}.json`), "utf8"));
            expect(NODE_GROUP_MAX_SIZE[tier], tier).to.equal(preset["node-group-max-size"].maxNodes);
        }
    });

    it("accepts a valid input and fills the tier profile's defaults", () => {
        const config = resolveEnvironmentConfig(validInput("prod"));
        expect(config.network.natGateways).to.equal("OnePerAz");
        expect(config.cluster.endpoint).to.deep.equal({ publicAccess: false, publicAccessCidrs: [] });
        expect(config.cluster.logRetentionInDays).to.equal(90);
        expect(config.protect).to.equal(true);
        expect(config.versions.kubernetes["1.35"].addons["vpc-cni"]).to.equal(DEFAULT_VERSIONS.kubernetes["1.35"].addons["vpc-cni"]);
        const dev = resolveEnvironmentConfig(validInput("dev"));
        expect(dev.network.natGateways).to.equal("Single");
        expect(dev.cluster.logRetentionInDays).to.equal(7);
        expect(dev.cluster.systemNodeGroup).to.deep.include({ capacityType: "SPOT", instanceTypes: ["t4g.medium", "c7g.large", "c6g.large", "c8g.large"], diskSizeGiB: 20 });
        expect(config.cluster.systemNodeGroup.capacityType).to.equal("ON_DEMAND");
    });

    it("keeps a stack's own system node types On-Demand unless it says SPOT, and refuses SPOT system nodes in prod", () => {
        const own = resolveEnvironmentConfig(withCluster({ systemNodeGroup: { instanceTypes: ["t3.large"], minSize: 2, maxSize: 3, desiredSize: 2 } }));
        expect(own.cluster.systemNodeGroup).to.deep.include({ capacityType: "ON_DEMAND", instanceTypes: ["t3.large"] });
        const spot = withCluster({ systemNodeGroup: { capacityType: "SPOT", instanceTypes: ["m7i.large", "m6i.large"], minSize: 2, maxSize: 3, desiredSize: 2 } });
        expect(resolveEnvironmentConfig(spot).cluster.systemNodeGroup.capacityType).to.equal("SPOT");
        const prod = { ...validInput("prod"), cluster: { ...validInput("prod").cluster, systemNodeGroup: { capacityType: "SPOT" as const, instanceTypes: ["m7i.xlarge", "m6i.xlarge"] } } };
        expectProblem(problemsOf(prod), "cluster.systemNodeGroup.capacityType", '"SPOT"', "ON_DEMAND in prod");
        const single = withCluster({ systemNodeGroup: { capacityType: "SPOT", instanceTypes: ["t4g.medium"] } });
        expectProblem(problemsOf(single), "cluster.systemNodeGroup.instanceTypes", "at least 2 instance types");
    });

    it("lets the stack override any profile value and any pinned version", () => {
        const input = withCluster({ logRetentionInDays: 30 });
        input.versions = { kubernetes: { "1.35": { addons: { coredns: "v1.13.9-eksbuild.1" } } } };
        const config = resolveEnvironmentConfig(input);
        expect(config.cluster.logRetentionInDays).to.equal(30);
        expect(config.versions.kubernetes["1.35"].addons.coredns).to.equal("v1.13.9-eksbuild.1");
        expect(config.versions.kubernetes["1.35"].addons["kube-proxy"]).to.equal(DEFAULT_VERSIONS.kubernetes["1.35"].addons["kube-proxy"]);
    });

    it("rejects a malformed CIDR", () => {
        expectProblem(problemsOf(withNetwork({ cidr: "10.40.0.0/33" })), "network.cidr", '"10.40.0.0/33"', "IPv4 CIDR");
        expectProblem(problemsOf(withNetwork({ cidr: "10.40.0/16" })), "network.cidr", '"10.40.0/16"');
        expectProblem(problemsOf(withNetwork({ cidr: "10.40.0.1/16" })), "network.cidr", "no host bits");
        expectProblem(problemsOf(withNetwork({ cidr: "8.8.0.0/16" })), "network.cidr", "private address space");
    });

    it("rejects a CIDR too small for the subnets", () => {
        const problems = problemsOf(withNetwork({ cidr: "10.40.0.0/20" }));
        expectProblem(problems, "network.cidr", '"10.40.0.0/20"', "too small for 3 AZs", "private /19");
        // Smaller subnets make the same CIDR fit.
        expect(problemsOf(withNetwork({ cidr: "10.40.0.0/20", subnetMasks: { private: 23, public: 26, isolated: 26 } }))).to.deep.equal([]);
    });

    it("rejects fewer than 2 AZs, AZs outside the region, and duplicate AZs", () => {
        expectProblem(problemsOf(withNetwork({ availabilityZones: ["eu-west-1a"] })), "network.availabilityZones", "at least 2 AZs");
        expectProblem(problemsOf(withNetwork({ availabilityZones: ["eu-west-1a", "us-east-1b"] })), "network.availabilityZones[1]", '"us-east-1b"', "region eu-west-1");
        expectProblem(problemsOf(withNetwork({ availabilityZones: ["eu-west-1a", "eu-west-1a"] })), "network.availabilityZones[1]", "duplicate");
    });

    it("rejects an unknown tier, naming the allowed tiers", () => {
        expectProblem(problemsOf({ ...validInput(), tier: "qa" as never }), "tier", '"qa"', "dev, staging, prod");
    });

    it("rejects an unsupported Kubernetes version, naming the supported ones", () => {
        expectProblem(problemsOf(withCluster({ kubernetesVersion: "1.29" })), "cluster.kubernetesVersion", '"1.29"', "1.34, 1.35");
    });

    it("rejects min > max and desired outside [min, max]", () => {
        const group = { name: "g", capacityType: "ON_DEMAND", instanceTypes: ["m7i.large"], diskSizeGiB: 50 };
        expectProblem(problemsOf(withCluster({ nodeGroups: [{ ...group, minSize: 5, maxSize: 2, desiredSize: 2 }] })), "cluster.nodeGroups[0].minSize", "got 5", "at most maxSize (2)");
        expectProblem(problemsOf(withCluster({ nodeGroups: [{ ...group, minSize: 1, maxSize: 3, desiredSize: 4 }] })), "cluster.nodeGroups[0].desiredSize", "got 4", "[minSize 1, maxSize 3]");
        expectProblem(problemsOf(withCluster({ systemNodeGroup: { minSize: 3, maxSize: 2 } })), "cluster.systemNodeGroup.minSize", "got 3");
    });

    it("rejects an empty instance type list and a malformed instance type", () => {
        const group = { name: "g", capacityType: "ON_DEMAND", minSize: 1, maxSize: 2, desiredSize: 1 };
        expectProblem(problemsOf(withCluster({ nodeGroups: [{ ...group, instanceTypes: [] }] })), "cluster.nodeGroups[0].instanceTypes", "got []", "at least 1");
        expectProblem(problemsOf(withCluster({ nodeGroups: [{ ...group, instanceTypes: ["m7i large"] }] })), "cluster.nodeGroups[0].instanceTypes[0]", '"m7i large"', "instance type like m7i.large");
    });

    it("requires SPOT groups to have several types of one size and one architecture", () => {
        const spot = { name: "s", capacityType: "SPOT", minSize: 0, maxSize: 2, desiredSize: 0 };
        expectProblem(problemsOf(withCluster({ nodeGroups: [{ ...spot, instanceTypes: ["m7i.large"] }] })), "cluster.nodeGroups[0].instanceTypes", "at least 2");
        expectProblem(problemsOf(withCluster({ nodeGroups: [{ ...spot, instanceTypes: ["m7i.large", "m7i.xlarge"] }] })), "cluster.nodeGroups[0].instanceTypes", "same size");
        expectProblem(problemsOf(withCluster({ nodeGroups: [{ ...spot, instanceTypes: ["m7i.large", "m7g.large"] }] })), "cluster.nodeGroups[0].instanceTypes", "one architecture");
    });

    it("rejects a malformed admin role ARN", () => {
        expectProblem(problemsOf(withCluster({ adminRoleArns: ["arn:aws:iam::1234:user/bob"] })), "cluster.adminRoleArns[0]", '"arn:aws:iam::1234:user/bob"', "IAM role ARN");
        expectProblem(problemsOf(withCluster({ adminRoleArns: [] })), "cluster.adminRoleArns", "at least one");
    });

    it("rejects a public endpoint open to the internet in prod, however the range is split, and an open public endpoint with no CIDRs", () => {
        const open = { endpoint: { publicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } };
        expectProblem(problemsOf(withCluster(open, "prod")), "cluster.endpoint.publicAccessCidrs", '"0.0.0.0/0"', "allowed in prod: at most 65,536");
        const split = { endpoint: { publicAccess: true, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] } };
        expectProblem(problemsOf(withCluster(split, "prod")), "cluster.endpoint.publicAccessCidrs", '"0.0.0.0/1"', "together they admit");
        const office = { endpoint: { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "198.51.100.0/24"] } };
        expect(problemsOf(withCluster(office, "prod"))).to.deep.equal([]);
        expect(problemsOf(withCluster(open, "dev"))).to.deep.equal([]);
        expectProblem(problemsOf(withCluster({ endpoint: { publicAccess: true, publicAccessCidrs: [] } })), "cluster.endpoint.publicAccessCidrs", "at least one CIDR");
    });

    it("rejects non-positive sizes and retention values CloudWatch does not accept", () => {
        const group = { name: "g", capacityType: "ON_DEMAND", instanceTypes: ["m7i.large"], minSize: -1, maxSize: 0, desiredSize: 0 };
        const problems = problemsOf({ ...withCluster({ nodeGroups: [group], logRetentionInDays: 8 }), kms: { deletionWindowInDays: 0 } });
        expectProblem(problems, "cluster.nodeGroups[0].minSize", "got -1", ">= 0");
        expectProblem(problems, "cluster.nodeGroups[0].maxSize", "got 0", "> 0");
        expectProblem(problems, "cluster.logRetentionInDays", "got 8", "7, 14, 30");
        expectProblem(problems, "kms.deletionWindowInDays", "got 0", ">= 7");
        expectProblem(problemsOf(withNetwork({ flowLogs: { retentionInDays: 0 } })), "network.flowLogs.retentionInDays", "got 0");
    });

    it("rejects unknown fields, naming the allowed ones", () => {
        expectProblem(problemsOf(withNetwork({ cidrBlock: "10.0.0.0/16" })), "network.cidrBlock", "unknown field", "cidr, availabilityZones");
    });

    it("reports every problem at once", () => {
        const problems = problemsOf({
            ...validInput("prod"),
            tier: "prod",
            accountId: "12345",
            network: { cidr: "10.0.0.0/33", availabilityZones: ["eu-west-1a"] },
            cluster: {
                kubernetesVersion: "1.20",
                adminRoleArns: ["nope"],
                endpoint: { publicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] },
                logRetentionInDays: 2,
            },
        });
        const paths = problems.map((p) => p.path);
        for (const path of ["accountId", "network.cidr", "network.availabilityZones", "cluster.kubernetesVersion", "cluster.adminRoleArns[0]", "cluster.endpoint.publicAccessCidrs", "cluster.logRetentionInDays"]) {
            expect(paths).to.include(path);
        }
    });

    it("registers nothing when the input is bad", async () => {
        let thrown: unknown;
        const registered = await register(() => {
            try {
                new Environment("bad", withCluster({ kubernetesVersion: "1.20", adminRoleArns: ["nope"] }));
            } catch (err) {
                thrown = err;
            }
        });
        expect(thrown).to.be.instanceOf(ConfigError);
        expect((thrown as ConfigError).problems).to.have.length(2);
        expect(registered.all).to.deep.equal([]);
    });
});

describe("stack config reading", () => {
    const base = {
        "aws:region": "eu-west-1",
        "envstack:name": "acme-dev",
        "envstack:tier": "dev",
        "envstack:accountId": "111122223333",
        "envstack:owner": "platform-team",
        "envstack:network": JSON.stringify(validInput().network),
        "envstack:cluster": JSON.stringify(validInput().cluster),
    };

    it("reads the region from aws:region and structured values from YAML maps", () => {
        const input = readStackInput(base);
        expect(input.region).to.equal("eu-west-1");
        expect(input.network?.cidr).to.equal("10.40.0.0/16");
    });

    it("names problems by the config key to edit, and reports misspelt keys", () => {
        try {
            readStackInput({ ...base, "aws:region": "eu-west-99x", "envstack:clustre": "{}", "envstack:cluster": JSON.stringify({ ...validInput().cluster, kubernetesVersion: "1.2" }) });
            expect.fail("expected a ConfigError");
        } catch (err) {
            const paths = (err as ConfigError).problems.map((p) => p.path);
            expect(paths).to.include("envstack:clustre");
            expect(paths).to.include("aws:region");
            expect(paths).to.include("envstack:cluster.kubernetesVersion");
        }
    });
});
