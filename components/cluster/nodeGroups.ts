import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { ACCELERATOR_LABEL, architectureOf, GPU_RESOURCE } from "../config/instanceTypes";
import type { NodeGroupConfig, NodeTaint } from "../config/types";
import type { VersionMap } from "../config/versions";
import { managedPolicyArn } from "../shared/aws";
import { serviceTrust } from "../shared/iam";
import type { Tags } from "../shared/tags";

/** The least-privilege managed policies every EKS node needs, and nothing else. */
export const NODE_ROLE_POLICIES = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonSSMManagedInstanceCore",
] as const;

/** The taint that keeps ordinary workloads off the system node group. */
export const SYSTEM_TAINT: NodeTaint = { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" };

/** Label keys envstack puts on every managed node. */
export const NODE_GROUP_LABEL = "envstack.io/node-group";

/** Where the platform's controllers run: on the system nodes, tolerating their taint (spelled as Kubernetes spells it). */
export function systemPlacement() {
    return {
        nodeSelector: { "kubernetes.io/os": "linux", [NODE_GROUP_LABEL]: "system" },
        tolerations: [{ key: SYSTEM_TAINT.key, operator: "Exists", effect: "NoSchedule" }],
    };
}
/** Node label with the capacity type, `on-demand` or `spot`. */
export const CAPACITY_LABEL = "envstack.io/capacity-type";

/** The IAM role nodes run as, with the worker, CNI, ECR pull-only and SSM core policies. */
export function createNodeRole(name: string, region: string, tags: Tags, opts: pulumi.CustomResourceOptions, description = "EKS managed nodes"): aws.iam.Role {
    const role = new aws.iam.Role(
        `${name}-node`,
        {
            description,
            assumeRolePolicy: JSON.stringify(serviceTrust("ec2.amazonaws.com")),
            tags,
        },
        opts,
    );
    for (const policy of NODE_ROLE_POLICIES) {
        new aws.iam.RolePolicyAttachment(
            `${name}-node-${policy}`,
            { role: role.name, policyArn: managedPolicyArn(region, policy) },
            { parent: role },
        );
    }
    return role;
}

export interface NodeGroupContext {
    /** The EKS cluster component. */
    cluster: eks.Cluster;
    clusterName: string;
    kubernetesVersion: string;
    nodeRoleArn: pulumi.Input<string>;
    subnetIds: pulumi.Input<string[]>;
    kmsKeyArn: pulumi.Input<string>;
    versions: VersionMap;
    tags: Tags;
    /** What must exist before nodes start: the CNI, kube-proxy and the pod identity agent. */
    dependsOn: pulumi.Resource[];
}

/** A group's taints; a GPU group's include `nvidia.com/gpu:NoSchedule`, so only GPU pods land there. */
export function groupTaints(spec: Pick<NodeGroupConfig, "taints" | "accelerator">): NodeGroupConfig["taints"] {
    const gpu = spec.accelerator === "nvidia" && !spec.taints.some((t) => t.key === GPU_RESOURCE && t.effect !== "PREFER_NO_SCHEDULE");
    return gpu ? [...spec.taints, { key: GPU_RESOURCE, effect: "NO_SCHEDULE" }] : spec.taints;
}

/**
 * A managed node group with its own launch template: IMDSv2 required (hop limit 1, so pods
 * cannot reach node credentials), and an encrypted gp3 root volume under the environment key.
 * The template version is pinned, so plans do not drift.
 */
export function createManagedNodeGroup(name: string, spec: NodeGroupConfig, ctx: NodeGroupContext, parent: pulumi.Resource): eks.ManagedNodeGroup {
    const groupName = `${ctx.clusterName}-${spec.name}`;
    const template = new aws.ec2.LaunchTemplate(
        name,
        {
            name: groupName,
            description: `Nodes of ${groupName}`,
            updateDefaultVersion: true,
            metadataOptions: {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
                instanceMetadataTags: "disabled",
            },
            blockDeviceMappings: [
                {
                    deviceName: "/dev/xvda",
                    ebs: {
                        volumeSize: spec.diskSizeGiB,
                        volumeType: "gp3",
                        encrypted: "true",
                        kmsKeyId: ctx.kmsKeyArn,
                        deleteOnTermination: "true",
                    },
                },
            ],
            tagSpecifications: [
                { resourceType: "instance", tags: { ...ctx.tags, Name: groupName } },
                { resourceType: "volume", tags: ctx.tags },
            ],
            tags: ctx.tags,
        },
        { parent },
    );
    return new eks.ManagedNodeGroup(
        name,
        {
            cluster: ctx.cluster,
            nodeGroupName: groupName,
            nodeRoleArn: ctx.nodeRoleArn,
            subnetIds: ctx.subnetIds,
            version: ctx.kubernetesVersion,
            amiType: spec.accelerator === "nvidia" ? ctx.versions.nodeAmiTypes.nvidia : ctx.versions.nodeAmiTypes[architectureOf(spec.instanceTypes[0])],
            capacityType: spec.capacityType,
            instanceTypes: spec.instanceTypes,
            scalingConfig: { minSize: spec.minSize, maxSize: spec.maxSize, desiredSize: spec.desiredSize },
            labels: { ...spec.labels, [NODE_GROUP_LABEL]: spec.name, [CAPACITY_LABEL]: spec.capacityType.toLowerCase().replace("_", "-"), ...(spec.accelerator ? { [ACCELERATOR_LABEL]: spec.accelerator } : {}) },
            taints: groupTaints(spec).map((t) => ({ key: t.key, value: t.value ?? "", effect: t.effect })),
            launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => String(v)) },
            tags: ctx.tags,
        },
        { parent, dependsOn: ctx.dependsOn },
    );
}
