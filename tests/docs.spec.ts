import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, parseAllDocuments, stringify } from "yaml";
import { readPolicyConfigFile, resolvePolicyConfig } from "../plan/policyConfig";
import { readStackConfig } from "../plan/project";
import { guardrails } from "../policy/policies";
import { MAX_ENVIRONMENT_NAME } from "../components/config/schema";
import { readStack } from "../stacks/config";
import { GENERATED_FILES, GENERATORS } from "./docs/generated";
import { allBlocks, CodeBlock, examples, generatedRegions, pages, prose, read, REPO } from "./docs/markdown";

/**
 * A number that goes stale: a count, a size, a duration or a share. Outside generated regions
 * and code, the docs state none of these; a version (Kubernetes 1.35), a port or a CIDR is fine.
 */
const STALE_NUMBER = /\b\d[\d,.]*\s?(?:%|(?:ms|s|sec|seconds?|min|minutes?|h|hours?|days?|weeks?|KiB|MiB|GiB|TiB|KB|MB|GB|TB|vCPUs?|CPUs?|tests?|specs?|resources|policies|lines|teams|files|modules|IOPS|nodes|pods|times)\b)/g;

describe("the docs", () => {
    const blocks = allBlocks();

    it("are a short README that leads to a real deployment, and one page per topic in docs/", () => {
        const readme = read("README.md");
        expect(readme.split("\n").length).to.be.within(200, 380);
        for (const heading of ["## Quickstart", "## Your first real environment", "### 2. A backend for the state", "### 3. The stack", "### 4. Check, preview, apply", "### How long it takes", "### Destroying dev", "## The offline plan", "## Documentation"]) {
            expect(readme, heading).to.include(`\n${heading}\n`);
        }
        expect(pages()).to.include.members(["docs/components.md", "docs/configuration.md", "docs/guardrails.md", "docs/npm.md", "docs/ci.md"]);
        // A page per platform add-on.
        expect(pages()).to.include.members(["docs/load-balancers.md", "docs/dns.md", "docs/secrets.md", "docs/autoscaling.md"]);
        for (const page of pages().filter((p) => p !== "README.md")) expect(readme, `the README links ${page}`).to.include(`](${page})`);
    });

    it("hold every generated region and file exactly as its generator writes it now", async function () {
        this.timeout(60_000);
        const stale: string[] = [];
        for (const page of pages()) {
            for (const [name, body] of generatedRegions(page)) {
                if (name === "bench") {
                    expect(body, `${page}: the bench's region`).to.match(/^Latest run: .*\n[\s\S]*\| plan prod \+ pack \|/);
                    continue;
                }
                expect(GENERATORS, `${page}: a generator for "${name}"`).to.have.property(name);
                if ((await GENERATORS[name]()) !== body) stale.push(`${page}: ${name}`);
            }
        }
        for (const [file, generate] of Object.entries(GENERATED_FILES)) {
            if (!fs.existsSync(path.join(REPO, file)) || fs.readFileSync(path.join(REPO, file), "utf8") !== (await generate())) stale.push(file);
        }
        expect(stale, "run `npm run docs:generate`").to.deep.equal([]);
        const used = new Set(pages().flatMap((p) => [...generatedRegions(p).keys()]));
        expect(Object.keys(GENERATORS).filter((g) => !used.has(g)), "generators no page uses").to.deep.equal([]);
    });

    it("state no count, size, duration or share outside generated regions and code", () => {
        const found = pages().flatMap((page) => [...prose(page).matchAll(STALE_NUMBER)].map((m) => `${page}: "${m[0]}"`));
        expect(found).to.deep.equal([]);
        // The rule catches what it should.
        expect("about 40 seconds, 185 tests, 22 policies, 0.52 s, 70%".match(STALE_NUMBER)).to.have.length(5);
    });

    it("link only to files that exist", () => {
        const broken = pages().flatMap((page) =>
            [...read(page).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
                .map((m) => m[1])
                .filter((target) => !/^[a-z]+:/.test(target) && !fs.existsSync(path.resolve(REPO, path.dirname(page), target)))
                .map((target) => `${page} -> ${target}`),
        );
        expect(broken).to.deep.equal([]);
        // Paths the prose names in backticks (a spec that proves a claim, a module) exist too.
        const named = pages().flatMap((page) =>
            [...prose(page).matchAll(/`((?:tests|components|docs|plan|policy|stacks|scripts)\/[\w./-]+\.(?:ts|json|md|js))`/g)].map((m) => m[1]).filter((f) => !fs.existsSync(path.join(REPO, f))).map((f) => `${page}: ${f}`),
        );
        expect(named).to.deep.equal([]);
    });

    it("show stack-file snippets that, merged into a real stack file, pass every check", () => {
        const snippets = blocks.filter((b) => b.lang === "yaml" && /^(config:|  (envstack|aws):)/m.test(b.code));
        expect(snippets.length).to.be.greaterThan(4);
        const base = parseYaml(read("Pulumi.dev.yaml"));
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "envstack-snippet-"));
        try {
            for (const b of snippets) {
                const fragment = parseYaml(b.code.startsWith("config:") ? b.code : `config:\n${b.code}`).config as Record<string, unknown>;
                const file = path.join(tmp, "Pulumi.dev.yaml");
                fs.writeFileSync(file, stringify({ ...base, config: { ...base.config, ...fragment } }));
                expect(() => readStack(readStackConfig(file, "envstack").values), `${b.page}:${b.line}`).not.to.throw();
            }
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("show Kubernetes manifests that are valid against the upstream schemas", async () => {
        const manifests = blocks.filter((b) => b.lang === "yaml" && /^apiVersion:/m.test(b.code)).flatMap((b) => parseAllDocuments(b.code).map((d) => ({ b, object: d.toJSON() })));
        const models: Record<string, () => Promise<new (o: any) => { validate(): void }>> = {
            "v1/PersistentVolumeClaim": async () => (await import("kubernetes-models/v1/PersistentVolumeClaim")).PersistentVolumeClaim,
            "v1/Pod": async () => (await import("kubernetes-models/v1/Pod")).Pod,
            "monitoring.coreos.com/v1/ServiceMonitor": async () => (await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor")).ServiceMonitor,
            "autoscaling/v2/HorizontalPodAutoscaler": async () => (await import("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler")).HorizontalPodAutoscaler,
            "apps/v1/Deployment": async () => (await import("kubernetes-models/apps/v1/Deployment")).Deployment,
            "v1/Service": async () => (await import("kubernetes-models/v1/Service")).Service,
            "networking.k8s.io/v1/Ingress": async () => (await import("kubernetes-models/networking.k8s.io/v1/Ingress")).Ingress,
            "networking.k8s.io/v1/NetworkPolicy": async () => (await import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy")).NetworkPolicy,
            "external-secrets.io/v1/ExternalSecret": async () => (await import("@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret")).ExternalSecret,
        };
        expect(manifests.length).to.be.greaterThan(2);
        for (const { b, object } of manifests) {
            const model = models[`${object.apiVersion}/${object.kind}`];
            expect(model, `${b.page}:${b.line}: a schema for ${object.apiVersion} ${object.kind}`).to.be.a("function");
            const Model = await model();
            expect(() => new Model(object).validate(), `${b.page}:${b.line}`).not.to.throw();
        }
        const { Pod } = await import("kubernetes-models/v1/Pod");
        expect(() => new Pod({ metadata: { name: "x" }, spec: { containers: [{ name: 1 as unknown as string }] } }).validate()).to.throw();
    });

    it("show JSON that parses, and a policy config the pack accepts", () => {
        const json = blocks.filter((b: CodeBlock) => b.lang === "json");
        expect(json.length).to.be.greaterThan(1);
        for (const b of json) expect(() => JSON.parse(b.code), `${b.page}:${b.line}`).not.to.throw();
        const config = json.find((b) => b.page === "docs/guardrails.md")!;
        const file = path.join(os.tmpdir(), `envstack-docs-policy-${process.pid}.json`);
        fs.writeFileSync(file, config.code);
        try {
            expect(resolvePolicyConfig(readPolicyConfigFile(file), guardrails, file).get("node-group-max-size")?.properties).to.deep.equal({ maxNodes: 10 });
        } finally {
            fs.rmSync(file);
        }
    });

    it("name, for each value to replace in Pulumi.dev.yaml, a value that is there", () => {
        const readme = read("README.md");
        const table = readme.slice(readme.indexOf("| key | example value there today |"), readme.indexOf("\n\n", readme.indexOf("| key | example value there today |")));
        const values = [...table.matchAll(/^\| [^|]+ \| `([^`]+)` \|/gm)].map((m) => m[1]);
        expect(values.length).to.be.greaterThan(6);
        const dev = read("Pulumi.dev.yaml");
        expect(values.filter((v) => !dev.includes(v))).to.deep.equal([]);
    });

    it("state the limits the config enforces, as the code has them", () => {
        expect(read("docs/configuration.md")).to.include(`a DNS label of at most ${MAX_ENVIRONMENT_NAME} characters`);
    });

    it("name each TypeScript example's file once, so the consumer test compiles them all", () => {
        const files = examples(blocks).map((e) => e.file);
        expect(files.length).to.be.greaterThan(8);
        expect(new Set(files).size).to.equal(files.length);
    });
});
