import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createNodeRole, systemPlacement } from "../cluster/nodeGroups";
import { checkKarpenterArguments } from "./args";
import type { KarpenterConfig } from "../config/types";
import type { VersionMap } from "../config/versions";
import { scopedPodIdentityTrust } from "../shared/iam";
import type { Tags } from "../shared/tags";
import { controllerPolicies, ControllerPolicyName } from "./iam";
import { createInterruptionQueue } from "./interruption";
import { GPU_POOL, gpuNodePool } from "./gpu";
import { ec2NodeClass, NODE_CLASS_NAME, nodePool, planPools } from "./manifests";

export interface KarpenterArgs extends KarpenterConfig {
    /** The EKS cluster's name. */
    clusterName: string;
    /** AWS region. */
    region: string;
    /** Account id, for ARNs in the controller policies. */
    accountId: string;
    /** Kubernetes version of the cluster; picks the AMI alias and the minimum Karpenter. */
    kubernetesVersion: string;
    /** The cluster resource: AWS-side resources are created after it and deleted before it. */
    cluster: pulumi.Resource;
    /** The node group the controller runs on; the controller is removed before it. */
    systemNodeGroup: pulumi.Resource;
    /** Anything else the controller's release waits for, such as the load balancer controller, whose webhook admits its Service. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** The EKS cluster security group; it gets the discovery tag, so exactly one group is found. */
    clusterSecurityGroupId: pulumi.Input<string>;
    /** The environment key, for Karpenter nodes' root volumes and the interruption queue. */
    kmsKeyArn: pulumi.Input<string>;
    /** Provider for the cluster. */
    k8sProvider: k8s.Provider;
    /** Pinned versions: charts, AMI alias. */
    versions: VersionMap;
    /** Tags on every taggable resource (and on the instances Karpenter launches). */
    tags: Tags;
}

/** The namespace and service account of the controller; its Pod Identity association names them. */
export const CONTROLLER_NAMESPACE = "kube-system";
/** The controller's service account. */
export const CONTROLLER_SERVICE_ACCOUNT = "karpenter";

/**
 * Karpenter: node role and its EC2_LINUX access entry, the controller's role (Pod Identity) with
 * upstream's split policies, the interruption queue and its EventBridge rules, the CRD and
 * controller charts, one EC2NodeClass and the NodePools of the Spot/On-Demand mix.
 *
 * Teardown order is explicit in the dependencies: NodePools and the EC2NodeClass go first (the
 * controller drains and terminates its nodes), then the controller, then the queue, roles and
 * the system node group, then the cluster, then the VPC.
 */
export class Karpenter extends pulumi.ComponentResource {
    /** The role Karpenter nodes run as. */
    readonly nodeRole: aws.iam.Role;
    /** The controller's role, assumed through Pod Identity. */
    readonly controllerRole: aws.iam.Role;
    /** The interruption queue. */
    readonly queue: aws.sqs.Queue;
    /** The controller's Helm release. */
    readonly release: k8s.helm.v3.Release;
    /** The EC2NodeClass. */
    readonly nodeClass: k8s.apiextensions.CustomResource;
    /** The NodePools, by name. */
    readonly nodePools: Record<string, k8s.apiextensions.CustomResource>;

    constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
        checkKarpenterArguments(args);
        super("envstack:index:Karpenter", name, {}, opts);
        const release = args.versions.kubernetes[args.kubernetesVersion];
        const afterCluster = { parent: this, dependsOn: [args.cluster] };

        this.nodeRole = createNodeRole(`${name}-karpenter`, args.region, args.tags, afterCluster, "Karpenter nodes");
        const nodeAccess = new aws.eks.AccessEntry(
            `${name}-karpenter-node`,
            { clusterName: args.clusterName, principalArn: this.nodeRole.arn, type: "EC2_LINUX", tags: args.tags },
            afterCluster,
        );
        const discoveryTag = new aws.ec2.Tag(
            `${name}-karpenter-discovery`,
            { resourceId: args.clusterSecurityGroupId, key: "karpenter.sh/discovery", value: args.clusterName },
            afterCluster,
        );
        const { queue } = createInterruptionQueue(name, { clusterName: args.clusterName, kmsKeyArn: args.kmsKeyArn, tags: args.tags, dependsOn: [args.cluster] }, this);
        this.queue = queue;

        const controller = this.createControllerRole(name, args, afterCluster);
        this.controllerRole = controller.role;

        const crds = new k8s.helm.v3.Release(
            `${name}-karpenter-crd`,
            { name: "karpenter-crd", chart: args.versions.charts.karpenterCrd.chart, version: args.versions.charts.karpenterCrd.version, namespace: CONTROLLER_NAMESPACE, atomic: true },
            { parent: this, provider: args.k8sProvider },
        );
        this.release = new k8s.helm.v3.Release(
            `${name}-karpenter`,
            {
                name: "karpenter",
                chart: args.versions.charts.karpenter.chart,
                version: args.versions.charts.karpenter.version,
                namespace: CONTROLLER_NAMESPACE,
                skipCrds: true,
                atomic: true,
                values: controllerValues(args, queue.name),
            },
            { parent: this, provider: args.k8sProvider, dependsOn: pulumi.output(args.dependsOn ?? []).apply((d) => [...d, crds, queue, args.systemNodeGroup, ...controller.dependencies]) },
        );

