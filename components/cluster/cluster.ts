import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkClusterArguments } from "./args";
import type { ClusterConfig, NodeGroupConfig } from "../config/types";
import { addonInstalled } from "../config/versions";
import type { AddonSwitches, EksAddonName, VersionMap } from "../config/versions";
import { managedPolicyArn, partitionOf } from "../shared/aws";
import { policyDocument, serviceTrust } from "../shared/iam";
import { logGroupName } from "../shared/naming";
import type { Tags } from "../shared/tags";
import { ADDON_CONFIGURATION, createAddon, createAddonWithPodIdentity } from "./addons";
import { createManagedNodeGroup, createNodeRole, NodeGroupContext, SYSTEM_TAINT } from "./nodeGroups";

export interface ClusterArgs extends ClusterConfig {
    /** The EKS cluster's name. */
    clusterName: string;
    /** The cluster's account: the VPC CNI's role trusts only its Pod Identity sessions. */
    accountId: string;
    /** AWS region. */
    region: string;
    /** VPC the cluster runs in. */
    vpcId: pulumi.Input<string>;
    /** Private subnets: the control plane's network interfaces and all nodes. */
    privateSubnetIds: pulumi.Input<string[]>;
    /** Public subnets, for internet-facing load balancers. */
    publicSubnetIds: pulumi.Input<string[]>;
    /** The environment key: secrets envelope encryption, control-plane logs, node volumes. */
    kmsKeyArn: pulumi.Input<string>;
    /** Pinned versions; `kubernetesVersion` must be one of its keys. */
    versions: VersionMap;
    /** EKS managed add-ons to install (all by default); one turned off is left to you, e.g. Cilium for the VPC CNI. */
    addons?: Partial<AddonSwitches>;
    /** Tags on every taggable resource. */
    tags: Tags;
    /** How the kubeconfig authenticates, when not with the ambient credentials: the same profile and role as the AWS provider's. */
    kubeconfigCredentials?: KubeconfigCredentials;
    /** Keep the control-plane log group when the cluster is destroyed: it is audit evidence (prod). */
    retainLogsOnDelete?: boolean;
}

/**
 * The identity `aws eks get-token` uses in the kubeconfig. It must be the one the AWS provider
 * deploys as: that identity created the cluster and is its admin.
 */
export interface KubeconfigCredentials {
    /** A profile of the AWS config or credentials file. */
    profileName?: string;
    /** A role to assume (from the profile's credentials, or the ambient ones). */
    roleArn?: string;
}

/** The five control-plane log types; all of them go to the pre-created, encrypted group. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/**
 * An EKS cluster built secure by default: secrets encrypted with the environment key, a private
 * endpoint (public only for configured CIDRs), access entries instead of aws-auth, every
 * control-plane log into an encrypted group with retention, no OIDC provider (pods get AWS access
 * through Pod Identity), and core add-ons owned here as EKS managed add-ons in the right order.
 */
