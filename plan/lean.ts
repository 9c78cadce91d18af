import Module from "node:module";

/**
 * Loads the plan lean. At import, `@pulumi/pulumi` loads what only closure serialization uses
 * (TypeScript, npm's Arborist, normalize-package-data: about 40% of its load time), awsx loads
 * its classic API and the AWS ECS client, and `@pulumi/aws` loads all of its ~250 services. A plan
 * needs few of them, so those modules load on first use instead: each is replaced by a proxy that
 * requires the real module when a property is first read.
 */

/** Module specifiers as the Pulumi packages write them, and the file that requires each. */
const LAZY: Record<string, string> = {
    "../../typescript-shim": "@pulumi/pulumi/runtime/closure/",
    "@npmcli/arborist": "@pulumi/pulumi/runtime/closure/",
    "normalize-package-data": "@pulumi/pulumi/runtime/closure/",
    "@aws-sdk/client-ecs": "@pulumi/awsx/",
    // awsx's index loads its whole "classic" API (about 90 modules) that only older programs use.
    "./classic": "@pulumi/awsx/index.js",
};

/** `@pulumi/aws`'s index requires each service as `./<service>`; these few it needs at once. */
const AWS_INDEX = "@pulumi/aws/index.js";
const AWS_EAGER = new Set(["./utilities", "./provider", "./tags", "./utils"]);

type Loader = { _load(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown };
let installed = false;

export function installLazyModules(): void {
    if (installed) return;
    installed = true;
    const loader = Module as unknown as Loader;
    const load = loader._load;
    const proxies = new Map<string, unknown>();
    const awsServices = new Map<string, () => unknown>();
    let awsLazy: boolean | undefined;
    loader._load = function (request, parent, isMain) {
        const file = parent?.filename ?? "";
        let awsService = file.endsWith(`node_modules/${AWS_INDEX}`) && /^\.\/[a-z0-9]+$/.test(request) && !AWS_EAGER.has(request);
        // Services load lazily only if their types can still be found: else, as before, at once.
        if (awsService) awsService = awsLazy ??= loadServiceOnLookup(file, awsServices);
        const from = LAZY[request];
        if (!awsService && (from === undefined || !file.includes(`node_modules/${from}`))) return load.call(this, request, parent, isMain);
        const key = `${request}\0${file}`;
        if (!proxies.has(key)) {
            const lazy = lazyModule(() => load.call(this, request, parent, isMain));
            proxies.set(key, lazy.exports);
            if (awsService) awsServices.set(request.slice(2), lazy.load);
        }
        return proxies.get(key);
    };
}

/**
 * A service registers its resource types when it loads, and the SDK turns a resource reference
 * (say, the `eksCluster` output of an eks.Cluster) into a live object only for registered types.
 * So a lookup of an `aws:<service>/...` type in the SDK's registry loads that service first.
 */
function loadServiceOnLookup(awsIndex: string, services: Map<string, () => unknown>): boolean {
    let registry: Map<string, unknown> | undefined;
    try {
        const state = Module.createRequire(awsIndex)("@pulumi/pulumi/runtime/state") as { getResourceModules?: () => Map<string, unknown> };
        registry = state.getResourceModules?.();
    } catch {
        registry = undefined;
    }
    if (!(registry instanceof Map)) return false;
    const get = registry.get.bind(registry);
    registry.get = (key: string) => {
        const found = get(key);
        if (found !== undefined || !key.startsWith("aws:")) return found;
        const load = services.get(key.slice(4).split("/")[0]);
        if (!load) return found;
        load();
        return get(key);
    };
    return true;
}

/**
 * A stand-in for a module's exports. It says `__esModule`, so TypeScript's import helpers pass it
 * through untouched, and answers `default` with the module itself for CommonJS modules.
 */
function lazyModule(require: () => unknown): { exports: unknown; load: () => unknown } {
    let real: Record<PropertyKey, unknown> | undefined;
    const target = () => (real ??= require() as Record<PropertyKey, unknown>);
    const exports = new Proxy(Object.create(null), {
        get(_, prop) {
            if (prop === "__esModule") return true;
            const mod = target();
            if (prop === "default" && !mod.__esModule) return mod;
            return mod[prop];
        },
        has: (_, prop) => prop in target(),
        ownKeys: () => Reflect.ownKeys(target()),
        getOwnPropertyDescriptor: (_, prop) => {
            const d = Reflect.getOwnPropertyDescriptor(target(), prop);
            return d && { ...d, configurable: true };
        },
    });
    return { exports, load: target };
}
