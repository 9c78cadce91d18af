import type { PackDefinition } from "./policy";
import { readPolicyConfigFile, resolvePolicyConfig } from "./policyConfig";

/** The envstack guardrails with their config resolved (validated, defaults applied). */
export function loadGuardrails(configFile: string | undefined) {
    const { guardrails, PACK } = require("../policy/policies") as typeof import("../policy/policies");
    const pack: PackDefinition = { name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies: guardrails };
    const raw = configFile ? readPolicyConfigFile(configFile) : {};
    return { pack, config: resolvePolicyConfig(raw, guardrails, configFile ?? "") };
}
