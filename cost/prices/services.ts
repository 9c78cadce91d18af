import { SPOT_ASSUMPTION } from "./spot";

/** Every service price id. */
export const SERVICE_PRICE_IDS = [
    "eks.cluster.standardHour",
    "eks.cluster.extendedHour",
    "nat.hour",
    "nat.gb",
    "vpc.publicIpv4.hour",
    "vpc.interfaceEndpoint.azHour",
    "vpc.interfaceEndpoint.gb",
    "ebs.gp3.gbMonth",
    "ebs.gp3.iopsMonth",
    "ebs.gp3.throughputMibpsMonth",
    "ebs.gp2.gbMonth",
    "ebs.io1.gbMonth",
    "ebs.io1.iopsMonth",
    "ebs.io2.gbMonth",
    "ebs.io2.iopsMonth",
    "ebs.st1.gbMonth",
    "ebs.sc1.gbMonth",
    "efs.standard.gbMonth",
    "efs.ia.gbMonth",
    "efs.archive.gbMonth",
    "logs.ingest.gb",
    "logs.vended.gb",
    "logs.storage.gbMonth",
    "containerInsights.observation.million",
    "kms.key.month",
    "kms.requests.tenThousand",
    "sqs.requests.million",
    "sns.publishes.million",
    "amp.ingest.first2B.tenMillion",
    "amp.ingest.next250B.tenMillion",
    "amp.ingest.over252B.tenMillion",
    "amp.storage.gbMonth",
    "amp.query.billion",
    "s3.standard.gbMonth",
    "s3.put.thousand",
    "s3.get.thousand",
    "secretsManager.secret.month",
    "ec2.spot.fraction",
] as const;
/** The id of a price other than an EC2 instance's. */
export type ServicePriceId = (typeof SERVICE_PRICE_IDS)[number];

/** What a service price is stated in, and where. */
export interface ServicePrice {
    /** What one unit is: "cluster-hour", "GB-month". */
    unit: string;
    /** The pricing page, or the assumption, it comes from. */
    source: string;
}

/**
 * The prices other than EC2 instances: each id names the service, the item and the unit
 * (`nat.hour`, `ebs.gp3.gbMonth`), with the unit and the page AWS states it on. A region gives the
 * figures (every id, or it does not compile); a stack overrides one by id.
 */
export const SERVICE_PRICES: Readonly<Record<ServicePriceId, ServicePrice>> = {
    "eks.cluster.standardHour": { unit: "cluster-hour", source: "https://aws.amazon.com/eks/pricing/" },
    "eks.cluster.extendedHour": { unit: "cluster-hour", source: "https://aws.amazon.com/eks/pricing/" },
    "nat.hour": { unit: "NAT gateway-hour", source: "https://aws.amazon.com/vpc/pricing/" },
    "nat.gb": { unit: "GB processed", source: "https://aws.amazon.com/vpc/pricing/" },
    "vpc.publicIpv4.hour": { unit: "address-hour", source: "https://aws.amazon.com/vpc/pricing/" },
    "vpc.interfaceEndpoint.azHour": { unit: "endpoint AZ-hour", source: "https://aws.amazon.com/privatelink/pricing/" },
    "vpc.interfaceEndpoint.gb": { unit: "GB processed", source: "https://aws.amazon.com/privatelink/pricing/" },
    "ebs.gp3.gbMonth": { unit: "GB-month", source: "https://aws.amazon.com/ebs/pricing/" },
    "ebs.gp3.iopsMonth": { unit: "IOPS-month over 3,000", source: "https://aws.amazon.com/ebs/pricing/" },
    "ebs.gp3.throughputMibpsMonth": { unit: "MiB/s-month over 125", source: "https://aws.amazon.com/ebs/pricing/" },
    "ebs.gp2.gbMonth": { unit: "GB-month", source: "https://aws.amazon.com/ebs/pricing/" },
    "ebs.io1.gbMonth": { unit: "GB-month", source: "https://aws.amazon.com/ebs/pricing/" },
    "ebs.io1.iopsMonth": { unit: "IOPS-month", source: "https://aws.amazon.com/ebs/pricing/" },
    "ebs.io2.gbMonth": { unit: "GB-month", source: "https://aws.amazon.com/ebs/pricing/" },
    "ebs.io2.iopsMonth": { unit: "IOPS-month, first 32,000", source: "https://aws.amazon.com/ebs/pricing/" },
    "ebs.st1.gbMonth": { unit: "GB-month", source: "https://aws.amazon.com/ebs/pricing/" },
    "ebs.sc1.gbMonth": { unit: "GB-month", source: "https://aws.amazon.com/ebs/pricing/" },
    "efs.standard.gbMonth": { unit: "GB-month", source: "https://aws.amazon.com/efs/pricing/" },
    "efs.ia.gbMonth": { unit: "GB-month", source: "https://aws.amazon.com/efs/pricing/" },
    "efs.archive.gbMonth": { unit: "GB-month", source: "https://aws.amazon.com/efs/pricing/" },
    "logs.ingest.gb": { unit: "GB ingested", source: "https://aws.amazon.com/cloudwatch/pricing/" },
    "logs.vended.gb": { unit: "GB delivered, first 10 TB", source: "https://aws.amazon.com/cloudwatch/pricing/" },
    "logs.storage.gbMonth": { unit: "GB-month", source: "https://aws.amazon.com/cloudwatch/pricing/" },
    "containerInsights.observation.million": { unit: "million observations", source: "https://aws.amazon.com/cloudwatch/pricing/" },
    "kms.key.month": { unit: "key-month", source: "https://aws.amazon.com/kms/pricing/" },
    "kms.requests.tenThousand": { unit: "10,000 requests", source: "https://aws.amazon.com/kms/pricing/" },
    "sqs.requests.million": { unit: "million requests", source: "https://aws.amazon.com/sqs/pricing/" },
    "sns.publishes.million": { unit: "million publishes", source: "https://aws.amazon.com/sns/pricing/" },
    "amp.ingest.first2B.tenMillion": { unit: "10 million samples, first 2 billion", source: "https://aws.amazon.com/prometheus/pricing/" },
    "amp.ingest.next250B.tenMillion": { unit: "10 million samples, next 250 billion", source: "https://aws.amazon.com/prometheus/pricing/" },
    "amp.ingest.over252B.tenMillion": { unit: "10 million samples, over 252 billion", source: "https://aws.amazon.com/prometheus/pricing/" },
    "amp.storage.gbMonth": { unit: "GB-month", source: "https://aws.amazon.com/prometheus/pricing/" },
    "amp.query.billion": { unit: "billion samples processed", source: "https://aws.amazon.com/prometheus/pricing/" },
    "s3.standard.gbMonth": { unit: "GB-month, first 50 TB", source: "https://aws.amazon.com/s3/pricing/" },
    "s3.put.thousand": { unit: "1,000 PUT, COPY, POST or LIST requests", source: "https://aws.amazon.com/s3/pricing/" },
    "s3.get.thousand": { unit: "1,000 GET requests", source: "https://aws.amazon.com/s3/pricing/" },
    "secretsManager.secret.month": { unit: "secret-month", source: "https://aws.amazon.com/secrets-manager/pricing/" },
    "ec2.spot.fraction": { unit: "fraction of the On-Demand price", source: SPOT_ASSUMPTION },
};
