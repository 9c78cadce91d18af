import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import type { CostChange } from "../cost/compare";
import { costConfigProblems, estimateOptions } from "../cost/config";
import { estimateCost, CostEstimate } from "../cost/estimate";
import { priceBook, PriceError, PRICE_TABLE, PRICED_REGIONS, SERVICE_PRICE_IDS } from "../cost/prices";
import { eksSupportOn } from "../cost/prices/eksSupport";
import { INSTANCE_TYPES } from "../components/config/instanceTypes";
import { policyResources } from "../plan/policy";
import { readPolicyConfigFile } from "../plan/policyConfig";
import { toJson } from "../plan/report";
import { planStack, register, REPO, runCli } from "./harness";

/** The estimate of what `build` registers, with fixed usage so the arithmetic is the prices'. */
async function estimate(build: () => void, config: Record<string, unknown> = {}, region = "eu-west-1"): Promise<CostEstimate> {
    const registered = await register(build, { region, accountId: "111122223333" });
    return estimateCost(policyResources(registered.all), estimateOptions(config));
}

/** A stack's estimate with its own policy config, as `npm run plan` gives it. */
async function stackEstimate(stack: string): Promise<CostEstimate> {
    const plan = await planStack(stack);
    const config = (readPolicyConfigFile(path.join(REPO, "policy", "config", `${stack}.json`)) as Record<string, Record<string, unknown>>)["environment-budget"];
    return estimateCost(policyResources(plan.resources), estimateOptions(config));
}

const cents = (n: number) => Math.round(n * 100) / 100;
const figures = (e: CostEstimate) => ({ floor: cents(e.totals.floor), expected: cents(e.totals.expected), ceiling: cents(e.totals.ceiling) });

