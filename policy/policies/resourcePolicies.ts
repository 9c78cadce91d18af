import { anyonePrincipal, statements, Statement } from "./iamDocuments";
import { functionUrlAuthType, lambdaGrants, publicS3Acls, resourcePolicies } from "./policyHolders";
import { describeActions, narrowingKeys, narrowingValue, ScopeConfig, scopeSchema, statementLabel, untrustedAccounts } from "./policyScope";
import type { GuardrailResourcePolicy } from "./support";

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

export const resourcePolicyNoPublicPrincipal: GuardrailResourcePolicy = {
    name: "resource-policy-no-public-principal",
    description:
        'Resource policies (SQS, SNS, S3, ECR, KMS, Secrets Manager, EFS, Backup, EventBridge and others, inline or through their *Policy resource, Cloud Control or AWS Native) allow no "*" principal or NotPrincipal without a condition that narrows who; Lambda permissions, function URLs and S3 ACLs are not open to everyone.',
    why: 'A policy that allows "*" lets any AWS account, or anyone on the internet, read, send to, decrypt or invoke the resource; a condition such as aws:SecureTransport changes how, not who.',
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        'Name the principals (account, role or service), or keep "*" only with a condition that narrows who: aws:SourceArn or aws:SourceAccount for an AWS service, aws:PrincipalOrgID or aws:PrincipalAccount for your organization, aws:SourceVpce for a VPC endpoint. Give a Lambda permission with principal "*" a sourceArn, sourceAccount or principalOrgId, and a function URL authorizationType AWS_IAM.',
    configSchema: { properties: scopeSchema },
    validateResource: (args, report) => {
        const config = args.getConfig<ScopeConfig>();
        for (const { where, doc } of resourcePolicies(args.type, args.props)) {
            statements(doc).forEach((s, i) => {
                if (s.effect !== "Allow") return;
                const label = `${where}: ${statementLabel(s, i)}`;
                const outside = untrustedAccounts(s, config);
                if (outside.length > 0) report(`${label} grants account(s) ${outside.join(", ")}, not among trustedAccounts`);
                if (!anyonePrincipal(s) || narrowingKeys(s, config).length > 0) return;
                const tested = conditionNames(s);
                const unused = tested.length > 0 ? `; ${tested.join(", ")} does not narrow who` : "";
                report(`${label} lets ${anyone(s)} ${describeActions(s)} with no condition on who${unused}`);
            });
        }
        for (const grant of lambdaGrants(args.type, args.props)) {
            if (grant.principal !== "*") continue;
            const narrowed = Object.entries(grant.narrowing).some(
                ([key, value]) => value !== undefined && narrowingValue(LAMBDA_NARROWING[key as keyof typeof LAMBDA_NARROWING], value, config),
            );
            const fields = Object.keys(grant.narrowing).join(", ");
            if (!narrowed) report(`principal "*" may ${grant.what} from any account: set ${fields} to narrow who`);
        }
        for (const acl of publicS3Acls(args.type, args.props)) {
            report(`${acl.where} grants ${acl.who} access (${acl.what}): an ACL opens the bucket or object as a "*" policy would; use a bucket policy naming principals`);
        }
        if (functionUrlAuthType(args.type, args.props) === "NONE") {
            report("authorizationType is NONE: anyone on the internet can invoke the function through its URL; use AWS_IAM");
        }
    },
};

export const resourcePolicyGuardrails = [resourcePolicyNoPublicPrincipal];
