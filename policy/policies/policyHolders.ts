import { list, Props } from "./support";

/**
 * Where a resource holds a policy document or names a managed policy, whichever way a program
 * declares it: the AWS provider's resources (inline on the resource, or through its separate
 * `*Policy` resource), AWS Cloud Control (`aws.cloudcontrol.Resource`, its desired state as
 * JSON) and AWS Native (`aws-native:*`), the last two by their CloudFormation properties.
 */

/** A policy document and where on the resource it was found. */
export interface Held {
    where: string;
    doc: unknown;
}

/** Resource-based policies (who else may act on the resource), by type token and property. */
const RESOURCE_POLICY: Record<string, string> = {
    "aws:sqs/queue:Queue": "policy",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:sns/topic:Topic": "policy",
    "aws:sns/topicPolicy:TopicPolicy": "policy",
    "aws:s3/bucket:Bucket": "policy",
    "aws:s3/bucketV2:BucketV2": "policy",
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
    "aws:s3/accessPoint:AccessPoint": "policy",
    "aws:s3control/accessPointPolicy:AccessPointPolicy": "policy",
    "aws:s3control/bucketPolicy:BucketPolicy": "policy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
    "aws:ecr/registryPolicy:RegistryPolicy": "policy",
    "aws:ecrpublic/repositoryPolicy:RepositoryPolicy": "policy",
    "aws:kms/key:Key": "policy",
    "aws:kms/keyPolicy:KeyPolicy": "policy",
    "aws:kms/replicaKey:ReplicaKey": "policy",
    "aws:kms/externalKey:ExternalKey": "policy",
    "aws:kms/replicaExternalKey:ReplicaExternalKey": "policy",
    "aws:secretsmanager/secret:Secret": "policy",
    "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
    "aws:efs/fileSystemPolicy:FileSystemPolicy": "policy",
    "aws:backup/vaultPolicy:VaultPolicy": "policy",
    "aws:dynamodb/resourcePolicy:ResourcePolicy": "policy",
    "aws:kinesis/resourcePolicy:ResourcePolicy": "policy",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": "policy",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyDocument",
    "aws:glacier/vault:Vault": "accessPolicy",
};

/** The same, by CloudFormation type (`service::resource`, lower case) and property. */
const CFN_RESOURCE_POLICY: Record<string, string> = {
    "sqs::queuepolicy": "PolicyDocument",
    "sqs::queueinlinepolicy": "PolicyDocument",
    "sns::topicpolicy": "PolicyDocument",
    "sns::topicinlinepolicy": "PolicyDocument",
    "s3::bucketpolicy": "PolicyDocument",
    "s3::accesspoint": "Policy",
    "kms::key": "KeyPolicy",
    "kms::replicakey": "KeyPolicy",
    "ecr::repository": "RepositoryPolicyText",
    "ecr::registrypolicy": "PolicyText",
    "ecr::publicrepository": "RepositoryPolicyText",
    "secretsmanager::resourcepolicy": "ResourcePolicy",
    "efs::filesystem": "FileSystemPolicy",
    "backup::backupvault": "AccessPolicy",
    "logs::resourcepolicy": "PolicyDocument",
    "events::eventbus": "Policy",
};

/** Identity policies written out on the resource: a single document, or a list of named ones. */
const IDENTITY_POLICY: Record<string, string> = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": "inlinePolicy",
};
const CFN_IDENTITY_POLICY: Record<string, string> = {
    "iam::policy": "PolicyDocument",
    "iam::managedpolicy": "PolicyDocument",
    "iam::rolepolicy": "PolicyDocument",
    "iam::userpolicy": "PolicyDocument",
    "iam::grouppolicy": "PolicyDocument",
    "sso::permissionset": "InlinePolicy",
};
const CFN_POLICY_LISTS = ["iam::role", "iam::user", "iam::group"];

