/**
 * envstack's guardrails as plain CrossGuard policies, to compose a pack of your own:
 * `new PolicyPack("my-pack", { policies: [...guardrails] })`.
 *
 * @packageDocumentation
 * @module envstack/policy
 */
import type { EnforcementLevel } from "@pulumi/policy";
import { accountPolicies } from "./accountSettings";
import { budgetPolicies } from "./budget";
import { computePolicies } from "./compute";
import { encryptionPolicies } from "./encryption";
import { gpuPolicies } from "./gpu";
import { iamGuardrails } from "./iam";
import { networkPolicies } from "./network";
import { quotaPolicies } from "./quotas";
import { rbacPolicies } from "./rbac";
import { resourcePolicyGuardrails } from "./resourcePolicies";
import type { Guardrail } from "./support";
import { unverifiablePolicies } from "./unverifiable";
import { workloadPolicies } from "./workloads";

/**
 * envstack's guardrails, as plain policy objects. `policy/index.ts` builds the CrossGuard pack
 * from them for `pulumi preview --policy-pack policy`; the offline plan evaluates the same
 * objects; a team can compose its own pack from any of them (`envstack/policy`).
 */
export const PACK = {
    name: "envstack-guardrails",
    /** Level of a policy that states none; every guardrail states its own. */
    enforcementLevel: "mandatory" as EnforcementLevel,
    description: "envstack guardrails: nothing unencrypted and nothing unbounded reaches an account.",
};

export const guardrails: Guardrail[] = [
    ...encryptionPolicies,
    ...computePolicies,
    ...networkPolicies,
    ...accountPolicies,
    ...quotaPolicies,
    ...gpuPolicies,
    ...budgetPolicies,
    ...resourcePolicyGuardrails,
    ...iamGuardrails,
    ...workloadPolicies,
    ...rbacPolicies,
    ...unverifiablePolicies,
];

export * from "./accountSettings";
export * from "./budget";
export * from "./capacity";
export * from "./compute";
export * from "./dataStores";
export * from "./ebs";
export * from "./encryption";
export * from "./gpu";
export * from "./iam";
export * from "./kms";
export * from "./kubernetesVolumes";
export * from "./network";
export * from "./presets";
export * from "./quotas";
export * from "./rbac";
export * from "./resourcePolicies";
export * from "./unverifiable";
export * from "./workloads";
export { Guardrail, GuardrailResourcePolicy, GuardrailStackPolicy, T as TYPES } from "./support";
