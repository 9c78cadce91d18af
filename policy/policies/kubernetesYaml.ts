import { loadAll } from "js-yaml";

/** YAML as read for the guardrails, and why the cluster may read it otherwise (undefined when it reads the same). */
export interface ReadYaml {
    documents: unknown[];
    unreadable?: string;
}

const yamlReadings = new Map<string, ReadYaml>();

/** Whether the text uses a merge key (`<<`) as a key, not inside a string: asked of the `yaml` package, loaded only for text that holds `<<`. */
function usesMergeKey(text: string): boolean {
    const { isScalar, parseAllDocuments, visit } = require("yaml") as typeof import("yaml");
    let found = false;
    for (const doc of parseAllDocuments(text)) {
        visit(doc, {
            Pair(_, pair) {
                if (isScalar(pair.key) && pair.key.value === "<<" && pair.key.type === "PLAIN") found = true;
            },
        });
    }
    return found;
}

/**
 * YAML text read as the Kubernetes provider and aws-iam-authenticator read it (go-yaml v2, through
 * sigs.k8s.io/yaml): a repeated key keeps its last value. Where the readings may differ, `unreadable`
 * says why: a merge key (`<<`), which go-yaml v2 applies in order over the keys before it, or a
 * repeated key; text that is not YAML has no documents.
 */
export function readYaml(text: string): ReadYaml {
    const cached = yamlReadings.get(text);
    if (cached) return cached;
    const reasons: string[] = [];
    let documents: unknown[] = [];
    try {
        // js-yaml refuses a repeated key; read again, keeping the last value as go-yaml v2 does.
        documents = loadAll(text);
    } catch (e) {
        const message = String((e as Error).message);
        if (/duplicated mapping key/.test(message)) {
            reasons.push("a key is repeated in one mapping");
            try {
                documents = loadAll(text, undefined, { json: true });
            } catch (again) {
                reasons.push(`it is not valid YAML (${String((again as Error).message).split("\n")[0]})`);
            }
        } else {
            reasons.push(`it is not valid YAML (${message.split("\n")[0]})`);
        }
    }
    if (text.includes("<<") && usesMergeKey(text)) reasons.unshift("a merge key (<<) is used");
    const read: ReadYaml = reasons.length > 0 ? { documents, unreadable: reasons.join(", ") } : { documents };
    if (yamlReadings.size > 1000) yamlReadings.clear();
    yamlReadings.set(text, read);
    return read;
}
