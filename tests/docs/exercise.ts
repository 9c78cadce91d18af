import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { RecordedResource } from "../../plan/engine";
import { readPolicyConfigFile, resolvePolicyConfig } from "../../plan/policyConfig";
import { stacksIn } from "../../plan/project";
import { guardrails } from "../../policy/policies";
import { runCli } from "../harness";
import { AWS_FLAGS, KUBECTL_FLAGS, PULUMI_FLAGS, subcommand, words } from "./commands";
import type { Command } from "./markdown";
import { REPO } from "./markdown";

/**
 * Exercises one documented shell command, the closest way this machine allows: the offline plan
 * and envstack's scripts are run; what needs AWS is checked against the tool's flags and against
 * this repository (the stacks, files, names and roles it must refer to). Returns what was done;
 * throws when the command is wrong or is not one the docs test knows.
 */

/** What the commands of all the pages establish for each other (buckets created, files written). */
export interface DocsContext {
    plans: { stack: string; resources: RecordedResource[] }[];
    /** Every command, for cross-references (a bucket created before it is logged into). */
    all: Command[];
    /** Where commands write their files. */
    tmp: string;
    /** Files a command wrote, by the name the docs gave them. */
    written: Map<string, string>;
}

const PLACEHOLDER = /^<[\w-]+>$/;
const STACK_ARG = "staging";

export async function exercise(command: Command, ctx: DocsContext): Promise<string> {
    const { words: w, redirect } = words(command);
    const [tool, ...args] = w;
    const expected = Number(/exits (\d+)/.exec(command.comment ?? "")?.[1] ?? 0);
    if (tool === "npm" && args[0] === "run" && args[1] === "plan") return plan(args.slice(args[2] === "--" ? 3 : 2), expected, ctx);
    if (tool === "npx" && args[0] === "envstack") return plan(args.slice(args[1] === "plan" ? 2 : 1), expected, ctx);
    if (tool === "npm") return npmScript(args);
    if (tool === "pulumi") return pulumi(args, ctx);
    if (tool === "aws") return awsCli(args, ctx);
    if (tool === "kubectl") return kubectl(args, ctx);
    if (tool === "sed") return sed(args, redirect, ctx);
    if (tool === "export" && args.length === 1 && /^[A-Z_]+=.+/.test(args[0])) return "sets an environment variable";
    if (w.includes("bash") && w.includes(".ci/run") && fs.existsSync(path.join(REPO, ".ci", "run"))) return "CI itself";
    throw new Error(`the docs test cannot exercise "${command.text}"`);
}

async function plan(args: string[], expected: number, ctx: DocsContext): Promise<string> {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "<stack>") out.push(STACK_ARG);
        else if (a === "$GITHUB_STEP_SUMMARY") out.push(path.join(ctx.tmp, "summary.md"));
        else if (["--json", "--summary", "--compare"].includes(args[i - 1]) && !a.startsWith("/")) out.push(path.join(ctx.tmp, a.replace("<stack>", STACK_ARG)));
        else out.push(a.replace("<stack>", STACK_ARG));
    }
    const run = await runCli(["plan", ...out, "--cwd", REPO]);
    if (run.code !== expected) throw new Error(`exited ${run.code}, expected ${expected}:\n${run.err || run.out.slice(-2000)}`);
    return `ran: exit ${run.code}`;
}

function npmScript(args: string[]): string {
    const ci = fs.readFileSync(path.join(REPO, ".ci", "run"), "utf8");
    const command = ["npm", ...args].join(" ");
    const scripts = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).scripts as Record<string, string>;
    if (["npm ci", "npm test", "npm run docs", "npm run test:consumer"].includes(command)) {
        if (!ci.includes(command)) throw new Error(`.ci/run does not run "${command}"`);
        return "run by .ci/run";
    }
    if (args[0] === "pack" && (args.length === 1 || (args[1] === "--pack-destination" && args.length === 3))) {
        if (!fs.readFileSync(path.join(REPO, "tests", "consumer", "run.ts"), "utf8").includes('["pack"')) throw new Error("the consumer test does not run npm pack");
        return "run by the consumer test";
    }
    // The PR template builds the project (and the base checkout) before planning it.
    if (command === "npm run build --if-present" || command === "npm run build --if-present --prefix base") {
        if (!scripts.build) throw new Error(`${command}: package.json has no build script`);
        return "builds the project, as npm test does first";
    }
    // The PR template installs the base branch's checkout beside the pull request's.
    if (args[0] === "ci" && args[1] === "--prefix" && args.length === 3) {
        const pr = fs.readFileSync(path.join(REPO, "ci-templates", "github", "workflows", "envstack-pr.yml"), "utf8");
        if (!pr.includes(`path: ${args[2]}`)) throw new Error(`${command}: the PR template checks nothing out at ${args[2]}`);
        return "installs the base checkout the PR template makes";
    }
    const script = args[0] === "run" ? args[1] : undefined;
    if (script === "docs:generate" || script === "consumer:lock") {
        const module = { "docs:generate": "dist/tests/docs/generate.js", "consumer:lock": "dist/tests/consumer/lock.js" }[script];
        if (!scripts[script]?.includes(module)) throw new Error(`package.json's ${script} does not run ${module}`);
        return `its result is checked by the ${script === "docs:generate" ? "generated-regions" : "consumer lockfile"} test`;
    }
    if (script === "bench") {
        const extra = args.slice(2)[0] === "--" ? args.slice(3) : [];
        const run = spawnSync(process.execPath, [path.join(REPO, "dist", "tests", "bench", "run.js"), ...extra, "--dry-run"], { encoding: "utf8" });
        if (run.status !== 0 || !run.stdout.includes("plan prod + pack")) throw new Error(`npm run bench ${extra.join(" ")} --dry-run: ${run.stderr}`);
        return "its cases built (--dry-run)";
    }
    throw new Error(`the docs test cannot exercise "${command}"`);
}