        const afterController = { parent: this, provider: args.k8sProvider, dependsOn: [this.release, nodeAccess, discoveryTag] };
        // The role name and key ARN are outputs; the object is rendered (and typed) once they are known.
        const nodeClass = pulumi.all([this.nodeRole.name, args.kmsKeyArn]).apply(([nodeRoleName, kmsKeyArn]) =>
            ec2NodeClass({ clusterName: args.clusterName, nodeRoleName, amiAlias: release.karpenterAmiAlias, kmsKeyArn, diskSizeGiB: args.diskSizeGiB, tags: args.tags }),
        );
        this.nodeClass = new k8s.apiextensions.CustomResource(
            `${name}-karpenter-nodeclass`,
            { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name: NODE_CLASS_NAME }, spec: nodeClass.spec },
            afterController,
        );
        this.nodePools = Object.fromEntries(
            planPools(args).map((plan) => [
                plan.name,
                new k8s.apiextensions.CustomResource(`${name}-karpenter-${plan.name}`, nodePool(plan, args) as unknown as k8s.apiextensions.CustomResourceArgs, {
                    ...afterController,
                    dependsOn: [...afterController.dependsOn, this.nodeClass],
                }),
            ]),
        );
        if (args.gpu.enabled) {
            const gpuClass = pulumi.all([this.nodeRole.name, args.kmsKeyArn]).apply(([nodeRoleName, kmsKeyArn]) =>
                ec2NodeClass({ name: GPU_POOL, clusterName: args.clusterName, nodeRoleName, amiAlias: release.karpenterAmiAlias, kmsKeyArn, diskSizeGiB: args.gpu.diskSizeGiB, tags: args.tags }),
            );
            const gpuNodeClass = new k8s.apiextensions.CustomResource(
                `${name}-karpenter-gpu-nodeclass`,
                { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name: GPU_POOL }, spec: gpuClass.spec },
                afterController,
            );
            this.nodePools[GPU_POOL] = new k8s.apiextensions.CustomResource(`${name}-karpenter-${GPU_POOL}`, gpuNodePool(args.gpu) as unknown as k8s.apiextensions.CustomResourceArgs, {
                ...afterController,
                dependsOn: [...afterController.dependsOn, gpuNodeClass],
            });
        }
        this.registerOutputs({ nodeRoleArn: this.nodeRole.arn, queueUrl: queue.url });
    }

    /** The controller's role with upstream's policies (as customer-managed policies) and its Pod Identity association. */
    private createControllerRole(name: string, args: KarpenterArgs, opts: pulumi.CustomResourceOptions) {
        const role = new aws.iam.Role(
            `${name}-karpenter-controller`,
            { description: `Karpenter controller of ${args.clusterName}`, assumeRolePolicy: JSON.stringify(scopedPodIdentityTrust({ accountId: args.accountId, region: args.region, clusterName: args.clusterName, namespace: CONTROLLER_NAMESPACE, serviceAccount: CONTROLLER_SERVICE_ACCOUNT })), tags: args.tags },
            opts,
        );
        const documents = pulumi.all([this.nodeRole.arn, this.queue.arn, args.kmsKeyArn]).apply(([nodeRoleArn, queueArn, kmsKeyArn]) =>
            controllerPolicies({ clusterName: args.clusterName, region: args.region, accountId: args.accountId, nodeRoleArn, queueArn, kmsKeyArn }),
        );
        const names: ControllerPolicyName[] = ["node-lifecycle", "iam-integration", "eks-integration", "interruption", "resource-discovery", "zonal-shift", "node-volume-kms"];
        const attachments = names.map((policyName) => {
            const policy = new aws.iam.Policy(
                `${name}-karpenter-${policyName}`,
                { description: `Karpenter controller (${args.clusterName}): ${policyName}`, policy: documents.apply((d) => JSON.stringify(d[policyName])), tags: args.tags },
                { parent: role },
            );
            return new aws.iam.RolePolicyAttachment(`${name}-karpenter-${policyName}`, { role: role.name, policyArn: policy.arn }, { parent: role });
        });
        const association = new aws.eks.PodIdentityAssociation(
            `${name}-karpenter`,
            { clusterName: args.clusterName, namespace: CONTROLLER_NAMESPACE, serviceAccount: CONTROLLER_SERVICE_ACCOUNT, roleArn: role.arn, tags: args.tags },
            { ...opts, dependsOn: [args.cluster, ...attachments] },
        );
        return { role, dependencies: [association, ...attachments] };
    }
}

/** Helm values: on the system node group, tolerating its taint, with requests set. */
export function controllerValues(args: Pick<KarpenterArgs, "clusterName" | "replicas">, queueName: pulumi.Input<string>) {
    return {
        settings: { clusterName: args.clusterName, interruptionQueue: queueName },
        replicas: args.replicas,
        serviceAccount: { create: true, name: CONTROLLER_SERVICE_ACCOUNT },
        ...systemPlacement(),
        controller: { resources: { requests: { cpu: "500m", memory: "768Mi" }, limits: { memory: "768Mi" } } },
        logLevel: "info",
    };
}
