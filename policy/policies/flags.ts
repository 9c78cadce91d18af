/**
 * Values as the AWS provider reads them. A program may pass a string for a boolean field and the
 * provider converts it ("1", "t", "true", "0", "f", "false", in any case, and 1 or 0), so a check
 * that compares with `true` alone lets `"1"` through. Launch templates and StorageClasses take
 * strings anyway.
 */

const ON = new Set(["1", "t", "true"]);
const OFF = new Set(["0", "f", "false"]);

/** true or false as the provider would read the value; undefined when it is not a boolean (unset, unknown, unreadable). */
export function flag(value: unknown): boolean | undefined {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return value === 1 ? true : value === 0 ? false : undefined;
    if (typeof value !== "string") return undefined;
    const v = value.trim().toLowerCase();
    return ON.has(v) ? true : OFF.has(v) ? false : undefined;
}

/** The value turns the setting on. */
export const isOn = (value: unknown): boolean => flag(value) === true;

/** The value turns the setting off (unset is neither on nor off). */
export const isOff = (value: unknown): boolean => flag(value) === false;

/** A policy document given as a JSON string or as the object; undefined when the string is not JSON. */
export function documentOf(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

/** A number as the provider applies it: a number, or a string it converts ("2560"); undefined otherwise. */
export function asNumber(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value !== "string" || value.trim() === "") return undefined;
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
}

/** A JSON document given as a string or already as an object (an EMR configuration, an OpenSearch policy). */
export function parseJson(text: unknown): Record<string, any> | undefined {
    const doc = documentOf(text);
    return typeof doc === "object" && doc !== null ? (doc as Record<string, any>) : undefined;
}
