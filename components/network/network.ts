import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { checkNetworkArguments } from "./args";
import type { ExistingVpcConfig, NetworkConfig } from "../config/types";
import { partitionOf } from "../shared/aws";
import { policyDocument, serviceTrust } from "../shared/iam";
import { logGroupName } from "../shared/naming";
import type { Tags } from "../shared/tags";

export interface NetworkArgs extends NetworkConfig {
    /** The EKS cluster that will use this network: names the discovery tag and the flow-log group. */
    clusterName: string;
    /** AWS region; AZs must belong to it. */
    region: string;
    /** Account id, for the flow-log role's confused-deputy conditions. */
    accountId: string;
    /** ARN of the environment key that encrypts the flow-log group. */
    kmsKeyArn: pulumi.Input<string>;
    /** Tags on every taggable resource. */
    tags: Tags;
    /** Keep the flow-log group when the network is destroyed: it is audit evidence (prod). */
    retainLogsOnDelete?: boolean;
}

/** Tags that tell load balancers and Karpenter which subnets to use. */
export interface SubnetRoleTags {
    /** On public subnets: internet-facing load balancers. */
    public: Tags;
    /** On private subnets: internal load balancers, and Karpenter's subnet discovery. */
    private: Tags;
}

/** Tags that tell the AWS Load Balancer Controller and Karpenter which subnets to use. */
export function subnetRoleTags(clusterName: string): SubnetRoleTags {
    return {
        public: { "kubernetes.io/role/elb": "1" },
        private: { "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": clusterName },
    };
}

/**
 * The environment's VPC (awsx.ec2.Vpc with explicit AZs, no lookups) or an adopted one, with
 * role tags on the subnets, encrypted flow logs, and a free S3 gateway endpoint that keeps
 * image-layer traffic off the NAT gateways.
 */
export class Network extends pulumi.ComponentResource {
    /** The VPC id. */
    readonly vpcId: pulumi.Output<string>;
    /** Public subnet ids, one per AZ. */
    readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Private subnet ids, one per AZ: nodes and pods run here. */
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Isolated subnet ids (no internet route); empty unless enabled. */
    readonly isolatedSubnetIds: pulumi.Output<string[]>;
    /** The created VPC; undefined when an existing VPC was adopted. */
    readonly vpc?: awsx.ec2.Vpc;
    /** The flow-log group, when flow logs are on. */
    readonly flowLogGroup?: aws.cloudwatch.LogGroup;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        checkNetworkArguments(args);
        super("envstack:index:Network", name, {}, opts);

        let routeTableIds: pulumi.Input<string[]>;
        if (args.existingVpc) {
            this.adoptSubnets(name, args.existingVpc, args.clusterName);
            this.vpcId = pulumi.output(args.existingVpc.vpcId);
            this.publicSubnetIds = pulumi.output(args.existingVpc.publicSubnetIds);
            this.privateSubnetIds = pulumi.output(args.existingVpc.privateSubnetIds);
            this.isolatedSubnetIds = pulumi.output(args.existingVpc.isolatedSubnetIds);
            routeTableIds = args.existingVpc.routeTableIds;
        } else {
            this.vpc = this.createVpc(name, args);
            this.vpcId = this.vpc.vpcId;
            this.publicSubnetIds = this.vpc.publicSubnetIds;
            this.privateSubnetIds = this.vpc.privateSubnetIds;
            this.isolatedSubnetIds = this.vpc.isolatedSubnetIds;
            routeTableIds = this.vpc.routeTables.apply((tables) => pulumi.all(tables.map((t) => t.id)));
        }

        if (!args.existingVpc || args.existingVpc.routeTableIds.length > 0) {
            const prefix = partitionOf(args.region) === "aws-cn" ? "cn.com.amazonaws" : "com.amazonaws";
            new aws.ec2.VpcEndpoint(
                `${name}-s3`,
                {
                    vpcId: this.vpcId,
                    serviceName: `${prefix}.${args.region}.s3`,
                    vpcEndpointType: "Gateway",
                    routeTableIds,
                    tags: { ...args.tags, Name: `${args.clusterName}-s3` },
                },
                { parent: this },
            );
        }
        if (args.flowLogs.enabled) this.flowLogGroup = this.createFlowLogs(name, args);

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
        });
    }

    private createVpc(name: string, args: NetworkArgs): awsx.ec2.Vpc {
        const roleTags = subnetRoleTags(args.clusterName);
        // Private first: the largest block is laid out first, which the config check assumes.
        const subnetSpecs: awsx.types.input.ec2.SubnetSpecArgs[] = [
            { type: "Private", cidrMask: args.subnetMasks.private, tags: { ...args.tags, ...roleTags.private } },
            { type: "Public", cidrMask: args.subnetMasks.public, tags: { ...args.tags, ...roleTags.public } },
        ];
        if (args.isolatedSubnets) subnetSpecs.push({ type: "Isolated", cidrMask: args.subnetMasks.isolated, tags: args.tags });
        return new awsx.ec2.Vpc(
            name,
            {
                cidrBlock: args.cidr,
                availabilityZoneNames: args.availabilityZones,
                subnetStrategy: "Auto",
                subnetSpecs,
                natGateways: { strategy: args.natGateways },
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: args.tags,
            },
            { parent: this },
        );
    }

    /** An adopted VPC's subnets still need the role and discovery tags. */
    private adoptSubnets(name: string, vpc: ExistingVpcConfig, clusterName: string): void {
        const roleTags = subnetRoleTags(clusterName);
        const tag = (kind: "public" | "private", ids: string[]) =>
            ids.forEach((id, i) =>
                Object.entries(roleTags[kind]).forEach(([key, value]) => {
                    const suffix = key.split("/").pop();
                    new aws.ec2.Tag(`${name}-${kind}-${i + 1}-${suffix}`, { resourceId: id, key, value }, { parent: this });
                }),
            );
        tag("public", vpc.publicSubnetIds);
        tag("private", vpc.privateSubnetIds);
    }

    private createFlowLogs(name: string, args: NetworkArgs): aws.cloudwatch.LogGroup {
        const group = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: logGroupName.flowLogs(args.clusterName),
                retentionInDays: args.flowLogs.retentionInDays,
                kmsKeyId: args.kmsKeyArn,
                tags: args.tags,
            },
            { parent: this, retainOnDelete: args.retainLogsOnDelete ?? false },
        );
        const partition = partitionOf(args.region);
        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                description: `VPC flow logs delivery for ${args.clusterName}`,
                assumeRolePolicy: JSON.stringify(
                    serviceTrust("vpc-flow-logs.amazonaws.com", ["sts:AssumeRole"], {
                        StringEquals: { "aws:SourceAccount": args.accountId },
                        ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${args.region}:${args.accountId}:vpc-flow-log/*` },
                    }),
                ),
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: role.name,
                policy: group.arn.apply((arn) =>
                    JSON.stringify(
                        policyDocument({
                            Sid: "DeliverToThisGroupOnly",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: [arn, `${arn}:*`],
                        }),
                    ),
                ),
            },
            { parent: this },
        );
        new aws.ec2.FlowLog(
            name,
            {
                vpcId: this.vpcId,
                trafficType: args.flowLogs.trafficType,
                logDestinationType: "cloud-watch-logs",
                logDestination: group.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: args.tags,
            },
            { parent: this },
        );
        return group;
    }
}
