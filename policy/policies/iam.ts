import type { ResourceValidationArgs } from "@pulumi/policy";
import { actionMatches, allows, Statement } from "./iamDocuments";
import { iamPodIdentityTrustScoped, iamTrustNotPublic } from "./iamTrust";
import { cloudFormation, get, groupMemberships, identityPolicies, labelledStatements, managedPolicyArns } from "./policyHolders";
import { coversEverything, coversEvery, describeActions, requiredValues } from "./policyScope";
import { editsAttachedPolicies, POLICY_EDITS } from "./iamStack";
import { list, type GuardrailResourcePolicy, type GuardrailStackPolicy, type Props } from "./support";

export { iamPodIdentityTrustScoped, iamTrustNotPublic } from "./iamTrust";

/** Guardrails on IAM: what identities may do, and who may become them. */

/** Actions no service has, with no letter in common at either end: only `*`-like patterns and NotAction allow both (`e*` allows one). */
const EVERY_ACTION = ["envstackprobe:AnyAction", "0-probe:0"];
const allowsEveryAction = (s: Statement) => EVERY_ACTION.every((a) => allows(s, a));

/** IAM actions that let the holder grant itself more, and the resources each acts on. */
const ESCALATIONS: { action: string; path: string }[] = [
    ...["iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary"].map((action) => ({ action, path: "role/envstack-probe-role" })),
    ...["iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:PutUserPermissionsBoundary", "iam:DeleteUserPermissionsBoundary"].map((action) => ({ action, path: "user/envstack-probe-user" })),
    ...["iam:AttachGroupPolicy", "iam:PutGroupPolicy", "iam:AddUserToGroup"].map((action) => ({ action, path: "group/envstack-probe-group" })),
    ...["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"].map((action) => ({ action, path: "policy/envstack-probe-policy" })),
];
/** IAM writes on a user that change what the user may do: on the holder's own user (`user/${aws:username}`), self-granted admin. */
const SELF_GRANTS = ["iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:PutUserPermissionsBoundary", "iam:DeleteUserPermissionsBoundary"];
const OWN_USER = /:user\/(.*\/)?\$\{aws:username\}$/i;

/**
 * Grants outside IAM that make the holder an administrator: all of a set's actions (from any
 * statement the resource holds) on every resource of the kind, as a probe ARN.
 */
const PERMISSION_SET = "permissionSet/envstack-probe-instance/envstack-probe-permission-set";
const GRANT_ESCALATIONS: { actions: { action: string; path: string }[]; need: "any" | "all"; service: string; regional: boolean; on: string; why: string }[] = [
    {
        actions: ["sso:CreateAccountAssignment", "sso:AttachManagedPolicyToPermissionSet", "sso:PutInlinePolicyToPermissionSet", "sso:AttachCustomerManagedPolicyReferenceToPermissionSet", "sso:DeletePermissionsBoundaryFromPermissionSet"].map(
            (action) => ({ action, path: PERMISSION_SET }),
        ),
        need: "any",
        service: "sso",
        regional: false,
        on: "every permission set",
        why: "the holder assigns itself an administrator permission set, or makes its own one, in every account of the organization",
    },
    {
        actions: [
            { action: "eks:CreateAccessEntry", path: "cluster/envstack-probe-cluster" },
            { action: "eks:AssociateAccessPolicy", path: "access-entry/envstack-probe-cluster/role/000000000000/envstack-probe-role/0" },
        ],
        need: "all",
        service: "eks",
        regional: true,
        on: "every cluster",
        why: "the holder gives itself an access entry with AmazonEKSClusterAdminPolicy, cluster-admin of every cluster",
    },
];

/** IAM group names that say administrator (`Administrators`, `platform-admins`): joining one is admin access granted outside the program. */
const ADMIN_GROUP = /admin/i;

