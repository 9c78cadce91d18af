/** IAM policy documents as plain, typed objects: easy to assert on and to feed a simulator. */

export type Principal = { Service: string | string[] } | { AWS: string | string[] } | "*";

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: Principal;
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

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
export function podIdentityTrust(): PolicyDocument {
    return serviceTrust("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]);
}

/**
 * Pod Identity trust limited to one service account: EKS tags the session with the cluster,
 * namespace and service account, and the role accepts only these values from this account.
 */
export function scopedPodIdentityTrust(scope: { accountId: string; clusterName: string; namespace: string; serviceAccount: string }): PolicyDocument {
    const trust = podIdentityTrust();
    trust.Statement[0].Condition = {
        StringEquals: {
            "aws:SourceAccount": scope.accountId,
            "aws:RequestTag/eks-cluster-name": scope.clusterName,
            "aws:RequestTag/kubernetes-namespace": scope.namespace,
            "aws:RequestTag/kubernetes-service-account": scope.serviceAccount,
        },
    };
    return trust;
}
