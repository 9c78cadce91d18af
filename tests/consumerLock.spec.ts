import { expect } from "chai";
import * as path from "node:path";
import { CONSUMER_DIR, consumerLockProblems, lockProblems, readJson, REPO, tarballPath } from "./consumer/lockfile";

type Lock = { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };
type Manifest = { dependencies: Record<string, string>; devDependencies: Record<string, string> };

describe("the consumer project's lockfile", () => {
    const rootLock = readJson<Lock>(path.join(REPO, "package-lock.json"));
    const rootManifest = readJson<Manifest>(path.join(REPO, "package.json"));
    const manifest = readJson<Manifest>(path.join(CONSUMER_DIR, "package.json"));
    const lock = readJson<Lock>(path.join(CONSUMER_DIR, "package-lock.json"));

    it("installs exactly the versions the repository tests: every peer, every locked package, envstack's dependencies", () => {
        expect(consumerLockProblems()).to.deep.equal([]);
        expect(manifest.dependencies["@pulumi/pulumi"]).to.equal(rootLock.packages["node_modules/@pulumi/pulumi"].version);
        expect(manifest.dependencies.envstack).to.equal(`file:${tarballPath()}`);
        expect(manifest.devDependencies.typescript).to.equal(rootLock.packages["node_modules/typescript"].version);
        expect(Object.keys(lock.packages).length).to.be.greaterThan(200);
    });

    it("is stale when a peer moves, a package is locked at a version the repository never ran, or envstack's dependencies change", () => {
        const bumped = structuredClone(rootLock);
        bumped.packages["node_modules/@pulumi/aws"].version = "7.99.0";
        expect(lockProblems(bumped, rootManifest, manifest, lock)).to.include.members([
            "package.json dependencies.@pulumi/aws is 7.48.0; the repository tests 7.99.0",
            "package-lock.json locks @pulumi/aws@7.48.0, which the repository's lockfile does not pin",
        ]);
        const drifted = structuredClone(lock);
        drifted.packages["node_modules/zod"].version = "4.0.0";
        expect(lockProblems(rootLock, rootManifest, manifest, drifted)).to.deep.equal(["package-lock.json locks zod@4.0.0, which the repository's lockfile does not pin"]);
        const newDependency = { ...rootManifest, dependencies: { ...rootManifest.dependencies, "left-pad": "^1.3.0" } };
        expect(lockProblems(rootLock, newDependency, manifest, lock)[0]).to.match(/^package-lock.json locks envstack's dependencies as .*; package.json has .*left-pad/);
    });
});
