/**
 * When each Kubernetes minor version leaves EKS standard support, from the EKS release calendar
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html): a cluster past
 * that date bills at the extended-support price until it is upgraded.
 */
export const EKS_STANDARD_SUPPORT_ENDS: Readonly<Record<string, string>> = {
    "1.30": "2025-07-23",
    "1.31": "2025-11-26",
    "1.32": "2026-03-23",
    "1.33": "2026-07-29",
    "1.34": "2026-12-02",
    "1.35": "2027-03-27",
};

/** A version's support on a date: standard, extended, or unknown when the calendar does not list it. */
export function eksSupportOn(version: string, date: string): "standard" | "extended" | "unknown" {
    const minor = /^(\d+\.\d+)/.exec(version)?.[1];
    const ends = minor ? EKS_STANDARD_SUPPORT_ENDS[minor] : undefined;
    if (!ends) return "unknown";
    return date >= ends ? "extended" : "standard";
}
