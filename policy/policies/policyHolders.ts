import { statements, Statement } from "./iamDocuments";
import { list, Props } from "./support";
import { documentOf } from "./flags";
import { statementLabel } from "./policyScope";

/**
 * Where a resource holds a policy document or names a managed policy, whichever way a program
 * declares it: the AWS provider's resources (inline on the resource, or through its separate
 * `*Policy` resource), AWS Cloud Control (`aws.cloudcontrol.Resource`, its desired state as
 * JSON) and AWS Native (`aws-native:*`), the last two by their CloudFormation properties.
 */

/** A policy document and where on the resource it was found. */
export interface Held {
    where: string;
    /** The document; undefined only where the resource requires one and it is not there. */
    doc: unknown;
    /** Why a "*" principal cannot reach the resource from outside, when the resource says so (a domain in a VPC). */
    private?: string;
    /** A separate OpenSearch domain policy: whether its domain is in a VPC is known only to the stack. */
    domainPolicy?: boolean;
}

/**
 * Property paths by type token: `details.policy` is nested; a trailing `?` marks a document the
 * resource may leave out (then it grants nothing); without it, the resource exists to carry the
 * document, and a missing one is unreadable, not harmless.
 */
type Paths = Record<string, string>;

/** Resource-based policies (who else may act on the resource), by type token and property. */
const RESOURCE_POLICY: Paths = {
    "aws:sqs/queue:Queue": "policy?",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:sns/topic:Topic": "policy?",
    "aws:sns/topicPolicy:TopicPolicy": "policy",
    "aws:s3/bucket:Bucket": "policy?",
    "aws:s3/bucketV2:BucketV2": "policy?",
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
    "aws:s3/accessPoint:AccessPoint": "policy?",
    "aws:s3/vectorsVectorBucketPolicy:VectorsVectorBucketPolicy": "policy",
    "aws:s3/filesFileSystemPolicy:FilesFileSystemPolicy": "policy",
    "aws:s3control/accessPointPolicy:AccessPointPolicy": "policy",
    "aws:s3control/bucketPolicy:BucketPolicy": "policy",
    "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy": "details.policy",
    "aws:s3control/objectLambdaAccessPointPolicy:ObjectLambdaAccessPointPolicy": "policy",
    "aws:s3control/accessGrantsInstanceResourcePolicy:AccessGrantsInstanceResourcePolicy": "policy",
    "aws:s3tables/tableBucketPolicy:TableBucketPolicy": "resourcePolicy",
    "aws:s3tables/tablePolicy:TablePolicy": "resourcePolicy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
    "aws:ecr/registryPolicy:RegistryPolicy": "policy",
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": "repositoryPolicy?",
    "aws:ecrpublic/repositoryPolicy:RepositoryPolicy": "policy",
    "aws:kms/key:Key": "policy?",
    "aws:kms/keyPolicy:KeyPolicy": "policy",
    "aws:kms/replicaKey:ReplicaKey": "policy?",
    "aws:kms/externalKey:ExternalKey": "policy?",
    "aws:kms/replicaExternalKey:ReplicaExternalKey": "policy?",
    "aws:secretsmanager/secret:Secret": "policy?",
    "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
    "aws:efs/fileSystemPolicy:FileSystemPolicy": "policy",
    "aws:backup/vaultPolicy:VaultPolicy": "policy",
    "aws:dynamodb/resourcePolicy:ResourcePolicy": "policy",
    "aws:kinesis/resourcePolicy:ResourcePolicy": "policy",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": "policy",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyDocument",
    "aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy": "accessPolicy",
    "aws:cloudwatch/logDeliveryDestinationPolicy:LogDeliveryDestinationPolicy": "deliveryDestinationPolicy",
    "aws:pinpoint/smsvoicev2ResourcePolicy:Smsvoicev2ResourcePolicy": "policy",
    "aws:glacier/vault:Vault": "accessPolicy?",
    "aws:glacier/vaultLock:VaultLock": "policy",
    "aws:opensearch/domain:Domain": "accessPolicies?",
    "aws:opensearch/domainPolicy:DomainPolicy": "accessPolicies",
    "aws:elasticsearch/domain:Domain": "accessPolicies?",
    "aws:elasticsearch/domainPolicy:DomainPolicy": "accessPolicies",
    "aws:opensearchingest/resourcePolicy:ResourcePolicy": "policy",
    "aws:msk/clusterPolicy:ClusterPolicy": "policy",
    "aws:dsql/clusterPolicy:ClusterPolicy": "policy",
    "aws:lambda/resourcePolicy:ResourcePolicy": "policy",
    "aws:glue/resourcePolicy:ResourcePolicy": "policy",
    "aws:redshift/resourcePolicy:ResourcePolicy": "policy",
    "aws:redshiftserverless/resourcePolicy:ResourcePolicy": "policy",
    "aws:acmpca/policy:Policy": "policy",
    "aws:amp/resourcePolicy:ResourcePolicy": "policyDocument",
    "aws:bedrock/agentcoreResourcePolicy:AgentcoreResourcePolicy": "policy",
    "aws:codeartifact/domainPermissions:DomainPermissions": "policyDocument",
    "aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy": "policyDocument",
    "aws:codebuild/resourcePolicy:ResourcePolicy": "policy",
    "aws:mediastore/containerPolicy:ContainerPolicy": "policy",
    "aws:networkfirewall/resourcePolicy:ResourcePolicy": "policy",
    "aws:oam/sinkPolicy:SinkPolicy": "policy",
    "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy": "resourcePolicy",
    "aws:schemas/registryPolicy:RegistryPolicy": "policy",
    "aws:ses/identityPolicy:IdentityPolicy": "policy",
    "aws:sesv2/emailIdentityPolicy:EmailIdentityPolicy": "policy",
    "aws:vpclattice/resourcePolicy:ResourcePolicy": "policy",
    "aws:vpclattice/authPolicy:AuthPolicy": "policy",
    "aws:apigateway/restApiPolicy:RestApiPolicy": "policy",
    "aws:apigateway/restApi:RestApi": "policy?",
    "aws:xray/resourcePolicy:ResourcePolicy": "policyDocument",
    "aws:cloudsearch/domainServiceAccessPolicy:DomainServiceAccessPolicy": "accessPolicy",
};

