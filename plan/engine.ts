import * as pulumi from "@pulumi/pulumi";
import { createRequire } from "node:module";
import { constructedChildren } from "./constructs";
import { CloudContext, customResourceOutputs, invokeResult, remoteComponentOutputs, State, SyntheticRef } from "./outputs";
import { aliasUrns, buildUrn } from "./urns";

/**
 * The mock engine behind the offline plan and the tests. It answers the Pulumi runtime the way
 * a real engine would (ids, ARNs, names, the outputs remote components return) and records every
 * registration as the engine would see it: type, name, parent, inputs, provider, protect and the
 * dependency edges. Recording at the monitor, not in transformations, means resources created
 * outside any component are seen too.
 */

/** The name of the default providers the engine registers (the real engine adds the plugin's version). */
export const DEFAULT_PROVIDER = "default";

/** One registered resource, as the engine saw it. */
export interface RecordedResource {
    /** The URN, as the engine builds it. */
    urn: string;
    /** The id the engine returned (custom resources). */
    id?: string;
    /** The type token, e.g. `aws:kms/key:Key`. */
    type: string;
    /** The resource name given in the program. */
    name: string;
    /** The parent's URN; undefined only for the root stack. */
    parent?: string;
    /** Custom (a cloud resource) or a component. */
    custom: boolean;
    /** A multi-language component (its children exist only under a real engine). */
    remote: boolean;
    /** The provider reference (`urn::id`), when one was given. */
    provider?: string;
    /** Inputs as plain JSON: secrets unwrapped, resource references as their URNs. */
    inputs: Record<string, unknown>;
    /** Dotted paths of inputs that were secrets. */
    secretInputs: string[];
    /** Outputs as the engine returned them (plain JSON), for stack policies. */
    outputs: Record<string, unknown>;
    /** The `protect` option. */
    protect: boolean;
    /** The `retainOnDelete` option. */
    retainOnDelete: boolean;
    /** Explicit `dependsOn` edges (URNs). */
    dependsOn: string[];
    /** Every dependency edge the engine orders create and delete by: dependsOn plus inputs. */
    dependencies: string[];
    /** Former URNs this resource answers to (its aliases, and those inherited from its parent). */
    aliases: string[];
    /** Set for resources read with `.get()` rather than created. */
    read?: boolean;
}

/** Loads a module as @pulumi/pulumi sees it, so protobuf classes match the runtime's own. */
export const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi"));

const SIG = pulumi.runtime.specialSigKey;
const SECRET = pulumi.runtime.specialSecretSig;
const RESOURCE = pulumi.runtime.specialResourceSig;
const ASSET = pulumi.runtime.specialAssetSig;
const ARCHIVE = pulumi.runtime.specialArchiveSig;

