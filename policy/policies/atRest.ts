import type { ReportViolation, ResourceValidation } from "@pulumi/policy";
import type { KubeObject } from "./kubernetes";
import { known } from "./preview";
import { mayApply, onlyFor, type GuardrailResourcePolicy, type GuardrailStackPolicy, type Props, type TypedValidation } from "./support";

/**
 * What the encryption guardrails share. Each data store's policy reads a resource as a list of
 * `Store`s (one per disk, table, replica...); the store's own policy reports the ones that are not
 * encrypted, and `customer-managed-key` reports the ones encrypted under a key AWS holds. Both
 * read the same list, so "encrypted" never means one thing to one policy and another to the next.
 */

/** One place a resource keeps data at rest. */
export interface Store {
    /** Where in the resource, for the message ("rootBlockDevice"); empty for the resource as a whole. */
    where: string;
    /** Whether the data is encrypted at all. */
    encrypted: boolean;
    /** Why it is not, when the plain "not encrypted" would not say enough. */
    unencrypted?: string;
    /** The key named, if any. */
    key?: unknown;
    /** The field that names a customer-managed key. */
    keyField?: string;
    /** What encrypts the data when no customer-managed key is named ("the AWS-managed key aws/ebs"). */
    serviceKey: string;
    /** How to move to a customer-managed key, where setting `keyField` is not the way. */
    fix?: string;
}

export type StoresOf = (props: Props) => Store[];

/** Stores of Kubernetes objects (EC2NodeClasses, StorageClasses...), whichever way they were declared. */
export type KubernetesStoresOf = (o: KubeObject) => Store[];

/** No key, or an AWS-managed one (`alias/aws/<service>`, by alias or alias ARN): the service's key, not the customer's. */
export function isAwsManagedKey(key: unknown): boolean {
    if (key === undefined || key === null || key === "") return true;
    return typeof key === "string" && /(^|:)alias\/aws\//i.test(key.trim());
}

function at(where: string, message: string): string {
    return where ? `${where}: ${message}` : message;
}

/** Reports each store that is not encrypted at all. */
export function reportUnencrypted(stores: Store[], report: ReportViolation): void {
    for (const s of stores) if (!s.encrypted) report(at(s.where, s.unencrypted ?? "not encrypted"));
}

/** Reports each encrypted store whose key is AWS's rather than the customer's (a store with neither `keyField` nor `fix` takes its key from elsewhere). */
export function reportAwsKeys(stores: Store[], report: ReportViolation): void {
    for (const s of stores) {
        if (!s.encrypted || (!s.keyField && !s.fix) || !isAwsManagedKey(s.key)) continue;
        const how = s.key ? `the AWS-managed key ${s.key}` : s.serviceKey;
        report(at(s.where, `encrypted with ${how}; ${s.fix ?? `set ${s.keyField} to a customer-managed key`}`));
    }
}

/** A store that is always encrypted, by the service's key unless `keyField` names one. */
export function keyedStore(where: string, key: unknown, keyField: string, serviceKey: string): Store {
    return { where, encrypted: true, key, keyField, serviceKey };
}

/** A guardrail judging each resource and, for what only the whole program shows, the stack. */
export type HybridGuardrail = GuardrailResourcePolicy & Pick<GuardrailStackPolicy, "validateStack">;

/**
 * The resource half of a guardrail that also judges the whole program (which template a node group
 * launches, which snapshot a volume comes from). CrossGuard runs such a policy among the stack
 * policies, which one unknown value must not switch off in a preview, so this half skips a resource
 * whose values are not known yet, as the stack half does; `pulumi up` judges it again with them known.
 */
export function untilKnown(validate: ResourceValidation | ResourceValidation[]): ResourceValidation {
    const checks = Array.isArray(validate) ? validate : [validate];
    const run: ResourceValidation = (args, report) => {
        for (const check of checks) known(() => check(args, report));
    };
    return checks.every((c) => (c as TypedValidation).appliesTo) ? onlyFor((type) => checks.some((c) => mayApply(c, type)), run) : run;
}
