import type { PolicyDocument } from "../components/shared/iam";

/**
 * The simulator resolves variable condition keys only after a '/', like aws:ResourceTag/Name; it
 * ignores KMS's `kms:EncryptionContext:<key>`. Those are carried, in the policies and the request
 * alike, as a global key with the same operator and values, so the conditions still decide.
 */
const ENCRYPTION_CONTEXT = /^kms:EncryptionContext:(.+)$/;
const carried = (key: string) => key.replace(ENCRYPTION_CONTEXT, "aws:PrincipalTag/kms-encryption-context-$1");
function carryEncryptionContext<T>(value: T): T {
    if (Array.isArray(value)) return value.map(carryEncryptionContext) as T;
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [carried(k), carryEncryptionContext(v)])) as T;
}

/**
 * Runs a request through @cloud-copilot/iam-simulate (AGPL, a devDependency only) against
 * identity policies, returning the decision: Allowed, ImplicitlyDenied or ExplicitlyDenied.
 */
export async function simulate(
    policies: PolicyDocument[],
    request: { action: string; resource: string; account?: string; context?: Record<string, string | string[]>; principal?: string; resourcePolicy?: object },
): Promise<string> {
    const { runSimulation } = await import("@cloud-copilot/iam-simulate");
    const account = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(request.resource)?.[1] ?? request.account ?? "111122223333";
    const response = await runSimulation(
        {
            identityPolicies: policies.map((policy, i) => ({ name: `policy-${i}`, policy: carryEncryptionContext(policy) })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(request.resourcePolicy ? { resourcePolicy: carryEncryptionContext(request.resourcePolicy) } : {}),
            request: {
                action: request.action,
                principal: request.principal ?? `arn:aws:iam::${account}:role/under-test`,
                resource: { accountId: account, resource: request.resource },
                contextVariables: carryEncryptionContext(request.context ?? {}),
            },
        } as never,
        {},
    );
    if (response.resultType === "error") throw new Error(`simulation rejected: ${JSON.stringify(response.errors)}`);
    return response.overallResult;
}