/** The same, by CloudFormation type (`service::resource`, lower case) and property. */
const CFN_RESOURCE_POLICY: Paths = {
    "sqs::queuepolicy": "PolicyDocument",
    "sqs::queueinlinepolicy": "PolicyDocument",
    "sns::topicpolicy": "PolicyDocument",
    "sns::topicinlinepolicy": "PolicyDocument",
    "s3::bucketpolicy": "PolicyDocument",
    "s3::accesspoint": "Policy?",
    "s3::multiregionaccesspointpolicy": "Policy",
    "s3objectlambda::accesspointpolicy": "PolicyDocument",
    "s3express::bucketpolicy": "PolicyDocument",
    "kms::key": "KeyPolicy?",
    "kms::replicakey": "KeyPolicy?",
    "ecr::repository": "RepositoryPolicyText?",
    "ecr::registrypolicy": "PolicyText",
    "ecr::publicrepository": "RepositoryPolicyText?",
    "secretsmanager::resourcepolicy": "ResourcePolicy",
    "efs::filesystem": "FileSystemPolicy?",
    "backup::backupvault": "AccessPolicy?",
    "logs::resourcepolicy": "PolicyDocument",
    "events::eventbus": "Policy?",
    "opensearchservice::domain": "AccessPolicies?",
    "elasticsearch::domain": "AccessPolicies?",
    "msk::clusterpolicy": "Policy",
    "dynamodb::table": "ResourcePolicy.PolicyDocument?",
    "kinesis::resourcepolicy": "ResourcePolicy",
    "logs::destination": "DestinationPolicy?",
    "ecr::repositorycreationtemplate": "RepositoryPolicy?",
    "codeartifact::domain": "PermissionsPolicyDocument?",
    "codeartifact::repository": "PermissionsPolicyDocument?",
    "cloudtrail::resourcepolicy": "ResourcePolicy",
    "s3outposts::bucketpolicy": "PolicyDocument",
    "apigateway::restapi": "Policy?",
    "vpclattice::authpolicy": "Policy",
    "vpclattice::resourcepolicy": "Policy",
};