export class Cluster extends pulumi.ComponentResource {
    /** The @pulumi/eks cluster. */
    readonly eks: eks.Cluster;
    /** The cluster's name. */
    readonly clusterName: pulumi.Output<string>;
    /** The API server endpoint. */
    readonly endpoint: pulumi.Output<string>;
    /** Kubeconfig as JSON (a secret). Authenticates with `aws eks get-token`. */
    readonly kubeconfig: pulumi.Output<string>;
    /** A Kubernetes provider for in-cluster resources. */
    readonly provider: k8s.Provider;
    /** The EKS-managed cluster security group, shared by the control plane and nodes. */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** The role managed nodes run as. */
    readonly nodeRole: aws.iam.Role;
    /** The environment key, passed through for later components. */
    readonly kmsKeyArn: pulumi.Output<string>;
    /** The On-Demand system node group. */
    readonly systemNodeGroup: eks.ManagedNodeGroup;
    /** The other node groups, by name. */
    readonly nodeGroups: Record<string, eks.ManagedNodeGroup>;
    /** Managed add-ons, by add-on name; those turned off are absent. */
    readonly addons: Partial<Record<EksAddonName, aws.eks.Addon>>;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        checkClusterArguments(args);
        super("envstack:index:Cluster", name, {}, opts);
        const release = args.versions.kubernetes[args.kubernetesVersion];

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            {
                name: logGroupName.controlPlane(args.clusterName),
                retentionInDays: args.logRetentionInDays,
                kmsKeyId: args.kmsKeyArn,
                tags: args.tags,
            },
            { parent: this, retainOnDelete: args.retainLogsOnDelete ?? false },
        );
        const serviceRole = this.createServiceRole(name, args);

        this.eks = new eks.Cluster(
            name,
            {
                name: args.clusterName,
                version: args.kubernetesVersion,
                upgradePolicy: { supportType: "STANDARD" },
                vpcId: args.vpcId,
                privateSubnetIds: args.privateSubnetIds,
                publicSubnetIds: args.publicSubnetIds,
                nodeAssociatePublicIpAddress: false,
                endpointPrivateAccess: true,
                endpointPublicAccess: args.endpoint.publicAccess,
                ...(args.endpoint.publicAccess ? { publicAccessCidrs: args.endpoint.publicAccessCidrs } : {}),
                authenticationMode: eks.AuthenticationMode.Api,
                encryptionConfigKeyArn: args.kmsKeyArn,
                enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
                serviceRole: serviceRole.role,
                skipDefaultNodeGroup: true,
                skipDefaultSecurityGroups: true,
                createOidcProvider: false,
                storageClasses: {},
                // Core add-ons are aws.eks.Addon resources below; nothing else installs them.
                bootstrapSelfManagedAddons: false,
                useDefaultVpcCni: true,
                corednsAddonOptions: { enabled: false },
                kubeProxyAddonOptions: { enabled: false },
                deletionProtection: args.deletionProtection,
                ...(args.kubeconfigCredentials ? { providerCredentialOpts: args.kubeconfigCredentials } : {}),
                tags: args.tags,
                clusterTags: args.tags,
            },
            { parent: this, dependsOn: [logGroup, ...serviceRole.policies] },
        );

        this.clusterName = this.eks.eksCluster.name;
        this.endpoint = this.eks.eksCluster.endpoint;
        this.kubeconfig = pulumi.secret(this.eks.kubeconfigJson);
        this.clusterSecurityGroupId = this.eks.clusterSecurityGroupId;
        this.kmsKeyArn = pulumi.output(args.kmsKeyArn);
        this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig, enableServerSideApply: true }, { parent: this });
        this.createAdminAccess(name, args);

        // Nodes cannot become Ready without the CNI and kube-proxy; pods need the identity agent.
        const afterCluster = { parent: this, dependsOn: [this.eks] };
        const beforeNodes: Record<string, aws.eks.Addon> = Object.fromEntries(
            (["kube-proxy", "eks-pod-identity-agent"] as const).filter((addon) => addonInstalled(args.addons, addon)).map((addon) => [
                addon,
                createAddon(name, addon, args.clusterName, release, args.tags, afterCluster),
            ]),
        );
        // The CNI's ENI and IP calls come from its own role through Pod Identity, not from every pod's node role.
        const cni = createAddonWithPodIdentity(
            name,
            {
                addonName: "vpc-cni",
                namespace: "kube-system",
                serviceAccount: "aws-node",
                managedPolicy: "AmazonEKS_CNI_Policy",
                configuration: ADDON_CONFIGURATION["vpc-cni"],
                addons: args.addons,
                clusterName: args.clusterName,
                accountId: args.accountId,
                region: args.region,
                release,
                tags: args.tags,
                dependsOn: [this.eks, ...(beforeNodes["eks-pod-identity-agent"] ? [beforeNodes["eks-pod-identity-agent"]] : [])],
            },
            this,
        );
        if (cni.addon) beforeNodes["vpc-cni"] = cni.addon;

        this.nodeRole = createNodeRole(name, args.region, args.tags, { parent: this });
        const context: NodeGroupContext = {
            cluster: this.eks,
            clusterName: args.clusterName,
            kubernetesVersion: args.kubernetesVersion,
            nodeRoleArn: this.nodeRole.arn,
            subnetIds: args.privateSubnetIds,
            kmsKeyArn: args.kmsKeyArn,
            versions: args.versions,
            tags: args.tags,
            dependsOn: [...Object.values(beforeNodes), cni.ready],
        };
        this.systemNodeGroup = createManagedNodeGroup(`${name}-system`, systemGroupSpec(args), context, this);
        this.nodeGroups = Object.fromEntries(
            args.nodeGroups.map((spec) => [spec.name, createManagedNodeGroup(`${name}-${spec.name}`, spec, context, this)]),
        );

        // CoreDNS stays degraded until a node can run it, so it waits for the system group.
        this.addons = { ...beforeNodes };
        if (addonInstalled(args.addons, "coredns")) {
            this.addons.coredns = createAddon(name, "coredns", args.clusterName, release, args.tags, { parent: this, dependsOn: [this.systemNodeGroup] });
        }

        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            kubeconfig: this.kubeconfig,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            nodeRoleArn: this.nodeRole.arn,
        });
    }

    /** The cluster's own role, with KMS rights on the environment key for secrets encryption. */
    private createServiceRole(name: string, args: ClusterArgs) {
        const role = new aws.iam.Role(
            `${name}-cluster`,
            {
                description: `EKS control plane of ${args.clusterName}`,
                assumeRolePolicy: JSON.stringify(serviceTrust("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"])),
                tags: args.tags,
            },
            { parent: this },
        );
        const attachment = new aws.iam.RolePolicyAttachment(
            `${name}-cluster-AmazonEKSClusterPolicy`,
            { role: role.name, policyArn: managedPolicyArn(args.region, "AmazonEKSClusterPolicy") },
            { parent: role },
        );
        const kms = new aws.iam.RolePolicy(
            `${name}-cluster-kms`,
            {
                role: role.name,
                policy: pulumi.output(args.kmsKeyArn).apply((keyArn) =>
                    JSON.stringify(
                        policyDocument({
                            Sid: "SecretsEnvelopeEncryption",
                            Effect: "Allow",
                            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                            Resource: keyArn,
                        }),
                    ),
                ),
            },
            { parent: role },
        );
        return { role, policies: [attachment, kms] };
    }

    /** Cluster-admin for each configured role, through access entries (authentication mode API). */
    private createAdminAccess(name: string, args: ClusterArgs): void {
        const policyArn = `arn:${partitionOf(args.region)}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;
        accessEntryNames(args.adminRoleArns).forEach((entryName, i) => {
            const principalArn = args.adminRoleArns[i];
            const entry = new aws.eks.AccessEntry(
                `${name}-admin-${entryName}`,
                { clusterName: args.clusterName, principalArn, type: "STANDARD", tags: args.tags },
                { parent: this, dependsOn: [this.eks] },
            );
            new aws.eks.AccessPolicyAssociation(
                `${name}-admin-${entryName}`,
                // The entry's output (not the config string), so the association waits for the entry.
                { clusterName: args.clusterName, principalArn: entry.principalArn, policyArn, accessScope: { type: "cluster" } },
                { parent: entry },
            );
        });
    }
}

/** The system group: On-Demand unless the tier accepts Spot, labelled, and tainted so only critical add-ons run there. */
function systemGroupSpec(args: ClusterArgs): NodeGroupConfig {
    return {
        ...args.systemNodeGroup,
        name: "system",
        capacityType: args.systemNodeGroup.capacityType ?? "ON_DEMAND",
        labels: {},
        taints: [SYSTEM_TAINT],
    };
}

/** Stable resource names for access entries, from the role names (not list positions). */
export function accessEntryNames(roleArns: readonly string[]): string[] {
    const base = roleArns.map((arn) => (arn.split("/").pop() ?? arn).toLowerCase().replace(/[^a-z0-9-]/g, "-"));
    return base.map((n, i) => (base.indexOf(n) === i && base.lastIndexOf(n) === i ? n : `${n}-${roleArns[i].split(":")[4]}`));
}
