import type {
    EnforcementLevel,
    Policy,
    PolicyProviderResource,
    PolicyResource,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
} from "@pulumi/policy";
import { DEFAULT_PROVIDER, RecordedResource } from "./engine";
import type { ResolvedPolicyConfig } from "./policyConfig";

/**
 * Evaluates a policy pack against recorded resources the way the Pulumi CLI's analyzer does:
 * remediations first, then resource policies on each resource's inputs, then stack policies on
 * the outputs. Levels: config (per policy, then `all`), else the policy's, else the pack's;
 * `disabled` skips; a violation left after `remediate` counts as mandatory; stack policies
 * cannot remediate, so `remediate` is mandatory for them.
 */

export interface PackDefinition {
    name: string;
    enforcementLevel: EnforcementLevel;
    policies: readonly Policy[];
}

export interface Violation {
    policy: string;
    level: "advisory" | "mandatory";
    severity?: Severity;
    message: string;
    /** The resource, when the violation concerns one. */
    urn?: string;
    type?: string;
    name?: string;
    remediationSteps?: string;
}

export interface PolicyReport {
    pack: string;
    policies: { name: string; level: EnforcementLevel }[];
    violations: Violation[];
    remediations: { policy: string; urn: string }[];
    notApplicable: { policy: string; urn?: string; reason: string }[];
}

class NotApplicable extends Error {
    constructor(readonly reason: string) {
        super(reason);
    }
}

const isResourcePolicy = (p: Policy): p is ResourceValidationPolicy => "validateResource" in p || "remediateResource" in p;
const isStackPolicy = (p: Policy): p is StackValidationPolicy => "validateStack" in p;

/**
 * A validation may say which resource types it can report on (`appliesTo`, set by the pack's
 * dispatch helpers from the table they dispatch on): it is not called for the others.
 */
const appliesTo = (validate: ResourceValidation, type: string) => (validate as { appliesTo?: (type: string) => boolean }).appliesTo?.(type) !== false;

export async function evaluatePack(pack: PackDefinition, resources: RecordedResource[], config: Map<string, ResolvedPolicyConfig>): Promise<PolicyReport> {
    const report: PolicyReport = { pack: pack.name, policies: [], violations: [], remediations: [], notApplicable: [] };
    const levelOf = (p: Policy): EnforcementLevel => config.get(p.name)?.enforcementLevel ?? p.enforcementLevel ?? pack.enforcementLevel;
    const configOf = (p: Policy) => () => ({ ...(config.get(p.name)?.properties ?? {}) }) as any;
    const active = pack.policies.filter((p) => levelOf(p) !== "disabled");
    report.policies = pack.policies.map((p) => ({ name: p.name, level: levelOf(p) }));
    const byUrn = new Map(resources.map((r) => [r.urn, r]));

    const resourcePolicies = active.filter(isResourcePolicy);
    const remediating = resourcePolicies.filter((p) => levelOf(p) === "remediate" && p.remediateResource);
    // The resource being judged: each policy's reporter reads it, so none is made per resource.
    let resource: RecordedResource | undefined;
    const validations = resourcePolicies.flatMap((policy) => {
        const level: Violation["level"] = levelOf(policy) === "advisory" ? "advisory" : "mandatory";
        const getConfig = configOf(policy);
        const reportViolation = (message: string) => report.violations.push(violation(policy, level, message, resource));
        return [policy.validateResource ?? []].flat().map((validate) => ({ policy, getConfig, reportViolation, validate }));
    });
    // Programs have few types and many resources: which validations a type gets is worked out once.
    const forType = new Map<string, typeof validations>();
    const providers = new Map<string | undefined, PolicyProviderResource | undefined>();
    for (resource of resources) {
        const urn = resource.urn;
        if (!providers.has(resource.provider)) providers.set(resource.provider, providerOf(resource, byUrn));
        // One args object per resource, its getConfig answering for the policy being run:
        // building one per resource and policy was most of the pack's cost on large programs.
        let current: () => any = () => ({});
        const args = resourceArgs(resource, providers.get(resource.provider), () => current());
        // Remediations run first, so validations see the remediated inputs.
        for (const policy of remediating) {
            current = configOf(policy);
            let result = guard(() => policy.remediateResource!(args), policy.name, urn, report);
            if (result instanceof Promise) result = await result;
            if (result && typeof result === "object") {
                resource.inputs = result as Record<string, unknown>;
                args.props = resource.inputs;
                report.remediations.push({ policy: policy.name, urn });
            }
        }
        let applicable = forType.get(resource.type);
        if (!applicable) forType.set(resource.type, (applicable = validations.filter((v) => appliesTo(v.validate, resource!.type))));
        for (const { policy, getConfig, reportViolation, validate } of applicable) {
            current = getConfig;
            let done: unknown;
            try {
                done = validate(args, reportViolation);
            } catch (err) {
                failure(err, policy.name, urn, report);
                continue;
            }
            if (done instanceof Promise) await done.catch((err) => failure(err, policy.name, urn, report));
        }
    }

    const stackPolicies = active.filter(isStackPolicy);
    if (stackPolicies.length > 0) {
        const stackResources = policyResources(resources);
        const byPolicyUrn = new Map(stackResources.map((r) => [r.urn, r]));
        for (const policy of stackPolicies) {
            const level = levelOf(policy) === "advisory" ? "advisory" : "mandatory";
            const args = {
                resources: stackResources,
                stackTags: new Map<string, string>(),
                getConfig: configOf(policy),
                notApplicable: (reason?: string): never => {
                    throw new NotApplicable(reason ?? "");
                },
            };
            await guard(
                () => policy.validateStack(args, (message, urn) => report.violations.push(violation(policy, level, message, urn ? byPolicyUrn.get(urn) : undefined))),
                policy.name,
                undefined,
                report,
            );
        }
    }
    return report;
}