/** Identity policies written out on the resource: a single document, or a list of named ones. */
const IDENTITY_POLICY: Paths = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": "inlinePolicy",
};
const CFN_IDENTITY_POLICY: Paths = {
    "iam::policy": "PolicyDocument",
    "iam::managedpolicy": "PolicyDocument",
    "iam::rolepolicy": "PolicyDocument",
    "iam::userpolicy": "PolicyDocument",
    "iam::grouppolicy": "PolicyDocument",
    "sso::permissionset": "InlinePolicy?",
};
const CFN_POLICY_LISTS = ["iam::role", "iam::user", "iam::group"];

/** Managed policies attached by ARN: one (`policyArn`, required) or several. */
const MANAGED_POLICY: Paths = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns?",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns?",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "policyArns?",
    "aws:iam/role:Role": "managedPolicyArns?",
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": "managedPolicyArn",
};
const CFN_MANAGED_POLICY: Paths = {
    "iam::role": "ManagedPolicyArns?",
    "iam::user": "ManagedPolicyArns?",
    "iam::group": "ManagedPolicyArns?",
    "sso::permissionset": "ManagedPolicies?",
};

/** A resource as CloudFormation describes it (Cloud Control or AWS Native), or undefined. */
export interface CfnView {
    kind: string;
    props: Props;
    prefix: string;
}

export function cloudFormation(type: string, props: Props): CfnView | undefined {
    if (type === "aws:cloudcontrol/resource:Resource") {
        const kind = String(props.typeName ?? "").toLowerCase().replace(/^aws::/, "");
        const state = documentOf(props.desiredState);
        return state && typeof state === "object" ? { kind, props: state as Props, prefix: "desiredState." } : undefined;
    }
    if (type.startsWith("aws-native:")) {
        const [, service, resource] = type.split(":");
        return { kind: `${service}::${resource}`.toLowerCase(), props, prefix: "" };
    }
    return undefined;
}

/** A property by name, case-insensitively (CloudFormation is PascalCase, AWS Native camelCase). */
export function get(props: Props, name: string): { key: string; value: unknown } | undefined {
    if (!props || typeof props !== "object") return undefined;
    const key = Object.keys(props).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined || props[key] === undefined || props[key] === null ? undefined : { key, value: props[key] };
}

/** A property by dotted path, with where it was found; `required` says whether the resource must have it. */
function at(props: Props, spec: string, prefix = ""): { where: string; value: unknown; required: boolean } {
    const required = !spec.endsWith("?");
    const names = spec.replace(/\?$/, "").split(".");
    let value: unknown = props;
    const keys: string[] = [];
    for (const name of names) {
        const found = get(value as Props, name);
        keys.push(found?.key ?? name);
        value = found?.value;
        if (value === undefined) break;
    }
    return { where: `${prefix}${keys.join(".")}`, value, required };
}

/** The document at `spec`: present, or missing where the resource requires it; a left-out optional one is no holder. */
function one(props: Props, spec: string | undefined, prefix = ""): Held[] {
    if (!spec) return [];
    const { where, value, required } = at(props, spec, prefix);
    // An optional document left out, or left empty, grants nothing.
    if (!required && (value === undefined || value === "")) return [];
    return [{ where, doc: value }];
}

/** Why an OpenSearch domain's "*" principal is not the internet: the domain has only a VPC endpoint. */
export function domainPrivacy(type: string, props: Props, cfn: CfnView | undefined): string | undefined {
    const vpc = cfn ? get(cfn.props, "VPCOptions")?.value : type === "aws:opensearch/domain:Domain" || type === "aws:elasticsearch/domain:Domain" ? props.vpcOptions : undefined;
    const subnets = vpc && typeof vpc === "object" ? list(get(vpc as Props, "subnetIds")?.value as unknown[]) : [];
    return subnets.length > 0 ? "the domain has only a VPC endpoint" : undefined;
}