/** Managed policies attached by ARN: one (`policyArn`) or several. */
const MANAGED_POLICY: Record<string, string> = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "policyArns",
    "aws:iam/role:Role": "managedPolicyArns",
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": "managedPolicyArn",
};
const CFN_MANAGED_POLICY: Record<string, string> = {
    "iam::role": "ManagedPolicyArns",
    "iam::user": "ManagedPolicyArns",
    "iam::group": "ManagedPolicyArns",
    "sso::permissionset": "ManagedPolicies",
};

/** A resource as CloudFormation describes it (Cloud Control or AWS Native), or undefined. */
interface CfnView {
    kind: string;
    props: Props;
    prefix: string;
}

function cloudFormation(type: string, props: Props): CfnView | undefined {
    if (type === "aws:cloudcontrol/resource:Resource") {
        const kind = String(props.typeName ?? "").toLowerCase().replace(/^aws::/, "");
        let state: unknown = props.desiredState;
        try {
            if (typeof state === "string") state = JSON.parse(state);
        } catch {
            return undefined;
        }
        return state && typeof state === "object" ? { kind, props: state as Props, prefix: "desiredState." } : undefined;
    }
    if (type.startsWith("aws-native:")) {
        const [, service, resource] = type.split(":");
        return { kind: `${service}::${resource}`.toLowerCase(), props, prefix: "" };
    }
    return undefined;
}

/** A property by name, case-insensitively (CloudFormation is PascalCase, AWS Native camelCase). */
function get(props: Props, name: string): { key: string; value: unknown } | undefined {
    const key = Object.keys(props).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined || props[key] === undefined || props[key] === null ? undefined : { key, value: props[key] };
}

function one(props: Props, name: string | undefined, prefix = ""): Held[] {
    const found = name ? get(props, name) : undefined;
    return found ? [{ where: `${prefix}${found.key}`, doc: found.value }] : [];
}

/** The resource-based policies a resource holds. */
export function resourcePolicies(type: string, props: Props): Held[] {
    if (RESOURCE_POLICY[type]) return one(props, RESOURCE_POLICY[type]);
    const cfn = cloudFormation(type, props);
    return cfn ? one(cfn.props, CFN_RESOURCE_POLICY[cfn.kind], cfn.prefix) : [];
}

/** The identity policies a resource holds: standalone and inline ones. */
export function identityPolicies(type: string, props: Props): Held[] {
    if (IDENTITY_POLICY[type]) return one(props, IDENTITY_POLICY[type]);
    if (type === "aws:iam/role:Role") {
        return list<Props>(props.inlinePolicies).flatMap((p, i) => (p?.policy ? [{ where: `inlinePolicies[${i}]${p.name ? ` (${p.name})` : ""}`, doc: p.policy }] : []));
    }
    const cfn = cloudFormation(type, props);
    if (!cfn) return [];
    if (CFN_POLICY_LISTS.includes(cfn.kind)) {
        const policies = get(cfn.props, "Policies");
        return list<Props>(policies?.value as Props[]).flatMap((p, i) => {
            const doc = p && typeof p === "object" ? get(p, "PolicyDocument") : undefined;
            return doc ? [{ where: `${cfn.prefix}${policies!.key}[${i}]`, doc: doc.value }] : [];
        });
    }
    return one(cfn.props, CFN_IDENTITY_POLICY[cfn.kind], cfn.prefix);
}

/** A role's trust policy. */
export function trustPolicies(type: string, props: Props): Held[] {
    if (type === "aws:iam/role:Role") return one(props, "assumeRolePolicy");
    const cfn = cloudFormation(type, props);
    return cfn?.kind === "iam::role" ? one(cfn.props, "AssumeRolePolicyDocument", cfn.prefix) : [];
}

/** The managed policy ARNs a resource attaches, each with where it was found. */
export function managedPolicyArns(type: string, props: Props): { where: string; arn: string }[] {
    const native = MANAGED_POLICY[type];
    const cfn = native ? undefined : cloudFormation(type, props);
    const found = native ? get(props, native) : cfn && CFN_MANAGED_POLICY[cfn.kind] ? get(cfn.props, CFN_MANAGED_POLICY[cfn.kind]) : undefined;
    if (!found) return [];
    const where = `${cfn?.prefix ?? ""}${found.key}`;
    const arns = list(found.value as unknown[]).filter((a): a is string => typeof a === "string");
    return Array.isArray(found.value) ? arns.map((arn, i) => ({ where: `${where}[${i}]`, arn })) : arns.map((arn) => ({ where, arn }));
}

