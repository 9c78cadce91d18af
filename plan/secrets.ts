/**
 * Placeholder for `secure:` values: the offline plan has no secrets provider. It is an https URL,
 * so a secret endpoint (the commonest nested secret) still passes the config's checks, and a
 * program can tell a value that was secret in the stack file from one that was written plainly.
 */
export const SECRET_PLACEHOLDER = "https://offline-plan.invalid/secret";