/**
 * An EventBridge bus policy in CloudFormation: one `Statement` object, or the legacy `Principal`,
 * `Action` and `Condition` ({ Type, Key, Value }) fields, read as the statement they make.
 */
function eventBusPolicy(cfn: CfnView): Held[] {
    const statement = get(cfn.props, "Statement");
    if (statement) return [{ where: `${cfn.prefix}${statement.key}`, doc: { Statement: statement.value } }];
    const principal = get(cfn.props, "Principal");
    const condition = get(cfn.props, "Condition")?.value as Props | undefined;
    const type = condition && get(condition, "Type")?.value;
    const key = condition && get(condition, "Key")?.value;
    const narrowing = typeof type === "string" && typeof key === "string" ? { [type]: { [key]: get(condition!, "Value")?.value } } : undefined;
    const doc = principal && { Statement: { Effect: "Allow", Principal: principal.value === "*" ? "*" : { AWS: principal.value }, Action: get(cfn.props, "Action")?.value, ...(narrowing ? { Condition: narrowing } : {}) } };
    return [{ where: `${cfn.prefix}${principal?.key ?? "Statement"}`, doc }];
}

/** Separate access policies of OpenSearch (and Elasticsearch) domains. */
export const DOMAIN_POLICIES = ["aws:opensearch/domainPolicy:DomainPolicy", "aws:elasticsearch/domainPolicy:DomainPolicy"];
/** The domain types a domain policy's domainName names. */
export const DOMAINS = ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"];

/** The resource-based policies a resource holds. */
export function resourcePolicies(type: string, props: Props): Held[] {
    const cfn = RESOURCE_POLICY[type] ? undefined : cloudFormation(type, props);
    if (cfn?.kind === "events::eventbuspolicy") return eventBusPolicy(cfn);
    const held = RESOURCE_POLICY[type] ? one(props, RESOURCE_POLICY[type]) : cfn ? one(cfn.props, CFN_RESOURCE_POLICY[cfn.kind], cfn.prefix) : [];
    if (DOMAIN_POLICIES.includes(type)) return held.map((h) => ({ ...h, domainPolicy: true }));
    const privacy = held.length > 0 ? domainPrivacy(type, props, cfn?.kind.endsWith("::domain") ? cfn : undefined) : undefined;
    return privacy ? held.map((h) => ({ ...h, private: privacy })) : held;
}

/** The identity policies a resource holds: standalone and inline ones. */
export function identityPolicies(type: string, props: Props): Held[] {
    if (IDENTITY_POLICY[type]) return one(props, IDENTITY_POLICY[type]);
    if (type === "aws:iam/role:Role") {
        // `inlinePolicies: [{}]` is the provider's way to remove every inline policy; a named entry must carry one.
        return list<Props>(props.inlinePolicies).flatMap((p, i) =>
            p?.policy || p?.name ? [{ where: `inlinePolicies[${i}]${p.name ? ` (${p.name})` : ""}`, doc: p.policy ?? undefined }] : [],
        );
    }
    const cfn = cloudFormation(type, props);
    if (!cfn) return [];
    if (CFN_POLICY_LISTS.includes(cfn.kind)) {
        const policies = get(cfn.props, "Policies");
        return list<Props>(policies?.value as Props[]).map((p, i) => ({ where: `${cfn.prefix}${policies!.key}[${i}]`, doc: get(p, "PolicyDocument")?.value }));
    }
    return one(cfn.props, CFN_IDENTITY_POLICY[cfn.kind], cfn.prefix);
}

/** A role's trust policy. */
export function trustPolicies(type: string, props: Props): Held[] {
    if (type === "aws:iam/role:Role") return one(props, "assumeRolePolicy");
    const cfn = cloudFormation(type, props);
    return cfn?.kind === "iam::role" ? one(cfn.props, "AssumeRolePolicyDocument", cfn.prefix) : [];
}

