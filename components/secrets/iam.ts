import { createHash } from "node:crypto";
import { dnsSuffixOf, partitionOf } from "../shared/aws";
import { PolicyDocument, policyDocument } from "../shared/iam";

/**
 * The operator's AWS identity holds no secret itself: it may only assume the reader roles under
 * this environment's path. Each reader role (one per team, one for the platform) reads one
 * prefix, `<environment>/<owner>/` in Secrets Manager and `/<environment>/<owner>/` in Parameter
 * Store, and decrypts through those two services for names under that prefix only. The
 * platform's prefix is `_platform`, which no team name can equal.
 */

/** Where the readers live, and what they read. */
export interface SecretsScope {
    /** The environment's name: the first segment of every secret and parameter name. */
    environment: string;
    /** The region of the secrets and parameters. */
    region: string;
    /** Their account. */
    accountId: string;
}

/** The platform's owner segment: `_` is in no team's name (a DNS label), so no team can own the platform's prefix or reader. */
export const PLATFORM_OWNER = "_platform";

/** The IAM path of every reader role of the environment; the operator may assume roles under it only. */
export const readersPath = (environment: string) => `/envstack/${environment}/secrets/`;
/** The IAM path of a team's reader role; the admission guard checks stores against it. */
export const teamReaderPath = (environment: string, team: string) => `${readersPath(environment)}teams/${team}/`;
/** The IAM path of the platform's reader role. */
export const platformReaderPath = (environment: string) => `${readersPath(environment)}${PLATFORM_OWNER}/`;
/** ARNs of roles under a path. */
export const roleArnPrefix = (scope: SecretsScope, path: string) => `arn:${partitionOf(scope.region)}:iam::${scope.accountId}:role${path}`;

/** A reader role's name: unique in the account, within IAM's 64 characters (a long team name is cut and hashed). */
export function readerRoleName(environment: string, owner: string): string {
    const name = `${environment}-secrets-${owner}`;
    if (name.length <= 64) return name;
    const hash = createHash("sha256").update(owner).digest("hex").slice(0, 8);
    return `${name.slice(0, 64 - hash.length - 1)}-${hash}`;
}

/** The operator's policy: assume this environment's readers, nothing else. */
export function operatorPolicy(scope: SecretsScope): PolicyDocument {
    return policyDocument({ Sid: "AssumeThisEnvironmentsReaders", Effect: "Allow", Action: "sts:AssumeRole", Resource: `${roleArnPrefix(scope, readersPath(scope.environment))}*` });
}

/** A reader's trust: the operator's role only. */
export function readerTrust(operatorRoleArn: string): PolicyDocument {
    return policyDocument({ Effect: "Allow", Principal: { AWS: operatorRoleArn }, Action: "sts:AssumeRole" });
}

/** Secret and parameter ARNs of one owner's prefix. */
export function ownedNames(scope: SecretsScope, owner: string) {
    const p = partitionOf(scope.region);
    return {
        secrets: `arn:${p}:secretsmanager:${scope.region}:${scope.accountId}:secret:${scope.environment}/${owner}/*`,
        parameterPath: `arn:${p}:ssm:${scope.region}:${scope.accountId}:parameter/${scope.environment}/${owner}`,
        parameters: `arn:${p}:ssm:${scope.region}:${scope.accountId}:parameter/${scope.environment}/${owner}/*`,
    };
}

/** A reader's policy: read the owner's secrets and parameters, and decrypt them with the environment key through those services. */
export function readerPolicy(scope: SecretsScope, owner: string, kmsKeyArn: string): PolicyDocument {
    const names = ownedNames(scope, owner);
    const via = (service: string) => `${service}.${scope.region}.${dnsSuffixOf(scope.region)}`;
    return policyDocument(
        { Sid: "ReadOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: names.secrets },
        { Sid: "ReadOwnParameters", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"], Resource: [names.parameterPath, names.parameters] },
        {
            Sid: "DecryptOwnSecrets",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": via("secretsmanager") }, StringLike: { "kms:EncryptionContext:SecretARN": names.secrets } },
        },
        {
            Sid: "DecryptOwnParameters",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": via("ssm") }, StringLike: { "kms:EncryptionContext:PARAMETER_ARN": names.parameters } },
        },
    );
}
