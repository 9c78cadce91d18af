import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { allows } from "./iamDocuments";
import { get, identityPolicies, readHeld } from "./policyHolders";
import { coversEvery, statementLabel } from "./policyScope";
import { eachKnown, known } from "./preview";
import { list, Props } from "./support";

/**
 * The stack half of iam-no-admin-access: what one resource cannot see, which customer policies
 * are attached to the role, user or group that also holds another policy (by separate
 * attachments, or through the groups a user is in), so that rewriting one is self-granted admin.
 */

export const POLICY_EDITS = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"];

const name = (v: unknown) => (typeof v === "string" && v !== "" ? v.split("/").pop() : undefined);
const names = (v: unknown) => list<unknown>(v as unknown[]).flatMap((n) => (name(n) ? [name(n) as string] : []));

/** Attachment resources: the fields naming who (with the kind of principal) and the field with the policy ARNs. */
const ATTACHMENTS: Record<string, { who: [string, string][]; arns: string }> = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { who: [["role", "role"]], arns: "policyArn" },
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": { who: [["user", "user"]], arns: "policyArn" },
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": { who: [["group", "group"]], arns: "policyArn" },
    "aws:iam/policyAttachment:PolicyAttachment": { who: [["roles", "role"], ["users", "user"], ["groups", "group"]], arns: "policyArn" },
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": { who: [["roleName", "role"]], arns: "policyArns" },
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": { who: [["userName", "user"]], arns: "policyArns" },
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": { who: [["groupName", "group"]], arns: "policyArns" },
    "aws:iam/role:Role": { who: [["name", "role"]], arns: "managedPolicyArns" },
};

/** Who each attachment resource attaches its policies to (`role/<name>`), and which policy ARNs. */
function attachments(r: PolicyResource): { holders: string[]; arns: unknown[] } {
    const spec = ATTACHMENTS[r.type];
    if (!spec) return { holders: [], arns: [] };
    const p = r.props as Props;
    return { holders: spec.who.flatMap(([field, kind]) => names(list(p[field])).map((n) => `${kind}/${n}`)), arns: list(p[spec.arns]) };
}

/** The groups each user is put in, as `user/<name>` to `group/<name>`. */
function memberships(r: PolicyResource): [string, string][] {
    const p = r.props as Props;
    if (r.type === "aws:iam/userGroupMembership:UserGroupMembership") return names([p.user]).flatMap((u) => names(p.groups).map((g): [string, string] => [`user/${u}`, `group/${g}`]));
    if (r.type === "aws:iam/groupMembership:GroupMembership") return names(p.users).flatMap((u) => names([p.group]).map((g): [string, string] => [`user/${u}`, `group/${g}`]));
    return [];
}

const INLINE: Record<string, { kind: string; field: string }> = {
    "aws:iam/rolePolicy:RolePolicy": { kind: "role", field: "role" },
    "aws:iam/userPolicy:UserPolicy": { kind: "user", field: "user" },
    "aws:iam/groupPolicy:GroupPolicy": { kind: "group", field: "group" },
    "aws:iam/role:Role": { kind: "role", field: "name" },
};

/** Statements that rewrite a customer policy attached, outside the resource itself, to the principal holding them. */
export function editsAttachedPolicies(args: StackValidationArgs, report: ReportViolation): void {
    const attached = new Map<string, Set<string>>();
    const holdersOf = new Map<string, string[]>();
    const groups = new Map<string, string[]>();
    const policyPaths = new Map<string, string>();
    eachKnown(args.resources, (r) => {
        const { holders, arns } = attachments(r);
        for (const holder of holders) {
            for (const arn of arns) {
                if (typeof arn !== "string" || /:iam::aws:policy\//.test(arn)) continue;
                attached.set(holder, (attached.get(holder) ?? new Set()).add(arn));
                holdersOf.set(arn, [...new Set([...(holdersOf.get(arn) ?? []), holder])]);
            }
        }
        for (const [user, group] of memberships(r)) groups.set(user, [...(groups.get(user) ?? []), group]);
        if (r.type === "aws:iam/policy:Policy" && typeof r.props.arn === "string" && typeof r.props.name === "string") policyPaths.set(r.props.arn, `policy${r.props.path ?? "/"}${r.props.name}`);
    });
    if (attached.size === 0) return;
    const pathOf = (arn: string) => policyPaths.get(arn) ?? (/:policy(\/.*)$/.exec(arn) ? `policy${/:policy(\/.*)$/.exec(arn)![1]}` : undefined);
    eachKnown(args.resources, (r) => {
        const inline = INLINE[r.type];
        const own = r.type === "aws:iam/policy:Policy" ? known(() => r.props.arn) : undefined;
        const holders = inline
            ? names([get(r.props, inline.field)?.value]).map((n) => `${inline.kind}/${n}`)
            : typeof own === "string"
              ? (holdersOf.get(own) ?? [])
              : [];
        if (holders.length === 0) return;
        // A role's own managedPolicyArns and a policy's own ARN are judged by the resource half.
        const skip = new Set<string>([...(typeof own === "string" ? [own] : []), ...(r.type === "aws:iam/role:Role" ? list<string>(r.props.managedPolicyArns) : [])]);
        const reachable = holders.flatMap((h) => [h, ...(groups.get(h) ?? [])]).flatMap((h) => [...(attached.get(h) ?? [])].map((arn) => ({ holder: h, arn })));
        const targets = reachable.filter(({ arn }) => !skip.has(arn));
        if (targets.length === 0) return;
        for (const held of identityPolicies(r.type, r.props)) {
            const read = readHeld(held);
            if (read.problem !== undefined) continue;
            read.statements.forEach((s, i) => {
                const edits = POLICY_EDITS.filter((a) => allows(s, a));
                if (edits.length === 0 || coversEvery(s, "iam", "policy/envstack-probe-policy")) return;
                const hit = targets.filter(({ arn }) => pathOf(arn) !== undefined && coversEvery(s, "iam", pathOf(arn)!));
                if (hit.length === 0) return;
                const which = [...new Set(hit.map(({ arn, holder }) => `${arn} (attached to ${holder})`))].join(", ");
                report(`${held.where}: ${statementLabel(s, i)} allows ${edits.join(", ")} on ${which}, a policy its holder has: the holder can rewrite its own permissions to anything`, r.urn);
            });
        }
    });
}
