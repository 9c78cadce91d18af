import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlan } from "../plan/run";
import { REPO } from "./harness";

/**
 * Existing stacks must keep their resources across releases: a changed URN is a delete and a
 * create under `pulumi up`. Each release's stack files and the URNs they produced are kept under
 * tests/fixtures/releases/<version>/; the current program, planned on the same files, must
 * produce every one of those URNs, directly or as an alias of one of its resources.
 */
const RELEASES = path.join(REPO, "tests", "fixtures", "releases");

/** Resources a release removed on purpose, with why; every other old URN must survive. */
const REMOVED: { since: string; urnsEndingWith: string[]; why: string }[] = JSON.parse(fs.readFileSync(path.join(RELEASES, "removed.json"), "utf8"));
const removedOnPurpose = (urn: string) => REMOVED.some((r) => r.urnsEndingWith.some((end) => urn.endsWith(end)));

/**
 * A release's stack file as an upgrade would keep it, with what later releases require of the
 * config: from 0.4.0 a prod alert endpoint is a secret (`pulumi config set --secret`), which
 * changes no URN.
 */
function upgraded(file: string): string {
    const text = fs.readFileSync(file, "utf8").replace(/^(\s+)httpsEndpoint: (https:\S+)$/m, "$1httpsEndpoint:\n$1  secure: v1:fixture");
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "envstack-release-")), path.basename(file));
    fs.writeFileSync(copy, text);
    return copy;
}

describe("URN stability across releases", () => {
    for (const release of fs.readdirSync(RELEASES).filter((f) => /^\d+\.\d+\.\d+$/.test(f))) {
        for (const stack of ["dev", "staging", "prod"]) {
            it(`keeps every URN of ${release} for ${stack}, directly or through an alias`, async () => {
                const dir = path.join(RELEASES, release);
                const before = fs.readFileSync(path.join(dir, `urns-${stack}.txt`), "utf8").split("\n").filter(Boolean);
                const plan = await runPlan({ projectDir: REPO, stack, configFile: upgraded(path.join(dir, `Pulumi.${stack}.yaml`)) });
                expect(plan.failure).to.equal(undefined);
                const current = new Set(plan.resources.map((r) => r.urn));
                const aliased = new Map(plan.resources.flatMap((r) => r.aliases.map((a) => [a, r.urn] as const)));
                const lost = before.filter((urn) => !current.has(urn) && !aliased.has(urn) && !removedOnPurpose(urn));
                // What was removed on purpose is gone, not renamed.
                expect([...current].filter(removedOnPurpose)).to.deep.equal([]);
                expect(lost, "these would be deleted and recreated").to.deep.equal([]);
                // An alias may never point at a URN that another resource still has.
                expect([...aliased.keys()].filter((a) => current.has(a))).to.deep.equal([]);
            });
        }
    }

    it("resolves the move of the team network guard into its own component to the old URNs", async () => {
        const plan = await runPlan({ projectDir: REPO, stack: "dev" });
        const policy = plan.resources.find((r) => r.type.endsWith(":ValidatingAdmissionPolicy") && r.name === "acme-dev-team-network-guard")!;
        expect(policy.urn).to.equal("urn:pulumi:dev::envstack::envstack:index:Environment$envstack:index:TeamNetworkGuard$kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy::acme-dev-team-network-guard");
        expect(policy.aliases).to.include.members(["urn:pulumi:dev::envstack::envstack:index:Environment$kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy::acme-dev-team-network-guard"]);
    });
});
