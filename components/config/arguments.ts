import type { z } from "zod";
import { checkControlCharacters, Problems } from "./errors";
import { parseReporting } from "./resolve";

/**
 * A component's arguments checked before it registers anything: every field against the
 * component's schema, then the checks that relate fields (written for a stack's config, where
 * they sit under `section`). Every problem is thrown at once, named by the argument's own path
 * (`spotPercentage`, `staticVolumes[0].capacity`).
 */
export function checkArguments(subject: string, schema: z.ZodType, args: unknown, relations?: { section: string; check: (problems: Problems) => void }): void {
    const problems = new Problems();
    parseReporting(schema, withoutUndefined(args), problems);
    // Relations are between fields: without an object of arguments there are none to check.
    const isArguments = typeof args === "object" && args !== null && !Array.isArray(args);
    if (relations && isArguments) {
        const related = new Problems();
        relations.check(related);
        const { section } = relations;
        problems.addUnreported(related, (path) => (path === section ? "" : path.startsWith(`${section}.`) ? path.slice(section.length + 1) : path));
    }
    checkControlCharacters(args, problems);
    problems.throwIfAny(subject);
}

/** Plain objects without their `undefined` fields: `{ size: undefined }` means the field left out, as in TypeScript. */
function withoutUndefined(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
    if (typeof value !== "object" || value === null || seen.has(value) || depth > 64) return value;
    seen.add(value);
    if (Array.isArray(value)) return value.map((v) => withoutUndefined(v, seen, depth + 1));
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value; // resources, outputs, providers
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) Object.defineProperty(out, k, { value: withoutUndefined(v, seen, depth + 1), enumerable: true, writable: true, configurable: true });
    return out;
}
