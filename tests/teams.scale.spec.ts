import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { stackWithTeams } from "./fixtures/teamsStack";
import { REPO, runCli } from "./harness";

describe("Teams at scale", () => {
    it("plans a stack with 200 teams, with the guardrails, and records how long it took", async function () {
        this.timeout(120_000);
        const config = stackWithTeams(200);
        const json = path.join(path.dirname(config), "plan.json");
        const started = process.hrtime.bigint();
        const { code, out } = await runCli(["--stack", "dev", "--config", config, "--json", json, "--cwd", REPO]);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        expect(code, out).to.equal(0);

        const plan = JSON.parse(fs.readFileSync(json, "utf8"));
        const count = (type: string) => plan.resources.filter((r: { type: string }) => r.type === type).length;
        expect(count("envstack:index:Team")).to.equal(200);
        expect(count("kubernetes:core/v1:ResourceQuota")).to.equal(200);
        expect(count("kubernetes:core/v1:LimitRange")).to.equal(200);
        expect(count("kubernetes:networking.k8s.io/v1:NetworkPolicy")).to.equal(1000);
        expect(count("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")).to.equal(201); // and the platform admin's
        // Only the VPC's awsx component and the Helm charts, which the pack reports as not verifiable offline.
        const unverifiable = plan.policy.violations.filter((v: { policy: string }) => v.policy === "not-verifiable-offline");
        expect(plan.policy.violations.filter((v: { policy: string }) => v.policy !== "not-verifiable-offline")).to.deep.equal([]);
        expect(unverifiable.map((v: { name: string }) => v.name).sort()).to.deep.equal(["acme-dev", "acme-dev-karpenter", "acme-dev-karpenter-crd", "acme-dev-load-balancer-controller", "acme-dev-metrics-server"]);
        expect(plan.policy.violations.every((v: { level: string }) => v.level === "advisory")).to.equal(true);
        const namespaces = plan.resources.filter((r: { type: string; inputs: { metadata: { name: string } } }) => r.type === "kubernetes:core/v1:Namespace").map((r: { inputs: { metadata: { name: string } } }) => r.inputs.metadata.name);
        expect(new Set(namespaces).size).to.equal(200);

        const record = `200 teams: ${plan.resources.length} resources planned and checked by the pack in ${seconds.toFixed(2)} s`;
        fs.mkdirSync(path.join(REPO, "dist", "tests"), { recursive: true });
        fs.writeFileSync(path.join(REPO, "dist", "tests", "teams-scale.txt"), `${record}\n`);
        process.stdout.write(`      ${record}\n`);
        fs.rmSync(path.dirname(config), { recursive: true, force: true });
    });
});
