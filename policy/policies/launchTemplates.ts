import type { PolicyResource } from "@pulumi/policy";
import { viewOf } from "./cloudControl";
import { Choice, COMPUTE_TYPES as C, instanceChoices } from "./instanceChoices";
import { known } from "./preview";
import { list, Props, T } from "./support";

/**
 * Launch templates and configurations as the stack policies see them: which the program
 * declares (by id, name and URN) and which templates a resource launches from. What a resource
 * leaves to a template is judged where the template is declared; a template the program does not
 * declare cannot be judged at all.
 */

export const TEMPLATE_TYPES: string[] = [T.launchTemplate, C.nativeLaunchTemplate, C.launchConfiguration];

/** Declared templates by id, name and URN, each with the instance choices it makes. */
export type TemplateIndex = Map<string, Choice[]>;

export function templateIndex(resources: PolicyResource[]): TemplateIndex {
    const index: TemplateIndex = new Map();
    for (const r of resources) {
        const { type, props } = viewOf(r.type, r.props);
        if (!TEMPLATE_TYPES.includes(type)) continue;
        const choices = known(() => instanceChoices(type, props)) ?? [];
        // Outputs carry no id; the ARN ends with it (launch-template/lt-..., launchConfigurationName/<name>).
        const arn = known(() => r.props.arn);
        const fromArn = typeof arn === "string" ? arn.split("/").pop() : undefined;
        const keys = [known(() => r.props.id), known(() => r.props.name), known(() => r.props.launchTemplateId), known(() => r.props.launchTemplateName), fromArn, r.urn];
        for (const key of keys) if (typeof key === "string" && key !== "") index.set(key, choices);
    }
    return index;
}

/** One reference to a template: the ids and names it gives, and whether any of them is not known yet. */
export interface TemplateRef {
    refs: string[];
    pending: boolean;
}

/** A value, null when absent, undefined when a preview does not know it yet. */
const read = (value: () => unknown): unknown => known(() => value() ?? null);

/** The template references a resource makes, wherever it keeps them (groups, fleets, node groups, Batch). */
export function templateRefsOf(props: Props): TemplateRef[] {
    const listed = (items: () => unknown, spec: (item: Props) => unknown): unknown[] => {
        const all = known(() => list<Props>(items() as Props[]));
        return all === undefined ? [undefined] : all.map((i) => read(() => spec(i)));
    };
    const specs = [
        read(() => props.launchTemplate),
        read(() => props.mixedInstancesPolicy?.launchTemplate?.launchTemplateSpecification),
        ...listed(() => props.mixedInstancesPolicy?.launchTemplate?.overrides, (o) => o?.launchTemplateSpecification),
        ...listed(() => props.launchTemplateConfigs, (c) => c?.launchTemplateSpecification),
        read(() => props.computeResources?.launchTemplate),
    ];
    const out: TemplateRef[] = [];
    for (const s of specs) {
        if (s === null) continue;
        const values = s === undefined ? [] : ["id", "name", "launchTemplateId", "launchTemplateName"].map((k) => read(() => (s as Props)[k]));
        const refs = values.filter((v): v is string => typeof v === "string" && v !== "");
        if (refs.length > 0 || s === undefined || values.includes(undefined)) out.push({ refs, pending: refs.length === 0 });
    }
    for (const field of ["launchConfiguration", "launchConfigurationName"]) {
        const value = read(() => props[field]);
        if (typeof value === "string" && value !== "") out.push({ refs: [value], pending: false });
        else if (value === undefined) out.push({ refs: [], pending: true });
    }
    return out;
}
