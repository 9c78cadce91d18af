// platform.test.ts
import * as assert from "node:assert/strict";
import { recordResources } from "envstack/testing";

async function main(): Promise<void> {
    const resources = await recordResources(() => require("./platform"));
    const classes = resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
    assert.deepEqual(classes.map((c) => (c.inputs.metadata as { name: string }).name).sort(), ["efs", "gp3"]);
    assert.ok(resources.filter((r) => r.type === "aws:efs/fileSystem:FileSystem").every((f) => f.protect), "prod file systems are protected");
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