/** Roles that hold administrator access in most accounts that have them, besides "every role". */
const ADMIN_ROLES = [
    "envstack-probe-role",
    "OrganizationAccountAccessRole",
    "AWSControlTowerExecution",
    "AWSCloudFormationStackSetExecutionRole",
    "cdk-hnb659fds-cfn-exec-role-000000000000-xx-probe-1",
    // The deploy role trusts its account and passes the cfn-exec role to CloudFormation: any template, as admin.
    "cdk-hnb659fds-deploy-role-000000000000-xx-probe-1",
    "aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef",
    "Admin",
    "Administrator",
];

/**
 * One key action of each service PowerUserAccess opens (data, compute, secrets, audit): a
 * document that allows most of them on every resource is administrator access written out,
 * however its patterns are spelled (`a*`..`z*`, one service at a time).
 */
const SERVICE_PROBES = [
    "s3:GetObject", "ec2:RunInstances", "lambda:UpdateFunctionCode", "kms:Decrypt", "secretsmanager:GetSecretValue", "ssm:SendCommand",
    "dynamodb:Scan", "rds:ModifyDBInstance", "eks:CreateAccessEntry", "ecr:PutImage", "ecs:RunTask", "sqs:ReceiveMessage", "sns:Publish",
    "logs:DeleteLogGroup", "cloudtrail:StopLogging", "cloudformation:CreateStack", "guardduty:DeleteDetector", "config:StopConfigurationRecorder",
    "route53:ChangeResourceRecordSets", "elasticloadbalancing:ModifyListener", "autoscaling:UpdateAutoScalingGroup", "glue:GetTable",
    "states:StartExecution", "codebuild:StartBuild", "sagemaker:CreatePresignedNotebookInstanceUrl", "redshift:GetClusterCredentials",
    "backup:DeleteBackupVault", "kinesis:GetRecords", "es:ESHttpGet", "kafka:UpdateSecurity", "athena:StartQueryExecution", "cloudwatch:DeleteAlarms",
    "events:PutRule", "apigateway:POST", "cognito-idp:AdminSetUserPassword", "elasticache:ModifyReplicationGroup", "firehose:PutRecord",
    "acm:ExportCertificate", "wafv2:DeleteWebACL", "securityhub:DisableSecurityHub",
];
const WILDCARD = /[*?]/;

/**
 * Whether a statement's resources cover every resource of a service, in whatever region and
 * account each pattern names: `*`, `arn:aws:ec2:*:*:*`, `arn:aws:s3:::*` do; `.../instance/*` does not.
 */
function coversService(s: Statement, service: string): boolean {
    if (s.notResources) return true;
    return s.resources.some((pattern) => {
        const parts = pattern.split(":");
        const keep = (v: string | undefined, fallback: string) => (v === undefined || WILDCARD.test(v) ? fallback : v);
        const probe = `arn:${keep(parts[1], "aws")}:${service}:${keep(parts[3], "xx-probe-1")}:${keep(parts[4], "000000000000")}:envstack-probe`;
        return actionMatches(pattern, probe);
    });
}

/** The service part of an action pattern, lower-cased; "*" when it is a pattern (`*`, `a*`, `s?s:*`). */
const services = new Map<string, string>();
const serviceOf = (action: string) => {
    let service = services.get(action);
    if (service === undefined) {
        const named = action.includes(":") ? action.split(":")[0].toLowerCase() : "*";
        services.set(action, (service = WILDCARD.test(named) ? "*" : named));
    }
    return service;
};

/** Whether a statement may allow some action of `service`: a cheap test before matching patterns. */
const mayAllow = (s: Statement, service: string) => s.effect === "Allow" && (s.notActions !== undefined || s.actions.some((a) => [service, "*"].includes(serviceOf(a))));

/** The share of SERVICE_PROBES that makes a grant administrator access in all but name. */
const MOST_SERVICES = 0.75;


