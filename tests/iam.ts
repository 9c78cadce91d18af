import type { PolicyDocument } from "../components/shared/iam";

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
            identityPolicies: policies.map((policy, i) => ({ name: `policy-${i}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
            request: {
                action: request.action,
                principal: request.principal ?? `arn:aws:iam::${account}:role/under-test`,
                resource: { accountId: account, resource: request.resource },
                contextVariables: request.context ?? {},
            },
        } as never,
        {},
    );
    if (response.resultType === "error") throw new Error(`simulation rejected: ${JSON.stringify(response.errors)}`);
    return response.overallResult;
}
