import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import * as ipaddr from "ipaddr.js";

/**
 * Admission policies evaluated as the API server would: the match conditions, then every
 * validation, with @marcbachmann/cel-js and Kubernetes' CIDR library (`cidr(s).containsCIDR(t)`).
 */

class CIDR {
    readonly range: [ipaddr.IPv4 | ipaddr.IPv6, number];
    constructor(text: string) {
        this.range = ipaddr.parseCIDR(text);
    }
}

let environment: Promise<{ evaluate(expression: string, context: object): unknown }> | undefined;

async function celEnvironment() {
    environment ??= (async () => {
        const { Environment } = await import("@marcbachmann/cel-js");
        return new Environment({ unlistedVariablesAreDyn: true })
            .registerType("net.CIDR", CIDR)
            .registerFunction("cidr(string): net.CIDR", (text: string) => new CIDR(text))
            .registerFunction("net.CIDR.containsCIDR(string): bool", (self: CIDR, text: string) => {
                const [address, bits] = ipaddr.parseCIDR(text);
                return address.kind() === self.range[0].kind() && bits >= self.range[1] && address.match(self.range);
            });
    })();
    return environment;
}

/** What the API server answers a request: "not checked" when a match condition excludes it, else "admitted" or the messages of the failed validations. */
export async function admit(policy: IValidatingAdmissionPolicy, vars: { request: object; object: object | null; oldObject: object | null; namespaceObject: object }): Promise<string | string[]> {
    const env = await celEnvironment();
    if (!(policy.spec!.matchConditions ?? []).every((m) => env.evaluate(m.expression, vars) === true)) return "not checked";
    const failed = policy.spec!.validations!.filter((v) => env.evaluate(v.expression, vars) !== true).map((v) => v.message!);
    return failed.length === 0 ? "admitted" : failed;
}
