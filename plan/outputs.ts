import { createHash } from "node:crypto";
import { renderPolicyDocument } from "./policyDocument";

/**
 * Realistic, deterministic outputs for resources registered under the mock engine: ids, ARNs
 * and names shaped like the real ones, derived from the type and name so that two runs of the
 * same program give the same plan (and a replacement shows up as a changed value, not noise).
 */

/** The region and account mocked resources live in. */
export interface CloudContext {
    /** Region in ids and ARNs. */
    region: string;
    /** Account in ARNs. */
    accountId: string;
}

export type State = Record<string, unknown>;

/** A stable hex string of `length` characters for a seed. */
export function stableHex(seed: string, length: number): string {
    let out = "";
    for (let i = 0; out.length < length; i++) out += createHash("sha1").update(`${seed}#${i}`).digest("hex");
    return out.slice(0, length);
}

function stableUuid(seed: string): string {
    const h = stableHex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function partition(region: string): string {
    return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** EC2-style ids for the types whose ids have a well-known prefix. */
const EC2_ID_PREFIX: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/instance:Instance": "i",
    "aws:ebs/volume:Volume": "vol",
    "aws:ec2/securityGroupRule:SecurityGroupRule": "sgrule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
    "aws:efs/fileSystem:FileSystem": "fs",
    "aws:efs/mountTarget:MountTarget": "fsmt",
    "aws:efs/accessPoint:AccessPoint": "fsap",
};

/** The physical name a resource gets: its `name` input, else Pulumi-style autonaming. */
function physicalName(name: string, inputs: State): string {
    return typeof inputs.name === "string" ? inputs.name : `${name}-${stableHex(name, 7)}`;
}

/** Outputs for a plain AWS resource, by type. */
function awsOutputs(type: string, name: string, inputs: State, ctx: CloudContext): { id: string; state: State } {
    const p = partition(ctx.region);
    const [, mod] = /^aws:([a-z0-9]+)\//.exec(type) ?? [];
    const resourceName = physicalName(name, inputs);
    const prefix = EC2_ID_PREFIX[type];
    const seed = `${type}::${name}`;
    const id = prefix ? `${prefix}-${stableHex(seed, 17)}` : resourceName;
    const state: State = { arn: `arn:${p}:${mod}:${ctx.region}:${ctx.accountId}:${type.split(":").pop()!.toLowerCase()}/${id}` };
    switch (type) {
        case "aws:kms/key:Key": {
            const keyId = stableUuid(seed);
            return { id: keyId, state: { keyId, arn: `arn:${p}:kms:${ctx.region}:${ctx.accountId}:key/${keyId}` } };
        }
        case "aws:kms/alias:Alias":
            return { id: resourceName, state: { arn: `arn:${p}:kms:${ctx.region}:${ctx.accountId}:${resourceName}`, targetKeyArn: `arn:${p}:kms:${ctx.region}:${ctx.accountId}:key/${inputs.targetKeyId}` } };
        case "aws:iam/role:Role":
            return { id: resourceName, state: { name: resourceName, arn: `arn:${p}:iam::${ctx.accountId}:role/${resourceName}`, uniqueId: `AROA${stableHex(seed, 17).toUpperCase()}` } };
        case "aws:iam/policy:Policy":
            return { id: `arn:${p}:iam::${ctx.accountId}:policy/${resourceName}`, state: { name: resourceName, arn: `arn:${p}:iam::${ctx.accountId}:policy/${resourceName}` } };
        case "aws:iam/rolePolicy:RolePolicy":
        case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
            return { id: `${inputs.role}-${stableHex(seed, 8)}`, state: {} };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { id: resourceName, state: { name: resourceName, arn: `arn:${p}:logs:${ctx.region}:${ctx.accountId}:log-group:${resourceName}` } };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { id, state: { name: resourceName, latestVersion: 1, defaultVersion: 1, arn: `arn:${p}:ec2:${ctx.region}:${ctx.accountId}:launch-template/${id}` } };
        case "aws:sqs/queue:Queue":
            return { id: `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${resourceName}`, state: { name: resourceName, url: `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${resourceName}`, arn: `arn:${p}:sqs:${ctx.region}:${ctx.accountId}:${resourceName}` } };
        case "aws:sns/topic:Topic":
            return { id: `arn:${p}:sns:${ctx.region}:${ctx.accountId}:${resourceName}`, state: { name: resourceName, arn: `arn:${p}:sns:${ctx.region}:${ctx.accountId}:${resourceName}` } };
        case "aws:emr/securityConfiguration:SecurityConfiguration":
            return { id: resourceName, state: { name: resourceName } };
        case "aws:lambda/function:Function":
            return { id: resourceName, state: { name: resourceName, arn: `arn:${p}:lambda:${ctx.region}:${ctx.accountId}:function:${resourceName}` } };
        case "aws:rds/instance:Instance": {
            const identifier = typeof inputs.identifier === "string" ? inputs.identifier : `${name}-${stableHex(seed, 7)}`;
            return { id: identifier, state: { identifier, arn: `arn:${p}:rds:${ctx.region}:${ctx.accountId}:db:${identifier}` } };
        }
        case "aws:cloudwatch/eventRule:EventRule":
            return { id: resourceName, state: { name: resourceName, arn: `arn:${p}:events:${ctx.region}:${ctx.accountId}:rule/${resourceName}` } };
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2": {
            const bucket = typeof inputs.bucket === "string" ? inputs.bucket : `${name}-${stableHex(seed, 7)}`;
            return { id: bucket, state: { bucket, arn: `arn:${p}:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com` } };
        }
        case "aws:eks/cluster:Cluster":
            return { id: resourceName, state: eksClusterState(resourceName, ctx) };
        case "aws:amp/workspace:Workspace": {
            const workspace = `ws-${stableUuid(seed)}`;
            return {
                id: workspace,
                state: { arn: `arn:${p}:aps:${ctx.region}:${ctx.accountId}:workspace/${workspace}`, prometheusEndpoint: `https://aps-workspaces.${ctx.region}.amazonaws.com/workspaces/${workspace}/` },
            };
        }
        case "aws:autoscaling/group:Group":
            // The provider names it after the resource, as schedules refer to it.
            return { id: resourceName, state: { ...state, name: resourceName } };
        case "aws:efs/fileSystem:FileSystem":
            return { id, state: { arn: `arn:${p}:elasticfilesystem:${ctx.region}:${ctx.accountId}:file-system/${id}`, dnsName: `${id}.efs.${ctx.region}.amazonaws.com` } };
        default:
            return { id, state: typeof inputs.name === "string" || mod === "iam" ? { ...state, name: resourceName } : state };
    }
}

