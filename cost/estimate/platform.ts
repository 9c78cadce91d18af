import { known } from "../../policy/policies/preview";
import { T } from "../../policy/policies/support";
import { EKS_STANDARD_SUPPORT_ENDS, eksSupportOn } from "../prices/eksSupport";
import { flat, HOURS_PER_MONTH, Pricer, rate } from "./types";

/** The EKS control plane, KMS keys, SQS queues and Secrets Manager secrets. */

const SECRET = "aws:secretsmanager/secret:Secret";

/** A cluster bills per hour; past its version's standard support, at the extended price. */
export const controlPlanePricer: Pricer = (r, context) => {
    if (r.type !== T.eksClusterComponent && r.type !== T.eksCluster) return [];
    const book = context.book(r);
    const version = String(known(() => r.props.version) ?? "");
    const support = version ? eksSupportOn(version, book.asOf) : "standard";
    const id = support === "extended" ? "eks.cluster.extendedHour" : "eks.cluster.standardHour";
    const hour = book.service(id);
    const ends = EKS_STANDARD_SUPPORT_ENDS[/^(\d+\.\d+)/.exec(version)?.[1] ?? ""];
    const note =
        support === "extended"
            ? `; Kubernetes ${version} left standard support on ${ends}`
            : ends
              ? `; from ${ends} Kubernetes ${version} bills at ${rate(book.service("eks.cluster.extendedHour"))}/h unless upgraded`
              : version
                ? `; Kubernetes ${version} is not in the support calendar, priced as standard`
                : "";
    return [{ item: `EKS control plane (${support === "extended" ? "extended" : "standard"} support)`, monthly: flat(hour * HOURS_PER_MONTH), basis: `${HOURS_PER_MONTH} h × ${rate(hour)}/h${note}`, prices: [id] }];
};

/** A key bills a month, and its requests; rotation adds up to two more key-months in later years, left out. */
export const kmsPricer: Pricer = (r, context) => {
    if (r.type !== T.kmsKey) return [];
    const book = context.book(r);
    const requests = context.usage.kmsRequestsPerKey;
    const month = book.service("kms.key.month");
    const perTenThousand = book.service("kms.requests.tenThousand");
    return [
        { item: "KMS key", monthly: flat(month), basis: `1 key × ${rate(month)}/month (rotations add a key-month each in the second and third years)`, prices: ["kms.key.month"] },
        {
            item: "KMS requests",
            monthly: flat((requests / 1e4) * perTenThousand),
            basis: `${requests.toLocaleString("en-US")} requests × ${rate(perTenThousand)}/10,000`,
            usage: `kmsRequestsPerKey ${requests.toLocaleString("en-US")}`,
            prices: ["kms.requests.tenThousand"],
        },
    ];
};

export const queuePricer: Pricer = (r, context) => {
    if (r.type !== T.sqsQueue) return [];
    const n = context.usage.sqsRequestsPerQueue;
    const perMillion = context.book(r).service("sqs.requests.million");
    return [{ item: "SQS requests", monthly: flat((n / 1e6) * perMillion), basis: `${n.toLocaleString("en-US")} requests × ${rate(perMillion)}/million`, usage: `sqsRequestsPerQueue ${n.toLocaleString("en-US")}`, prices: ["sqs.requests.million"] }];
};

export const secretPricer: Pricer = (r, context) => {
    if (r.type !== SECRET) return [];
    const month = context.book(r).service("secretsManager.secret.month");
    return [{ item: "Secrets Manager secret", monthly: flat(month), basis: `1 secret × ${rate(month)}/month`, prices: ["secretsManager.secret.month"] }];
};
