export { ExternalSecrets, ExternalSecretsArgs, EXTERNAL_SECRETS_NAMESPACE, EXTERNAL_SECRETS_SERVICE_ACCOUNT } from "./externalSecrets";
export { TeamSecrets, TeamSecretsArgs } from "./teamSecrets";
