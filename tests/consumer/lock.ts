/**
 * `npm run consumer:lock`: regenerates the consumer project's package.json and lockfile after
 * envstack's dependencies or peers change. Resolution starts from the repository's own lockfile,
 * so every package keeps the version the tests ran with; only envstack's integrity is dropped,
 * since each pack of the same code gives a new tarball. Needs the npm registry only for packages
 * npm's cache lacks.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CONSUMER_DIR, consumerLockProblems, expectedManifest, readJson, REPO, tarballPath } from "./lockfile";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "envstack-consumer-lock-"));
try {
    const [info] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    const project = path.join(work, "project");
    fs.mkdirSync(path.join(project, "vendor"), { recursive: true });
    fs.renameSync(path.join(work, info.filename), path.join(project, tarballPath()));

    const manifestFile = path.join(CONSUMER_DIR, "package.json");
    const manifest = expectedManifest(readJson(path.join(REPO, "package-lock.json")), readJson(manifestFile));
    fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    fs.copyFileSync(manifestFile, path.join(project, "package.json"));
    fs.copyFileSync(path.join(REPO, "package-lock.json"), path.join(project, "package-lock.json"));
    execFileSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: project, stdio: "inherit" });

    const lock = readJson<{ packages: Record<string, { integrity?: string }> }>(path.join(project, "package-lock.json"));
    delete lock.packages["node_modules/envstack"].integrity;
    fs.writeFileSync(path.join(CONSUMER_DIR, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
} finally {
    fs.rmSync(work, { recursive: true, force: true });
}
const problems = consumerLockProblems();
if (problems.length > 0) {
    process.stderr.write(`The consumer lockfile still differs from what the repository tests:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
    process.exit(1);
}
process.stdout.write(`Wrote ${path.relative(REPO, CONSUMER_DIR)}/package.json and package-lock.json\n`);
