import type { PolicyResource } from "@pulumi/policy";
import { emrScaling, shareOf } from "../../policy/policies/capacityShares";
import { ecsIndex } from "../../policy/policies/ecsCapacity";
import type { Resizing } from "../../policy/policies/groupSizes";
import type { TemplateIndex } from "../../policy/policies/launchTemplates";
import { known } from "../../policy/policies/preview";
import type { PricingContext } from "./types";

/**
 * Resources that bill by the hour, or launch what does, which the price table does not price
 * yet. The estimate names each one as not priced, so a program cannot hide capacity or a data
 * store behind a kind the figures leave out.
 */
export const UNPRICED_KINDS: Readonly<Record<string, string>> = {
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest": "a Spot instance request",
    "aws:ec2/spotFleetRequest:SpotFleetRequest": "a Spot fleet",
    "aws:ec2/fleet:Fleet": "an EC2 fleet",
    "aws:ec2/capacityReservation:CapacityReservation": "a capacity reservation",
    "aws:ec2/dedicatedHost:DedicatedHost": "a Dedicated Host",
    "aws:batch/computeEnvironment:ComputeEnvironment": "a Batch compute environment",
    "aws:emr/cluster:Cluster": "an EMR cluster",
    "aws:emr/instanceGroup:InstanceGroup": "an EMR instance group",
    "aws:emr/instanceFleet:InstanceFleet": "an EMR instance fleet",
    "aws:eks/fargateProfile:FargateProfile": "an EKS Fargate profile",
    "aws:ecs/service:Service": "an ECS service",
    "aws:sagemaker/notebookInstance:NotebookInstance": "a SageMaker notebook",
    "aws:sagemaker/endpoint:Endpoint": "a SageMaker endpoint",
    "aws:rds/instance:Instance": "an RDS instance",
    "aws:rds/cluster:Cluster": "an Aurora or RDS cluster",
    "aws:rds/clusterInstance:ClusterInstance": "an Aurora instance",
    "aws:elasticache/cluster:Cluster": "an ElastiCache cluster",
    "aws:elasticache/replicationGroup:ReplicationGroup": "an ElastiCache replication group",
    "aws:elasticache/serverlessCache:ServerlessCache": "an ElastiCache serverless cache",
    "aws:opensearch/domain:Domain": "an OpenSearch domain",
    "aws:elasticsearch/domain:Domain": "an Elasticsearch domain",
    "aws:msk/cluster:Cluster": "an MSK cluster",
    "aws:redshift/cluster:Cluster": "a Redshift cluster",
    "aws:docdb/clusterInstance:ClusterInstance": "a DocumentDB instance",
    "aws:neptune/clusterInstance:ClusterInstance": "a Neptune instance",
    "aws:lb/loadBalancer:LoadBalancer": "a load balancer",
    "aws:alb/loadBalancer:LoadBalancer": "a load balancer",
    "aws:elb/loadBalancer:LoadBalancer": "a Classic Load Balancer",
    "aws:networkfirewall/firewall:Firewall": "a Network Firewall",
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": "a transit gateway attachment",
    "aws:globalaccelerator/accelerator:Accelerator": "a Global Accelerator",
};

/**
 * Capacity the estimate did not price, found the way the vCPU ceiling counts it (instances,
 * fleets, Batch, EMR, Beanstalk, Cloud9, SageMaker, aws-native and Cloud Control resources): each
 * is named as not priced rather than left at zero.
 */
export function reportUnpricedCapacity(resources: PolicyResource[], handled: Set<string>, context: PricingContext, found: { templates: TemplateIndex; resizing: Resizing }): void {
    const shares = { ...found, emrScaling: emrScaling(resources).byCluster, ecs: ecsIndex(resources) };
    for (const r of resources) {
        if (handled.has(r.urn) || UNPRICED_KINDS[r.type]) continue;
        const share = known(() => shareOf(r, shares));
        if (!share) continue;
        if ("problem" in share) context.unpriced(r, `it launches capacity the estimate cannot price: ${share.problem}`);
        else if (share.vcpu > 0) context.unpriced(r, `it may run ${share.vcpu} vCPUs (${r.type}), which envstack's price table does not price yet, so their cost is not in the figures`);
    }
}
