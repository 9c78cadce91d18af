import type { ResourceValidation } from "@pulumi/policy";
import { guardrails, PACK } from "../policy/policies";
import { evaluatePack, PolicyReport, Violation } from "../plan/policy";
import { resolvePolicyConfig } from "../plan/policyConfig";
import { register } from "./harness";

/**
 * Registers the resources `build` creates under the mock engine, then evaluates the guardrails
 * on them exactly as the offline plan does.
 */
export async function evaluate(build: () => void, options: { config?: object; only?: string } = {}): Promise<PolicyReport> {
    const registered = await register(build);
    const policies = options.only ? guardrails.filter((p) => p.name === options.only) : guardrails;
    if (policies.length === 0) throw new Error(`no policy named ${options.only}`);
    const config = resolvePolicyConfig(options.config ?? {}, policies);
    const report = await evaluatePack({ name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies }, registered.all, config);
    // The engine skips a validation for types it declines (appliesTo); as CrossGuard calls every one, both must agree.
    const unfiltered = policies.map((p) => ("validateResource" in p && p.validateResource ? { ...p, validateResource: [p.validateResource].flat().map((v) => ((args, report) => v(args, report)) as ResourceValidation) } : p));
    const everyCall = await evaluatePack({ name: PACK.name, enforcementLevel: PACK.enforcementLevel, policies: unfiltered }, registered.all, config);
    if (JSON.stringify(everyCall.violations) !== JSON.stringify(report.violations)) {
        throw new Error(`a validation's appliesTo declined a type it reports on:\n  filtered ${JSON.stringify(report.violations, null, 2)}\n  every call ${JSON.stringify(everyCall.violations, null, 2)}`);
    }
    return report;
}

/** The violations of one policy, as "resource name: message". */
export function violations(report: PolicyReport, policy: string): string[] {
    return report.violations.filter((v) => v.policy === policy).map((v: Violation) => `${v.name ?? "(stack)"}: ${v.message}`);
}

/** Asserts the exact violations of one policy, in any order. */
export function expectViolations(report: PolicyReport, policy: string, expected: string[]): void {
    const actual = violations(report, policy);
    if (JSON.stringify([...actual].sort()) !== JSON.stringify([...expected].sort())) {
        throw new Error(`violations of ${policy}:\n  expected ${JSON.stringify(expected, null, 2)}\n  got ${JSON.stringify(actual, null, 2)}`);
    }
}
