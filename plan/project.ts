import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";

/**
 * Reads a Pulumi project (`Pulumi.yaml`) and a stack's config (`Pulumi.<stack>.yaml`, or any
 * file in the same format) into what the runtime expects: `namespace:key` -> string, where
 * structured values are JSON, as the Pulumi CLI passes them to a program.
 */

export interface PulumiProject {
    dir: string;
    name: string;
    /** The program entry, absolute. */
    main: string;
}

export interface StackConfig {
    values: Record<string, string>;
    /** Keys whose values were `secure:` (encrypted); the plan cannot decrypt them. */
    secretKeys: string[];
}

export class ProjectError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProjectError";
    }
}

export { SECRET_PLACEHOLDER } from "./secrets";
import { SECRET_PLACEHOLDER } from "./secrets";

/** The project; with `optional`, a directory without Pulumi.yaml is a project named after its package.json or itself. */
export function readProject(dir: string, optional = false): PulumiProject {
    const file = path.join(dir, "Pulumi.yaml");
    if (optional && !fs.existsSync(file)) return { dir, name: packageName(dir) ?? path.basename(path.resolve(dir)), main: path.resolve(dir) };
    if (!fs.existsSync(file)) throw new ProjectError(`missing Pulumi.yaml in ${dir}: run envstack plan in a Pulumi project, point --cwd at one, or plan any program with --program <entry>`);
    const doc = readYaml(file) as Record<string, unknown> | undefined;
    if (!doc || typeof doc.name !== "string") throw new ProjectError(`${file}: no project name`);
    const main = typeof doc.main === "string" ? doc.main : ".";
    return { dir, name: doc.name, main: path.resolve(dir, main) };
}

function packageName(dir: string): string | undefined {
    try {
        const name = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name;
        return typeof name === "string" ? name.replace(/^@[^/]+\//, "") : undefined;
    } catch {
        return undefined;
    }
}

/**
 * The stack names that have a `Pulumi.<stack>.yaml` in the project, for messages.
 */
export function stacksIn(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

export function readStackConfig(file: string, project: string): StackConfig {
    const doc = readYaml(file) ?? {};
    if (!isMap(doc)) throw new ProjectError(`${file}: a stack file is a map with a config key; got ${describe(doc)}`);
    const config = doc.config ?? {};
    if (!isMap(config)) throw new ProjectError(`${file}: config must be a map of keys to values, like envstack:tier: dev; got ${describe(config)}`);
    const empty = Object.entries(config).filter(([, value]) => value === null).map(([key]) => key);
    if (empty.length > 0) throw new ProjectError(`${file}: ${empty.join(", ")} ${empty.length > 1 ? "have" : "has"} no value (~ or nothing after the colon); give a value, or remove the key`);
    const infinite = Object.entries(config).flatMap(([key, value]) => nonFinite(value, key));
    if (infinite.length > 0) {
        throw new ProjectError(`${file}: ${infinite.map((where) => `${where} is not a finite number`).join("; ")}; allowed: a number such as 10 or 0.5 (.inf and .nan cannot be passed to a program)`);
    }
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, value] of Object.entries(config)) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        // `pulumi config set --secret --path` nests `secure:` inside a structured value; the whole key is then secret.
        let secret = false;
        const plain = withoutSecrets(value, () => (secret = true));
        if (secret) secretKeys.push(key);
        values[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    }
    return { values, secretKeys };
}

/** The value with every `secure:` leaf replaced by the placeholder; `found` is called for each. */
function withoutSecrets(value: unknown, found: () => void): unknown {
    if (isSecure(value)) {
        found();
        return SECRET_PLACEHOLDER;
    }
    if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, found));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v, found)]));
    return value;
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const describe = (v: unknown) => (Array.isArray(v) ? "a list" : JSON.stringify(v)?.slice(0, 60) ?? String(v));

