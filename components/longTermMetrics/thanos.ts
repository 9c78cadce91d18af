import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { createPodIdentityRole } from "../shared/podIdentity";
import type { LongTermMetricsArgs } from "./longTermMetrics";
import { thanosBucketPolicy, thanosBucketResourcePolicy, ThanosComponent } from "./iam";
import { OBJSTORE_SECRET, PROMETHEUS_SERVICE_ACCOUNT, THANOS_COMPACTOR_SERVICE_ACCOUNT, THANOS_STORE_SERVICE_ACCOUNT } from "./names";
import { thanosFence, thanosNamespace, thanosNetworkPolicies, thanosObjects } from "./thanosManifests";
import { THANOS_NAMESPACE } from "../shared/naming";

/** What the Thanos backend hands the Prometheus stack. */
export interface ThanosBackend {
    bucket: aws.s3.Bucket;
    /** Roles, associations and the Secret the release must wait for. */
    identities: pulumi.Resource[];
    /** kube-prometheus-stack values: the sidecar, its service, and Grafana's datasource. */
    values: object;
}

/** The Thanos object-store config: the bucket through the AWS SDK's own credentials (Pod Identity), encrypted under the key. */
export function objstoreConfig(bucket: string, region: string, kmsKeyArn: string): string {
    return stringify({ type: "S3", config: { bucket, endpoint: `s3.${region}.amazonaws.com`, region, aws_sdk_auth: true, sse_config: { type: "SSE-KMS", kms_key_id: kmsKeyArn } } });
}

/**
 * An S3 bucket under the environment key (bucket key on), private, TLS-only, versioned, with old
 * versions expired by tier, protected in prod; Prometheus's Thanos sidecar uploads to it, the
 * store gateway serves it and the compactor keeps it, each through a role limited to that bucket.
 */
export function createThanosBackend(name: string, args: LongTermMetricsArgs, parent: pulumi.Resource): ThanosBackend {
    const bucket = new aws.s3.Bucket(`${name}-thanos`, { bucketPrefix: `${args.clusterName}-metrics-`, forceDestroy: !args.protect, tags: args.tags }, { parent, protect: args.protect });
    const inBucket = { parent: bucket };
    new aws.s3.BucketPublicAccessBlock(`${name}-thanos`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, inBucket);
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-thanos`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }] },
        inBucket,
    );
    new aws.s3.BucketVersioning(`${name}-thanos`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, inBucket);
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-thanos`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-old-versions",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: args.thanos.noncurrentVersionDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
        },
        inBucket,
    );
    new aws.s3.BucketPolicy(`${name}-thanos`, { bucket: bucket.id, policy: pulumi.all([bucket.arn, args.kmsKeyArn]).apply(([arn, key]) => JSON.stringify(thanosBucketResourcePolicy(arn, key))) }, inBucket);

    const scope = { accountId: args.accountId, region: args.region, clusterName: args.clusterName, dependsOn: args.dependsOn, tags: args.tags };
    // The sidecar runs in Prometheus's pod; the store gateway and compactor in Thanos's namespace.
    const role = (component: ThanosComponent, serviceAccount: string, namespace: string) =>
        createPodIdentityRole(
            `${name}-thanos-${component}`,
            {
                ...scope,
                namespace,
                description: `Thanos ${component} of ${args.clusterName}: its metrics bucket only`,
                serviceAccount,
                policies: { bucket: pulumi.all([bucket.bucket, args.kmsKeyArn]).apply(([b, key]) => thanosBucketPolicy(component, b, key, args.region)) },
            },
            parent,
        );
    const identities = [role("sidecar", PROMETHEUS_SERVICE_ACCOUNT, args.namespace), role("store", THANOS_STORE_SERVICE_ACCOUNT, THANOS_NAMESPACE), role("compactor", THANOS_COMPACTOR_SERVICE_ACCOUNT, THANOS_NAMESPACE)].map((r) => r.association);

    const onCluster = { parent, provider: args.k8sProvider, dependsOn: args.dependsOn };
    const namespace = new k8s.core.v1.Namespace(`${name}-thanos`, thanosNamespace(THANOS_NAMESPACE) as k8s.core.v1.NamespaceArgs, onCluster);
    const inThanos = { ...onCluster, dependsOn: [namespace] };
    const [quota, limits] = thanosFence(THANOS_NAMESPACE, args.thanos);
    const fence = [new k8s.core.v1.ResourceQuota(`${name}-thanos`, quota as k8s.core.v1.ResourceQuotaArgs, inThanos), new k8s.core.v1.LimitRange(`${name}-thanos`, limits as k8s.core.v1.LimitRangeArgs, inThanos)];
    for (const policy of thanosNetworkPolicies(THANOS_NAMESPACE, args.namespace)) {
        new k8s.networking.v1.NetworkPolicy(`${name}-${policy.metadata!.namespace}-${policy.metadata!.name}`, policy as k8s.networking.v1.NetworkPolicyArgs, policy.metadata!.namespace === THANOS_NAMESPACE ? inThanos : onCluster);
    }
    // Built from outputs, and a secret in the state too: it names the bucket and the key. Both the sidecar and the Thanos pods read it.
    const objstore = pulumi.secret(pulumi.all([bucket.bucket, args.kmsKeyArn]).apply(([b, key]) => objstoreConfig(b, args.region, key)));
    const secretIn = (namespace: string, opts: pulumi.CustomResourceOptions) =>
        new k8s.core.v1.Secret(`${name}-thanos-objstore-${namespace}`, { metadata: { name: OBJSTORE_SECRET.name, namespace }, type: "Opaque", stringData: { [OBJSTORE_SECRET.key]: objstore } }, opts);
    const secret = secretIn(args.namespace, onCluster);
    const thanosSecret = secretIn(THANOS_NAMESPACE, inThanos);
    for (const object of thanosObjects({ namespace: THANOS_NAMESPACE, monitoringNamespace: args.namespace, image: args.versions.images.thanos, storageClassName: args.storageClassName, thanos: args.thanos })) {
        const kind = object.kind as string;
        const opts = { ...onCluster, dependsOn: pulumi.output(args.dependsOn ?? []).apply((d) => [...d, namespace, ...fence, thanosSecret, encryption, ...identities]) };
        const resourceName = `${name}-${object.metadata!.name}-${kind.toLowerCase()}`;
        if (kind === "Deployment") new k8s.apps.v1.Deployment(resourceName, object as k8s.apps.v1.DeploymentArgs, opts);
        else if (kind === "StatefulSet") new k8s.apps.v1.StatefulSet(resourceName, object as k8s.apps.v1.StatefulSetArgs, opts);
        else if (kind === "Service") new k8s.core.v1.Service(resourceName, object as k8s.core.v1.ServiceArgs, opts);
        else new k8s.core.v1.ServiceAccount(resourceName, object as k8s.core.v1.ServiceAccountArgs, opts);
    }
    return { bucket, identities: [...identities, secret], values: thanosValues(THANOS_NAMESPACE) };
}

/** The sidecar in the Prometheus pod, its gRPC service for Thanos Query, and Query as Grafana's datasource for history. */
export function thanosValues(namespace: string) {
    return {
        prometheus: {
            prometheusSpec: { thanos: { objectStorageConfig: { existingSecret: { name: OBJSTORE_SECRET.name, key: OBJSTORE_SECRET.key } } } },
            thanosService: { enabled: true },
        },
        grafana: {
            additionalDataSources: [{ name: "Thanos", type: "prometheus", access: "proxy", url: `http://thanos-query.${namespace}.svc:10902`, jsonData: { httpMethod: "POST" } }],
        },
    };
}
