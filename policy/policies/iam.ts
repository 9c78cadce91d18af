import { allows, anyonePrincipal, statements, Statement } from "./iamDocuments";
import { identityPolicies, managedPolicyArns, trustPolicies } from "./policyHolders";
import {
    coversEverything,
    coversEvery,
    describeActions,
    narrowingKeys,
    onlyWildcards,
    requiredValues,
    ScopeConfig,
    scopeSchema,
    statementLabel,
    untrustedAccounts,
} from "./policyScope";
import type { GuardrailResourcePolicy, Props } from "./support";

/** Guardrails on IAM: what identities may do, and who may become them. */

/** Every statement of every identity policy a resource holds, labelled for messages. */
function identityStatements(type: string, props: Props): { label: string; s: Statement }[] {
    return identityPolicies(type, props).flatMap(({ where, doc }) => statements(doc).map((s, i) => ({ label: `${where}: ${statementLabel(s, i)}`, s })));
}

/** Every statement of a role's trust policy, labelled for messages. */
function trustStatements(type: string, props: Props): { label: string; s: Statement }[] {
    return trustPolicies(type, props).flatMap(({ where, doc }) => statements(doc).map((s, i) => ({ label: `${where}: ${statementLabel(s, i)}`, s })));
}

/** An action no service has: only `*`-like patterns and NotAction allow it. */
const EVERY_ACTION = "envstackprobe:AnyAction";

/** IAM actions that let the holder grant itself more, and the resources each acts on. */
const ESCALATIONS: { action: string; path: string }[] = [
    ...["iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"].map((action) => ({ action, path: "role/envstack-probe-role" })),
    ...["iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"].map((action) => ({ action, path: "user/envstack-probe-user" })),
    ...["iam:AttachGroupPolicy", "iam:PutGroupPolicy", "iam:AddUserToGroup"].map((action) => ({ action, path: "group/envstack-probe-group" })),
    ...["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"].map((action) => ({ action, path: "policy/envstack-probe-policy" })),
];

/** A condition that pins which policy may be attached, or the boundary every new grant gets. */
const pinsPolicies = (s: Statement) =>
    ["iam:PolicyARN", "iam:PermissionsBoundary"].some((key) => requiredValues(s, key).some((values) => values.length > 0 && values.every((v) => !/[*?]/.test(v))));

/** AWS-managed policies that are administrator access, or let the holder make itself one. */
export const ADMIN_MANAGED_POLICIES: Record<string, string> = {
    AdministratorAccess: "every action on every resource",
    "AdministratorAccess-Amplify": "IAM role and policy management with PassRole on every role, which AWS rates as powerful as AdministratorAccess",
    "AdministratorAccess-AWSElasticBeanstalk": "broad service access with IAM role management and PassRole, administrator access by another name",
    IAMFullAccess: "iam:* on every resource: the holder can attach AdministratorAccess to itself",
    PowerUserAccess: "every action but IAM, Organizations and Account on every resource: every service and all data",
};

/** The name of an AWS-managed policy ARN (`arn:<partition>:iam::aws:policy/<path><name>`), with its path. */
function awsManagedName(arn: string): { name: string; path: string } | undefined {
    const match = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn);
    if (!match) return undefined;
    return { path: match[1], name: match[1].split("/").pop() as string };
}

