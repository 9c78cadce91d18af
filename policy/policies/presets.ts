import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The policy configs envstack ships, one per tier: the limits each tier allows and the namespaces
 * the quota guardrail exempts (the system ones and `monitoring`). A team names one instead of
 * writing its own: `envstack plan --policy-config prod`, or
 * `pulumi preview --policy-pack-config node_modules/envstack/policy/config/prod.json`.
 */
export const POLICY_CONFIG_PRESETS = ["dev", "staging", "prod"] as const;

/** A tier whose policy config ships with envstack. */
export type PolicyConfigPreset = (typeof POLICY_CONFIG_PRESETS)[number];

/** Whether `name` is a shipped preset. */
export function isPolicyConfigPreset(name: string): name is PolicyConfigPreset {
    return (POLICY_CONFIG_PRESETS as readonly string[]).includes(name);
}

/** The absolute path of a preset's JSON file, as `--policy-pack-config` takes it. */
export function policyConfigFile(preset: PolicyConfigPreset): string {
    if (!isPolicyConfigPreset(preset)) throw new Error(`no policy config preset ${JSON.stringify(preset)}; presets: ${POLICY_CONFIG_PRESETS.join(", ")}`);
    return join(packageRoot(), "policy", "config", `${preset}.json`);
}

/** A preset's contents, keyed by policy name, as the CLI reads them. */
export function policyConfig(preset: PolicyConfigPreset): Record<string, unknown> {
    return JSON.parse(readFileSync(policyConfigFile(preset), "utf8"));
}

/** The envstack package's folder, from its sources or its build (the nearest package.json named envstack). */
function packageRoot(): string {
    for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
        const manifest = join(dir, "package.json");
        if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "envstack") return dir;
    }
    throw new Error(`envstack's package.json was not found above ${__dirname}`);
}