/** AWS-managed policies that are administrator access, or let the holder make itself one. */
export const ADMIN_MANAGED_POLICIES: Record<string, string> = {
    AdministratorAccess: "every action on every resource",
    "AdministratorAccess-Amplify": "IAM role and policy management with PassRole on every role, which AWS rates as powerful as AdministratorAccess",
    "AdministratorAccess-AWSElasticBeanstalk": "broad service access with IAM role management and PassRole, administrator access by another name",
    IAMFullAccess: "iam:* on every resource: the holder can attach AdministratorAccess to itself",
    PowerUserAccess: "every action but IAM, Organizations and Account on every resource: every service and all data",
    AWSSSOMasterAccountAdministrator: "full IAM Identity Center control: the holder assigns itself an administrator permission set in every account of the organization",
    AWSSSODirectoryAdministrator: "full control of the Identity Center directory: the holder adds itself to the groups administrator permission sets are assigned to",
};

/** The name of an AWS-managed policy ARN (`arn:<partition>:iam::aws:policy/<path><name>`), with its path. */
function awsManagedName(arn: string): { name: string; path: string } | undefined {
    const match = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn);
    if (!match) return undefined;
    return { path: match[1], name: match[1].split("/").pop() as string };
}

/** The forbidden AWS-managed policy an ARN names, if any. */
function forbiddenPolicy(arn: string, forbidden: string[]): string | undefined {
    const managed = awsManagedName(arn);
    // Case-insensitively: a StringEqualsIgnoreCase pin on a lower-cased ARN still names the policy.
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    return managed && forbidden.find((f) => (f.includes("/") ? same(f, managed.path) : same(f, managed.name)));
}

/**
 * A condition that pins which policy may be attached, or the boundary every new grant gets, to
 * literal ARNs none of which is itself administrator access (pinned to AdministratorAccess is not pinned).
 */
const pinsPolicies = (s: Statement, forbidden: string[]) =>
    ["iam:PolicyARN", "iam:PermissionsBoundary"].some((key) =>
        requiredValues(s, key).some((values) => values.length > 0 && values.every((v) => !WILDCARD.test(v) && !forbiddenPolicy(v, forbidden))),
    );

