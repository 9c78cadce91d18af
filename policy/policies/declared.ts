import type { PolicyResource } from "@pulumi/policy";
import { known } from "./preview";

/**
 * What a stack half asks of the whole program: is the resource a reference names declared here?
 * A reference is matched by a known id, name or ARN; while a preview does not know it yet, by the
 * referrer's dependency on a resource of the right type.
 */

const UNKNOWN = Symbol("unknown");

/** What `read` returns, or UNKNOWN when it reads a value the preview does not know yet. */
function peek(read: () => unknown): unknown {
    let done = false;
    const value = known(() => {
        const v = read();
        done = true;
        return v;
    });
    return done ? value : UNKNOWN;
}

/** A resource's id: the `id` output, else the last part of its ARN (`.../launch-template/lt-...`). */
export function idOf(r: PolicyResource): unknown {
    return known(() => r.props.id) ?? known(() => String(r.props.arn ?? "").split("/").pop() || undefined);
}

/** Declared resources of some types, by every string that can name them. */
export class Declared {
    private readonly byName = new Map<string, PolicyResource>();

    constructor(
        resources: PolicyResource[],
        private readonly types: readonly string[],
        names: (r: PolicyResource) => unknown[],
    ) {
        for (const r of resources) {
            if (!types.includes(r.type)) continue;
            for (const n of names(r)) if (typeof n === "string" && n !== "") this.byName.set(n, r);
        }
    }

    /**
     * The declared resources `referrer` names through `read`: the one a known name matches, none
     * when it matches nothing ("undeclared"), or, while the name is not known (or was never given
     * back), those the referrer depends on; "unknown" when nothing tells.
     */
    resolve(referrer: PolicyResource, read: () => unknown): PolicyResource[] | "undeclared" | "unknown" {
        const value = peek(read);
        if (typeof value === "string" && value !== "") {
            const found = this.byName.get(value);
            return found ? [found] : "undeclared";
        }
        const linked = (referrer.dependencies ?? []).filter((d) => this.types.includes(d.type));
        return linked.length > 0 ? linked : "unknown";
    }
}

/** A known string for a message, or the fallback. */
export function shown(read: () => unknown, fallback: string): string {
    const v = peek(read);
    return typeof v === "string" ? v : fallback;
}
