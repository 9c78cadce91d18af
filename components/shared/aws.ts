/** Small, pure facts about AWS naming that several components and the config checks share. */

/** An AWS partition. */
export type Partition = "aws" | "aws-cn" | "aws-us-gov";

/** The partition a region belongs to. */
export function partitionOf(region: string): Partition {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

/** The DNS suffix of service endpoints and service principals in a region's partition. */
export function dnsSuffixOf(region: string): string {
    return partitionOf(region) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/** An ARN of an AWS-managed IAM policy in the region's partition. */
export function managedPolicyArn(region: string, name: string): string {
    return `arn:${partitionOf(region)}:iam::aws:policy/${name}`;
}

/** Retention periods CloudWatch Logs accepts (days). Zero, "never expire", is deliberately absent. */
export const CLOUDWATCH_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** `eu-west-1`, `us-gov-west-1`, `ap-southeast-7`, `cn-north-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** An IAM role ARN, in any partition, with an optional path. */
export const ROLE_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** A 12-digit account id. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** A VPC id. */
export const VPC_ID_PATTERN = /^vpc-[0-9a-f]{8,17}$/;
/** A subnet id. */
export const SUBNET_ID_PATTERN = /^subnet-[0-9a-f]{8,17}$/;
/** A route table id. */
export const ROUTE_TABLE_ID_PATTERN = /^rtb-[0-9a-f]{8,17}$/;
