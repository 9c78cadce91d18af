import { isOn } from "./flags";
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { Declared, idOf, shown } from "./declared";
import { eachKnown, known } from "./preview";

/**
 * A read replica is as encrypted as its source (storageEncrypted is ignored there), so its source
 * is judged instead: declared in this program, where rds-encryption judges it, and encrypted.
 */

const RDS_INSTANCE = "aws:rds/instance:Instance";

/** Whether the source's storage is encrypted, following replicas of replicas. */
function sourceEncrypted(source: PolicyResource, instances: Declared, depth = 0): boolean {
    if (!known(() => source.props.replicateSourceDb)) return isOn(known(() => source.props.storageEncrypted));
    if (depth > 4) return false;
    const next = instances.resolve(source, () => source.props.replicateSourceDb);
    return typeof next !== "string" && next.every((s) => sourceEncrypted(s, instances, depth + 1));
}

/** rds-encryption's stack half: each replica's source is declared and encrypted. */
export function rdsReplicaSources(args: StackValidationArgs, report: ReportViolation): void {
    const instances = new Declared(args.resources, [RDS_INSTANCE], (r) => [idOf(r), known(() => r.props.identifier), known(() => r.props.arn)]);
    eachKnown(args.resources, (r) => {
        if (r.type !== RDS_INSTANCE || !r.props.replicateSourceDb) return;
        const source = instances.resolve(r, () => r.props.replicateSourceDb);
        const name = shown(() => r.props.replicateSourceDb, "(not known yet)");
        if (source === "unknown") return;
        if (source === "undeclared") report(`the storage: a replica of ${name}, which this program does not declare, so its encryption cannot be judged: declare the source here`, r.urn);
        else if (!source.every((s) => sourceEncrypted(s, instances))) report(`the storage: a replica of ${source[0].name}, which is not encrypted, so neither is the replica`, r.urn);
    });
}
