import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../components";
import { readStackConfig } from "../plan/project";
import { runPlan } from "../plan/run";
import { readStack } from "../stacks/config";
import { REPO } from "./harness";

/** Pulumi passes a provider's inputs that are not strings as JSON strings. */
const STRING_INPUTS = ["region", "profile"];
const decoded = (inputs: Record<string, unknown>) => Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, typeof v === "string" && !STRING_INPUTS.includes(k) ? JSON.parse(v) : v]));
/** The dev stack file's config, as the CLI passes it to the program. */
const DEV = readStackConfig(path.join(REPO, "Pulumi.dev.yaml"), "envstack").values;

describe("the stack file's aws: keys", () => {
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "envstack-aws-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    /** Plans dev with `extra` lines added under `config:`. */
    async function planDevWith(extra: string) {
        const file = path.join(tmp, `Pulumi.${Math.random().toString(36).slice(2)}.yaml`);
        fs.writeFileSync(file, fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8").replace("config:\n", `config:\n${extra}`));
        return runPlan({ projectDir: REPO, stack: "dev", configFile: file });
    }

    it("reach the program's AWS provider: profile, assumed role, shared files, retries, default tags", async () => {
        const plan = await planDevWith(
            [
                "  aws:profile: acme-deployer",
                "  aws:assumeRoles:",
                "    - roleArn: arn:aws:iam::111122223333:role/envstack-deployer",
                "      sessionName: envstack-dev",
                "  aws:sharedConfigFiles: [/home/ci/.aws/config]",
                "  aws:sharedCredentialsFiles: [/home/ci/.aws/credentials]",
                "  aws:maxRetries: 10",
                "  aws:skipMetadataApiCheck: false",
                "  aws:defaultTags:",
                "    tags: { department: platform }",
                "",
            ].join("\n"),
        );
        expect(plan.failure).to.equal(undefined);
        const provider = plan.resources.filter((r) => r.type === "pulumi:providers:aws");
        expect(provider).to.have.length(1);
        expect(decoded(provider[0].inputs)).to.deep.include({
            region: "eu-west-1",
            allowedAccountIds: ["111122223333"],
            profile: "acme-deployer",
            assumeRoles: [{ roleArn: "arn:aws:iam::111122223333:role/envstack-deployer", sessionName: "envstack-dev" }],
            sharedConfigFiles: ["/home/ci/.aws/config"],
            sharedCredentialsFiles: ["/home/ci/.aws/credentials"],
            maxRetries: 10,
            skipMetadataApiCheck: false,
            defaultTags: { tags: { department: "platform" } },
        });
    });

    it("leave the provider as before when the stack file has none", async () => {
        const plan = await runPlan({ projectDir: REPO, stack: "dev" });
        const provider = plan.resources.find((r) => r.type === "pulumi:providers:aws")!;
        // The two skip flags are the SDK's own defaults for every AWS provider.
        expect(decoded(provider.inputs)).to.deep.equal({ region: "eu-west-1", allowedAccountIds: ["111122223333"], skipCredentialsValidation: false, skipRegionValidation: true });
    });

    it("are checked with the environment's keys, every problem at once: misspelt, wrong type, static credentials, the account guard, TLS off", () => {
        const all = {
            ...DEV,
            "envstack:netwrok": "{}",
            "aws:profle": "acme-deployer",
            "aws:maxRetries": "many",
            "aws:assumeRoles": JSON.stringify({ roleArn: "arn:aws:iam::111122223333:role/x" }),
            "aws:accessKey": "AKIAEXAMPLE",
            "aws:allowedAccountIds": JSON.stringify(["444455556666"]),
            "aws:insecure": "true",
        };
        let thrown: unknown;
        try {
            readStack(all);
        } catch (err) {
            thrown = err;
        }
        expect(thrown).to.be.instanceOf(ConfigError);
        const byKey = Object.fromEntries((thrown as ConfigError).problems.map((p) => [p.path, p.message]));
        expect(byKey["aws:profle"]).to.match(/^unknown config key; did you mean "aws:profile"\? allowed: the AWS provider's keys/);
        expect(byKey["envstack:netwrok"]).to.match(/^unknown config key; did you mean "envstack:network"\?/);
        expect(byKey["aws:maxRetries"]).to.equal('got "many"; allowed: a number');
        expect(byKey["aws:assumeRoles"]).to.match(/allowed: a YAML list of maps$/);
        expect(byKey["aws:accessKey"]).to.match(/static credentials are refused; give credentials with aws:profile .*aws:assumeRoles.*AWS_PROFILE/);
        expect(byKey["aws:allowedAccountIds"]).to.match(/set envstack:accountId instead/);
        expect(byKey["aws:insecure"]).to.match(/^got true; allowed: false, because it turns off TLS/);
        expect(Object.keys(byKey)).to.have.length(7);
    });

    it("read as their types when valid", () => {
        const { aws, input } = readStack({
            ...DEV,
            "aws:profile": "123",
            "aws:useFipsEndpoint": "true",
            "aws:insecure": "false",
        });
        expect(aws).to.deep.equal({ profile: "123", useFipsEndpoint: true, insecure: false });
        expect(input.region).to.equal("eu-west-1");
    });
});