/** Paths of the numbers in a value that JSON cannot carry (`.inf`, `.nan`). */
function nonFinite(value: unknown, at: string): string[] {
    if (typeof value === "number") return Number.isFinite(value) ? [] : [`${at} (${value})`];
    if (Array.isArray(value)) return value.flatMap((v, i) => nonFinite(v, `${at}[${i}]`));
    if (isMap(value)) return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${at}.${k}`));
    return [];
}

/** Larger than any stack file; a bigger one is a mistake or an attack on the reader. */
const MAX_YAML_BYTES = 1024 * 1024;
/** Aliases a stack file may use: a few are handy, thousands expand a small file into gigabytes. */
const MAX_ALIASES = 100;

function readYaml(file: string): unknown {
    let text: string;
    try {
        if (fs.statSync(file).size > MAX_YAML_BYTES) throw new ProjectError(`${file}: larger than ${MAX_YAML_BYTES / 1024} KiB; a stack file is a few kilobytes`);
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        if (err instanceof ProjectError) throw err;
        throw new ProjectError((err as NodeJS.ErrnoException).code === "ENOENT" ? `missing file: ${file}` : `cannot read ${file}: ${(err as Error).message}`);
    }
    // Only plain YAML: a tag (!!binary, !!set, !custom) would reach the program as something no config value is.
    const doc = parseDocument(text, { merge: true, prettyErrors: true, schema: "core", customTags: [], logLevel: "silent" });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw new ProjectError(`${file}: not valid YAML: ${yamlProblem(problem.message, text)}`);
    let value: unknown;
    try {
        value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (err) {
        const message = (err as Error).message.split("\n")[0];
        throw new ProjectError(/alias count/i.test(message) ? `${file}: more than ${MAX_ALIASES} YAML aliases; write the values out (so many aliases expand a small file into gigabytes)` : `${file}: not valid YAML: ${message}`);
    }
    const odd = notPlain(value, "");
    if (odd) throw new ProjectError(`${file}: ${odd} holds a YAML value no config can hold (a tag such as !!binary, !!set or !!timestamp); write it as a plain string, number, list or map`);
    return value;
}

/** Where a value is something other than JSON's strings, numbers, booleans, null, lists and maps. */
function notPlain(value: unknown, at: string): string | undefined {
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) return undefined;
    if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) {
            const found = notPlain(v, `${at}[${i}]`);
            if (found) return found;
        }
        return undefined;
    }
    if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            const found = notPlain(v, at ? `${at}.${k}` : k);
            if (found) return found;
        }
        return undefined;
    }
    return at || "the document";
}

/** The parser's first line, with the line of the file it points at instead of a dangling colon. */
function yamlProblem(message: string, text: string): string {
    const first = message.split("\n")[0].replace(/:$/, "");
    const line = Number(/at line (\d+)/.exec(first)?.[1]);
    const source = line ? text.split("\n")[line - 1]?.trim() : undefined;
    return source ? `${first} (${source.length > 60 ? `${source.slice(0, 57)}...` : source})` : first;
}

/**
 * The file to load for a program entry. A TypeScript entry runs as its compiled twin under the
 * project's `outDir` when that is up to date (the plan then runs exactly the JavaScript the build
 * produced); otherwise, as in a team's project that has not been built, it is transpiled on load
 * with tsx (no type-checking). A directory means its index.
 */
export function resolveEntry(entry: string, projectDir: string): { file: string; transpile: boolean } {
    let file = entry;
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
        file = ["index.ts", "index.js"].map((f) => path.join(file, f)).find((f) => fs.existsSync(f)) ?? path.join(file, "index.js");
    }
    if (!fs.existsSync(file)) throw new ProjectError(`missing program: ${file} does not exist`);
    if (!file.endsWith(".ts")) return { file, transpile: false };
    const twin = path.join(projectDir, outDirOf(projectDir), path.relative(projectDir, file)).replace(/\.ts$/, ".js");
    const fresh = fs.existsSync(twin) && fs.statSync(twin).mtimeMs >= fs.statSync(file).mtimeMs;
    return fresh ? { file: twin, transpile: false } : { file, transpile: true };
}

function outDirOf(projectDir: string): string {
    try {
        const tsconfig = JSON.parse(fs.readFileSync(path.join(projectDir, "tsconfig.json"), "utf8"));
        return tsconfig?.compilerOptions?.outDir ?? "dist";
    } catch {
        return "dist";
    }
}