export const iamNoAdminAccess: GuardrailResourcePolicy = {
    name: "iam-no-admin-access",
    description:
        "No identity policy (standalone, role/user/group/inline, Cloud Control or AWS Native) allows every action (Action \"*\", or any NotAction) on every resource, or IAM writes that let the holder grant itself anything; no AWS-managed administrator policy is attached, by any attachment resource or managedPolicyArns.",
    why: "An identity with administrator access, or with the IAM rights to give itself that, turns one leaked credential or compromised pod into the whole account.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Grant the actions the workload needs on the resources it uses; replace NotAction with the actions meant; scope IAM writes to named roles with an iam:PermissionsBoundary or iam:PolicyARN condition; attach narrower AWS-managed policies than those in forbiddenManagedPolicies.",
    configSchema: {
        properties: {
            forbiddenManagedPolicies: {
                type: "array",
                items: { type: "string" },
                default: Object.keys(ADMIN_MANAGED_POLICIES),
                description: "AWS-managed policies that may not be attached: a name, or a path such as job-function/SystemAdministrator.",
            },
        },
    },
    validateResource: (args, report) => {
        for (const { label, s } of identityStatements(args.type, args.props)) {
            if (s.effect !== "Allow") continue;
            if (allows(s, EVERY_ACTION) && coversEverything(s)) {
                report(`${label} allows ${s.notActions ? describeActions(s) : "every action"} on every resource: administrator access${s.notActions ? " in all but name" : ""}`);
                continue;
            }
            const escalations = ESCALATIONS.filter((e) => allows(s, e.action) && coversEvery(s, "iam", e.path)).map((e) => e.action);
            if (escalations.length > 0 && !pinsPolicies(s)) {
                report(`${label} allows ${escalations.join(", ")} on every principal or policy it names: the holder can grant itself any permission`);
            }
        }
        const { forbiddenManagedPolicies } = args.getConfig<{ forbiddenManagedPolicies: string[] }>();
        for (const { where, arn } of managedPolicyArns(args.type, args.props)) {
            const managed = awsManagedName(arn);
            const forbidden = managed && forbiddenManagedPolicies.find((f) => (f.includes("/") ? f === managed.path : f === managed.name));
            if (forbidden) report(`${where} attaches the AWS-managed ${forbidden}: ${ADMIN_MANAGED_POLICIES[forbidden] ?? "listed in forbiddenManagedPolicies"}`);
        }
    },
};

export const iamPassRoleScoped: GuardrailResourcePolicy = {
    name: "iam-passrole-scoped",
    description: "Identity policies allow iam:PassRole (however written: iam:Pass*, iam:*, *, NotAction) only on named roles, not on every role (\"*\", role/*).",
    why: "PassRole on every role lets the holder hand any role, an administrator's too, to an instance, function or task it controls, and act as that role.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "List the ARNs of the roles the workload must pass (e.g. the node role), and add an iam:PassedToService condition for the service that receives them.",
    validateResource: (args, report) => {
        for (const { label, s } of identityStatements(args.type, args.props)) {
            if (allows(s, "iam:PassRole") && coversEvery(s, "iam", "role/envstack-probe-role")) {
                const on = s.notResources ? `every resource but ${s.notResources.join(", ")}` : s.resources.join(", ");
                report(`${label} allows iam:PassRole (through ${describeActions(s)}) on every role (${on}): name the roles it may pass`);
            }
        }
    },
};

const POD_IDENTITY = "pods.eks.amazonaws.com";

/** The session-tag conditions Pod Identity trust must pin, each as the keys that satisfy it. */
const POD_IDENTITY_CONDITIONS: { name: string; keys: string[]; ok: (value: string) => boolean }[] = [
    { name: "aws:SourceAccount", keys: ["aws:SourceAccount"], ok: (v) => /^\d{12}$/.test(v) },
    {
        name: "aws:RequestTag/eks-cluster-arn (or eks-cluster-name)",
        keys: ["aws:RequestTag/eks-cluster-arn", "aws:RequestTag/eks-cluster-name"],
        ok: (v) => !onlyWildcards(v.includes(":cluster/") ? v.split(":cluster/")[1] : v),
    },
    { name: "aws:RequestTag/kubernetes-namespace", keys: ["aws:RequestTag/kubernetes-namespace"], ok: (v) => !onlyWildcards(v) },
    { name: "aws:RequestTag/kubernetes-service-account", keys: ["aws:RequestTag/kubernetes-service-account"], ok: (v) => !onlyWildcards(v) },
];

