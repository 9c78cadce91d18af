import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { guardPolicy } from "../shared/admission";
import { roleArnPrefix, SecretsScope, teamReaderPath } from "./iam";

/**
 * The operator acts with its own identity for every namespace, so what a namespace's objects ask
 * of it is the isolation. In a team namespace, whoever writes (a member with extra rights, a
 * team's GitOps controller):
 * - a SecretStore reads AWS through the team's own reader role, and nothing else: another team's
 *   role would read that team's secrets, and any other provider makes the operator call out to an
 *   address the team chose (a way to the internet around restricted egress);
 * - an ExternalSecret uses namespaced stores only, and generators that compute locally, and
 *   refreshes no more often than once a minute;
 * - generators are those local kinds only: the others assume roles or call out;
 * - PushSecrets are refused (the operator does not process them; the stores are read-only).
 */

/** The admission policy (and binding) for the operator's objects in team namespaces. */
export const SECRETS_GUARD_NAME = "envstack-team-secrets-guard";
/** The shortest refresh interval a team's ExternalSecret may ask for. */
export const MIN_REFRESH = "1m";
/** Generator kinds that compute a value locally, and their resources. */
export const LOCAL_GENERATORS = { Password: "passwords", SSHKey: "sshkeys", UUID: "uuids" } as const;

const kinds = JSON.stringify(Object.keys(LOCAL_GENERATORS));
/** A sourceRef (CEL expression) names a namespaced store or a local generator. */
const localSource = (ref: string) =>
    `!has(${ref}.sourceRef) || ((!has(${ref}.sourceRef.storeRef) || !has(${ref}.sourceRef.storeRef.kind) || ${ref}.sourceRef.storeRef.kind == 'SecretStore') && (!has(${ref}.sourceRef.generatorRef) || ${kinds}.exists(k, k == ${ref}.sourceRef.generatorRef.kind)))`;

export function secretsGuardExpressions(scope: SecretsScope) {
    const prefix = (team: string) => `'${roleArnPrefix(scope, teamReaderPath(scope.environment, `' + ${team} + '`))}'`;
    return {
        storeIsOwnAws:
            `has(object.spec.provider) && object.spec.provider.all(p, p == 'aws') && has(object.spec.provider.aws) && ` +
            `object.spec.provider.aws.all(k, k in ['service', 'region', 'role', 'prefix']) && has(object.spec.provider.aws.role) && object.spec.provider.aws.role.startsWith(${prefix("namespaceObject.metadata.name")})`,
        externalSecretIsLocal:
            `(!has(object.spec.secretStoreRef) || !has(object.spec.secretStoreRef.kind) || object.spec.secretStoreRef.kind == 'SecretStore') && ` +
            `(!has(object.spec.data) || object.spec.data.all(d, ${localSource("d")})) && (!has(object.spec.dataFrom) || object.spec.dataFrom.all(d, ${localSource("d")}))`,
        // Every refresh calls AWS with the account's shared request quota: a refresh per second from one team would throttle every other.
        slowRefresh: `!has(object.spec.refreshInterval) || object.spec.refreshInterval in ['0', '0s'] || duration(object.spec.refreshInterval) >= duration('${MIN_REFRESH}')`,
        localGenerator: `${JSON.stringify(Object.values(LOCAL_GENERATORS))}.exists(r, r == request.resource.resource)`,
    };
}

export function secretsGuardPolicy(scope: SecretsScope): IValidatingAdmissionPolicy {
    const e = secretsGuardExpressions(scope);
    const is = (resource: string) => `request.resource.resource == '${resource}'`;
    return guardPolicy(
        SECRETS_GUARD_NAME,
        [
            { apiGroups: ["external-secrets.io"], resources: ["secretstores", "externalsecrets", "pushsecrets"] },
            { apiGroups: ["generators.external-secrets.io"], resources: ["*"] },
        ],
        [
            {
                expression: `!(${is("secretstores")}) || (${e.storeIsOwnAws})`,
                message: "in a team namespace, a SecretStore reads Secrets Manager or Parameter Store through the team's own reader role, with no other provider or credentials; use the stores envstack made",
            },
            {
                expression: `!(${is("externalsecrets")}) || (${e.externalSecretIsLocal})`,
                message: `in a team namespace, an ExternalSecret uses the namespace's SecretStores (not a ClusterSecretStore) and only the ${Object.keys(LOCAL_GENERATORS).join(", ")} generators`,
            },
            { expression: `!(${is("externalsecrets")}) || (${e.slowRefresh})`, message: `in a team namespace, an ExternalSecret refreshes at most every ${MIN_REFRESH} (refreshInterval ${MIN_REFRESH} or more, or 0 for never)` },
            { expression: `!(${is("pushsecrets")})`, message: "PushSecrets are refused in team namespaces: the team's stores are read-only; write secrets with the AWS CLI or your pipeline" },
            {
                expression: `request.resource.group != 'generators.external-secrets.io' || (${e.localGenerator})`,
                message: `in a team namespace, only the ${Object.keys(LOCAL_GENERATORS).join(", ")} generators are allowed: the others assume AWS roles or call out`,
            },
        ],
    );
}
