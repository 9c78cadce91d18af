import { Environment, EnvironmentInput } from "../components";
import { register, Registered, validInput } from "./harness";
import type { RecordedResource } from "../plan/engine";

/** The platform add-ons' shared test parts: what turning one off removes, and the dependency walk. */

type Platform = NonNullable<EnvironmentInput["platform"]>;

/** Registers an environment of `tier` with teams and the given platform config, and returns what was registered. */
export async function environmentWith(tier: "dev" | "staging" | "prod", platform: Platform, extra: Partial<EnvironmentInput> = {}): Promise<Registered> {
    return register(() => new Environment(`acme-${tier}`, { ...validInput(tier), platform, ...extra } as EnvironmentInput));
}

/** What a change of platform config removes and adds, as `type::name`. */
export async function difference(tier: "dev" | "staging" | "prod", on: Platform, off: Platform, extra: Partial<EnvironmentInput> = {}) {
    const key = (r: Registered) => new Set(r.all.map((x) => `${x.type}::${x.name}`));
    const [a, b] = [key(await environmentWith(tier, on, extra)), key(await environmentWith(tier, off, extra))];
    return { removed: [...a].filter((n) => !b.has(n)).sort(), added: [...b].filter((n) => !a.has(n)).sort() };
}

/** Does `from` depend on `to`, directly or through other resources? (The engine deletes `from` first.) */
export function dependsOn(registered: Registered, from: RecordedResource, to: RecordedResource): boolean {
    const seen = new Set<string>();
    const queue = [from.urn];
    while (queue.length > 0) {
        const urn = queue.shift()!;
        if (urn === to.urn) return true;
        if (seen.has(urn)) continue;
        seen.add(urn);
        queue.push(...(registered.byUrn(urn)?.dependencies ?? []));
    }
    return false;
}

/** The Helm release named `name` (the release's own name, not the resource's). */
export const releaseNamed = (r: Registered, name: string) => r.one("kubernetes:helm.sh/v3:Release", r.ofType("kubernetes:helm.sh/v3:Release").find((x) => x.inputs.name === name)?.name ?? `(no release ${name})`);
