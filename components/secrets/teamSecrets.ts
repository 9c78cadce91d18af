import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../shared/tags";
import { checkTeamSecretsArguments } from "./args";
import { readerPolicy, readerRoleName, readerTrust, teamReaderPath } from "./iam";
import { teamSecretStores, teamSecretsRole, teamSecretsRoleBinding } from "./manifests";

/** One team's access to its secrets. */
export interface TeamSecretsArgs {
    /** The team's name, which is its namespace. */
    team: string;
    /** The environment's name: the team reads `<environment>/<team>/` secrets and `/<environment>/<team>/` parameters. */
    environmentName: string;
    /** The region of the secrets and parameters. */
    region: string;
    /** Their account. */
    accountId: string;
    /** The environment key, which encrypts them. */
    kmsKeyArn: pulumi.Input<string>;
    /** The operator's role (`ExternalSecrets.operatorRoleArn`): the only principal the team's reader trusts. */
    operatorRoleArn: pulumi.Input<string>;
    /** Provider for the cluster. */
    k8sProvider: k8s.Provider;
    /** The team's namespace and the operator's release (its CRDs). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** Tags on the reader role. */
    tags: Tags;
}

/**
 * A team's secrets: a reader role under the team's IAM path that reads only the team's prefix,
 * two SecretStores in the namespace (Secrets Manager and Parameter Store) that use it, and the
 * right for members to manage ExternalSecrets (not stores).
 */
export class TeamSecrets extends pulumi.ComponentResource {
    /** The team's reader role. */
    readonly reader: aws.iam.Role;

    constructor(name: string, args: TeamSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        checkTeamSecretsArguments(args);
        super("envstack:index:TeamSecrets", name, {}, opts);
        const scope = { environment: args.environmentName, region: args.region, accountId: args.accountId };
        this.reader = new aws.iam.Role(
            name,
            {
                name: readerRoleName(args.environmentName, args.team),
                path: teamReaderPath(args.environmentName, args.team),
                description: `Reads ${args.environmentName}/${args.team}/ secrets and parameters for team ${args.team}'s SecretStores`,
                assumeRolePolicy: pulumi.output(args.operatorRoleArn).apply((arn) => JSON.stringify(readerTrust(arn))),
                tags: args.tags,
            },
            { parent: this },
        );
        const read = new aws.iam.RolePolicy(
            name,
            { role: this.reader.name, policy: pulumi.output(args.kmsKeyArn).apply((key) => JSON.stringify(readerPolicy(scope, args.team, key))) },
            { parent: this.reader },
        );
        const onCluster = { parent: this, provider: args.k8sProvider, dependsOn: args.dependsOn };
        const role = new k8s.rbac.v1.Role(`${name}-members`, teamSecretsRole(args.team) as k8s.rbac.v1.RoleArgs, onCluster);
        new k8s.rbac.v1.RoleBinding(`${name}-members`, teamSecretsRoleBinding(args.team, args.team) as k8s.rbac.v1.RoleBindingArgs, { ...onCluster, dependsOn: pulumi.output(args.dependsOn ?? []).apply((d) => [...d, role]) });
        const stores = this.reader.arn.apply((arn) => teamSecretStores(args.team, args.region, arn));
        teamSecretStores(args.team, args.region, "").forEach((store, i) => {
            new k8s.apiextensions.CustomResource(
                `${name}-${store.metadata!.name}`,
                { apiVersion: store.apiVersion, kind: store.kind, metadata: store.metadata, spec: stores.apply((s) => s[i].spec) } as k8s.apiextensions.CustomResourceArgs,
                { ...onCluster, dependsOn: pulumi.output(args.dependsOn ?? []).apply((d) => [...d, read]) },
            );
        });
        this.registerOutputs({ readerArn: this.reader.arn });
    }
}
