#!/usr/bin/env node
/**
 * The `envstack` executable. It makes module loading lean before anything loads the Pulumi SDK,
 * then runs the command line.
 */
import { installLazyModules } from "./lean";

installLazyModules();

// Loaded after the hook, so the SDK's closure-serialization modules stay unloaded until used.
const { main } = require("./cli") as typeof import("./cli");

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        process.stderr.write(`envstack: unexpected failure (please report it): ${(err as Error)?.stack ?? err}\n`);
        process.exit(2);
    },
);
