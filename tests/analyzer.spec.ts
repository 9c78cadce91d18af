import { expect } from "chai";
import * as path from "node:path";
import { guardrails, PACK } from "../policy/policies";
import { evaluatePack } from "../plan/policy";
import { readPolicyConfigFile, resolvePolicyConfig } from "../plan/policyConfig";
import { runPlan } from "../plan/run";
import { RealAnalyzer } from "./analyzer";
import { planStack, REPO } from "./harness";

const pack = { name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies: guardrails };

describe("the CrossGuard pack under the analyzer protocol (as `pulumi preview --policy-pack policy` runs it)", function () {
    let analyzer: RealAnalyzer;
    before(async () => {
        analyzer = await RealAnalyzer.start();
    });
    after(() => analyzer?.stop());

    it("loads, and reports every policy with its level, severity, remediation steps and config schema", async () => {
        const served = await analyzer.policies();
        expect(served.map((p) => p.name)).to.deep.equal(guardrails.map((p) => p.name));
        for (const policy of guardrails) {
            const seen = served.find((p) => p.name === policy.name)!;
            expect(seen.level, policy.name).to.equal(policy.enforcementLevel);
            expect(seen.severity, policy.name).to.equal(policy.severity);
            expect(seen.remediationSteps, policy.name).to.equal(policy.remediationSteps);
            expect(seen.configProperties, policy.name).to.have.members(Object.keys(policy.configSchema?.properties ?? {}));
        }
    });

    const cases: [string, () => ReturnType<typeof runPlan>, string | undefined][] = [
        ["a deliberately bad program", () => runPlan({ projectDir: REPO, stack: "fixture", configFile: path.join(REPO, "tests/fixtures/Pulumi.fixture.yaml"), program: "tests/fixtures/badProgram.ts" }), undefined],
        ["the dev stack", () => planStack("dev"), "dev"],
        ["the prod stack", () => planStack("prod"), "prod"],
    ];
    for (const [what, plan, configName] of cases) {
        it(`reaches the same verdicts as the offline plan on ${what}`, async () => {
            const { resources } = await plan();
            const raw = configName ? readPolicyConfigFile(path.join(REPO, "policy", "config", `${configName}.json`)) : {};
            const config = resolvePolicyConfig(raw, guardrails);
            await analyzer.configure(config, PACK.enforcementLevel);
            const real = (await analyzer.analyzeAll(resources)).map((d) => `${d.level} ${d.policy} ${d.urn} ${d.message}`).sort();
            const offline = (await evaluatePack(pack, resources, config)).violations.map((v) => `${v.level} ${v.policy} ${v.urn ?? ""} ${v.message}`).sort();
            expect(offline).to.deep.equal(real);
            if (!configName) expect(real).to.have.length(18);
        });
    }
});
