import { allows, anyonePrincipal, actionMatches, Statement } from "./iamDocuments";
import { labelledStatements, trustPolicies } from "./policyHolders";
import { narrowingKeys, narrowsToIamPrincipals, requiredValues, ScopeConfig, scopeSchema, untrustedAccounts } from "./policyScope";
import type { GuardrailResourcePolicy, Props } from "./support";

/** Guardrails on role trust: who may become a role. */

/** Every statement of a role's trust policy, labelled for messages; an unreadable one goes to `report`, when given. */
const trustStatements = (type: string, props: Props, report?: (message: string) => void) => labelledStatements(trustPolicies(type, props), report);

const WILDCARD = /[*?]/;
/** A policy variable (`${aws:RequestTag/kubernetes-namespace}`) is replaced by the request's own value: it pins nothing. */
const VARIABLE = /\$\{/;
const literal = (v: string) => v !== "" && !WILDCARD.test(v) && !VARIABLE.test(v);
/** No account, organization or network to trust beyond what a statement names. */
const ANY_SCOPE: ScopeConfig = { trustedAccounts: [], trustedOrganizations: [], maxSourceIpAddresses: 65536 };

const POD_IDENTITY = "pods.eks.amazonaws.com";

/**
 * Whether a name pattern names a few things, not any: literal, or a wildcard after at least three
 * literal characters (`ledger-*`). Shorter prefixes do not pin: a list of `a*`..`9*` (or `*a*`..)
 * matches every Kubernetes name, while three-character ones would not fit in a trust policy.
 */
const pinsName = (v: string) => literal(v) || (!VARIABLE.test(v) && /^[^*?]{3,}/.test(v));

/** The session-tag conditions Pod Identity trust must pin, each as the keys that satisfy it. */
const POD_IDENTITY_CONDITIONS: { name: string; keys: string[]; ok: (value: string) => boolean }[] = [
    { name: "aws:SourceAccount", keys: ["aws:SourceAccount"], ok: (v) => /^\d{12}$/.test(v) },
    {
        name: "aws:RequestTag/eks-cluster-arn (or eks-cluster-name)",
        keys: ["aws:RequestTag/eks-cluster-arn", "aws:RequestTag/eks-cluster-name"],
        ok: (v) => pinsName(v.includes(":cluster/") ? v.split(":cluster/")[1] : v),
    },
    { name: "aws:RequestTag/kubernetes-namespace", keys: ["aws:RequestTag/kubernetes-namespace"], ok: pinsName },
    { name: "aws:RequestTag/kubernetes-service-account", keys: ["aws:RequestTag/kubernetes-service-account"], ok: pinsName },
];

/**
 * How a trust statement admits the Pod Identity service: by name, or through "*" (NotPrincipal)
 * with no condition only IAM principals carry (aws:SourceAccount alone lets every service in).
 */
function admitsPodIdentity(s: Statement): string | undefined {
    if ((s.principals?.Service ?? []).some((p) => actionMatches(p, POD_IDENTITY))) return POD_IDENTITY;
    if (anyonePrincipal(s) && !narrowsToIamPrincipals(s, ANY_SCOPE)) return `${POD_IDENTITY} (through ${s.notPrincipals ? "NotPrincipal" : 'Principal "*"'})`;
    return undefined;
}

export const iamPodIdentityTrustScoped: GuardrailResourcePolicy = {
    name: "iam-pod-identity-trust-scoped",
    description:
        'Roles that trust pods.eks.amazonaws.com (EKS Pod Identity), by name or through "*" narrowed only by conditions a service carries, pin aws:SourceAccount and the session tags for the cluster (eks-cluster-arn or eks-cluster-name), kubernetes-namespace and kubernetes-service-account, with values that are literal or have at least three literal characters before a wildcard (a policy variable such as ${aws:RequestTag/...} pins nothing).',
    why: "Without them, anyone who can create a Pod Identity association, in any cluster of the account, can hand the role to any pod.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Write the trust for the pods.eks.amazonaws.com service principal with StringEquals on aws:SourceAccount, aws:RequestTag/eks-cluster-arn, aws:RequestTag/kubernetes-namespace and aws:RequestTag/kubernetes-service-account (envstack's scopedPodIdentityTrust does), not IfExists, ForAllValues or bare wildcards.",
    validateResource: (args, report) => {
        for (const { label, s } of trustStatements(args.type, args.props)) {
            if (s.effect !== "Allow" || (!allows(s, "sts:AssumeRole") && !allows(s, "sts:TagSession"))) continue;
            const admitted = admitsPodIdentity(s);
            if (!admitted) continue;
            const missing = POD_IDENTITY_CONDITIONS.filter((c) => !c.keys.some((key) => requiredValues(s, key).some((values) => values.length > 0 && values.every(c.ok))));
            if (missing.length > 0) {
                report(
                    `${label} trusts ${admitted} without pinning ${missing.map((c) => c.name).join(", ")} (a wildcard, IfExists or ForAllValues condition does not pin): any Pod Identity association could hand the role to other pods`,
                );
            }
        }
    },
};

/** The owner part of a subject in each provider's format, or undefined when the value is not in that format. */
const SUBJECT_FORMATS: { provider: RegExp; owner: (v: string) => string | undefined; names: string }[] = [
    // Terraform Cloud and Enterprise: organization:<org>:project:<project>:workspace:<workspace>:run_phase:<phase>.
    { provider: /^app\.terraform\.io$/, owner: (v) => /^organization:([^:]*)(:|$)/.exec(v)?.[1], names: "organization" },
    // GitLab: project_path:<group>/<project>:ref_type:<type>:ref:<ref>.
    { provider: /^gitlab\.com$/, owner: (v) => /^project_path:([^/:]*)\//.exec(v)?.[1], names: "group" },
    // GitHub: repo:<owner>/<repo>:..., or a custom subject starting with the owner or repository.
    {
        provider: /^token\.actions\.githubusercontent\.com$/,
        owner: (v) => /^repo:([^/:]*)\//.exec(v)?.[1] ?? /^(?:repository_owner|repository_owner_id|repository|repository_id):([^/:]*)(?:[/:]|$)/.exec(v)?.[1],
        names: "owner",
    },
    // EKS: system:serviceaccount:<namespace>:<name>, both named (a service account is the identity).
    {
        provider: /^oidc\.eks\.[^/]+\.amazonaws\.com(\.cn)?\/id\//,
        owner: (v) => {
            const m = /^system:serviceaccount:([^:]*):([^:]*)$/.exec(v);
            return m && literal(m[2]) ? m[1] : undefined;
        },
        names: "service account",
    },
];

/** Whether a subject value names one owner: the provider's format if known, else its first segment (after a known prefix). */
function namesOneOwner(provider: string, value: string): boolean {
    const format = SUBJECT_FORMATS.find((f) => f.provider.test(provider));
    const generic = () => value.replace(/^(system:serviceaccount:|repo:|project_path:|organization:)/, "").split(/[:/]/)[0];
    const owner = format ? format.owner(value) : generic();
    return owner !== undefined && literal(owner);
}

const COGNITO = "cognito-identity.amazonaws.com";

/** What a web identity trust lets in, for one federated provider, as the message's tail; undefined when it is scoped. */
function webIdentityProblem(s: Statement, provider: string): string | undefined {
    const pinned = (key: string, ok: (v: string) => boolean) => {
        const lists = requiredValues(s, key);
        if (lists.some((values) => values.length > 0 && values.every(ok))) return undefined;
        const given = lists.flat();
        return `lets any identity of ${provider} assume the role: ${given.length > 0 ? `${key} ${JSON.stringify(given)} names no single owner` : `no ${key} condition`}`;
    };
    if (provider !== COGNITO) return pinned(`${provider}:sub`, (v) => namesOneOwner(provider, v));
    // Guests of an identity pool carry amr "unauthenticated": only a condition requiring something else keeps them out.
    const amr = requiredValues(s, `${COGNITO}:amr`);
    const authenticatedOnly = amr.some((values) => values.length > 0 && values.every((v) => literal(v) && v.toLowerCase() !== "unauthenticated"));
    const guests = `lets unauthenticated (guest) identities of ${COGNITO} assume the role: require ForAnyValue:StringLike ${COGNITO}:amr "authenticated"`;
    return pinned(`${COGNITO}:aud`, literal) ?? (authenticatedOnly ? undefined : guests);
}

const ASSUME_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"];

export const iamTrustNotPublic: GuardrailResourcePolicy = {
    name: "iam-trust-not-public",
    description:
        'Role trust policies are readable and do not let anyone assume the role: no "*" principal or NotPrincipal without a condition that narrows who; web identity (OIDC) trust names the subject (no policy variable) in each provider\'s format (GitHub repo:<owner>/..., GitLab project_path:<group>/..., Terraform Cloud organization:<org>:..., EKS system:serviceaccount:<namespace>:<name>) with no wildcard owner; Cognito trust names the pool and admits no unauthenticated identity; with trustedAccounts set, only those accounts are trusted.',
    why: "A role any AWS account can assume, any GitHub repository, Terraform Cloud organization or cluster service account through OIDC, or any guest of an identity pool, hands its permissions to strangers.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        'Trust named principals (a role ARN, or an account with an aws:PrincipalArn condition); for "*" add aws:PrincipalOrgID or aws:PrincipalAccount; for OIDC add StringEquals or StringLike on <provider>:sub naming the repository (repo:org/name:...), project (project_path:group/name:...), organization (organization:name:...) or service account (system:serviceaccount:<namespace>:<name>); for Cognito, StringEquals on cognito-identity.amazonaws.com:aud and ForAnyValue:StringLike on cognito-identity.amazonaws.com:amr "authenticated".',
    configSchema: { properties: scopeSchema },
    validateResource: (args, report) => {
        const config = args.getConfig<ScopeConfig>();
        for (const { label, s } of trustStatements(args.type, args.props, report)) {
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
                const problem = webIdentityProblem(s, provider);
                if (problem) report(`${label} ${problem}`);
            }
        }
    },
};
