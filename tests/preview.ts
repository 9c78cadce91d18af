import type { RecordedResource } from "../plan/engine";

/** The engine's marker for a value a preview cannot know yet, as it travels to the analyzer. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Json = unknown;

const AUTO_NAMED = new Set(["name", "metadata.name"]);

/** Every string leaf of `value` with its path, for finding what the provider computed. */
function leaves(value: Json, path: string[] = [], out = new Map<string, string>()): Map<string, string> {
    if (typeof value === "string") out.set(path.join("."), value);
    else if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, String(i)], out));
    else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
    return out;
}

function blank(value: Json, computed: readonly string[]): Json {
    if (typeof value === "string") return computed.some((c) => value.includes(c)) ? UNKNOWN : value;
    if (Array.isArray(value)) return value.map((v) => blank(v, computed));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blank(v, computed)]));
    return value;
}

/**
 * The resources as `pulumi preview` of a new stack shows them to the analyzer: whatever the
 * provider computes (ids, ARNs, URLs, generated names) is unknown, and so is every value built
 * from one (a policy document that embeds a queue's ARN, a name derived from an id).
 */
export function asFirstPreview(resources: RecordedResource[]): RecordedResource[] {
    const computed = new Set<string>();
    for (const r of resources) {
        const given = leaves(r.inputs);
        const outputs = leaves(r.outputs);
        // A Kubernetes object's id is its name, given or auto-named.
        const names = new Set([...given.values(), ...[...AUTO_NAMED].map((p) => outputs.get(p))]);
        if (r.id && !names.has(r.id)) computed.add(r.id);
        for (const [path, value] of outputs) {
            // Auto-names are known: providers assign them when they check the inputs, before the preview.
            if (AUTO_NAMED.has(path)) continue;
            // Short values ("1", "tcp") are not identities; a provider's computed ones are long.
            if (given.get(path) !== value && value.length >= 8) computed.add(value);
        }
    }
    const values = [...computed];
    return resources.map((r) => ({ ...r, id: r.id && UNKNOWN, inputs: blank(r.inputs, values) as Record<string, unknown>, outputs: blank(r.outputs, values) as Record<string, unknown> }));
}

function allUnknown(value: Json): Json {
    if (typeof value === "string") return UNKNOWN;
    if (Array.isArray(value)) return value.map(allUnknown);
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, allUnknown(v)]));
    return value;
}

/**
 * Each resource twice: as given, and as a shadow whose every string (names, namespaces, ARNs,
 * documents) is unknown, as a program that computes them from other resources' outputs shows
 * them in a preview. One such resource must not switch a stack policy off for all the others.
 */
export function withShadows(resources: RecordedResource[]): RecordedResource[] {
    return resources.flatMap((r) => [r, { ...r, urn: `${r.urn}-shadow`, name: `${r.name}-shadow`, id: r.id && UNKNOWN, inputs: allUnknown(r.inputs) as Record<string, unknown>, outputs: allUnknown(r.outputs) as Record<string, unknown> }]);
}
