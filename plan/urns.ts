/**
 * URNs as the Pulumi engine builds them: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`,
 * where the qualified type is the parent's qualified type, `$`, then the resource's own type (the
 * root stack's type is left out). The SDK's mock monitor keeps only the parent's last type, so
 * the offline plan builds URNs here instead; URN stability across releases is checked on them.
 */

const ROOT_STACK = "pulumi:pulumi:Stack";

/** The qualified type of a URN (`a$b$c`). */
export function qualifiedType(urn: string): string {
    return urn.split("::")[2] ?? "";
}

export function buildUrn(stack: string, project: string, parent: string | undefined, type: string, name: string): string {
    const parentType = parent ? qualifiedType(parent) : "";
    const qualified = parentType && parentType !== ROOT_STACK ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The alias URNs of a registration, as the engine resolves them: its own aliases, then those inherited from its parent's. */
export function aliasUrns(req: any, stack: string, project: string, parentAliases: readonly string[]): string[] {
    const type: string = req.getType();
    const name: string = req.getName();
    const parent: string | undefined = req.getParent() || undefined;
    const own: string[] = [...(req.getAliasurnsList?.() ?? [])];
    for (const alias of req.getAliasesList?.() ?? []) {
        if (alias.getUrn()) {
            own.push(alias.getUrn());
            continue;
        }
        const spec = alias.getSpec();
        const aliasParent = spec.getNoparent() ? undefined : spec.getParenturn() || parent;
        own.push(buildUrn(spec.getStack() || stack, spec.getProject() || project, aliasParent, spec.getType() || type, spec.getName() || name));
    }
    // A child of an aliased parent is also known under each of the parent's former URNs.
    const inherited = parentAliases.map((p) => buildUrn(stack, project, p, type, name));
    return [...new Set([...own, ...inherited])];
}
