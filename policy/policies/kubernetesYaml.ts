import { loadAll } from "js-yaml";
import { isScalar, parseAllDocuments, visit } from "yaml";

/** YAML as read for the guardrails, and why the cluster may read it otherwise (undefined when it reads the same). */
export interface ReadYaml {
    documents: unknown[];
    unreadable?: string;
}

const yamlReadings = new Map<string, ReadYaml>();

/**
 * YAML text read as the Kubernetes provider and aws-iam-authenticator read it (go-yaml v2, through
 * sigs.k8s.io/yaml): a repeated key keeps its last value. Where the readings may differ, `unreadable`
 * says why: a merge key (`<<`), which go-yaml v2 applies in order over the keys before it, or a
 * repeated key; text that is not YAML has no documents.
 */
export function readYaml(text: string): ReadYaml {
    const cached = yamlReadings.get(text);
    if (cached) return cached;
    const reasons = new Set<string>();
    for (const doc of parseAllDocuments(text)) {
        if (doc.errors.some((e) => e.code === "DUPLICATE_KEY")) reasons.add("a key is repeated in one mapping");
        visit(doc, {
            Pair(_, pair) {
                if (isScalar(pair.key) && pair.key.value === "<<" && pair.key.type === "PLAIN") reasons.add("a merge key (<<) is used");
            },
        });
    }
    let read: ReadYaml;
    try {
        // Repeated keys keep their last value, as in go-yaml v2.
        read = { documents: loadAll(text, undefined, { json: true }) };
    } catch (e) {
        reasons.add(`it is not valid YAML (${String((e as Error).message).split("\n")[0]})`);
        read = { documents: [] };
    }
    if (reasons.size > 0) read.unreadable = [...reasons].join(", ");
    if (yamlReadings.size > 1000) yamlReadings.clear();
    yamlReadings.set(text, read);
    return read;
}
