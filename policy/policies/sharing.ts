import { cloudFormation, get } from "./policyHolders";
import { list, Props } from "./support";
import { documentOf } from "./flags";

/**
 * Grants that are not policy documents: Lambda permissions, S3 ACLs, function URLs, AMI and
 * snapshot sharing, event bus permissions and KMS grants, read the same whatever declared them.
 */

/** A Lambda permission as the guardrails read it, whatever declared it. */
export interface LambdaGrant {
    principal?: string;
    /** Properties that narrow who, by name, with their values. */
    narrowing: Record<string, string | undefined>;
    what: string;
}

/** Lambda function and layer permissions, and the same kind of grant on private CAs. */
export function lambdaGrants(type: string, props: Props): LambdaGrant[] {
    const cfn = cloudFormation(type, props);
    const p = cfn?.props ?? props;
    const value = (name: string) => {
        const v = get(p, name)?.value;
        return typeof v === "string" ? v : undefined;
    };
    const kind = cfn?.kind ?? type;
    if (kind === "aws:lambda/permission:Permission" || kind === "lambda::permission") {
        return [
            {
                principal: value("principal"),
                narrowing: { sourceArn: value("sourceArn"), sourceAccount: value("sourceAccount"), principalOrgId: value("principalOrgId"), eventSourceToken: value("eventSourceToken") },
                what: `${value("action") ?? "lambda:InvokeFunction"}`,
            },
        ];
    }
    if (kind === "aws:acmpca/permission:Permission" || kind === "acmpca::permission") {
        // The service issues and renews for the account named: without sourceAccount, for any account's certificates.
        return [{ principal: value("principal"), narrowing: { sourceArn: undefined, sourceAccount: value("sourceAccount") }, what: "issue and renew certificates from the private CA" }];
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
const S3_ACL_TYPES = [
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketAcl:BucketAcl",
    "aws:s3/bucketAclV2:BucketAclV2",
    "aws:s3/bucketObject:BucketObject",
    "aws:s3/bucketObjectv2:BucketObjectv2",
    "aws:s3/objectCopy:ObjectCopy",
];
const CFN_ACL_KINDS = ["s3::bucket"];

/** S3 ACLs that open a bucket or object to everyone: a canned ACL or a grant to a global group. */
export function publicS3Acls(type: string, props: Props): { where: string; who: string; what: string }[] {
    const cfn = cloudFormation(type, props);
    if (cfn && CFN_ACL_KINDS.includes(cfn.kind)) {
        const acl = get(cfn.props, "AccessControl");
        const who = PUBLIC_ACLS[String(acl?.value).toLowerCase()];
        return who ? [{ where: `${cfn.prefix}${acl!.key}`, who, what: String(acl!.value) }] : [];
    }
    if (!S3_ACL_TYPES.includes(type)) return [];
    const found: { where: string; who: string; what: string }[] = [];
    const canned = typeof props.acl === "string" ? PUBLIC_ACLS[props.acl.toLowerCase()] : undefined;
    if (canned) found.push({ where: "acl", who: canned, what: props.acl });
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

/** Who a share reaches: everyone, or a principal (an account id or an ARN). */
export const EVERYONE = Symbol("everyone");

/** One sharing of a resource: where it is declared, with whom, and what the grantee gets. */
export interface Share {
    where: string;
    to: typeof EVERYONE | string;
    what: string;
}

const AMI = "launch the AMI and copy the snapshots behind it";
const DB_SNAPSHOT = "restore the snapshot, and read every row in it";
const RDS_SNAPSHOTS = ["aws:rds/snapshot:Snapshot", "aws:rds/clusterSnapshot:ClusterSnapshot", "aws:rds/snapshotCopy:SnapshotCopy", "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy"];

const REPLICATED = "own a copy of every image pushed to the replicated repositories, and whatever their layers hold";

/** The principals of an OpenSearch Serverless data access policy (a JSON list of rules, each with a Principal list). */
function serverlessPrincipals(policy: unknown): { where: string; principal: unknown }[] {
    return list<Props>(documentOf(policy) as Props[]).flatMap((rule, i) => list<unknown>(rule?.Principal).map((principal, j) => ({ where: `[${i}].Principal[${j}]`, principal })));
}

/** An EventBridge permission's condition narrows to an organization (its only documented key). */
const eventPermissionOrg = (condition: Props | undefined) =>
    String(condition?.key ?? "").toLowerCase() === "aws:principalorgid" && String(condition?.type ?? "").toLowerCase() === "stringequals" ? String(condition?.value ?? "") : undefined;

/**
 * Resources shared beyond the account by a field rather than a policy: AMI launch permissions
 * and Image Builder distributions (group "all" is public), RDS snapshots (sharedAccounts "all"),
 * EBS create-volume permissions, SSM document permissions, RAM associations with accounts,
 * EventBridge permissions (principal "*"), KMS grants, signing profile permissions, public CodeBuild projects, ECR replication
 * to other registries and OpenSearch Serverless data access policies.
 * `org` is set when a "*" share is narrowed to an organization.
 */
export function sharing(type: string, props: Props): (Share & { org?: string })[] {
    const cfn = cloudFormation(type, props);
    if (cfn) return cfnSharing(cfn.kind, cfn.props, cfn.prefix);
    const shares: (Share & { org?: string })[] = [];
    const add = (where: string, to: unknown, what: string, org?: string) => {
        if (typeof to === "string") shares.push({ where, to: to.toLowerCase() === "all" || to === "*" ? EVERYONE : to, what, ...(org !== undefined ? { org } : {}) });
    };
    if (type === "aws:ec2/amiLaunchPermission:AmiLaunchPermission") {
        add("group", props.group, AMI);
        add("accountId", props.accountId, AMI);
    } else if (RDS_SNAPSHOTS.includes(type)) {
        list<unknown>(props.sharedAccounts).forEach((account, i) => add(`sharedAccounts[${i}]`, account, DB_SNAPSHOT));
    } else if (type === "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission") {
        add("accountId", props.accountId, "create volumes from the snapshot, and read its data");
    } else if (type === "aws:imagebuilder/distributionConfiguration:DistributionConfiguration") {
        list<Props>(props.distributions).forEach((d, i) => {
            const launch = d?.amiDistributionConfiguration?.launchPermission;
            const where = `distributions[${i}].amiDistributionConfiguration.launchPermission`;
            list<unknown>(launch?.userGroups).forEach((g, j) => add(`${where}.userGroups[${j}]`, g, AMI));
            list<unknown>(launch?.userIds).forEach((a, j) => add(`${where}.userIds[${j}]`, a, AMI));
        });
    } else if (type === "aws:cloudwatch/eventPermission:EventPermission") {
        add("principal", props.principal, `${props.action ?? "events:PutEvents"} on the event bus, triggering whatever its rules invoke`, eventPermissionOrg(props.condition));
    } else if (type === "aws:ssm/document:Document") {
        // permissions.accountIds: "all" or account ids, comma-separated or a list.
        const ids = props.permissions?.accountIds;
        (Array.isArray(ids) ? ids : typeof ids === "string" ? ids.split(",") : []).forEach((a: unknown, i: number) =>
            add(`permissions.accountIds[${i}]`, typeof a === "string" ? a.trim() : a, "run the document and read what it holds"),
        );
    } else if (type === "aws:ram/principalAssociation:PrincipalAssociation" && !String(props.principal ?? "").includes(":organizations:")) {
        add("principal", props.principal, "use every resource in the share");
    } else if (type === "aws:signer/signingProfilePermission:SigningProfilePermission") {
        add("principal", props.principal, `${props.action ?? "signer:StartSigningJob"} with the signing profile: code signed as yours`);
    } else if (type === "aws:codebuild/project:Project" && String(props.projectVisibility ?? "").toUpperCase() === "PUBLIC_READ") {
        add("projectVisibility", "all", "read the project's builds, logs and artifacts, from the internet");
    } else if (type === "aws:ecr/replicationConfiguration:ReplicationConfiguration") {
        list<Props>(props.replicationConfiguration?.rules).forEach((rule, i) =>
            list<Props>(rule?.destinations).forEach((d, j) => add(`replicationConfiguration.rules[${i}].destinations[${j}].registryId`, d?.registryId, REPLICATED)),
        );
    } else if (type === "aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy" && String(props.type ?? "").toLowerCase() === "data") {
        serverlessPrincipals(props.policy).forEach(({ where, principal }) => add(`policy${where}`, principal, "read and write the collections and indexes its rules name"));
    } else if (type === "aws:kms/grant:Grant") {
        const what = `use the key for ${list<string>(props.operations).join(", ") || "its operations"}`;
        add("granteePrincipal", props.granteePrincipal, what);
        add("retiringPrincipal", props.retiringPrincipal, "retire the grant");
    }
    return shares;
}

/** The same shares declared through Cloud Control or AWS Native, by their CloudFormation properties. */
function cfnSharing(kind: string, props: Props, prefix: string): Share[] {
    const shares: Share[] = [];
    if (kind === "codebuild::project" && String(get(props, "Visibility")?.value ?? "").toUpperCase() === "PUBLIC_READ") {
        shares.push({ where: `${prefix}Visibility`, to: EVERYONE, what: "read the project's builds, logs and artifacts, from the internet" });
    }
    if (kind === "ecr::replicationconfiguration") {
        const rules = get((get(props, "ReplicationConfiguration")?.value ?? {}) as Props, "Rules")?.value;
        list<Props>(rules as Props[]).forEach((rule, i) =>
            list<Props>(get(rule, "Destinations")?.value as Props[]).forEach((d, j) => {
                const registry = get(d, "RegistryId")?.value;
                if (typeof registry === "string") shares.push({ where: `${prefix}ReplicationConfiguration.Rules[${i}].Destinations[${j}].RegistryId`, to: registry, what: REPLICATED });
            }),
        );
    }
    if (kind === "opensearchserverless::accesspolicy" && String(get(props, "Type")?.value ?? "").toLowerCase() === "data") {
        serverlessPrincipals(get(props, "Policy")?.value).forEach(({ where, principal }) => {
            if (typeof principal === "string") shares.push({ where: `${prefix}Policy${where}`, to: principal === "*" ? EVERYONE : principal, what: "read and write the collections and indexes its rules name" });
        });
    }
    return shares;
}