function eksClusterState(name: string, ctx: CloudContext): State {
    const host = `${stableHex(name, 32).toUpperCase()}.gr7.${ctx.region}.eks.amazonaws.com`;
    return {
        name,
        endpoint: `https://${host}`,
        arn: `arn:${partition(ctx.region)}:eks:${ctx.region}:${ctx.accountId}:cluster/${name}`,
        certificateAuthority: { data: Buffer.from(`mock-ca-${name}`).toString("base64") },
        vpcConfig: { clusterSecurityGroupId: `sg-${stableHex(`${name}-cluster-sg`, 17)}` },
    };
}

/** A kubeconfig of the shape @pulumi/eks generates (exec auth through `aws eks get-token`). */
function kubeconfigFor(cluster: State, region: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "kubernetes", cluster: { server: cluster.endpoint, "certificate-authority-data": (cluster.certificateAuthority as State).data } }],
        contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
        "current-context": "aws",
        users: [{ name: "aws", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["--region", region, "eks", "get-token", "--cluster-name", cluster.name, "--output", "json"] } } }],
    });
}

/** A reference to a synthetic child resource that a remote component would have created. */
export interface SyntheticRef {
    type: string;
    name: string;
    id: string;
    state: State;
}

/** Outputs of the remote components our programs read, plus the synthetic children they refer to. */
export function remoteComponentOutputs(type: string, name: string, inputs: State, ctx: CloudContext): { state: State; refs: Record<string, SyntheticRef | SyntheticRef[]> } | undefined {
    switch (type) {
        case "eks:index:Cluster": {
            const clusterName = physicalName(name, inputs);
            const cluster = eksClusterState(clusterName, ctx);
            const sg = (cluster.vpcConfig as State).clusterSecurityGroupId as string;
            return {
                state: {
                    kubeconfigJson: kubeconfigFor(cluster, ctx.region),
                    clusterSecurityGroupId: sg,
                    nodeSecurityGroupId: sg,
                    core: { endpoint: cluster.endpoint, vpcId: inputs.vpcId, subnetIds: [] },
                    oidcProviderArn: "",
                    oidcProviderUrl: "",
                    oidcIssuer: "",
                },
                refs: { eksCluster: { type: "aws:eks/cluster:Cluster", name: `${name}-eksCluster`, id: clusterName, state: cluster } },
            };
        }
        case "awsx:ec2:Vpc": {
            const azs = Array.isArray(inputs.availabilityZoneNames) ? (inputs.availabilityZoneNames as string[]) : ["a", "b", "c"];
            const kinds = ((inputs.subnetSpecs as State[] | undefined) ?? [{ type: "Private" }, { type: "Public" }]).map((s) => String(s.type));
            const ids = (kind: string) => (kinds.includes(kind) ? azs.map((_, i) => `subnet-${stableHex(`${name}-${kind}-${i}`, 17)}`) : []);
            const tables = kinds.flatMap((kind) =>
                azs.map((_, i) => {
                    const tableName = `${name}-${kind.toLowerCase()}-${i + 1}`;
                    return { type: "aws:ec2/routeTable:RouteTable", name: tableName, id: `rtb-${stableHex(tableName, 17)}`, state: {} };
                }),
            );
            return {
                state: {
                    vpcId: `vpc-${stableHex(`${name}-vpc`, 17)}`,
                    publicSubnetIds: ids("Public"),
                    privateSubnetIds: ids("Private"),
                    isolatedSubnetIds: ids("Isolated"),
                },
                refs: { routeTables: tables },
            };
        }
        case "eks:index:ManagedNodeGroup":
            return { state: { placementGroupName: "" }, refs: {} };
        // The provider expands these into children the mock engine never registers: their inputs
        // stand in for those children, so stack policies see the objects as under the real engine.
        case "eks:index:NodeGroup":
        case "eks:index:NodeGroupV2":
        case "kubernetes:yaml/v2:ConfigGroup":
        case "kubernetes:yaml/v2:ConfigFile":
            return { state: {}, refs: {} };
        default:
            return undefined;
    }
}