/** A condition on the target's tags (ABAC): only roles tagged so may be assumed. */
const narrowsByResourceTag = (s: Statement) =>
    Object.values(s.conditions)
        .flatMap((block) => Object.keys(block ?? {}))
        .filter((key) => /^(aws|iam):resourcetag\//i.test(key))
        .some((key) => requiredValues(s, key).some((values) => values.length > 0 && values.every((v) => !WILDCARD.test(v))));

/** The names the policy resource itself may get (`name`, a `namePrefix`, or autonamed from its Pulumi name), with its path. */
function ownPolicyPaths(args: ResourceValidationArgs): string[] {
    const cfn = args.type === "aws:iam/policy:Policy" ? undefined : cloudFormation(args.type, args.props);
    if (!cfn && args.type !== "aws:iam/policy:Policy") return [];
    if (cfn && cfn.kind !== "iam::managedpolicy") return [];
    const props: Props = cfn?.props ?? args.props;
    const name = get(props, cfn ? "ManagedPolicyName" : "name")?.value;
    const prefix = get(props, "namePrefix")?.value;
    const path = String(get(props, "path")?.value ?? "/");
    const candidate = typeof name === "string" ? name : typeof prefix === "string" ? `${prefix}0000000` : `${args.name}-0000000`;
    return [`policy${path}${candidate}`];
}

/** IAM writes that change what a role, user or group may do: on the holder itself, self-granted admin. */
const OWN_GRANTS: Record<string, string[]> = {
    role: ["iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary"],
    user: SELF_GRANTS,
    group: ["iam:AttachGroupPolicy", "iam:PutGroupPolicy"],
};
/** The principal a resource's identity policy belongs to, by type: where its name is, for the provider and for CloudFormation. */
const HOLDER_NAME: Record<string, { kind: string; name: string }> = {
    "aws:iam/rolePolicy:RolePolicy": { kind: "role", name: "role" },
    "aws:iam/userPolicy:UserPolicy": { kind: "user", name: "user" },
    "aws:iam/groupPolicy:GroupPolicy": { kind: "group", name: "group" },
    "iam::rolepolicy": { kind: "role", name: "RoleName" },
    "iam::userpolicy": { kind: "user", name: "UserName" },
    "iam::grouppolicy": { kind: "group", name: "GroupName" },
    "iam::role": { kind: "role", name: "RoleName" },
    "iam::user": { kind: "user", name: "UserName" },
    "iam::group": { kind: "group", name: "GroupName" },
};
/** Lists of principals a CloudFormation policy is attached to. */
const HOLDER_LISTS: Record<string, string> = { Roles: "role", Users: "user", Groups: "group" };

/** The IAM paths (`role/ci-deployer`) of the principals that hold this resource's identity policies. */
function holders(args: ResourceValidationArgs): string[] {
    const cfn = cloudFormation(args.type, args.props);
    const props: Props = cfn?.props ?? args.props;
    const nameOf = (v: unknown) => (typeof v === "string" && v !== "" ? v.split("/").pop() : undefined);
    if (args.type === "aws:iam/role:Role") {
        const name = nameOf(get(props, "name")?.value) ?? `${nameOf(get(props, "namePrefix")?.value) ?? `${args.name}-`}0000000`;
        return [`role${String(get(props, "path")?.value ?? "/")}${name}`];
    }
    if (cfn && ["iam::policy", "iam::managedpolicy"].includes(cfn.kind)) {
        return Object.entries(HOLDER_LISTS).flatMap(([field, kind]) => list<unknown>(get(props, field)?.value as unknown[]).flatMap((v) => (nameOf(v) ? [`${kind}/${nameOf(v)}`] : [])));
    }
    const holder = HOLDER_NAME[cfn?.kind ?? args.type];
    const name = holder && nameOf(get(props, holder.name)?.value);
    return holder && name ? [`${holder.kind}/${name}`] : [];
}

/** Customer-managed policy ARNs this same resource attaches (a role's managedPolicyArns). */
const ownAttachedPolicies = (args: ResourceValidationArgs) =>
    managedPolicyArns(args.type, args.props).flatMap(({ arn }) => (arn && !awsManagedName(arn) && !WILDCARD.test(arn) ? [arn] : []));

/** Whether a statement lets its holder rewrite a policy the holder itself has: this policy, or one the role attaches. */
function editsOwnPolicy(s: Statement, ownPaths: string[], attached: string[]): boolean {
    if (!POLICY_EDITS.some((a) => allows(s, a))) return false;
    if (ownPaths.some((path) => coversEvery(s, "iam", path))) return true;
    return attached.some((arn) => s.notResources !== undefined || s.resources.some((pattern) => actionMatches(pattern, arn)));
}

/** The admin-in-all-but-name findings of one resource's identity documents. */
function identityFindings(args: ResourceValidationArgs, forbidden: string[], report: (message: string) => void): void {
    const statements = labelledStatements(identityPolicies(args.type, args.props), report);
    const ownPaths = ownPolicyPaths(args);
    const attached = ownAttachedPolicies(args);
    const self = holders(args);
    let admin = false;
    for (const { label, s } of statements) {
        if (s.effect !== "Allow") continue;
        if (allowsEveryAction(s) && coversEverything(s)) {
            admin = true;
            report(`${label} allows ${s.notActions ? describeActions(s) : "every action"} on every resource: administrator access${s.notActions ? " in all but name" : ""}`);
            continue;
        }
        const iam = mayAllow(s, "iam");
        const escalations = iam ? ESCALATIONS.filter((e) => allows(s, e.action) && coversEvery(s, "iam", e.path)).map((e) => e.action) : [];
        const pinned = pinsPolicies(s, forbidden);
        if (escalations.length > 0 && !pinned) {
            report(`${label} allows ${escalations.join(", ")} on every principal or policy it names: the holder can grant itself any permission`);
        } else if (iam && editsOwnPolicy(s, ownPaths, attached)) {
            report(`${label} allows ${POLICY_EDITS.filter((a) => allows(s, a)).join(", ")} on a policy its holder has: the holder can rewrite its own permissions to anything`);
        } else if (iam && !pinned && self.some((path) => OWN_GRANTS[path.split("/")[0]].some((a) => allows(s, a)) && coversEvery(s, "iam", path))) {
            const own = self.filter((path) => coversEvery(s, "iam", path));
            const actions = [...new Set(own.flatMap((path) => OWN_GRANTS[path.split("/")[0]].filter((a) => allows(s, a))))];
            report(`${label} allows ${actions.join(", ")} on its own holder (${own.join(", ")}): the holder can grant itself any permission`);
        } else if (iam && !pinned && s.resources.some((r) => OWN_USER.test(r))) {
            const self = SELF_GRANTS.filter((a) => allows(s, a));
            if (self.length > 0) report(`${label} allows ${self.join(", ")} on the holder's own user: the holder can grant itself any permission`);
        }
        const roles = mayAllow(s, "sts") && allows(s, "sts:AssumeRole") ? ADMIN_ROLES.filter((role) => coversEvery(s, "iam", `role/${role}`)) : [];
        if (roles.length > 0 && !narrowsByResourceTag(s)) {
            const which = roles[0] === ADMIN_ROLES[0] ? "every role" : roles.join(", ");
            report(`${label} allows sts:AssumeRole on ${which}: the holder becomes any role that trusts its account, administrator roles too; name the roles`);
        }
    }
    if (admin) return;
    const allowed = statements.filter(({ s }) => s.effect === "Allow");
    for (const grant of GRANT_ESCALATIONS) {
        const by = grant.actions.map(({ action, path }) => allowed.filter(({ s }) => mayAllow(s, grant.service) && allows(s, action) && coversEvery(s, grant.service, path, grant.regional)));
        const granted = grant.actions.filter((_, i) => by[i].length > 0).map((a) => a.action);
        if (granted.length === 0 || (grant.need === "all" && granted.length < grant.actions.length)) continue;
        const labels = [...new Set(by.flat().map(({ label }) => label))];
        report(`${labels.join(", ")} allow${labels.length > 1 ? "" : "s"} ${granted.join(", ")} on ${grant.on}: ${grant.why}`);
    }
    // Union over every document the resource holds: the patterns may be split across statements, inline policies or per-service ARNs.
    const reach = new Set(allowed.flatMap(({ s }) => (s.notActions ? ["*"] : s.actions.map(serviceOf))));
    // Too few services named, and none by a pattern: no need to probe.
    if (!reach.has("*") && reach.size < Math.ceil(SERVICE_PROBES.length * MOST_SERVICES)) return;
    const grants = (action: string) => allowed.filter(({ s }) => mayAllow(s, serviceOf(action)) && allows(s, action) && coversService(s, serviceOf(action)));
    const granted = SERVICE_PROBES.filter((action) => grants(action).length > 0);
    if (granted.length >= Math.ceil(SERVICE_PROBES.length * MOST_SERVICES)) {
        const used = new Set(granted.flatMap(grants));
        const where = [...new Set(allowed.filter((b) => used.has(b)).map(({ label }) => label))].join(", ");
        report(`${where} allow ${granted.length} of ${SERVICE_PROBES.length} services' key actions (${granted.slice(0, 4).join(", ")}, ...) on every resource: administrator access in all but name, as PowerUserAccess`);
    }
}

export const iamNoAdminAccess: GuardrailResourcePolicy & Pick<GuardrailStackPolicy, "validateStack"> = {
    name: "iam-no-admin-access",
    description:
        "No identity policy (standalone, role/user/group/inline, Cloud Control or AWS Native) is unreadable or allows every action (Action \"*\", any NotAction, or most services' actions written out) on every resource, IAM writes that let the holder grant itself anything (on every principal, or on the role, user or group holding the policy; unless pinned to policies that are not administrator access), rewriting a policy its holder has (attached by any resource, or through a user's groups), sts:AssumeRole on every role (the CDK deploy role too), IAM Identity Center account assignments or permission set edits on every permission set, or EKS access entries with access policy associations on every cluster; no AWS-managed administrator policy is attached, by any attachment resource or managedPolicyArns, and no user is added to a group named as administrators'.",
    why: "An identity with administrator access, or with the IAM rights to give itself that, turns one leaked credential or compromised pod into the whole account.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Grant the actions the workload needs on the resources it uses; replace NotAction with the actions meant; scope IAM writes to named roles with an iam:PermissionsBoundary or iam:PolicyARN condition naming a policy that is not in forbiddenManagedPolicies; let no identity edit a policy it holds; name the roles sts:AssumeRole may assume; name the permission sets and clusters Identity Center and EKS access writes act on; add users to named, non-administrator groups; attach narrower AWS-managed policies than those in forbiddenManagedPolicies.",
    configSchema: {
        properties: {
            forbiddenManagedPolicies: {
                type: "array",
                items: { type: "string" },
                default: Object.keys(ADMIN_MANAGED_POLICIES),
                description: "AWS-managed policies that may not be attached (nor pin an IAM write): a name, or a path such as job-function/SystemAdministrator.",
            },
        },
    },
    validateResource: (args, report) => {
        const { forbiddenManagedPolicies } = args.getConfig<{ forbiddenManagedPolicies: string[] }>();
        identityFindings(args, forbiddenManagedPolicies, report);
        for (const { where, arn } of managedPolicyArns(args.type, args.props)) {
            if (arn === undefined) {
                report(`${where} is missing (the plan does not know it): the guardrails cannot tell which policy it attaches`);
                continue;
            }
            const forbidden = forbiddenPolicy(arn, forbiddenManagedPolicies);
            if (forbidden) report(`${where} attaches the AWS-managed ${forbidden}: ${ADMIN_MANAGED_POLICIES[forbidden] ?? "listed in forbiddenManagedPolicies"}`);
        }
        for (const { where, group } of groupMemberships(args.type, args.props)) {
            const name = group.split("/").pop() as string;
            if (ADMIN_GROUP.test(name)) report(`${where} adds users to the group ${group}, an administrators' group by its name: membership grants whatever is attached to it outside the program`);
        }
    },
    validateStack: editsAttachedPolicies,
};

export const iamPassRoleScoped: GuardrailResourcePolicy = {
    name: "iam-passrole-scoped",
    description: "Identity policies allow iam:PassRole (however written: iam:Pass*, iam:*, *, NotAction) only on named roles, not on every role (\"*\", role/*).",
    why: "PassRole on every role lets the holder hand any role, an administrator's too, to an instance, function or task it controls, and act as that role.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "List the ARNs of the roles the workload must pass (e.g. the node role), and add an iam:PassedToService condition for the service that receives them.",
    validateResource: (args, report) => {
        for (const { label, s } of labelledStatements(identityPolicies(args.type, args.props))) {
            if (allows(s, "iam:PassRole") && coversEvery(s, "iam", "role/envstack-probe-role")) {
                const on = s.notResources ? `every resource but ${s.notResources.join(", ")}` : s.resources.join(", ");
                report(`${label} allows iam:PassRole (through ${describeActions(s)}) on every role (${on}): name the roles it may pass`);
            }
        }
    },
};

export const iamGuardrails = [iamNoAdminAccess, iamPassRoleScoped, iamPodIdentityTrustScoped, iamTrustNotPublic];
