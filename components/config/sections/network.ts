/** The network section of a stack's config: the VPC, its subnets, NAT and flow logs. */

/**
 * How private subnets reach the internet: one shared NAT gateway (cheap, one AZ's failure cuts
 * egress) or one per AZ. "None" is not offered: nodes could not pull images or join the cluster.
 */
export const NAT_STRATEGIES = ["Single", "OnePerAz"] as const;
/** One of the NAT gateway strategies. */
export type NatGatewayStrategy = (typeof NAT_STRATEGIES)[number];

/** Which traffic VPC flow logs record. */
export const FLOW_LOG_TRAFFIC = ["ALL", "ACCEPT", "REJECT"] as const;
/** One of the flow log traffic types. */
export type FlowLogTraffic = (typeof FLOW_LOG_TRAFFIC)[number];

/** Subnet prefix lengths, per AZ. */
export interface SubnetMasks {
    /** Public subnets (load balancers, NAT gateways). */
    public: number;
    /** Private subnets (nodes and pods; pods take VPC addresses, so make these large). */
    private: number;
    /** Isolated subnets (no route to the internet), when enabled. */
    isolated: number;
}

/** VPC flow logs to an encrypted CloudWatch log group. */
export interface FlowLogsConfig {
    /** Whether flow logs are created. */
    enabled: boolean;
    /** Days CloudWatch keeps the flow logs; one of the values CloudWatch accepts. */
    retentionInDays: number;
    /** Which traffic is logged. */
    trafficType: FlowLogTraffic;
}

/** An existing VPC to adopt instead of creating one. */
export interface ExistingVpcConfig {
    /** The VPC id, `vpc-...`. */
    vpcId: string;
    /** Public subnet ids, one per AZ. */
    publicSubnetIds: string[];
    /** Private subnet ids, one per AZ; nodes run here. */
    privateSubnetIds: string[];
    /** Isolated subnet ids, if any. */
    isolatedSubnetIds: string[];
    /** Route table ids that the S3 gateway endpoint is added to; none skips the endpoint. */
    routeTableIds: string[];
}

/** The environment's network. */
export interface NetworkConfig {
    /** The VPC's IPv4 CIDR, private address space, /16 to /24. */
    cidr: string;
    /** AZ names in the region, at least 2, e.g. `eu-west-1a`. No lookup: they come from config. */
    availabilityZones: string[];
    /** NAT gateway strategy. */
    natGateways: NatGatewayStrategy;
    /** Subnet sizes per AZ. */
    subnetMasks: SubnetMasks;
    /** Whether isolated subnets are created. */
    isolatedSubnets: boolean;
    /** VPC flow logs. */
    flowLogs: FlowLogsConfig;
    /** Adopt this VPC instead of creating one. */
    existingVpc?: ExistingVpcConfig;
}
