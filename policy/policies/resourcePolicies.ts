import { anyonePrincipal, Statement } from "./iamDocuments";
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { Declared } from "./declared";
import { DOMAIN_POLICIES, DOMAINS, domainPrivacy, Held, readHeld, resourcePolicies, unreadable } from "./policyHolders";
import { eachKnown, known } from "./preview";
import { arnAccount, describeActions, narrowingKeys, narrowingValue, ScopeConfig, scopeSchema, statementLabel, untrustedAccounts } from "./policyScope";
import { EVERYONE, functionUrlAuthType, lambdaGrants, LambdaGrant, publicS3Acls, sharing } from "./sharing";
import { viewOf } from "./cloudControl";
import { list, type GuardrailResourcePolicy, type GuardrailStackPolicy, type Props } from "./support";

/** Guardrails on resource-based policies: who, outside the account's own IAM, may use a resource. */

/** Who an "anyone" statement names, for messages. */
function anyone(s: Statement): string {
    return s.notPrincipals ? "everyone but its NotPrincipal" : 'anyone (Principal "*")';
}

/** The condition keys a statement tests, as written, for messages. */
function conditionNames(s: Statement): string[] {
    return Object.values(s.conditions).flatMap((block) => Object.keys(block ?? {}));
}

/** The Lambda properties that narrow who, by the shape of their values. */
const LAMBDA_NARROWING = { sourceArn: "arn", sourceAccount: "account", principalOrgId: "org", organizationId: "org" } as const;

/** An AWS service principal (`s3.amazonaws.com`, `alexa-appkit.amazon.com`). */
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazon(aws)?\.com(\.cn)?$/i;

/** A KMS condition tying the key's use to resources of named accounts (`kms:EncryptionContext:aws:logs:arn`): the service acts for those only. */
const pinsEncryptionContext = (s: Statement, config: ScopeConfig) =>
    Object.entries(s.conditions).some(
        ([operator, block]) =>
            /^(ForAnyValue:)?(StringEquals|StringLike|ArnEquals|ArnLike)$/i.test(operator) &&
            Object.entries(block ?? {}).some(
                ([key, raw]) => /^kms:encryptioncontext:.*arn$/i.test(key) && (Array.isArray(raw) ? raw : [raw]).every((v) => narrowingValue("arn", String(v), config)),
            ),
    );

/** The account a principal names (an account id or an ARN), "" for a service or none, undefined for a wildcard. */
function principalAccount(principal: string): string | undefined {
    if (/^\d{12}$/.test(principal)) return principal;
    if (SERVICE_PRINCIPAL.test(principal)) return "";
    return principal.startsWith("arn:") ? arnAccount(principal) : /[*?]/.test(principal) ? undefined : "";
}

/** What is wrong with a Lambda permission's grant: open to anyone, or to a service on behalf of any account. */
function lambdaGrantProblem(grant: LambdaGrant, config: ScopeConfig): string | undefined {
    const narrowed = (keys: (keyof typeof LAMBDA_NARROWING)[]) =>
        keys.some((key) => grant.narrowing[key] !== undefined && narrowingValue(LAMBDA_NARROWING[key], grant.narrowing[key] as string, config));
    const fields = Object.keys(grant.narrowing).filter((k) => k in LAMBDA_NARROWING);
    if (grant.principal === "*") {
        return narrowed(fields as (keyof typeof LAMBDA_NARROWING)[]) ? undefined : `principal "*" may ${grant.what} from any account: set ${fields.join(", ")} to narrow who`;
    }
    if (grant.principal && SERVICE_PRINCIPAL.test(grant.principal) && "sourceArn" in grant.narrowing) {
        // A service acts for every account's resources: without a source, any account's bucket, topic or rule may invoke (the confused deputy).
        if (narrowed(["sourceArn", "sourceAccount"]) || (/^alexa-/.test(grant.principal) && grant.narrowing.eventSourceToken)) return undefined;
        return `principal ${grant.principal} may ${grant.what} for any account's resource: set sourceArn (with the account) or sourceAccount`;
    }
    const account = grant.principal !== undefined ? principalAccount(grant.principal) : "";
    if (account === undefined) return `principal ${grant.principal} names no single account`;
    if (account !== "" && config.trustedAccounts.length > 0 && !config.trustedAccounts.includes(account)) return `principal ${grant.principal} is account ${account}, not among trustedAccounts`;
    return undefined;
}

const CONNECT = "connect an endpoint to the PrivateLink service (and reach what its load balancers carry)";

/** Who may connect to a PrivateLink endpoint service: its allowedPrincipals, or one permission resource's principal ("*" is every account). */
function endpointServicePrincipals(type: string, props: Props): { where: string; to: typeof EVERYONE | string; what: string; org?: string }[] {
    const { type: t, props: p } = viewOf(type, props);
    const principals: [string, unknown][] =
        t === "aws:ec2/vpcEndpointService:VpcEndpointService" || t === "aws-native:ec2:VpcEndpointServicePermissions"
            ? list<unknown>(p.allowedPrincipals as unknown[]).map((v, i) => [`allowedPrincipals[${i}]`, v])
            : t === "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple"
              ? [["principalArn", p.principalArn]]
              : [];
    return principals.filter(([, v]) => typeof v === "string").map(([where, v]) => ({ where, to: (v as string).trim() === "*" ? EVERYONE : (v as string), what: CONNECT }));
}

