import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The documentation as the docs tests read it: README.md and every page in docs/, their fenced
 * code blocks (language, tags, code, line), the commands in shell blocks, the generated regions,
 * and the prose outside both.
 */

export const REPO = path.resolve(__dirname, "..", "..", "..");

/** A fenced code block: ```` ```sh team ```` has lang "sh" and tags ["team"]. */
export interface CodeBlock {
    /** The page, relative to the repository. */
    page: string;
    /** 1-based line of the opening fence. */
    line: number;
    lang: string;
    tags: string[];
    code: string;
}

/** A TypeScript example: the file its first line names, and its code. */
export interface Example {
    file: string;
    code: string;
    page: string;
}

/** One shell command: continuation lines joined, the comment after it dropped. */
export interface Command {
    text: string;
    /** The trailing `# ...` comment, if any. */
    comment?: string;
    block: CodeBlock;
}

/** README.md, then docs/*.md in name order, relative to the repository. */
export function pages(): string[] {
    const docs = path.join(REPO, "docs");
    const pages = fs.existsSync(docs) ? fs.readdirSync(docs).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`) : [];
    return ["README.md", ...pages];
}

export function read(page: string): string {
    return fs.readFileSync(path.join(REPO, page), "utf8");
}

/** Every fenced code block of a page. */
export function codeBlocks(page: string): CodeBlock[] {
    const blocks: CodeBlock[] = [];
    const lines = read(page).split("\n");
    for (let i = 0; i < lines.length; i++) {
        const open = /^```(\S*)(.*)$/.exec(lines[i]);
        if (!open) continue;
        const end = lines.indexOf("```", i + 1);
        if (end < 0) throw new Error(`${page}:${i + 1}: a code block is not closed`);
        blocks.push({ page, line: i + 1, lang: open[1], tags: open[2].trim().split(/\s+/).filter(Boolean), code: lines.slice(i + 1, end).join("\n") });
        i = end;
    }
    return blocks;
}

/** Every code block of every page. */
export function allBlocks(): CodeBlock[] {
    return pages().flatMap(codeBlocks);
}

/** Every ```ts block, each naming its file on its first line (`// platform.ts`). */
export function examples(blocks = allBlocks()): Example[] {
    return blocks
        .filter((b) => b.lang === "ts")
        .map((b) => {
            const file = /^\/\/ ([\w./-]+\.ts)\n/.exec(`${b.code}\n`)?.[1];
            if (!file) throw new Error(`${b.page}:${b.line}: a TypeScript example does not name its file on its first line`);
            return { file, code: `${b.code}\n`, page: b.page };
        });
}

/** The commands of a shell block: `\` continuations joined, comment lines skipped, trailing comments split off. */
export function commands(block: CodeBlock): Command[] {
    const out: Command[] = [];
    let pending = "";
    for (const raw of block.code.split("\n")) {
        const line = raw.trim();
        if (!pending && (line === "" || line.startsWith("#"))) continue;
        if (line.endsWith("\\")) {
            pending += `${line.slice(0, -1).trim()} `;
            continue;
        }
        const full = pending + line;
        pending = "";
        const hash = full.search(/\s+#\s/);
        out.push(hash < 0 ? { text: full, block } : { text: full.slice(0, hash).trim(), comment: full.slice(hash).replace(/^\s+#\s/, "").trim(), block });
    }
    return out;
}

export const SHELL = ["sh", "bash", "shell"];

/** Every command in every shell block. */
export function allCommands(blocks = allBlocks()): Command[] {
    return blocks.filter((b) => SHELL.includes(b.lang)).flatMap(commands);
}

/** `<!-- generated:NAME -->` ... `<!-- /generated:NAME -->`: what a generator writes. */
export const GENERATED = /<!-- generated:([\w-]+) -->\n([\s\S]*?)<!-- \/generated:\1 -->/g;

/** The generated regions of a page, by name. */
export function generatedRegions(page: string): Map<string, string> {
    return new Map([...read(page).matchAll(GENERATED)].map((m) => [m[1], m[2]]));
}

/** Replaces the body of each named region of a page; returns whether the page changed. */
export function writeRegions(page: string, bodies: Map<string, string>): boolean {
    const before = read(page);
    const after = before.replace(GENERATED, (whole, name: string) => (bodies.has(name) ? `<!-- generated:${name} -->\n${bodies.get(name)}<!-- /generated:${name} -->` : whole));
    if (after !== before) fs.writeFileSync(path.join(REPO, page), after);
    return after !== before;
}

/** A page's prose: what is outside code blocks, generated regions and HTML comments. */
export function prose(page: string): string {
    return read(page)
        .replace(GENERATED, "")
        .replace(/^```[\s\S]*?^```$/gm, "")
        .replace(/<!--[\s\S]*?-->/g, "");
}
