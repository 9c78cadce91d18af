#!/usr/bin/env node
// Runs before every npm script that builds (prebuild, predocs): says what to do when the
// dependencies are not installed, or no longer match package-lock.json, instead of failing
// later with "tsc: not found" or a missing module. Plain JavaScript with no dependencies,
// because it runs before anything is installed.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const installed = path.join(root, "node_modules", ".package-lock.json");

function fail(message) {
    process.stderr.write(`envstack: ${message}\n`);
    process.exit(1);
}

if (!fs.existsSync(installed)) {
    fail("the dependencies are not installed. Run `npm ci` first (it installs exactly what package-lock.json pins), then run this again.");
}

const lockfile = path.join(root, "package-lock.json");
if (!fs.existsSync(lockfile)) fail("package-lock.json is missing: restore it (git checkout package-lock.json), then run `npm ci`.");
const locked = JSON.parse(fs.readFileSync(lockfile, "utf8")).packages;
const present = JSON.parse(fs.readFileSync(installed, "utf8")).packages;
const manifest = locked[""] || {};
const direct = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
const stale = direct
    .map((name) => `node_modules/${name}`)
    .filter((key) => locked[key] && !locked[key].link && present[key]?.version !== locked[key].version)
    .map((key) => `${key.slice("node_modules/".length)} ${present[key]?.version ?? "(missing)"} installed, ${locked[key].version} locked`);
if (stale.length > 0) {
    fail(`package-lock.json changed since the last install (${stale.slice(0, 3).join("; ")}${stale.length > 3 ? `; and ${stale.length - 3} more` : ""}). Run \`npm ci\`, then run this again.`);
}