describe("the cost estimate", () => {
    it("prices a small hand-built program to the hand-computed cent", async () => {
        const quiet = { tier: "dev", usage: { natGbPerMonth: 100, kmsRequestsPerKey: 0 } };
        const e = await estimate(() => {
            new aws.eks.Cluster("c", { roleArn: "arn:aws:iam::111122223333:role/eks", version: "1.35", vpcConfig: { subnetIds: ["subnet-a"] } });
            const ip = new aws.ec2.Eip("nat", { domain: "vpc" });
            new aws.ec2.NatGateway("nat", { allocationId: ip.id, subnetId: "subnet-a" });
            new aws.eks.NodeGroup("web", { clusterName: "c", nodeRoleArn: "arn:aws:iam::111122223333:role/node", subnetIds: ["subnet-a"], instanceTypes: ["m7i.large"], scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 3 } });
            new aws.ebs.Volume("data", { availabilityZone: "eu-west-1a", size: 100, type: "gp3", iops: 4000, throughput: 250, encrypted: true });
            new aws.kms.Key("k", { enableKeyRotation: true });
        }, quiet);
        // eu-west-1, by hand: the control plane 0.10 x 730; NAT 0.048 x 730 and 100 GB x 0.048; its address 0.005 x 730;
        // m7i.large 0.2247 / 2 an hour; EKS's 20 GiB gp3 root at 0.088; 100 GiB gp3 with 1,000 IOPS x 0.0055 and
        // 125 MiB/s x 0.044 over the free baseline; one key-month.
        const node = 0.11235 * 730 + 20 * 0.088;
        const fixed = 73 + 35.04 + 4.8 + 3.65 + (8.8 + 5.5 + 5.5) + 1;
        expect(figures(e)).to.deep.equal({ floor: cents(fixed + node), expected: cents(fixed + 2 * node), ceiling: cents(fixed + 3 * node) });
        expect(e.unpriced).to.deep.equal([]);
        expect(e.region).to.equal("eu-west-1");
        expect(e.items.find((i) => i.item === "NAT data processed")!.usage).to.equal("natGbPerMonth 100 GB");
    });

    it("bills a cluster past standard support at the extended price", async () => {
        const e = await estimate(() => new aws.eks.Cluster("old", { roleArn: "arn:aws:iam::111122223333:role/eks", version: "1.32", vpcConfig: { subnetIds: ["subnet-a"] } }));
        expect(e.items[0]).to.deep.include({ item: "EKS control plane (extended support)", prices: ["eks.cluster.extendedHour"] });
        expect(cents(e.totals.expected)).to.equal(438);
        expect(eksSupportOn("1.35", "2027-03-27")).to.equal("extended");
        expect(eksSupportOn("1.35", "2027-03-26")).to.equal("standard");
    });

    it("prices Spot groups at the cheapest type times the Spot assumption, and the ceiling at the dearest", async () => {
        const e = await estimate(() => {
            new aws.eks.NodeGroup("spot", { clusterName: "c", nodeRoleArn: "arn:aws:iam::111122223333:role/node", subnetIds: ["subnet-a"], capacityType: "SPOT", instanceTypes: ["m7i.large", "m6a.large"], scalingConfig: { minSize: 0, desiredSize: 1, maxSize: 2 } });
        }, { prices: { "ec2.spot.fraction": 0.5 } });
        const group = e.items.find((i) => i.resource === "spot" && i.item.includes("Spot"))!;
        // m6a.large 0.0963 is the cheapest; m7i.large 0.11235 the dearest.
        expect(group.monthly).to.deep.equal({ floor: 0, expected: 0.0963 * 0.5 * 730, ceiling: 2 * 0.11235 * 0.5 * 730 });
        expect(e.overriddenPrices).to.deep.equal(["ec2.spot.fraction"]);
    });

    it("prices a Karpenter pool at its limits by the dearest type they allow, counting a pool and its patch once", async () => {
        const pool = (name: string, limits: Record<string, string>, capacity: string[]) =>
            new k8s.apiextensions.CustomResource(name, {
                apiVersion: "karpenter.sh/v1",
                kind: "NodePool",
                metadata: { name },
                spec: {
                    limits,
                    template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" }, requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: capacity }, { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m7i", "c7i"] }] } },
                },
            });
        const e = await estimate(() => {
            pool("base", { cpu: "16" }, ["on-demand"]);
            pool("burst", { cpu: "32" }, ["spot", "on-demand"]);
            new k8s.apiextensions.CustomResource("burst-again", { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "burst" }, spec: { limits: { cpu: "8" }, template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" }, requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }, { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m7i"] }] } } } });
            // Kubernetes objects name no region: the config gives it.
        }, { region: "eu-west-1" });
        // m7i costs 0.11235 a vCPU-pair an hour, c7i 0.09576: m7i is the dearest either pool allows.
        const pools = e.items.filter((i) => i.component === "stack" && i.item.includes("at its limits"));
        expect(pools.map((p) => [p.resource, cents(p.monthly.ceiling)])).to.have.deep.members([
            ["base", cents(8 * 0.11235 * 730)],
            ["burst", cents(16 * 0.11235 * 0.35 * 730)],
        ]);
        expect(pools.every((p) => p.monthly.floor === 0 && p.monthly.expected === 0)).to.equal(true);
    });

    it("names what it cannot price instead of counting it as zero, and refuses a region without prices", async () => {
        const e = await estimate(() => {
            new aws.eks.NodeGroup("odd", { clusterName: "c", nodeRoleArn: "arn:aws:iam::111122223333:role/node", subnetIds: ["subnet-a"], instanceTypes: ["x2idn.16xlarge"], scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 1 } });
        });
        expect(e.unpriced.map((u) => [u.resource, u.reason])).to.deep.equal([["odd", "no price for instance type(s) x2idn.16xlarge in eu-west-1; the table prices the instance catalogue's types"]]);
        let error: unknown;
        try {
            await estimate(() => new aws.kms.Key("k", {}), {}, "ap-south-1");
        } catch (err) {
            error = err;
        }
        expect(error).to.be.instanceOf(PriceError);
        expect((error as Error).message).to.equal("no prices for region ap-south-1: envstack's price table has eu-west-1, us-east-1; add the region to cost/prices, with its source");
    });

    it("reports every problem of a cost config at once, naming the field, the value and what is allowed", () => {
        const problems = costConfigProblems({ tier: "qa", region: "mars-1", usage: { natGb: 1, efsStoredGb: -5, logsGbPerMonth: { audit: 2 } }, prices: { "nat.hr": 1, "ec2.spot.fraction": 2 }, budget: { floor: "cheap", monthly: 9 } }, "environment-budget");
        expect(problems).to.have.length(9);
        expect(problems).to.include.members([
            'environment-budget.tier: "qa" is not a tier; allowed: dev, staging, prod',
            'environment-budget.region: "mars-1" has no prices; allowed: eu-west-1, us-east-1',
            "environment-budget.usage.efsStoredGb: -5 is not allowed; give a number of 0 or more",
            "environment-budget.prices.ec2.spot.fraction: 2 is not allowed; it is Spot's fraction of the On-Demand price, from 0 to 1",
            'environment-budget.budget.floor: "cheap" is not allowed; give USD a month, 0 or more',
            "environment-budget.budget.monthly: not a figure; allowed: floor, expected, ceiling",
        ]);
        expect(problems.find((p) => p.startsWith("environment-budget.usage.natGb:"))).to.include("not a usage assumption; allowed:").and.include("natGbPerMonth");
        expect(problems.find((p) => p.startsWith("environment-budget.prices.nat.hr:"))).to.include("nat.hour");
        expect(problems.find((p) => p.startsWith("environment-budget.usage.logsGbPerMonth.audit:"))).to.include("controlPlane");
    });

    it("has a dated, sourced price for every service price and every instance type of the catalogue, in every priced region", () => {
        for (const region of PRICED_REGIONS) {
            const book = priceBook(region);
            expect(PRICE_TABLE[region].asOf).to.match(/^\d{4}-\d{2}-\d{2}$/);
            for (const id of SERVICE_PRICE_IDS) expect(book.entry(id)?.source, `${region} ${id}`).to.match(/^(https:\/\/aws\.amazon\.com\/|assumption: )/);
            // p5e has no On-Demand price (Capacity Blocks only), and p5 is not offered in eu-west-1.
            const missing = Object.keys(INSTANCE_TYPES).filter((t) => book.instanceHour(t) === undefined);
            expect(missing, region).to.deep.equal(region === "eu-west-1" ? ["p5.48xlarge", "p5e.48xlarge"] : ["p5e.48xlarge"]);
        }
        expect(priceBook("eu-west-1", { "nat.hour": 0.04 }).entry("nat.hour")).to.deep.include({ usd: 0.04, source: "stack override" });
    });

    it("--compare on a change that adds a node group shows exactly that group's cost, and the nodes' observations", async function () {
        this.timeout(60_000);
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "envstack-compare-"));
        try {
            const base = path.join(tmp, "base.json");
            fs.writeFileSync(base, JSON.stringify(toJson(await planStack("dev"), undefined, await stackEstimate("dev"))));
            const file = parse(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8"));
            const cluster = file.config["envstack:cluster"];
            cluster.nodeGroups = [...cluster.nodeGroups, { name: "batch", capacityType: "ON_DEMAND", instanceTypes: ["m7i.xlarge"], minSize: 1, maxSize: 2, desiredSize: 1, diskSizeGiB: 40 }];
            const config = path.join(tmp, "Pulumi.dev.yaml");
            fs.writeFileSync(config, stringify(file));
            const json = path.join(tmp, "new.json");
            const run = await runCli(["plan", "--stack", "dev", "--config", config, "--cwd", REPO, "--no-policy", "--json", json, "--compare", base]);
            expect(run.code, run.err).to.equal(0);
            const change = JSON.parse(fs.readFileSync(json, "utf8")).cost.change as CostChange;
            // m7i.xlarge at 0.2247 an hour, a 40 GiB gp3 root at 0.088; its node's observations at 20M x 0.21 a million.
            const node = 0.2247 * 730;
            const root = 40 * 0.088;
            const observations = 20 * 0.21;
            expect(change.items.map((i) => [i.change, i.resource, i.item, cents(i.delta.floor), cents(i.delta.expected), cents(i.delta.ceiling)])).to.deep.equal([
                ["added", "acme-dev-batch", "m7i.xlarge On-Demand", cents(node), cents(node), cents(2 * node)],
                ["changed", "acme-dev-amazon-cloudwatch-observability", "Container Insights observations", cents(observations), cents(observations), cents(2 * observations)],
                ["added", "acme-dev-batch", "node volumes (40 GiB gp3)", cents(root), cents(root), cents(2 * root)],
            ]);
            expect(cents(change.totals.expected)).to.equal(cents(node + root + observations));
            expect(change.components.map((c) => [c.component, cents(c.delta.expected)])).to.deep.equal([
                ["cluster", cents(node + root)],
                ["observability", cents(observations)],
            ]);
            expect(run.out).to.include("Change from --compare: floor +$171.75, expected +$171.75, ceiling +$343.50");
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    describe("each tier's figures, from its stack file and policy config", () => {
        // The figures the README and docs/cost.md show; a change to a stack, a tier or a price moves them here first.
        const tiers: Record<string, { floor: number; expected: number; ceiling: number }> = {
            dev: { floor: 149.33, expected: 215.74, ceiling: 1059.56 },
            staging: { floor: 1044.82, expected: 1280.54, ceiling: 9383.13 },
            prod: { floor: 3852.74, expected: 3852.74, ceiling: 19793.51 },
        };
        for (const [stack, expected] of Object.entries(tiers)) {
            it(`${stack}: floor ${expected.floor}, expected ${expected.expected}, ceiling ${expected.ceiling} USD a month, every resource priced`, async () => {
                const e = await stackEstimate(stack);
                expect(figures(e)).to.deep.equal(expected);
                expect(e.unpriced).to.deep.equal([]);
                expect(e.tier).to.equal(stack);
            });
        }

        it("keeps dev's floor at $150 a month or less, with the secure defaults on", async () => {
            const e = await stackEstimate("dev");
            expect(e.totals.floor).to.be.at.most(150);
            const plan = await planStack("dev");
            const cluster = plan.registered.one("eks:index:Cluster");
            expect(cluster.inputs).to.include({ endpointPrivateAccess: true });
            expect(plan.registered.one("aws:kms/key:Key").inputs).to.include({ enableKeyRotation: true });
            for (const t of plan.registered.ofType("aws:ec2/launchTemplate:LaunchTemplate")) expect((t.inputs.metadataOptions as Record<string, unknown>).httpTokens).to.equal("required");
            const system = plan.registered.one("eks:index:ManagedNodeGroup", "acme-dev-system").inputs;
            expect(system).to.deep.include({ capacityType: "SPOT", amiType: "AL2023_ARM_64_STANDARD" });
        });

        it("breaks each tier down by component, the add-ons and teams included where they bill", async () => {
            const e = await stackEstimate("staging");
            expect(e.components.map((c) => c.component)).to.include.members(["cluster", "karpenter", "network", "observability", "storage", "encryption"]);
            const sum = e.components.reduce((n, c) => n + c.monthly.expected, 0);
            expect(sum).to.be.closeTo(e.totals.expected, 1e-6);
            expect(e.items.filter((i) => i.component === "karpenter" && i.item.includes("gpu"))).to.have.length(1);
        });
    });
});
