import { expect } from "chai";
import * as path from "node:path";
import { guardrails, PACK } from "../policy/policies";
import { evaluatePack } from "../plan/policy";
import { readPolicyConfigFile, resolvePolicyConfig } from "../plan/policyConfig";
import { runPlan } from "../plan/run";
import { Diagnostic, RealAnalyzer } from "./analyzer";
import { planStack, REPO } from "./harness";
import { asFirstPreview, UNKNOWN, withShadows } from "./preview";

const pack = { name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies: guardrails };
const stackPolicies = new Set(guardrails.filter((p) => "validateStack" in p).map((p) => p.name));
const resourcePolicies = new Set(guardrails.filter((p) => "validateResource" in p).map((p) => p.name));
const cantRun = (d: Diagnostic) => d.message.includes("during preview") || d.message.includes(UNKNOWN);
/** A stack policy switched off; a policy with both halves may skip one resource in its resource half, as any resource policy does. */
const stackSwitchedOff = (d: Diagnostic) => stackPolicies.has(d.policy) && cantRun(d) && !(resourcePolicies.has(d.policy) && d.urn);

/**
 * `pulumi preview` of a new stack shows the pack unknowns for everything not created yet. CrossGuard
 * skips a policy that reads one (an advisory "can't run during preview"), so a stack policy that
 * trips on one id would switch itself off for the whole program. These run the real analyzer on
 * programs as a first preview shows them.
 */
describe("the guardrails in a first preview, where nothing created yet has an id", function () {
    let analyzer: RealAnalyzer;
    before(async () => {
        analyzer = await RealAnalyzer.start();
    });
    after(() => analyzer?.stop());

    it("keeps every stack policy running on the bad program beside shadows of it whose every string is unknown, and finds what the offline plan finds", async () => {
        const plan = await runPlan({ projectDir: REPO, stack: "fixture", configFile: path.join(REPO, "tests/fixtures/Pulumi.fixture.yaml"), program: "tests/fixtures/badProgram.ts" });
        const config = resolvePolicyConfig({}, guardrails);
        await analyzer.configure(config, PACK.enforcementLevel);
        const preview = await analyzer.analyzeAll(withShadows(asFirstPreview(plan.resources)));
        expect(preview.filter(stackSwitchedOff), "stack policies switched off").to.deep.equal([]);
        // A namespace named from another resource's output cannot have a matching quota yet: it is reported, not skipped.
        expect(preview.filter((d) => d.policy === "namespace-quota-and-limits" && d.urn.endsWith("team-a-shadow"))).to.have.length(1);

        const offline = (await evaluatePack(pack, plan.resources, config)).violations;
        const found = new Set(preview.filter((d) => !cantRun(d)).map((d) => `${d.policy} ${d.urn}`));
        const skipped = new Set(preview.filter(cantRun).map((d) => `${d.policy} ${d.urn}`));
        const missed = offline.map((v) => `${v.policy} ${v.urn}`).filter((k) => !found.has(k));
        // A resource policy may wait for a value built from another resource's id (the queue policy
        // embeds the queue's ARN; the database names a new key): `pulumi up` runs it again on each
        // resource, with the value known, before creating it.
        expect(missed.filter((k) => !skipped.has(k)), "violations lost in preview").to.deep.equal([]);
        const urn = (name: string) => plan.resources.find((r) => r.name === name)!.urn;
        expect(missed.sort()).to.deep.equal([`customer-managed-key ${urn("orders")}`, `resource-policy-no-public-principal ${urn("jobs-open")}`]);
    });

    for (const stack of ["dev", "prod"]) {
        it(`plans the ${stack} stack with no policy switched off`, async () => {
            const plan = await planStack(stack);
            await analyzer.configure(resolvePolicyConfig(readPolicyConfigFile(path.join(REPO, "policy", "config", `${stack}.json`)), guardrails), PACK.enforcementLevel);
            const preview = await analyzer.analyzeAll(asFirstPreview(plan.resources));
            expect(preview.filter(stackSwitchedOff).map((d) => `${d.policy}: ${d.message}`)).to.deep.equal([]);
            expect(preview.filter((d) => d.level === "mandatory")).to.deep.equal([]);
        });
    }
});
