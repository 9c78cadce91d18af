import { dnsSuffixOf, partitionOf } from "../shared/aws";
import { PolicyDocument, policyDocument } from "../shared/iam";

/**
 * The long-term backends' permissions, each for one service account and one store: Prometheus
 * writes to its own AMP workspace, Grafana reads it; the Thanos sidecar, store gateway and
 * compactor reach their own bucket only, each with the object actions its job needs. The key is
 * used only through the store's service.
 */

/** Prometheus's remote write to one workspace, and the environment key through AMP. */
export function ampWriterPolicy(workspaceArn: string, kmsKeyArn: string, region: string): PolicyDocument {
    return policyDocument(
        { Sid: "RemoteWriteToThisWorkspace", Effect: "Allow", Action: "aps:RemoteWrite", Resource: workspaceArn },
        {
            Sid: "WorkspaceKeyThroughAmp",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `aps.${region}.${dnsSuffixOf(region)}` } },
        },
    );
}

/** Grafana's queries of one workspace: read-only. */
export function ampReaderPolicy(workspaceArn: string, kmsKeyArn: string, region: string): PolicyDocument {
    return policyDocument(
        { Sid: "QueryThisWorkspace", Effect: "Allow", Action: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"], Resource: workspaceArn },
        { Sid: "WorkspaceKeyThroughAmp", Effect: "Allow", Action: "kms:Decrypt", Resource: kmsKeyArn, Condition: { StringEquals: { "kms:ViaService": `aps.${region}.${dnsSuffixOf(region)}` } } },
    );
}

/** What each Thanos component does with the bucket. */
export const THANOS_OBJECT_ACTIONS = {
    // Uploads blocks, and reads back what it uploaded.
    sidecar: ["s3:PutObject", "s3:GetObject"],
    // Serves blocks to queries.
    store: ["s3:GetObject"],
    // Merges, downsamples and deletes blocks past retention.
    compactor: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
} as const;
/** A Thanos component. */
export type ThanosComponent = keyof typeof THANOS_OBJECT_ACTIONS;

/** A Thanos component's bucket access: list the bucket, its object actions, and the key through S3 (writers encrypt, all decrypt). */
export function thanosBucketPolicy(component: ThanosComponent, bucketName: string, kmsKeyArn: string, region: string): PolicyDocument {
    const bucket = `arn:${partitionOf(region)}:s3:::${bucketName}`;
    const writes = (THANOS_OBJECT_ACTIONS[component] as readonly string[]).includes("s3:PutObject");
    return policyDocument(
        { Sid: "ListTheBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucket },
        { Sid: "ObjectsInTheBucket", Effect: "Allow", Action: [...THANOS_OBJECT_ACTIONS[component]], Resource: `${bucket}/*` },
        {
            Sid: "BucketKeyThroughS3",
            Effect: "Allow",
            Action: writes ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
            Resource: kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${region}.${dnsSuffixOf(region)}` } },
        },
    );
}

/** The bucket's own policy: TLS only, and objects written only under the environment key. */
export function thanosBucketResourcePolicy(bucketArn: string, kmsKeyArn: string): PolicyDocument {
    return policyDocument(
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
        {
            Sid: "DenyOtherKeys",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: `${bucketArn}/*`,
            Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": kmsKeyArn } },
        },
    );
}
