import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../components";
import { readStackConfig } from "../plan/project";
import { runPlan } from "../plan/run";
import { kubeconfigCredentials } from "../stacks/awsProvider";
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
        // Kubernetes resources are applied as the same identity: the kubeconfig's aws eks get-token uses the profile and the role.
        const cluster = plan.resources.find((r) => r.type === "eks:index:Cluster")!;
        expect(cluster.inputs.providerCredentialOpts).to.deep.equal({ profileName: "acme-deployer", roleArn: "arn:aws:iam::111122223333:role/envstack-deployer" });
    });

    it("leave the provider as before when the stack file has none", async () => {
        const plan = await runPlan({ projectDir: REPO, stack: "dev" });
        const provider = plan.resources.find((r) => r.type === "pulumi:providers:aws")!;
        expect(plan.resources.find((r) => r.type === "eks:index:Cluster")!.inputs).not.to.have.property("providerCredentialOpts");
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
            "aws:endpoints": JSON.stringify([{ sts: "http://sts.attacker.example" }]),
            "aws:customCaBundle": "/etc/ssl/attacker.pem",
            "aws:httpsProxy": "http://proxy.attacker.example:3128",
            "aws:sharedCredentialsFiles": JSON.stringify(["./creds", "/home/ci/.aws/credentials"]),
            "aws:ec2MetadataServiceEndpoint": "http://169.254.170.2",
            "aws:forbiddenAccountIds": JSON.stringify(["444455556666"]),
            "aws:ignoreTags": JSON.stringify({ keys: ["environment"], keyPrefixes: ["karpenter"] }),
            "aws:defaultTags": JSON.stringify({ tags: { owner: "someone-else", department: "x" } }),
            "aws:assumeRoleWithWebIdentity": JSON.stringify({ roleArn: "arn:aws:iam::111122223333:role/x", webIdentityToken: "eyJ..." }),
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
        expect(byKey["aws:endpoints"]).to.match(/custom endpoints would send signed requests \(STS included\)/);
        expect(byKey["aws:customCaBundle"]).to.match(/a custom CA can intercept TLS to AWS; set it on the machine that deploys/);
        expect(byKey["aws:httpsProxy"]).to.match(/a proxy sees every call to AWS/);
        expect(byKey["aws:sharedCredentialsFiles"]).to.equal('"./creds": allowed: absolute paths outside the project (such as ~/.aws/config), since a file in the repository could hold keys or a credential_process');
        expect(byKey["aws:ec2MetadataServiceEndpoint"]).to.equal('got "http://169.254.170.2"; allowed: http://169.254.169.254 or http://[fd00:ec2::254]');
        expect(byKey["aws:forbiddenAccountIds"]).to.match(/envstack already allows exactly one account/);
        expect(byKey["aws:ignoreTags"]).to.equal("environment, karpenter: envstack sets and reads these tags itself; allowed: other keys to ignore");
        expect(byKey["aws:defaultTags"]).to.equal("owner: envstack sets and reads these tags itself; allowed: other keys to set");
        expect(byKey["aws:assumeRoleWithWebIdentity"]).to.match(/set AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE/);
        expect(Object.keys(byKey)).to.have.length(16);
    });

    it("allow one assumed role, by ARN, which the kubeconfig can assume too", () => {
        const problems = (roles: unknown) => {
            try {
                readStack({ ...DEV, "aws:assumeRoles": JSON.stringify(roles) });
                return [];
            } catch (err) {
                return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
            }
        };
        const role = "arn:aws:iam::111122223333:role/envstack-deployer";
        expect(problems([{ roleArn: role, sessionName: "ci" }])).to.deep.equal([]);
        expect(problems([{ roleArn: role }, { roleArn: role }])).to.deep.equal(["aws:assumeRoles: got 2 roles; allowed: exactly one, because the kubeconfig (aws eks get-token) assumes one role"]);
        expect(problems([{ roleArn: role, externalId: "x", duration: "1h" }])).to.deep.equal(["aws:assumeRoles: [0] sets externalId, duration; allowed: roleArn and sessionName, which the kubeconfig (aws eks get-token) can follow too"]);
        expect(problems([{ roleArn: "platform-admin" }])).to.deep.equal(['aws:assumeRoles: [0].roleArn: got "platform-admin"; allowed: an IAM role ARN']);
        expect(kubeconfigCredentials(readStack({ ...DEV, "aws:assumeRoles": JSON.stringify([{ roleArn: role }]) }).aws)).to.deep.equal({ roleArn: role });
        expect(kubeconfigCredentials(readStack(DEV).aws)).to.equal(undefined);
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

describe("secret alert endpoints", () => {
    const PROD = readStackConfig(path.join(REPO, "Pulumi.prod.yaml"), "envstack");
    const endpoint = "https://events.pager.example/integration/key-3f9a";

    it("the offline plan reads a nested `secure:` value as a secret it cannot decrypt, and marks the key secret", () => {
        expect(PROD.secretKeys).to.deep.equal(["envstack:observability"]);
        expect(JSON.parse(PROD.values["envstack:observability"]).alerts).to.deep.equal({ email: "platform-alerts@acme.example", httpsEndpoint: "https://offline-plan.invalid/secret" });
    });

    it("in prod, refuses an endpoint in plain text, the platform's and each team's, with the command that sets it as a secret", () => {
        const plain = { ...PROD.values, "envstack:observability": JSON.stringify({ alerts: { httpsEndpoint: endpoint } }), "envstack:teams": JSON.stringify([{ name: "payments", roleArn: "arn:aws:iam::777788889999:role/payments", alerts: { httpsEndpoint: endpoint } }]) };
        let thrown: unknown;
        try {
            readStack(plain, () => false);
        } catch (err) {
            thrown = err;
        }
        expect((thrown as ConfigError).problems.map((p) => `${p.path}: ${p.message}`)).to.deep.equal([
            "envstack:observability.alerts.httpsEndpoint: a plain value in prod; allowed: a secret, set with pulumi config set --secret --path 'envstack:observability.alerts.httpsEndpoint' <url>",
            "envstack:teams[0].alerts.httpsEndpoint: a plain value in prod; allowed: a secret, set with pulumi config set --secret --path 'envstack:teams[0].alerts.httpsEndpoint' <url>",
        ]);
        expect(() => readStack(plain, (key) => key === "envstack:observability" || key === "envstack:teams")).not.to.throw();
        // Outside prod a plain value is the team's choice.
        expect(() => readStack({ ...DEV, "envstack:observability": JSON.stringify({ alerts: { httpsEndpoint: endpoint } }) }, () => false)).not.to.throw();
    });
});
