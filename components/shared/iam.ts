/** IAM policy documents as plain, typed objects: easy to assert on and to feed a simulator. */
import { partitionOf } from "./aws";

/** Who a resource or trust policy statement applies to. */
export type Principal =
    | {
          /** Service principals, e.g. `pods.eks.amazonaws.com`. */
          Service: string | string[];
      }
    | {
          /** Account, role or user ARNs. */
          AWS: string | string[];
      }
    | "*";

/** One IAM policy statement. */
export interface PolicyStatement {
    /** Statement id, to name what it is for. */
    Sid?: string;
    /** Allow or Deny. */
    Effect: "Allow" | "Deny";
    /** Who (resource and trust policies only). */
    Principal?: Principal;
    /** The actions. */
    Action: string | string[];
    /** The resources (identity and resource policies). */
    Resource?: string | string[];
    /** Conditions: operator, then key to value(s). */
    Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
    /** Always the current policy language version. */
    Version: "2012-10-17";
    /** The statements. */
    Statement: PolicyStatement[];
}

/** A policy document of these statements. */
export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** Trust for an AWS service principal, optionally with confused-deputy conditions. */
export function serviceTrust(service: string, actions: string[] = ["sts:AssumeRole"], condition?: PolicyStatement["Condition"]): PolicyDocument {
    return policyDocument({
        Effect: "Allow",
        Principal: { Service: service },
        Action: actions,
        ...(condition ? { Condition: condition } : {}),
    });
}

/** Trust for EKS Pod Identity: the pods service assumes the role and tags the session. */
/** Where a Pod Identity role may be used: one service account of one cluster. */
export interface PodIdentityScope {
    /** The cluster's account. */
    accountId: string;
    /** The cluster's region. */
    region: string;
    /** The cluster's name. */
    clusterName: string;
    /** The service account's namespace. */
    namespace: string;
    /** The service account. */
    serviceAccount: string;
}

/**
 * Pod Identity trust limited to one service account of one cluster. EKS tags the session with
 * the cluster's ARN, the namespace and the service account; the role accepts only these values,
 * from this account. Without them, anyone who can create a Pod Identity association in the
 * account could hand the role to any pod of any cluster.
 */
export function scopedPodIdentityTrust(scope: PodIdentityScope): PolicyDocument {
    const trust = serviceTrust("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]);
    trust.Statement[0].Condition = {
        StringEquals: {
            "aws:SourceAccount": scope.accountId,
            "aws:RequestTag/eks-cluster-arn": `arn:${partitionOf(scope.region)}:eks:${scope.region}:${scope.accountId}:cluster/${scope.clusterName}`,
            "aws:RequestTag/kubernetes-namespace": scope.namespace,
            "aws:RequestTag/kubernetes-service-account": scope.serviceAccount,
        },
    };
    return trust;
}
