/**
 * `npm run docs:generate`: rewrites every generated region of the README and docs/ (but the
 * bench's, which `npm run bench` writes) and the generated files, from the code and the plans.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GENERATED_FILES, GENERATORS } from "./generated";
import { generatedRegions, pages, REPO, writeRegions } from "./markdown";

async function main(): Promise<void> {
    for (const page of pages()) {
        const bodies = new Map<string, string>();
        for (const name of generatedRegions(page).keys()) {
            if (name === "bench") continue;
            const generator = GENERATORS[name];
            if (!generator) throw new Error(`${page}: no generator for the region "${name}"; known: ${Object.keys(GENERATORS).join(", ")}`);
            bodies.set(name, await generator());
        }
        if (writeRegions(page, bodies)) process.stdout.write(`updated ${page}\n`);
    }
    for (const [file, generate] of Object.entries(GENERATED_FILES)) {
        const content = await generate();
        const target = path.join(REPO, file);
        if (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== content) {
            fs.writeFileSync(target, content);
            process.stdout.write(`updated ${file}\n`);
        }
    }
}

main().catch((err) => {
    process.stderr.write(`docs:generate failed: ${(err as Error).message}\n`);
    process.exit(1);
});
