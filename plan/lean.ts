import Module from "node:module";

/**
 * Loads the plan lean. At import, `@pulumi/pulumi` loads what only closure serialization uses
 * (TypeScript, npm's Arborist, normalize-package-data: about 40% of its load time), and awsx loads
 * its classic API and the AWS ECS client; a plan under the mock engine needs none of them unless
 * the program serializes a function or uses awsx.classic. Those modules load on first use instead: each is replaced by a proxy
 * that requires the real module when a property is first read.
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

let installed = false;

export function installLazyModules(): void {
    if (installed) return;
    installed = true;
    const loader = Module as unknown as { _load(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown };
    const load = loader._load;
    const proxies = new Map<string, unknown>();
    loader._load = function (request, parent, isMain) {
        const from = LAZY[request];
        if (from === undefined || !parent?.filename?.includes(`node_modules/${from}`)) return load.call(this, request, parent, isMain);
        const key = `${request}\0${parent.filename}`;
        if (!proxies.has(key)) proxies.set(key, lazyModule(() => load.call(this, request, parent, isMain)));
        return proxies.get(key);
    };
}

/**
 * A stand-in for a module's exports. It says `__esModule`, so TypeScript's import helpers pass it
 * through untouched, and answers `default` with the module itself for CommonJS modules.
 */
function lazyModule(require: () => unknown): unknown {
    let real: Record<PropertyKey, unknown> | undefined;
    const target = () => (real ??= require() as Record<PropertyKey, unknown>);
    return new Proxy(Object.create(null), {
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
}
