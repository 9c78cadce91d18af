/** Name patterns for allow-lists in policy config: `*` stands for any run of characters. */

const compiled = new Map<string, RegExp>();

function regexFor(pattern: string, ignoreCase: boolean): RegExp {
    const key = `${ignoreCase ? "i" : "s"}${pattern}`;
    let regex = compiled.get(key);
    if (!regex) {
        const body = pattern
            .split("*")
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*");
        regex = new RegExp(`^${body}$`, ignoreCase ? "i" : "");
        compiled.set(key, regex);
    }
    return regex;
}

/** Whether `value` matches one of `patterns` (exact names, or names with `*`). */
export function matchesAny(value: string, patterns: readonly string[], options: { ignoreCase?: boolean } = {}): boolean {
    const ignoreCase = options.ignoreCase ?? false;
    // A name without `*` is itself: no regex needed when case counts.
    return patterns.some((p) => (!ignoreCase && !p.includes("*") ? p === value : regexFor(p, ignoreCase).test(value)));
}