/** Outputs for any custom resource. */
export function customResourceOutputs(type: string, name: string, inputs: State, ctx: CloudContext): { id: string; state: State } {
    if (type.startsWith("pulumi:providers:")) return { id: stableUuid(`${type}::${name}`), state: {} };
    if (type.startsWith("aws:")) return awsOutputs(type, name, inputs, ctx);
    if (type.startsWith("kubernetes:")) {
        const metadata = (inputs.metadata as State | undefined) ?? {};
        const objName = typeof metadata.name === "string" ? metadata.name : `${name}-${stableHex(name, 8)}`;
        const ns = typeof metadata.namespace === "string" ? `${metadata.namespace}/` : "";
        return { id: `${ns}${objName}`, state: { metadata: { ...metadata, name: objName } } };
    }
    return { id: `${name}-${stableHex(`${type}::${name}`, 8)}`, state: {} };
}

/** Answers to the provider functions a program may call. */
export function invokeResult(token: string, inputs: State, ctx: CloudContext): State {
    const p = partition(ctx.region);
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ctx.accountId, arn: `arn:${p}:iam::${ctx.accountId}:role/deployer`, userId: "AROAMOCK", id: ctx.accountId };
        case "aws:index/getRegion:getRegion":
            return { name: ctx.region, region: ctx.region, id: ctx.region, endpoint: `ec2.${ctx.region}.amazonaws.com` };
        case "aws:index/getPartition:getPartition":
            return { partition: p, dnsSuffix: p === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com", id: p };
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const names = ["a", "b", "c"].map((s) => `${ctx.region}${s}`);
            return { names, zoneIds: names.map((_, i) => `${ctx.region.slice(0, 3)}1-az${i + 1}`), id: ctx.region };
        }
        case "aws:iam/getPolicyDocument:getPolicyDocument":
            return { ...inputs, ...renderPolicyDocument(inputs), id: stableHex(JSON.stringify(inputs), 10) };
        case "aws:iam/getPolicy:getPolicy": {
            // By name, the lookup finds AWS-managed policies too; the ARN given wins.
            const name = String(inputs.name ?? "");
            return { ...inputs, arn: inputs.arn ?? `arn:${p}:iam::aws:policy/${inputs.pathPrefix ?? ""}${name}`.replace(/\/\/+/g, "/"), name };
        }
        default:
            return { ...inputs };
    }
}