const stackFiles = () => Object.fromEntries(stacksIn(REPO).map((s) => [s, parseYaml(fs.readFileSync(path.join(REPO, `Pulumi.${s}.yaml`), "utf8")).config as Record<string, any>]));

function checkStack(stack: string | true | undefined, where: string): void {
    if (typeof stack !== "string" || PLACEHOLDER.test(stack)) return;
    if (!stacksIn(REPO).includes(stack)) throw new Error(`${where}: no stack "${stack}" here`);
}

/** Buckets the docs create, for commands that use one. */
const bucketsCreated = (ctx: DocsContext) => ctx.all.map((c) => words(c).words).filter((w) => w[0] === "aws" && w[2] === "create-bucket").map((w) => w[w.indexOf("--bucket") + 1]);

function pulumi(args: string[], ctx: DocsContext): string {
    const { name, flags, positional } = subcommand(PULUMI_FLAGS, args);
    checkStack(flags.get("--stack") ?? flags.get("-s"), name);
    if (name === "stack init" || name === "stack rm") checkStack(positional[0], name);
    const pack = flags.get("--policy-pack");
    if (pack !== undefined && !fs.existsSync(path.join(REPO, String(pack), "PulumiPolicy.yaml"))) throw new Error(`--policy-pack ${pack}: not a policy pack here`);
    const config = flags.get("--policy-pack-config");
    if (config !== undefined) {
        for (const stack of String(config).includes("<stack>") ? stacksIn(REPO) : [""]) {
            const file = path.join(REPO, String(config).replace("<stack>", stack));
            resolvePolicyConfig(readPolicyConfigFile(file), guardrails, file);
        }
    }
    const secrets = flags.get("--secrets-provider");
    if (typeof secrets === "string") {
        const alias = /^awskms:\/\/(alias\/[\w/-]+)\?region=[a-z0-9-]+$/.exec(secrets)?.[1];
        const created = ctx.all.map((c) => words(c).words).filter((w) => w[0] === "aws" && w[2] === "create-alias").map((w) => w[w.indexOf("--alias-name") + 1]);
        if (!alias || !created.includes(alias)) throw new Error(`--secrets-provider ${secrets}: not an awskms:// URL of an alias the docs create (${created.join(", ")})`);
    }
    if (name === "login" && positional[0] && !PLACEHOLDER.test(positional[0])) {
        const bucket = /^s3:\/\/([a-z0-9.-]+)(\?region=[a-z0-9-]+)?$/.exec(positional[0])?.[1];
        if (!bucket || !bucketsCreated(ctx).includes(bucket)) throw new Error(`pulumi login ${positional[0]}: not a bucket the docs create`);
    }
    return "checked: flags, stacks, pack, policy config";
}

