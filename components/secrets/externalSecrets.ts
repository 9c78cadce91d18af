import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { systemPlacement } from "../cluster/nodeGroups";
import { createGuard } from "../shared/admission";
import { PodIdentityAddonArgs, chartRelease } from "../shared/chart";
import { createPodIdentityRole } from "../shared/podIdentity";
import { checkExternalSecretsArguments } from "./args";
import { secretsGuardPolicy } from "./guard";
import { operatorPolicy, PLATFORM_OWNER, platformReaderPath, readerPolicy, readerRoleName, readerTrust, SecretsScope } from "./iam";
import { platformClusterSecretStores } from "./manifests";

/** Where the operator runs, and the environment whose secrets it reads. */
export interface ExternalSecretsArgs extends PodIdentityAddonArgs {
    /** Replicas of the controller (one leads), its webhook and its certificate controller; two or more get PodDisruptionBudgets. */
    replicas: number;
    /** The environment's name: the first segment of every secret name it reads, and of its roles' IAM path. */
    environmentName: string;
    /** The region of the cluster, the secrets and the parameters. */
    region: string;
    /** The account of the cluster and the secrets. */
    accountId: string;
    /** The environment key: secrets and parameters are decrypted with it, through their services only. */
    kmsKeyArn: pulumi.Input<string>;
}

/** Its namespace. */
export const EXTERNAL_SECRETS_NAMESPACE = "kube-system";
/** The operator's service account. */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = "external-secrets";

/**
 * The External Secrets Operator: Kubernetes Secrets from Secrets Manager and Parameter Store.
 * Its own role may only assume this environment's reader roles. The platform's reader backs two
 * ClusterSecretStores that team namespaces cannot use; each team gets its own reader and stores
 * from `TeamSecrets`. An admission guard keeps team namespaces to their own stores.
 */
export class ExternalSecrets extends pulumi.ComponentResource {
    /** The chart's release (and the CRDs): team stores wait for it. */
    readonly release: k8s.helm.v3.Release;
    /** The operator's role, which the reader roles trust. */
    readonly operatorRoleArn: pulumi.Output<string>;
    /** The platform's reader role. */
    readonly platformReader: aws.iam.Role;
    /** The admission guard for the operator's objects in team namespaces: team stores wait for it. */
    readonly guard: pulumi.Resource;

    constructor(name: string, args: ExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        checkExternalSecretsArguments(args);
        super("envstack:index:ExternalSecrets", name, {}, opts);
        const scope: SecretsScope = { environment: args.environmentName, region: args.region, accountId: args.accountId };
        const operator = createPodIdentityRole(
            name,
            {
                description: `External Secrets Operator of ${args.clusterName}: assumes the environment's reader roles`,
                accountId: args.accountId,
                region: args.region,
                clusterName: args.clusterName,
                namespace: EXTERNAL_SECRETS_NAMESPACE,
                serviceAccount: EXTERNAL_SECRETS_SERVICE_ACCOUNT,
                policies: { assume: operatorPolicy(scope) },
                dependsOn: args.dependsOn,
                tags: args.tags,
            },
            this,
        );
        this.operatorRoleArn = operator.role.arn;
        this.platformReader = new aws.iam.Role(
            `${name}-platform`,
            {
                name: readerRoleName(args.environmentName, PLATFORM_OWNER),
                path: platformReaderPath(args.environmentName),
                description: `Reads ${args.environmentName}/${PLATFORM_OWNER}/ secrets and parameters for the platform's ClusterSecretStores`,
                assumeRolePolicy: operator.role.arn.apply((arn) => JSON.stringify(readerTrust(arn))),
                tags: args.tags,
            },
            { parent: this },
        );
        const read = new aws.iam.RolePolicy(
            `${name}-platform`,
            { role: this.platformReader.name, policy: pulumi.output(args.kmsKeyArn).apply((key) => JSON.stringify(readerPolicy(scope, PLATFORM_OWNER, key))) },
            { parent: this.platformReader },
        );
        const onCluster = { parent: this, provider: args.k8sProvider };
        this.release = chartRelease(
            name,
            args.versions.charts.externalSecrets,
            { name: "external-secrets", namespace: EXTERNAL_SECRETS_NAMESPACE, values: externalSecretsValues(args.replicas) },
            { ...onCluster, dependsOn: pulumi.output(args.dependsOn ?? []).apply((d) => [...d, operator.association]) },
        );
        const afterRelease = { ...onCluster, dependsOn: [this.release] };
        this.guard = createGuard(`${name}-team-secrets-guard`, secretsGuardPolicy(scope), afterRelease);
        // The specs wait for the role's ARN; the stores themselves are known at preview.
        const stores = this.platformReader.arn.apply((arn) => platformClusterSecretStores(args.region, arn));
        platformClusterSecretStores(args.region, "").forEach((store, i) => {
            new k8s.apiextensions.CustomResource(
                `${name}-${store.metadata!.name}`,
                { apiVersion: store.apiVersion, kind: store.kind, metadata: store.metadata, spec: stores.apply((s) => s[i].spec) } as k8s.apiextensions.CustomResourceArgs,
                { ...afterRelease, dependsOn: [this.release, read] },
            );
        });
        this.registerOutputs({ operatorRoleArn: this.operatorRoleArn });
    }
}

/** The chart's values. */
export function externalSecretsValues(replicas: number) {
    const budget = replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false };
    const placed = (cpu: string, memory: string) => ({
        replicaCount: replicas,
        podDisruptionBudget: budget,
        resources: { requests: { cpu, memory }, limits: { memory } },
        priorityClassName: "system-cluster-critical",
    });
    return {
        installCRDs: true,
        crds: { unsafeServeV1Beta1: false },
        ...placed("50m", "128Mi"),
        // Two replicas without leader election would both reconcile; the certificate controller follows the same flag.
        leaderElect: true,
        global: systemPlacement(),
        serviceAccount: { create: true, name: EXTERNAL_SECRETS_SERVICE_ACCOUNT },
        // No store here authenticates with a service account token, so the operator may not mint them for any account.
        rbac: { serviceAccountTokenCreate: false, aggregateToEdit: false, aggregateToAdmin: false },
        // The stores are read-only: nothing pushes secrets out of the cluster.
        processPushSecret: false,
        processClusterPushSecret: false,
        processClusterGenerator: false,
        webhook: placed("20m", "64Mi"),
        certController: placed("20m", "64Mi"),
    };
}
