import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { systemPlacement } from "../cluster/nodeGroups";
import { createGuard } from "../shared/admission";
import { partitionOf } from "../shared/aws";
import { PodIdentityAddonArgs, chartRelease } from "../shared/chart";
import { createPodIdentityRole } from "../shared/podIdentity";
import type { Tags } from "../shared/tags";
import { checkLoadBalancerControllerArguments } from "./args";
import { loadBalancerGuardPolicy } from "./guard";
import { environmentScopePolicy, upstreamControllerPolicy } from "./iam";

/** Where the controller runs and what it may touch. */
export interface LoadBalancerControllerArgs extends PodIdentityAddonArgs {
    /** Replicas on the system nodes (one leads); two or more get a PodDisruptionBudget. */
    replicas: number;
    /** The EKS cluster's name: set in the chart, so the controller never asks the instance metadata service. */
    clusterName: string;
    /** The cluster's VPC: set in the chart, and the only VPC whose security groups it may change. */
    vpcId: pulumi.Input<string>;
    /** Tags on the role, and on every load balancer, target group and security group the controller creates. */
    tags: Tags;
}

/** Its namespace. */
export const LOAD_BALANCER_CONTROLLER_NAMESPACE = "kube-system";
/** Its service account, which its Pod Identity association names. */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";
/** The IngressClass it serves. */
export const ALB_INGRESS_CLASS = "alb";

/**
 * The AWS Load Balancer Controller: an ALB for each Ingress of class `alb`, an NLB for each
 * LoadBalancer Service, both internal unless asked otherwise, with targets the pods' own
 * addresses. Its IAM is upstream's policy for the pinned version, kept to this environment's
 * region, VPC and load balancers by explicit denies; it reaches AWS through Pod Identity.
 *
 * Whatever the controller creates is deleted by the controller: anything that holds an Ingress or
 * a LoadBalancer Service (team namespaces) must depend on `release`, so that it is deleted while
 * the controller, its role and the VPC still exist.
 */
export class LoadBalancerController extends pulumi.ComponentResource {
    /** The chart's release. */
    readonly release: k8s.helm.v3.Release;
    /** The controller's role. */
    readonly roleArn: pulumi.Output<string>;
    /** The admission guard for team Ingresses and TargetGroupBindings: team namespaces wait for it. */
    readonly guard: pulumi.Resource;

    constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        checkLoadBalancerControllerArguments(args);
        super("envstack:index:LoadBalancerController", name, {}, opts);
        const partition = partitionOf(args.region);
        const identity = createPodIdentityRole(
            name,
            {
                description: `AWS Load Balancer Controller of ${args.clusterName}`,
                accountId: args.accountId,
                region: args.region,
                clusterName: args.clusterName,
                namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
                serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
                policies: {
                    upstream: upstreamControllerPolicy(partition),
                    scope: pulumi.output(args.vpcId).apply((vpcId) => environmentScopePolicy({ clusterName: args.clusterName, region: args.region, accountId: args.accountId, vpcId, partition })),
                },
                dependsOn: args.dependsOn,
                tags: args.tags,
            },
            this,
        );
        this.roleArn = identity.role.arn;
        this.release = chartRelease(
            name,
            args.versions.charts.awsLoadBalancerController,
            { name: "aws-load-balancer-controller", namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE, values: pulumi.output(args.vpcId).apply((vpcId) => loadBalancerControllerValues(args, vpcId)) },
            { parent: this, provider: args.k8sProvider, dependsOn: pulumi.output(args.dependsOn ?? []).apply((d) => [...d, identity.association]) },
        );
        // After the release: the guard's rules name the controller's CRD.
        this.guard = createGuard(`${name}-team-load-balancer-guard`, loadBalancerGuardPolicy(), { parent: this, provider: args.k8sProvider, dependsOn: [this.release] });
        this.registerOutputs({ roleArn: this.roleArn });
    }
}

/** The chart's values. */
export function loadBalancerControllerValues(args: Pick<LoadBalancerControllerArgs, "replicas" | "clusterName" | "region" | "tags">, vpcId: string) {
    return {
        replicaCount: args.replicas,
        // The chart renders the budget only with two or more replicas.
        podDisruptionBudget: { maxUnavailable: 1 },
        serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT },
        ...systemPlacement(),
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        priorityClassName: "system-cluster-critical",
        // Known here, so the controller never needs the instance metadata service (its hop limit keeps pods off it).
        clusterName: args.clusterName,
        region: args.region,
        vpcId,
        ingressClass: ALB_INGRESS_CLASS,
        createIngressClassResource: true,
        // No IngressClassParams: a scheme there would override every team's, public ones included.
        ingressClassParams: { create: false },
        // Targets are pod addresses: instance targets need NodePort Services, which team namespaces refuse.
        defaultTargetType: "ip",
        defaultLoadBalancerScheme: "internal",
        defaultTags: args.tags,
    };
}
