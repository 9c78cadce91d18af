import type { IClusterSecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore";
import type { ISecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { TEAM_LABEL, teamGroup } from "../shared/naming";
import { LOCAL_GENERATORS } from "./guard";

/** The objects of the secrets concern: the stores, and the rights a team has over them. */

/** The two AWS services a store reads from (one store each: a store names one service). */
export const STORE_SERVICES = { "secrets-manager": "SecretsManager", "parameter-store": "ParameterStore" } as const;
/** A store's name: `secrets-manager` or `parameter-store`. */
export type StoreName = keyof typeof STORE_SERVICES;
/** The platform's ClusterSecretStores are these names with this prefix. */
export const PLATFORM_STORE_PREFIX = "platform-";
const MANAGED = { "app.kubernetes.io/managed-by": "envstack" };

/** A team's stores: both services, through the team's reader role. */
export function teamSecretStores(namespace: string, region: string, readerRoleArn: string): ISecretStore[] {
    return Object.entries(STORE_SERVICES).map(([name, service]) => ({
        apiVersion: "external-secrets.io/v1",
        kind: "SecretStore",
        metadata: { name, namespace, labels: MANAGED },
        spec: { provider: { aws: { service, region, role: readerRoleArn } } },
    }));
}

/** The platform's stores, refused to every team namespace (the operator enforces the condition). */
export function platformClusterSecretStores(region: string, readerRoleArn: string): IClusterSecretStore[] {
    return Object.entries(STORE_SERVICES).map(([name, service]) => ({
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name: `${PLATFORM_STORE_PREFIX}${name}`, labels: MANAGED },
        spec: {
            conditions: [{ namespaceSelector: { matchExpressions: [{ key: TEAM_LABEL, operator: "DoesNotExist" }] } }],
            provider: { aws: { service, region, role: readerRoleArn } },
        },
    }));
}

/** Members manage ExternalSecrets and the local generators, and read the stores; the stores themselves are envstack's. */
export function teamSecretsRole(namespace: string): IRole {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: "envstack-team-secrets", namespace, labels: MANAGED },
        rules: [
            { apiGroups: ["external-secrets.io"], resources: ["externalsecrets"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
            { apiGroups: ["external-secrets.io"], resources: ["secretstores"], verbs: ["get", "list", "watch"] },
            { apiGroups: ["generators.external-secrets.io"], resources: Object.values(LOCAL_GENERATORS), verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
        ],
    };
}

/** Binds the Role to the team's Kubernetes group. */
export function teamSecretsRoleBinding(namespace: string, team: string): IRoleBinding {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "envstack-team-secrets", namespace, labels: MANAGED },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "envstack-team-secrets" },
        subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: teamGroup(team) }],
    };
}