/** The managed policy ARNs a resource attaches, each with where it was found; `arn` undefined where a required one is missing. */
export function managedPolicyArns(type: string, props: Props): { where: string; arn?: string }[] {
    const native = MANAGED_POLICY[type];
    const cfn = native ? undefined : cloudFormation(type, props);
    const spec = native ?? (cfn ? CFN_MANAGED_POLICY[cfn.kind] : undefined);
    if (!spec) return [];
    const { where, value, required } = at(cfn?.props ?? props, spec, cfn?.prefix ?? "");
    if (value === undefined || value === "") return required ? [{ where }] : [];
    const arns = list(value as unknown[]).filter((a): a is string => typeof a === "string");
    return Array.isArray(value) ? arns.map((arn, i) => ({ where: `${where}[${i}]`, arn })) : arns.map((arn) => ({ where, arn }));
}

type Read = { statements: readonly Statement[]; problem?: undefined } | { problem: string };

/** Documents already read: several guardrails read each one, and a program repeats the same few. */
const readText = new Map<string, Read>();
const readObject = new WeakMap<object, Read>();

/** A held document's statements, or why it cannot be read: missing, empty, not JSON, no Statement. */
export function readHeld(held: Held): Read {
    const doc = held.doc;
    if (typeof doc === "string") {
        let read = readText.get(doc);
        if (!read) readText.set(doc, (read = readDocument(doc)));
        return read;
    }
    if (typeof doc !== "object" || doc === null) return readDocument(doc);
    let read = readObject.get(doc);
    if (!read) readObject.set(doc, (read = readDocument(doc)));
    return read;
}

function readDocument(document: unknown): Read {
    let doc = document;
    if (doc === undefined || doc === null) return { problem: "is missing (the plan does not know it)" };
    if (typeof doc === "string") {
        if (doc.trim() === "") return { problem: "is empty" };
        try {
            doc = JSON.parse(doc);
        } catch {
            return { problem: "is not JSON" };
        }
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { problem: "is not a policy document" };
    const raw = (doc as Props).Statement;
    if (raw === undefined || raw === null) return { problem: "has no Statement" };
    if (list(raw).some((s) => typeof s !== "object" || s === null || Array.isArray(s))) return { problem: "has a Statement that is not an object" };
    return { statements: Object.freeze(statements(doc)) };
}

/** A statement with where it was found, for messages. */
export type Labelled = { label: string; s: Statement };

/** Every readable document's statements, labelled; an unreadable document goes to `report`, when given. */
export function labelledStatements(held: Held[], report?: (message: string) => void): Labelled[] {
    return held.flatMap((h) => {
        const read = readHeld(h);
        if (read.problem !== undefined) {
            report?.(unreadable(h.where, read.problem));
            return [];
        }
        return read.statements.map((s, i) => ({ label: `${h.where}: ${statementLabel(s, i)}`, s }));
    });
}

/** The message for a document the guardrails cannot read. */
export const unreadable = (where: string, problem: string) => `${where} ${problem}: the guardrails cannot tell what it allows; give a JSON policy document with a Statement`;

/** The IAM groups a resource adds users to, each with where it was named. */
export function groupMemberships(type: string, props: Props): { where: string; group: string }[] {
    const names = (where: string, value: unknown) =>
        (Array.isArray(value) ? value.map((g, i) => ({ where: `${where}[${i}]`, group: g })) : [{ where, group: value }]).filter((m): m is { where: string; group: string } => typeof m.group === "string");
    if (type === "aws:iam/userGroupMembership:UserGroupMembership") return names("groups", props.groups);
    if (type === "aws:iam/groupMembership:GroupMembership") return names("group", props.group);
    const cfn = cloudFormation(type, props);
    const field = cfn?.kind === "iam::usertogroupaddition" ? "GroupName" : cfn?.kind === "iam::user" ? "Groups" : undefined;
    const found = cfn && field ? get(cfn.props, field) : undefined;
    return found ? names(`${cfn!.prefix}${found.key}`, found.value) : [];
}
