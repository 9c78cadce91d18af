import { policyDocument, PolicyDocument } from "../shared/iam";
import type { Partition } from "../shared/aws";

/**
 * ExternalDNS's permissions: upstream's AWS policy (its tutorial's `iam-policy.json` for 0.21),
 * with the record changes, record listing and tag reads scoped from every hosted zone to the
 * configured ones. Listing zones has no resource-level permission, so it stays on `*`.
 */
export function externalDnsPolicy(partition: Partition, zoneIds: string[]): PolicyDocument {
    return policyDocument(
        {
            Sid: "ChangeRecordsInConfiguredZones",
            Effect: "Allow",
            Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"],
            Resource: zoneIds.map((id) => `arn:${partition}:route53:::hostedzone/${id}`),
        },
        { Sid: "FindZones", Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: "*" },
    );
}