export const iamPodIdentityTrustScoped: GuardrailResourcePolicy = {
    name: "iam-pod-identity-trust-scoped",
    description:
        "Roles that trust pods.eks.amazonaws.com (EKS Pod Identity) pin aws:SourceAccount and the session tags for the cluster (eks-cluster-arn or eks-cluster-name), kubernetes-namespace and kubernetes-service-account, with values that are not wildcards.",
    why: "Without them, anyone who can create a Pod Identity association, in any cluster of the account, can hand the role to any pod.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Write the trust with StringEquals on aws:SourceAccount, aws:RequestTag/eks-cluster-arn, aws:RequestTag/kubernetes-namespace and aws:RequestTag/kubernetes-service-account (envstack's scopedPodIdentityTrust does), not IfExists or ForAllValues.",
    validateResource: (args, report) => {
        for (const { label, s } of trustStatements(args.type, args.props)) {
            const services = (s.principals?.Service ?? []).map((v) => v.toLowerCase());
            if (s.effect !== "Allow" || !services.includes(POD_IDENTITY)) continue;
            if (!allows(s, "sts:AssumeRole") && !allows(s, "sts:TagSession")) continue;
            const missing = POD_IDENTITY_CONDITIONS.filter((c) => !c.keys.some((key) => requiredValues(s, key).some((values) => values.length > 0 && values.every(c.ok))));
            if (missing.length > 0) {
                report(`${label} trusts ${POD_IDENTITY} without pinning ${missing.map((c) => c.name).join(", ")} (a wildcard, IfExists or ForAllValues condition does not pin): any Pod Identity association could hand the role to other pods`);
            }
        }
    },
};

/** The condition key that names one identity of a web identity provider, and whether a value is one. */
function webIdentitySubject(provider: string): { key: string; ok: (value: string) => boolean } {
    if (provider === "cognito-identity.amazonaws.com") return { key: `${provider}:aud`, ok: (v) => !/[*?]/.test(v) && v !== "" };
    // The first segment after the provider's fixed prefix names the owner (namespace, organization, project).
    const owner = (v: string) => v.replace(/^(system:serviceaccount:|repo:|project_path:)/, "").split(/[:/]/)[0];
    return { key: `${provider}:sub`, ok: (v) => owner(v) !== "" && !/[*?]/.test(owner(v)) };
}

const ASSUME_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"];

export const iamTrustNotPublic: GuardrailResourcePolicy = {
    name: "iam-trust-not-public",
    description:
        'Role trust policies do not let anyone assume the role: no "*" principal or NotPrincipal without a condition that narrows who, and web identity (OIDC) trust names the subject (the :sub condition, not a wildcard owner); with trustedAccounts set, only those accounts are trusted.',
    why: 'A role any AWS account can assume, or any GitHub repository or any service account of a cluster through OIDC, hands its permissions to strangers.',
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        'Trust named principals (a role ARN, or an account with an aws:PrincipalArn condition); for "*" add aws:PrincipalOrgID or aws:PrincipalAccount; for OIDC add StringEquals or StringLike on <provider>:sub naming the repository (repo:org/name:...) or service account (system:serviceaccount:<namespace>:<name>).',
    configSchema: { properties: scopeSchema },
    validateResource: (args, report) => {
        const config = args.getConfig<ScopeConfig>();
        for (const { label, s } of trustStatements(args.type, args.props)) {
            if (s.effect !== "Allow") continue;
            const assumes = ASSUME_ACTIONS.filter((a) => allows(s, a));
            if (assumes.length === 0) continue;
            const outside = untrustedAccounts(s, config);
            if (outside.length > 0) report(`${label} trusts account(s) ${outside.join(", ")}, not among trustedAccounts`);
            if (anyonePrincipal(s) && narrowingKeys(s, config).length === 0) {
                const who = s.notPrincipals ? "everyone but its NotPrincipal" : 'anyone (Principal "*")';
                report(`${label} lets ${who} ${assumes.join(", ")} with no condition on who`);
                continue;
            }
            if (!allows(s, "sts:AssumeRoleWithWebIdentity")) continue;
            for (const federated of s.principals?.Federated ?? []) {
                if (/saml-provider\//.test(federated)) continue;
                const provider = federated.includes("oidc-provider/") ? federated.split("oidc-provider/")[1] : federated;
                const subject = webIdentitySubject(provider);
                const lists = requiredValues(s, subject.key);
                if (!lists.some((values) => values.length > 0 && values.every(subject.ok))) {
                    const given = lists.flat();
                    report(`${label} lets any identity of ${provider} assume the role: ${given.length > 0 ? `${subject.key} ${JSON.stringify(given)} names no single owner` : `no ${subject.key} condition`}`);
                }
            }
        }
    },
};

export const iamGuardrails = [iamNoAdminAccess, iamPassRoleScoped, iamPodIdentityTrustScoped, iamTrustNotPublic];
