import * as fs from "node:fs";

/** A TypeScript example from the README: the file its first line names, and its code. */
export interface ReadmeExample {
    file: string;
    code: string;
}

/** Every ```ts block of the README whose first line is a `// <file>.ts` comment. */
export function readmeExamples(readmePath: string): ReadmeExample[] {
    const text = fs.readFileSync(readmePath, "utf8");
    const examples: ReadmeExample[] = [];
    for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
        const code = match[1];
        const file = /^\/\/ ([\w./-]+\.ts)\n/.exec(code)?.[1];
        if (!file) throw new Error(`a README TypeScript example does not name its file on its first line:\n${code.slice(0, 200)}`);
        examples.push({ file, code });
    }
    return examples;
}