/** Converts a serialized property value to plain JSON, noting where secrets were. */
export function toPlain(value: unknown, path: string, secrets: string[]): unknown {
    if (value === pulumi.runtime.unknownValue) return "<computed>";
    if (Array.isArray(value)) return value.map((v, i) => toPlain(v, `${path}[${i}]`, secrets));
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    switch (obj[SIG]) {
        case SECRET:
            secrets.push(path);
            return toPlain(obj.value, path, secrets);
        case RESOURCE:
            return obj.urn;
        case ASSET:
        case ARCHIVE:
            return "<asset>";
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = toPlain(v, path ? `${path}.${k}` : k, secrets);
    return out;
}

/** Pulumi runtime mocks that answer like the engine and the providers would, and record every registration. */
export class MockEngine implements pulumi.runtime.Mocks {
    /** Everything registered so far, in registration order. */
    readonly resources: RecordedResource[] = [];
    /** Stack outputs as registered on the root stack, secrets shown as `[secret]`. */
    stackOutputs: Record<string, unknown> = {};
    private readonly synthetic = new Map<string, { urn: string; id: string; state: State }>();
    private readonly defaultProviders = new Set<string>();
    /** Alias URNs by resource URN, for children to inherit. */
    private readonly aliasesOf = new Map<string, string[]>();

    constructor(
        /** The region and account in the ids and ARNs it makes up. */
        readonly context: CloudContext,
        private readonly project: string,
        private readonly stack: string,
    ) {}

    /** Installs this engine as the runtime's monitor. */
    async install(): Promise<void> {
        await pulumi.runtime.setMocks(this, this.project, this.stack, false);
        skipStackCapture();
        const monitor = pulumi.runtime.getMonitor() as any;
        monitor.newUrn = (parent: string, type: string, name: string) => buildUrn(this.stack, this.project, parent || undefined, type, name);
        // Registration answered here rather than by the SDK's mock monitor, which converts every
        // property bag twice more than needed (to record inputs and outputs as plain JSON).
        const rpc = pulumiRequire("./runtime/rpc");
        const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb");
        const { RegisterResourceResponse } = pulumiRequire("./proto/resource_pb");
        monitor.registerResource = async (req: any, callback: any) => {
            try {
                const raw: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {};
                const record = this.record(req, raw);
                const inputs: Record<string, unknown> = {};
                for (const [key, value] of Object.entries(raw)) inputs[key] = rpc.deserializeProperty(value);
                const result = this.newResource({ type: record.type, name: record.name, inputs, provider: record.provider, custom: record.custom, id: req.getImportid() });
                const urn = buildUrn(this.stack, this.project, record.parent, record.type, record.name);
                const state = await rpc.serializeProperties("", result.state);
                // The SDK's getResource invoke resolves resource references from this map.
                monitor.resources.set(urn, { urn, id: result.id ?? null, state });
                Object.assign(record, { urn, id: result.id || undefined, outputs: toPlain(state, "", []) });
                this.recordDefaultProvider(record);
                this.resources.push(record);
                if (record.remote) this.resources.push(...constructedChildren(record, this.context, this.stack, this.project));
                if (record.aliases.length > 0) this.aliasesOf.set(urn, record.aliases);
                const response = new RegisterResourceResponse();
                response.setUrn(urn);
                response.setId(result.id || "");
                response.setObject(Struct.fromJavaScript(state));
                callback(null, response);
            } catch (err) {
                callback(err, undefined);
            }
        };
        const read = monitor.readResource.bind(monitor);
        monitor.readResource = (req: any, callback: any) => {
            const record = { ...this.record(req), read: true };
            read(req, (err: unknown, resp: any) => {
                if (!err && resp) this.resources.push({ ...record, urn: resp.getUrn(), outputs: toPlain(resp.getProperties()?.toJavaScript() ?? {}, "", []) as Record<string, unknown> });
                callback(err, resp);
            });
        };
        const invoke = monitor.invoke.bind(monitor);
        monitor.invoke = (req: any, callback: any) => this.answerSynthetic(req, callback) || invoke(req, callback);
        const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResourceOutputs = (req: any, callback: any) => {
            if (req.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
                this.stackOutputs = redactSecrets(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
            }
            registerOutputs(req, callback);
        };
    }

    /**
     * The engine registers a default provider, once per package, for resources that name none;
     * CrossGuard shows it to stack policies like any resource. The AWS one carries the region.
     */
    private recordDefaultProvider(record: RecordedResource): void {
        const pkg = record.type.split(":")[0];
        if ((!record.custom && !record.remote) || record.provider || pkg === "pulumi" || this.defaultProviders.has(pkg)) return;
        const type = `pulumi:providers:${pkg}`;
        const inputs = pkg === "aws" ? { region: this.context.region } : {};
        const urn = buildUrn(this.stack, this.project, undefined, type, DEFAULT_PROVIDER);
        this.defaultProviders.add(pkg);
        this.resources.push({ urn, id: `${pkg}-default-provider`, type, name: DEFAULT_PROVIDER, custom: true, remote: false, inputs, secretInputs: [], outputs: inputs, protect: false, retainOnDelete: false, dependsOn: [], dependencies: [], aliases: [] });
    }

    /** Answers a registration with an id and outputs, as the provider would. */
    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        if (!args.custom) {
            const remote = remoteComponentOutputs(args.type, args.name, args.inputs, this.context);
            if (!remote) return { id: undefined, state: {} };
            const refs = Object.fromEntries(Object.entries(remote.refs).map(([key, ref]) => [key, Array.isArray(ref) ? ref.map((r) => this.reference(args, r)) : this.reference(args, ref)]));
            return { id: undefined, state: { ...args.inputs, ...remote.state, ...refs } };
        }
        const { id, state } = customResourceOutputs(args.type, args.name, args.inputs, this.context);
        return { id: args.id || id, state: { ...args.inputs, ...state } };
    }

    /** Answers a function call (`aws.getCallerIdentity` and the like). */
    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        return invokeResult(args.token, args.inputs, this.context);
    }

    /** A resource reference to a synthetic child, which `pulumi:pulumi:getResource` can later resolve. */
    private reference(parent: pulumi.runtime.MockResourceArgs, ref: SyntheticRef): Record<string, unknown> {
        const urn = `urn:pulumi:${this.stack}::${this.project}::${parent.type}$${ref.type}::${ref.name}`;
        this.synthetic.set(urn, { urn, id: ref.id, state: { ...ref.state, id: ref.id } });
        return { [SIG]: RESOURCE, urn, id: ref.id };
    }

    private answerSynthetic(req: any, callback: any): boolean {
        if (req.getTok() !== "pulumi:pulumi:getResource") return false;
        const urn = req.getArgs()?.toJavaScript()?.urn;
        const found = typeof urn === "string" ? this.synthetic.get(urn) : undefined;
        if (!found) return false;
        const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb");
        const { ResourceInvokeResponse } = pulumiRequire("./proto/resource_pb");
        const resp = new ResourceInvokeResponse();
        resp.setReturn(Struct.fromJavaScript({ urn: found.urn, id: found.id, state: found.state }));
        callback(null, resp);
        return true;
    }

    private record(req: any, raw: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {}): RecordedResource {
        const secrets: string[] = [];
        const inputs = toPlain(raw, "", secrets) as Record<string, unknown>;
        const dependencies: string[] = req.getDependenciesList?.() ?? [];
        const viaInputs = new Set<string>();
        req.getPropertydependenciesMap?.()?.forEach((deps: any) => deps.getUrnsList().forEach((u: string) => viaInputs.add(u)));
        return {
            urn: "",
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || undefined,
            custom: req.getCustom(),
            remote: req.getRemote?.() ?? false,
            provider: req.getProvider() || undefined,
            inputs,
            secretInputs: secrets,
            outputs: {},
            protect: req.getProtect?.() === true,
            retainOnDelete: req.getRetainondelete?.() === true,
            dependsOn: dependencies.filter((u) => !viaInputs.has(u)),
            dependencies,
            aliases: aliasUrns(req, this.stack, this.project, this.aliasesOf.get(req.getParent()) ?? []),
        };
    }
}

/** Stack outputs for display: secrets become `[secret]`. */
function redactSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(redactSecrets);
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    if (obj[SIG] === SECRET) return "[secret]";
    if (obj[SIG] === RESOURCE) return obj.urn;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redactSecrets(v)]));
}

/**
 * The SDK captures a full stack trace for every resource (its source position, for the engine's
 * display) and wraps every internal promise to report leaks at exit (with a stack trace each).
 * Under the mock engine neither is used, and together they were the largest cost of a plan after
 * loading modules: resources get no position, and promises are not wrapped. Errors thrown by
 * programs keep their stacks, and the plan reports failures itself.
 */
function skipStackCapture(): void {
    (pulumi.Resource as unknown as { stackTrace(skip: number): unknown[] }).stackTrace = () => [];
    try {
        const debuggable = pulumiRequire("./runtime/debuggable") as { debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> };
        debuggable.debuggablePromise = (p) => p;
    } catch {
        // An SDK without this module: the plan is only slower.
    }
}
