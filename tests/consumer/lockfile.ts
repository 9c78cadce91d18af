import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The consumer project (tests/consumer/project): an application team's package.json with the
 * packed envstack and its peers, and a lockfile of its own. `npm ci` installs it on any machine,
 * offline after the repository's own `npm ci`, because every package it locks is one the
 * repository's lockfile already pins at the same version: the consumer runs exactly what the
 * tests ran. `npm run consumer:lock` regenerates it; `lockProblems` says when it is stale.
 */

export const REPO = path.resolve(__dirname, "..", "..", "..");
export const CONSUMER_DIR = path.join(REPO, "tests", "consumer", "project");
/** Where the consumer's package.json expects the packed envstack, relative to the project: its vendor folder, as docs/npm.md says. */
export function tarballPath(): string {
    return `vendor/envstack-${readJson<{ version: string }>(path.join(REPO, "package.json")).version}.tgz`;
}
/** What a consumer installs beside envstack: the peers (and @pulumi/policy for its own pack). */
export const PEERS = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/eks", "@pulumi/awsx", "@pulumi/kubernetes", "@pulumi/policy"];
/** Installed for compiling the docs' examples: TypeScript and Node's types. */
export const DEV = ["@types/node", "typescript"];

type LockEntry = { version?: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; link?: boolean };
type Lock = { packages: Record<string, LockEntry> };
type Manifest = { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string> };

export const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, "utf8")) as T;

/** The package name of a lockfile path: `node_modules/a/node_modules/@b/c` -> `@b/c`. */
const nameOf = (lockPath: string) => lockPath.slice(lockPath.lastIndexOf("node_modules/") + "node_modules/".length);

/** Every version of each package the repository's lockfile pins. */
export function pinnedVersions(lock: Lock): Map<string, Set<string>> {
    const versions = new Map<string, Set<string>>();
    for (const [p, entry] of Object.entries(lock.packages)) {
        if (!p.includes("node_modules/") || !entry.version || entry.link) continue;
        const set = versions.get(nameOf(p)) ?? new Set<string>();
        set.add(entry.version);
        versions.set(nameOf(p), set);
    }
    return versions;
}

/** The consumer package.json the repository's lockfile implies: each peer at the version tested here. */
export function expectedManifest(rootLock: Lock, current: Manifest): Manifest {
    const at = (pkg: string) => {
        const version = rootLock.packages[`node_modules/${pkg}`]?.version;
        if (!version) throw new Error(`${pkg} is not in the repository's package-lock.json`);
        return version;
    };
    return {
        ...current,
        dependencies: { ...Object.fromEntries(PEERS.map((p) => [p, at(p)]).sort(([a], [b]) => a.localeCompare(b))), envstack: `file:${tarballPath()}` },
        devDependencies: Object.fromEntries(DEV.map((p) => [p, at(p)])),
    };
}

/**
 * Why the consumer project no longer installs what the tests ran, or [] when it does: a peer at
 * another version than the repository pins, a locked package at a version the repository never
 * installed, or envstack's locked dependencies differing from its package.json.
 */
export function lockProblems(rootLock: Lock, rootManifest: Manifest, manifest: Manifest, lock: Lock): string[] {
    const problems: string[] = [];
    const expected = expectedManifest(rootLock, manifest);
    for (const field of ["dependencies", "devDependencies"] as const) {
        for (const [pkg, want] of Object.entries(expected[field] ?? {})) {
            const got = manifest[field]?.[pkg];
            if (got !== want) problems.push(`package.json ${field}.${pkg} is ${got ?? "missing"}; the repository tests ${want}`);
        }
    }
    const pinned = pinnedVersions(rootLock);
    for (const [p, entry] of Object.entries(lock.packages)) {
        if (!p.includes("node_modules/") || p === "node_modules/envstack" || entry.link) continue;
        if (!pinned.get(nameOf(p))?.has(entry.version ?? "")) problems.push(`package-lock.json locks ${nameOf(p)}@${entry.version}, which the repository's lockfile does not pin`);
    }
    const envstack = lock.packages["node_modules/envstack"] ?? {};
    for (const field of ["dependencies", "peerDependencies"] as const) {
        if (JSON.stringify(envstack[field] ?? {}) !== JSON.stringify(rootManifest[field] ?? {})) problems.push(`package-lock.json locks envstack's ${field} as ${JSON.stringify(envstack[field] ?? {})}; package.json has ${JSON.stringify(rootManifest[field] ?? {})}`);
    }
    return problems;
}

/** `lockProblems` for the files in this repository. */
export function consumerLockProblems(): string[] {
    return lockProblems(
        readJson(path.join(REPO, "package-lock.json")),
        readJson(path.join(REPO, "package.json")),
        readJson(path.join(CONSUMER_DIR, "package.json")),
        readJson(path.join(CONSUMER_DIR, "package-lock.json")),
    );
}
