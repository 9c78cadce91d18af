import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";

/** Capacity outside node groups, each of the given type: a Cloud9 IDE, 20 reserved instances, a Dedicated Host of a family, an EMR cluster's 50 core nodes, a NodeClaim. */
export function otherCapacity(types: { ide: string; reserved: string; hostFamily: string; core: string; claim: string }): void {
    new aws.cloud9.EnvironmentEC2("ide", { instanceType: types.ide, imageId: "amazonlinux-2023-x86_64" });
    new aws.ec2.CapacityReservation("reserved", { instanceType: types.reserved, instancePlatform: "Linux/UNIX", availabilityZone: "eu-west-1a", instanceCount: 20 });
    new aws.ec2.DedicatedHost("host", { instanceFamily: types.hostFamily, availabilityZone: "eu-west-1a" });
    new aws.emr.Cluster("spark", { releaseLabel: "emr-7.1.0", serviceRole: "EMR_DefaultRole", masterInstanceGroup: { instanceType: "m6i.xlarge" }, coreInstanceGroup: { instanceType: types.core, instanceCount: 50 } });
    new k8s.apiextensions.CustomResource("claim", {
        apiVersion: "karpenter.sh/v1",
        kind: "NodeClaim",
        metadata: { name: "claim-0" },
        spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" }, requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: [types.claim] }] },
    });
}
