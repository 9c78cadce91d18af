#!/usr/bin/env node
/**
 * The `envstack` executable. It makes module loading cached and lean before anything loads the
 * Pulumi SDK, then runs the command line.
 */
import Module from "node:module";
import { installLazyModules } from "./lean";

// Reuse V8's compiled code between runs: Node's own cache where it has one (22.1+), else
// v8-compile-cache. Compiling some 1,100 modules is a third of a plan's time without it.
const builtin = (Module as unknown as { enableCompileCache?: () => unknown }).enableCompileCache;
if (typeof builtin === "function") builtin();
else require("v8-compile-cache");
installLazyModules();

// Loaded after the hook, so the SDK's closure-serialization modules stay unloaded until used.
const { main } = require("./cli") as typeof import("./cli");

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        // A message, not a stack trace; ENVSTACK_DEBUG=1 shows where.
        const detail = process.env.ENVSTACK_DEBUG ? (err as Error)?.stack : `${(err as Error)?.message ?? err}\n(set ENVSTACK_DEBUG=1 to see where it failed)`;
        process.stderr.write(`envstack: unexpected failure, please report it: ${detail}\n`);
        process.exit(2);
    },
);