/** The findings of one resource policy document. */
function judgeHeld(held: Held, config: ScopeConfig, report: (message: string) => void): void {
    const read = readHeld(held);
    if (read.problem !== undefined) {
        report(unreadable(held.where, read.problem));
        return;
    }
    read.statements.forEach((s, i) => {
        if (s.effect !== "Allow") return;
        const label = `${held.where}: ${statementLabel(s, i)}`;
        const outside = untrustedAccounts(s, config);
        if (outside.length > 0) report(`${label} grants account(s) ${outside.join(", ")}, not among trustedAccounts`);
        const services = (s.principals?.Service ?? []).filter((p) => SERVICE_PRINCIPAL.test(p));
        if (services.length > 0 && !anyonePrincipal(s) && narrowingKeys(s, config).length === 0 && !pinsEncryptionContext(s, config)) {
            report(`${label} lets ${services.join(", ")} ${describeActions(s)} on behalf of any account's resources: add aws:SourceArn or aws:SourceAccount`);
        }
        // A domain reachable only inside its VPC: there, "*" is whoever the network lets in.
        if (held.private || !anyonePrincipal(s) || narrowingKeys(s, config).length > 0) return;
        const tested = conditionNames(s);
        const unused = tested.length > 0 ? `; ${tested.join(", ")} does not narrow who` : "";
        report(`${label} lets ${anyone(s)} ${describeActions(s)} with no condition on who${unused}`);
    });
}

/** Separate OpenSearch domain policies, judged with their domain: open to "*" is fine for a domain declared with only a VPC endpoint. */
function domainPolicies(args: StackValidationArgs, report: ReportViolation): void {
    const config = args.getConfig<ScopeConfig>();
    const domains = new Declared(args.resources, DOMAINS, (r) => [known(() => r.props.domainName)]);
    eachKnown(args.resources, (r) => {
        if (!DOMAIN_POLICIES.includes(r.type)) return;
        const found = domains.resolve(r, () => r.props.domainName);
        // Private only when every domain it may be for has only a VPC endpoint.
        const privacy = Array.isArray(found) && found.length > 0 ? found.map((d) => domainPrivacy(d.type, d.props, undefined)).reduce((a, b) => a && b) : undefined;
        for (const held of resourcePolicies(r.type, r.props)) judgeHeld(privacy ? { ...held, private: privacy } : held, config, (message) => report(message, r.urn));
    });
}

export const resourcePolicyNoPublicPrincipal: GuardrailResourcePolicy & Pick<GuardrailStackPolicy, "validateStack"> = {
    name: "resource-policy-no-public-principal",
    description:
        'Resource policies (SQS, SNS, S3 and its access points, ECR, KMS, Secrets Manager, EFS, Backup, EventBridge, OpenSearch (a separate domain policy judged with its domain), MSK, API Gateway, VPC Lattice and others, inline or through their *Policy resource, Cloud Control or AWS Native) are readable and allow no "*" principal or NotPrincipal without a condition that narrows who, nor an AWS service without a source (aws:SourceArn, aws:SourceAccount); Lambda permissions (to anyone, or to a service without a source), function URLs, S3 ACLs, public AMI, snapshot and SSM document sharing, event bus, signing profile and OpenSearch Serverless permissions, CodeBuild projects and PrivateLink endpoint services\' allowed principals are not open to everyone; aws:SourceIp narrows only up to maxSourceIpAddresses; with trustedAccounts set, shares, RAM associations, KMS grants and ECR replication name only those accounts.',
    why: 'A policy that allows "*" lets any AWS account, or anyone on the internet, read, send to, decrypt or invoke the resource; a condition such as aws:SecureTransport changes how, not who. A public AMI or snapshot hands out its data, and a service permission without a source lets any account\'s bucket or topic drive the function.',
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        'Name the principals (account, role or service), or keep "*" only with a condition that narrows who: aws:SourceArn or aws:SourceAccount for an AWS service, aws:PrincipalOrgID or aws:PrincipalAccount for your organization, aws:SourceVpce for a VPC endpoint. Give statements for an AWS service aws:SourceArn or aws:SourceAccount, a Lambda permission with principal "*" a sourceArn, sourceAccount or principalOrgId, one for a service a sourceArn or sourceAccount, and a function URL authorizationType AWS_IAM. Share AMIs and snapshots with named accounts, not "all"; put an OpenSearch domain open to "*" in a VPC.',
    configSchema: { properties: scopeSchema },
    validateResource: (args, report) => {
        const config = args.getConfig<ScopeConfig>();
        for (const held of resourcePolicies(args.type, args.props)) {
            // A separate domain policy's "*" depends on its domain's network: the stack half judges it.
            if (!held.domainPolicy) judgeHeld(held, config, report);
        }
        for (const grant of lambdaGrants(args.type, args.props)) {
            const problem = lambdaGrantProblem(grant, config);
            if (problem) report(problem);
        }
        for (const acl of publicS3Acls(args.type, args.props)) {
            report(`${acl.where} grants ${acl.who} access (${acl.what}): an ACL opens the bucket or object as a "*" policy would; use a bucket policy naming principals`);
        }
        if (functionUrlAuthType(args.type, args.props) === "NONE") {
            report("authorizationType is NONE: anyone on the internet can invoke the function through its URL; use AWS_IAM");
        }
        for (const share of [...sharing(args.type, args.props), ...endpointServicePrincipals(args.type, args.props)]) {
            if (share.to === EVERYONE) {
                if (share.org !== undefined && narrowingValue("org", share.org, config)) continue;
                report(`${share.where} shares with everyone: any AWS account may ${share.what}; name the accounts`);
                continue;
            }
            const account = principalAccount(share.to);
            if (account === undefined) report(`${share.where} ${share.to} names no single account: any account's principal may ${share.what}`);
            else if (account !== "" && config.trustedAccounts.length > 0 && !config.trustedAccounts.includes(account)) {
                report(`${share.where} shares with account ${account}, not among trustedAccounts: it may ${share.what}`);
            }
        }
    },
    validateStack: domainPolicies,
};

export const resourcePolicyGuardrails = [resourcePolicyNoPublicPrincipal];
