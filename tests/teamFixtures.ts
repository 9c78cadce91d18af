import type { EnvironmentInput } from "../components";

/** The two teams the team specs share: a payments team with a Pod Identity role, an analytics team fenced tighter. */

type TeamEntry = NonNullable<EnvironmentInput["teams"]>[number];

export const PAYMENTS: TeamEntry = {
    name: "payments",
    size: "medium",
    roleArn: "arn:aws:iam::111122223333:role/payments-developers",
    clusterRoles: ["view"],
    serviceAccounts: [
        {
            name: "ledger-exporter",
            statements: [
                { actions: ["s3:GetObject", "s3:PutObject"], resources: ["arn:aws:s3:::acme-ledger/payments/*"] },
                { actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::acme-ledger"] },
            ],
        },
    ],
};
export const ANALYTICS: TeamEntry = {
    name: "analytics",
    roleArn: "arn:aws:iam::111122223333:role/analytics-developers",
    podSecurity: "restricted",
    egress: "restricted",
    quota: { requestsCpu: "6", limitsCpu: "12", storageByClass: { "io2-db": "100Gi" } },
    limits: { maxMemory: "6Gi" },
};