/** A Lambda permission as the guardrails read it, whatever declared it. */
export interface LambdaGrant {
    principal?: string;
    /** Properties that narrow who, by name, with their values. */
    narrowing: Record<string, string | undefined>;
    what: string;
}

/** Lambda function and layer permissions, and function URLs' auth types. */
export function lambdaGrants(type: string, props: Props): LambdaGrant[] {
    const cfn = cloudFormation(type, props);
    const p = cfn?.props ?? props;
    const value = (name: string) => {
        const v = get(p, name)?.value;
        return typeof v === "string" ? v : undefined;
    };
    const kind = cfn?.kind ?? type;
    if (kind === "aws:lambda/permission:Permission" || kind === "lambda::permission") {
        return [{ principal: value("principal"), narrowing: { sourceArn: value("sourceArn"), sourceAccount: value("sourceAccount"), principalOrgId: value("principalOrgId") }, what: `${value("action") ?? "lambda:InvokeFunction"}` }];
    }
    if (kind === "aws:lambda/layerVersionPermission:LayerVersionPermission" || kind === "lambda::layerversionpermission") {
        return [{ principal: value("principal"), narrowing: { organizationId: value("organizationId") }, what: `${value("action") ?? "lambda:GetLayerVersion"}` }];
    }
    return [];
}

/** A function URL's auth type (`NONE` is public), whatever declared it. */
export function functionUrlAuthType(type: string, props: Props): string | undefined {
    if (type === "aws:lambda/functionUrl:FunctionUrl") return props.authorizationType;
    const cfn = cloudFormation(type, props);
    return cfn?.kind === "lambda::url" ? (get(cfn.props, "AuthType")?.value as string | undefined) : undefined;
}

/** Canned ACLs and grantee groups that grant everyone, or every AWS account, access. */
const PUBLIC_ACLS: Record<string, string> = {
    "public-read": "anyone",
    "public-read-write": "anyone",
    "authenticated-read": "every AWS account",
    publicread: "anyone",
    publicreadwrite: "anyone",
    authenticatedread: "every AWS account",
};
const PUBLIC_GROUPS: Record<string, string> = { AllUsers: "anyone", AuthenticatedUsers: "every AWS account" };
const S3_ACL_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2", "aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2"];

/** S3 ACLs that open a bucket or object to everyone: a canned ACL or a grant to a global group. */
export function publicS3Acls(type: string, props: Props): { where: string; who: string; what: string }[] {
    const cfn = cloudFormation(type, props);
    if (cfn?.kind === "s3::bucket") {
        const acl = get(cfn.props, "AccessControl");
        const who = PUBLIC_ACLS[String(acl?.value).toLowerCase()];
        return who ? [{ where: `${cfn.prefix}${acl!.key}`, who, what: String(acl!.value) }] : [];
    }
    if (!S3_ACL_TYPES.includes(type)) return [];
    const found: { where: string; who: string; what: string }[] = [];
    if (typeof props.acl === "string" && PUBLIC_ACLS[props.acl]) found.push({ where: "acl", who: PUBLIC_ACLS[props.acl], what: props.acl });
    const grants: { where: string; grant: Props }[] = [
        ...list<Props>(props.grants).map((grant, i) => ({ where: `grants[${i}]`, grant })),
        ...list<Props>(props.accessControlPolicy?.grants).map((g, i) => ({ where: `accessControlPolicy.grants[${i}]`, grant: { ...g.grantee, permissions: g.permission } })),
    ];
    for (const { where, grant } of grants) {
        const group = String(grant?.uri ?? "").split("/").pop() as string;
        if (PUBLIC_GROUPS[group]) found.push({ where, who: PUBLIC_GROUPS[group], what: `${group} ${list(grant.permissions).join(", ")}` });
    }
    return found;
}