function violation(policy: Policy, level: Violation["level"], message: string, resource?: { urn: string; type: string; name: string }): Violation {
    return {
        policy: policy.name,
        level,
        severity: policy.severity,
        message,
        ...(resource ? { urn: resource.urn, type: resource.type, name: resource.name } : {}),
        remediationSteps: policy.remediationSteps,
    };
}

/**
 * Runs policy code; `notApplicable` is recorded, anything else thrown is a failure of the pack.
 * Synchronous checks (nearly all) return at once: awaiting each of policies × resources costs
 * a microtask apiece on large programs.
 */
function guard<T>(run: () => T | Promise<T>, policy: string, urn: string | undefined, report: PolicyReport): T | undefined | Promise<T | undefined> {
    try {
        const result = run();
        return result instanceof Promise ? result.catch((err) => failure(err, policy, urn, report)) : result;
    } catch (err) {
        return failure(err, policy, urn, report);
    }
}

/** `notApplicable` is recorded; anything else thrown is a failure of the pack. */
function failure(err: unknown, policy: string, urn: string | undefined, report: PolicyReport): undefined {
    if (err instanceof NotApplicable) {
        report.notApplicable.push({ policy, urn, reason: err.reason });
        return undefined;
    }
    throw new Error(`policy ${policy} failed${urn ? ` on ${urn}` : ""}: ${(err as Error)?.message ?? err}`);
}

/** The resource's provider as CrossGuard shows it: its type, inputs, URN and name (the engine's PolicyProviderResource). */
function providerOf(r: RecordedResource, byUrn: Map<string, RecordedResource>): PolicyProviderResource | undefined {
    const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
    const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
    return provider ? { type: provider.type, props: provider.inputs, urn: provider.urn, name: provider.name } : undefined;
}

function resourceArgs(r: RecordedResource, provider: PolicyProviderResource | undefined, getConfig: () => any): ResourceValidationArgs {
    return {
        type: r.type,
        props: r.inputs,
        urn: r.urn,
        name: r.name,
        opts: options(r),
        provider,
        stackTags: new Map(),
        isType: (cls: any) => cls?.__pulumiType === r.type,
        asType: (cls: any) => (cls?.__pulumiType === r.type ? (r.inputs as any) : undefined),
        getConfig,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason ?? "");
        },
    };
}

function options(r: RecordedResource) {
    return {
        protect: r.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        parent: r.parent,
    };
}

/** Resources as stack policies see them: outputs as props, with parents, dependencies and providers linked. */
export function policyResources(resources: RecordedResource[]): PolicyResource[] {
    const out = resources.map(
        (r) =>
            ({
                type: r.type,
                props: r.outputs,
                urn: r.urn,
                name: r.name,
                opts: options(r),
                dependencies: [],
                propertyDependencies: {},
                isType: (cls: any) => cls?.__pulumiType === r.type,
                asType: (cls: any) => (cls?.__pulumiType === r.type ? (r.outputs as any) : undefined),
            }) as unknown as PolicyResource,
    );
    const byUrn = new Map(out.map((r) => [r.urn, r]));
    const defaults = new Map(out.filter((r) => r.type.startsWith("pulumi:providers:") && r.name === DEFAULT_PROVIDER).map((r) => [r.type.split(":")[2], r]));
    resources.forEach((r, i) => {
        const target = out[i] as { parent?: PolicyResource; dependencies: PolicyResource[]; provider?: PolicyResource };
        target.parent = r.parent ? byUrn.get(r.parent) : undefined;
        // As CrossGuard gives it: the explicit provider, else the package's default one.
        const provider = r.provider ? byUrn.get(r.provider.split("::").slice(0, -1).join("::")) : r.custom || r.remote ? defaults.get(r.type.split(":")[0]) : undefined;
        if (provider) target.provider = provider;
        target.dependencies = r.dependencies.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
    });
    return out;
}
