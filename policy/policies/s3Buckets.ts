import { isOn } from "./flags";
import type { PolicyResource } from "@pulumi/policy";
import { keyedStore, Store } from "./atRest";
import { eachKnown, known } from "./preview";
import { GuardrailStackPolicy, list, Props, T } from "./support";

/**
 * S3 buckets' default encryption and public access block. S3 keeps one configuration and one
 * block per bucket, the one applied last, and the program does not say which that is: every
 * configuration declared for a bucket must pass, not just one of them.
 */

export const DIRECTORY_BUCKET = "aws:s3/directoryBucket:DirectoryBucket";
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];
const PUBLIC_ACCESS_SETTINGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** S3 default-encryption rules: a bucket's inline configuration or a separate configuration resource. */
export function s3Rules(props: Props): Props[] {
    const inline = list<Props>(props.serverSideEncryptionConfiguration ?? props.serverSideEncryptionConfigurations);
    return [...list<Props>(props.rules), ...inline.flatMap((c) => list<Props>(c.rule ?? c.rules))];
}

function s3Algorithm(rule: Props): unknown {
    return list<Props>(rule?.applyServerSideEncryptionByDefault)[0]?.sseAlgorithm;
}

export function s3KmsKeys(props: Props): Store[] {
    return s3Rules(props)
        .filter((rule) => KMS_ALGORITHMS.includes(s3Algorithm(rule) as string))
        .map((rule) => keyedStore("default encryption", list<Props>(rule.applyServerSideEncryptionByDefault)[0]?.kmsMasterKeyId, "kmsMasterKeyId", "the AWS-managed key aws/s3"));
}

interface BucketJudgment {
    bucket: PolicyResource;
    name: unknown;
    /** Whether a configuration that passes (or is not known yet) is declared, or inline. */
    passing: boolean;
    /** The declared configurations for the bucket that do not pass: any of them may be the one applied last. */
    failing: PolicyResource[];
}

/**
 * Each bucket with the configurations declared for it: matched by the configuration's `bucket`,
 * or, while that is unknown (a bucket created in the same preview), by its dependency on the
 * bucket. A bucket's own inline configuration counts when `inline` passes it; an inline one that
 * does not pass is not held against it, since the provider reports S3's default there.
 */
function judgeBuckets(resources: PolicyResource[], bucketTypes: readonly string[], configTypes: readonly string[], ok: (config: Props) => boolean, inline?: (bucket: Props) => boolean): BucketJudgment[] {
    const configs = new Map<unknown, PolicyResource[]>();
    const add = (key: unknown, r: PolicyResource) => configs.set(key, [...(configs.get(key) ?? []), r]);
    for (const r of resources) {
        if (!configTypes.includes(r.type)) continue;
        const bucket = known(() => r.props.bucket);
        if (bucket !== undefined) add(bucket, r);
        else for (const d of r.dependencies ?? []) if (bucketTypes.includes(d.type)) add(d.urn, r);
    }
    return resources
        .filter((r) => bucketTypes.includes(r.type))
        .map((bucket) => {
            const name = known(() => bucket.props.bucket);
            const mine = [...new Set([...(name !== undefined ? (configs.get(name) ?? []) : []), ...(configs.get(bucket.urn) ?? [])])];
            // A configuration whose settings a preview does not know yet neither passes nor fails.
            const verdicts = mine.map((c) => known(() => ok(c.props)));
            const passing = verdicts.includes(true) || verdicts.includes(undefined) || Boolean(known(() => inline?.(bucket.props)));
            return { bucket, name, passing, failing: mine.filter((_, i) => verdicts[i] === false) };
        });
}

export const s3DefaultEncryption: GuardrailStackPolicy = {
    name: "s3-default-encryption",
    description:
        "S3 buckets, directory buckets included, have a default encryption configuration, KMS by default: inline on the bucket, or a BucketServerSideEncryptionConfiguration(V2) for it; every configuration declared for a bucket passes, since S3 keeps whichever is applied last.",
    why: "Without a KMS default, objects are encrypted only under S3's own key (SSE-S3): anyone granted s3:GetObject reads them, with no key policy in the way.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Add one aws.s3.BucketServerSideEncryptionConfiguration for the bucket (a directory bucket too) with sseAlgorithm aws:kms and the environment key, and no other configuration for it.",
    configSchema: {
        properties: { requireKms: { type: "boolean", default: true, description: "Require aws:kms rather than AES256 (SSE-S3)." } },
    },
    validateStack: (args, report) => {
        const { requireKms } = args.getConfig<{ requireKms: boolean }>();
        const passes = (rules: Props[]) => rules.some((rule) => (requireKms ? KMS_ALGORITHMS.includes(s3Algorithm(rule) as string) : Boolean(s3Algorithm(rule))));
        const judged = judgeBuckets(args.resources, [...T.s3Buckets, DIRECTORY_BUCKET], T.s3Encryption, (c) => passes(s3Rules(c)), (b) => passes(s3Rules(b)));
        eachKnown(judged, ({ bucket, name, passing, failing }) => {
            const shown = name ?? bucket.urn;
            if (passing) {
                for (const c of failing) {
                    const algorithm = s3Rules(c.props).map(s3Algorithm).find(Boolean);
                    const what = algorithm ? `sets ${JSON.stringify(algorithm)}` : `has no ${requireKms ? "KMS " : ""}rule`;
                    report(`bucket ${shown}: its encryption configuration ${c.name} ${what}; S3 keeps whichever configuration is applied last: declare only one, with aws:kms`, bucket.urn);
                }
                return;
            }
            const anyRule = [bucket, ...failing].some((r) => s3Rules(r.props).some((rule) => s3Algorithm(rule)));
            const directory = bucket.type === DIRECTORY_BUCKET ? " (a directory bucket is SSE-S3 unless configured)" : "";
            report(anyRule ? `bucket ${shown}'s default encryption is SSE-S3 (AES256, an S3-owned key), not KMS` : `bucket ${shown} has no default ${requireKms ? "KMS " : ""}encryption configuration${directory}`, bucket.urn);
        });
    },
};

export const s3PublicAccessBlock: GuardrailStackPolicy = {
    name: "s3-public-access-block",
    description: "S3 buckets have a public access block with all four settings on, and no other block for the same bucket (S3 keeps whichever is applied last).",
    why: "One public ACL or bucket policy, written by mistake or by a tool, publishes the bucket's objects to the internet.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Add one aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true, and no other block for it.",
    validateStack: (args, report) => {
        const allOn = (c: Props) => PUBLIC_ACCESS_SETTINGS.every((k) => isOn(c[k]));
        eachKnown(judgeBuckets(args.resources, T.s3Buckets, [T.s3PublicAccessBlock], allOn), ({ bucket, name, passing, failing }) => {
            const shown = name ?? bucket.urn;
            if (!passing) return report(`bucket ${shown} has no public access block with all four settings on`, bucket.urn);
            for (const c of failing) {
                const off = PUBLIC_ACCESS_SETTINGS.filter((k) => !isOn(c.props[k])).join(", ");
                report(`bucket ${shown}: its public access block ${c.name} leaves ${off} off; S3 keeps whichever block is applied last: declare only one, all on`, bucket.urn);
            }
        });
    },
};
