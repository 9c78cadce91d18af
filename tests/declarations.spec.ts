import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "./harness";

/**
 * A consumer compiles envstack's declarations without skipLibCheck, with only envstack's
 * dependencies and peers installed: no declaration reachable from a public entry point may
 * import a devDependency (the consumer test finds this too, but only after packing).
 */
describe("the package's public declarations", () => {
    it("reach no devDependency from any entry point", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
        const installed = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies), "node"]);
        const devOnly = Object.keys(manifest.devDependencies).filter((d) => !installed.has(d));
        const entries = Object.values(manifest.exports as Record<string, { types?: string }>).flatMap((e) => (typeof e === "object" && e.types ? [path.join(REPO, e.types)] : []));
        expect(entries.length).to.equal(4);
        const seen = new Set<string>();
        const offending: string[] = [];
        const visit = (file: string) => {
            if (seen.has(file) || !fs.existsSync(file)) return;
            seen.add(file);
            for (const [, spec] of fs.readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
                if (spec.startsWith(".")) {
                    const base = path.resolve(path.dirname(file), spec.replace(/\.js$/, ""));
                    visit(fs.existsSync(`${base}.d.ts`) ? `${base}.d.ts` : path.join(base, "index.d.ts"));
                }
                else if (devOnly.some((d) => spec === d || spec.startsWith(`${d}/`))) offending.push(`${path.relative(REPO, file)} imports ${spec}`);
            }
        };
        for (const entry of entries) visit(entry);
        expect(seen.size).to.be.greaterThan(30);
        expect(offending).to.deep.equal([]);
        return seen;
    });
});
