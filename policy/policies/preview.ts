/**
 * During `pulumi preview`, CrossGuard throws when a policy reads a value not known yet (a new
 * resource's id, an output-built string), and a stack policy that throws is skipped whole. The
 * stack policies read such values through `known`, so one unknown id does not switch them off.
 */

/** What `read` returns, or undefined when it reads a value the preview does not know yet. */
export function known<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (err) {
        // Matched by name: the pack and the CLI's analyzer may load different copies of @pulumi/policy.
        if ((err as Error)?.constructor?.name === "UnknownValueError") return undefined;
        throw err;
    }
}

/**
 * Visits each item, skipping one whose values the preview does not know yet: a stack policy
 * judges every other resource instead of being switched off by one computed name.
 */
export function eachKnown<T>(items: Iterable<T>, visit: (item: T) => void): void {
    for (const item of items) known(() => visit(item));
}
