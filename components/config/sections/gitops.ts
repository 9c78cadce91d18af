/** The gitops section of a stack's config: Argo CD, for teams that deploy from Git. */

/** Single sign-on for Argo CD's UI and CLI, through an OIDC provider. */
export interface GitOpsSsoConfig {
    /** The provider's issuer URL, `https://`. */
    issuer: string;
    /** The OAuth client id registered for Argo CD. */
    clientId: string;
    /** The Secret in the `argocd` namespace holding the client secret under `oidc.clientSecret`, which you create: it never passes through the stack. */
    clientSecretName: string;
}

/** Argo CD. */
export interface GitOpsConfig {
    /** Run Argo CD (off in dev, on in staging and prod). */
    enabled: boolean;
    /** Several replicas of each stateless part, and Redis HA (prod). */
    ha: boolean;
    /** Login through SSO; without it, only cluster admins reach Argo CD, through `kubectl port-forward`. */
    sso?: GitOpsSsoConfig;
}