function awsCli(args: string[], ctx: DocsContext): string {
    const { name, flags } = subcommand(AWS_FLAGS, args);
    for (const [flag, value] of flags) {
        if (typeof value === "string" && value.startsWith("{")) JSON.parse(value);
        if (String(value).startsWith("file://") && !ctx.written.has(String(value).replace("file://", ""))) throw new Error(`${flag} ${value}: no command or file block before it writes that file`);
        if (flag === "--bucket" && !bucketsCreated(ctx).includes(String(value))) throw new Error(`--bucket ${value}: not the bucket the docs create`);
    }
    if (name === "iam attach-role-policy") {
        const created = ctx.all.map((c) => words(c).words).filter((w) => w[0] === "aws" && w[2] === "create-policy").map((w) => w[w.indexOf("--policy-name") + 1]);
        if (!created.some((p) => String(flags.get("--policy-arn")).endsWith(`:policy/${p}`))) throw new Error(`--policy-arn ${flags.get("--policy-arn")}: not a policy the docs create (${created.join(", ")})`);
    }
    if (name === "iam create-service-linked-role") {
        const filled = JSON.parse(fs.readFileSync(path.join(REPO, "docs", "deployer-policy.json"), "utf8"));
        const allowed = filled.Statement.find((s: { Sid: string }) => s.Sid === "ServiceLinkedRoles").Condition.StringEquals["iam:AWSServiceName"];
        if (!allowed.includes(flags.get("--aws-service-name"))) throw new Error(`${flags.get("--aws-service-name")}: the deployer policy does not allow creating it`);
    }
    if (name === "secretsmanager create-secret" || name === "ssm put-parameter") checkTeamSecret(name, flags, ctx);
    if (name === "eks update-kubeconfig") {
        const stack = Object.values(stackFiles()).find((c) => c["envstack:name"] === flags.get("--name"));
        if (!stack) throw new Error(`--name ${flags.get("--name")}: no stack file names that cluster`);
        if (stack["aws:region"] !== flags.get("--region")) throw new Error(`--region ${flags.get("--region")}: the cluster is in ${stack["aws:region"]}`);
        if (!stack["envstack:cluster"].adminRoleArns.includes(flags.get("--role-arn"))) throw new Error(`--role-arn ${flags.get("--role-arn")}: not an admin role of ${flags.get("--name")}`);
    }
    return "checked: flags, values, the names it refers to";
}

/** A team's secret: named under the prefix of a team whose plan has SecretStores, encrypted with that environment's key. */
function checkTeamSecret(name: string, flags: Map<string, string | true>, ctx: DocsContext): void {
    const secretName = String(flags.get("--name"));
    const [environment, team] = secretName.replace(/^\//, "").split("/");
    if ((name === "ssm put-parameter") !== secretName.startsWith("/")) throw new Error(`--name ${secretName}: parameters start with '/', secrets do not`);
    const stack = Object.entries(stackFiles()).find(([, c]) => c["envstack:name"] === environment)?.[0];
    if (!stack) throw new Error(`--name ${secretName}: no stack file names the environment ${environment}`);
    const stores = ctx.plans.find((p) => p.stack === stack)!.resources.filter((r) => r.type === "kubernetes:external-secrets.io/v1:SecretStore");
    if (!stores.some((r) => (r.inputs.metadata as { namespace: string }).namespace === team)) throw new Error(`--name ${secretName}: the ${stack} plan has no SecretStore for a team ${team}`);
    const key = flags.get("--kms-key-id") ?? flags.get("--key-id");
    if (key !== `alias/envstack/${environment}`) throw new Error(`${key}: not the environment key's alias (alias/envstack/${environment})`);
    if (name === "ssm put-parameter" && flags.get("--type") !== "SecureString") throw new Error("a secret parameter is a SecureString");
}

function kubectl(args: string[], ctx: DocsContext): string {
    const rest = [...args];
    const nsAt = rest.findIndex((a) => a === "-n" || a === "--namespace");
    const namespace = nsAt >= 0 ? rest.splice(nsAt, 2)[1] : undefined;
    const { name, positional } = subcommand(KUBECTL_FLAGS, rest);
    const all = ctx.plans.flatMap((p) => p.resources);
    const named = (type: string) => all.filter((r) => r.type === type).map((r) => r.inputs.metadata as { name: string; namespace?: string });
    if (namespace && !named("kubernetes:core/v1:Namespace").some((m) => m.name === namespace)) throw new Error(`-n ${namespace}: no stack creates that namespace`);
    if (name === "get" && positional[0] === "secret" && !named("kubernetes:core/v1:Secret").some((m) => m.name === positional[1] && m.namespace === namespace)) throw new Error(`secret ${namespace}/${positional[1]}: no stack creates it`);
    if (name === "port-forward") {
        const service = positional[0].replace(/^svc\//, "");
        const prefixes = all.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").flatMap((r) => JSON.stringify(r.inputs.values ?? {}).match(/"fullnameOverride":"[^"]+"/g) ?? []).map((m) => m.split(":")[1].replace(/"/g, ""));
        if (!prefixes.some((p) => service === p || service.startsWith(`${p}-`))) throw new Error(`svc/${service}: no chart in the plans names a service so (${prefixes.join(", ")})`);
    }
    return "checked: flags, and the namespace, secret or service exists in the plans";
}

function sed(args: string[], redirect: string | undefined, ctx: DocsContext): string {
    if (!redirect) throw new Error("a sed command in the docs writes a file");
    const run = spawnSync("sed", args, { cwd: REPO, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`sed failed: ${run.stderr}`);
    const file = path.join(ctx.tmp, redirect);
    fs.writeFileSync(file, run.stdout);
    ctx.written.set(redirect, file);
    return `ran: wrote ${redirect}`;
}

/** A scratch folder for the commands' files. */
export const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), "envstack-docs-"));
