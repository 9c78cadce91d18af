import type { PolicyResource } from "@pulumi/policy";
import { viewOf } from "./cloudControl";
import { isOn } from "./flags";
import { known } from "./preview";
import { list, Props } from "./support";

/**
 * The ports an internet-facing load balancer carries from the internet: each listener's own port
 * and the ports of the target groups it (or a listener rule on it) forwards to. A group behind a
 * load balancer may admit only the VPC (client IP preservation off), so the load balancer, not the
 * group, is where such a port meets the internet.
 */

export const LOAD_BALANCER_TYPES = {
    loadBalancers: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    listeners: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    listenerRules: ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"],
    targetGroups: ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"],
    attachments: ["aws:lb/targetGroupAttachment:TargetGroupAttachment", "aws:alb/targetGroupAttachment:TargetGroupAttachment"],
    /** ECS registers each task's container port in the target group, whatever port the group names. */
    ecsServices: ["aws:ecs/service:Service", "aws-native:ecs:Service"],
    classic: "aws:elb/loadBalancer:LoadBalancer",
    nativeLoadBalancer: "aws-native:elasticloadbalancingv2:LoadBalancer",
    nativeListener: "aws-native:elasticloadbalancingv2:Listener",
    nativeListenerRule: "aws-native:elasticloadbalancingv2:ListenerRule",
    nativeTargetGroup: "aws-native:elasticloadbalancingv2:TargetGroup",
    nativeClassic: "aws-native:elasticloadbalancing:LoadBalancer",
} as const;
const L = LOAD_BALANCER_TYPES;
const has = (types: readonly string[], type: string) => types.includes(type);

/** Where ports meet the internet: the resource that opens them, what carries them ("the internet-facing load balancer edge") and how. */
export interface PublicPort {
    from: PolicyResource;
    through: string;
    ports: [number, number];
    via: string;
    /** The edge is not declared in this program: whether it faces the internet cannot be known. */
    undeclared?: boolean;
}

const throughBalancer = (lb: PolicyResource) => `the internet-facing load balancer ${lb.name}`;

/** The edge a listener or rule carries ports through: a declared internet-facing load balancer, or one named but not declared here. */
type Edge = { through: string; undeclared?: boolean };
const undeclaredEdge = (what: string, ref: unknown): Edge => ({ through: typeof ref === "string" ? `the ${what} ${ref}` : `a ${what} looked up`, undeclared: true });

const port = (v: unknown): number | undefined => {
    const n = Number(v);
    return v !== undefined && v !== null && v !== "" && Number.isInteger(n) ? n : undefined;
};

/** Internal only when said so: `internal` true (a string the provider converts included), or the scheme "internal"; gateway load balancers have no listeners on the internet. */
function internetFacing(type: string, props: Props): boolean {
    if (String(props.loadBalancerType ?? props.type ?? "").toLowerCase() === "gateway") return false;
    if (type === L.nativeLoadBalancer || type === L.nativeClassic) return String(props.scheme ?? "internet-facing").toLowerCase() !== "internal";
    return !isOn(props.internal);
}

/** Target group ARNs a listener's or rule's actions forward to (a plain forward or a weighted one). */
function forwardedTo(actions: unknown): unknown[] {
    return list<Props>(actions as Props[]).flatMap((a) => [
        a?.targetGroupArn,
        ...list<Props>(a?.forward?.targetGroups).map((g) => g?.arn),
        ...list<Props>(a?.forwardConfig?.targetGroups).map((g) => g?.targetGroupArn),
    ]).filter((arn) => arn !== undefined && arn !== null);
}

/** Resources by every name another may use for them: id, ARN, name, URN. */
class Index {
    private readonly byKey = new Map<string, PolicyResource>();
    add(r: PolicyResource, ...keys: unknown[]): void {
        for (const key of [known(() => r.props.id), known(() => r.props.arn), r.urn, ...keys]) if (typeof key === "string" && key !== "") this.byKey.set(key, r);
    }
    /**
     * Whether a reference names none of the indexed resources: a known one matching none, or one a
     * lookup made (unknown, or absent offline) while `from` depends on none of them.
     */
    undeclared(ref: unknown, from: PolicyResource): boolean {
        if (ref === null || ref === "" || from.dependencies.some((d) => this.byKey.get(d.urn) === d)) return false;
        return typeof ref !== "string" || !this.byKey.has(ref);
    }
    /** The resource a known reference names. */
    get(ref: unknown): PolicyResource | undefined {
        return typeof ref === "string" ? this.byKey.get(ref) : undefined;
    }
    /** The resources `refs` name, else (a reference not known yet, or not declared) the indexed ones `from` depends on. */
    find(refs: unknown[], from: PolicyResource): PolicyResource[] {
        const found = refs.map((ref) => (typeof ref === "string" ? this.byKey.get(ref) : undefined));
        if (found.every((r) => r !== undefined)) return found as PolicyResource[];
        const deps = from.dependencies.filter((d) => this.byKey.get(d.urn) === d);
        return [...new Set([...found.filter((r): r is PolicyResource => r !== undefined), ...deps])];
    }
}

/** Every port the program's internet-facing load balancers carry from the internet. */
export function publicLoadBalancerPorts(resources: PolicyResource[]): PublicPort[] {
    const views = resources.map((r) => ({ r, ...viewOf(r.type, r.props) }));
    const balancers = new Index();
    const allBalancers = new Index();
    const listeners = new Index();
    const allListeners = new Index();
    const groups = new Index();
    const out: PublicPort[] = [];
    for (const { r, type, props } of views) {
        if (has(L.loadBalancers, type) || type === L.nativeLoadBalancer) {
            allBalancers.add(r, known(() => r.props.loadBalancerArn), known(() => r.props.name));
            if (known(() => internetFacing(type, props))) balancers.add(r, known(() => r.props.loadBalancerArn), known(() => r.props.name));
        } else if (has(L.targetGroups, type) || type === L.nativeTargetGroup) groups.add(r, known(() => r.props.targetGroupArn), known(() => r.props.name));
        else if (type === L.classic || type === L.nativeClassic) {
            if (!known(() => internetFacing(type, props))) continue;
            for (const l of known(() => list<Props>(props.listeners)) ?? []) {
                for (const [field, via] of [["lbPort", "listener port"], ["loadBalancerPort", "listener port"], ["instancePort", "instance port"]]) {
                    const p = port(known(() => l?.[field]));
                    if (p !== undefined) out.push({ from: r, through: throughBalancer(r), ports: [p, p], via: `${via} ${p}` });
                }
            }
        }
    }
    // Ports a target group sends to: its own, and those its attachments override it with.
    const groupPorts = new Map<PolicyResource, number[]>();
    for (const { r, type, props } of views) {
        if (has(L.targetGroups, type) || type === L.nativeTargetGroup) groupPorts.set(r, [...(groupPorts.get(r) ?? []), ...[port(known(() => props.port))].filter((p): p is number => p !== undefined)]);
        if (has(L.attachments, type)) {
            const p = port(known(() => props.port));
            if (p !== undefined) for (const g of groups.find([known(() => props.targetGroupArn)], r)) groupPorts.set(g, [...(groupPorts.get(g) ?? []), p]);
        }
        if (has(L.ecsServices, type)) {
            for (const lb of known(() => list<Props>(props.loadBalancers)) ?? []) {
                const p = port(known(() => lb?.containerPort));
                const arn = known(() => lb?.targetGroupArn);
                // A classic load balancer's entry names no target group; its listeners carry the instance ports.
                if (p !== undefined && arn !== null && arn !== "" && !(arn === undefined && lb?.elbName)) for (const g of groups.find([arn], r)) groupPorts.set(g, [...(groupPorts.get(g) ?? []), p]);
            }
        }
    }
    const forwards = (from: PolicyResource, edge: Edge, actions: () => unknown) => {
        for (const g of groups.find(known(() => forwardedTo(actions())) ?? [undefined], from)) {
            for (const p of groupPorts.get(g) ?? []) out.push({ from, ...edge, ports: [p, p], via: `target group ${g.name} port ${p}` });
        }
    };
    // Targets registered in a group made elsewhere: whatever carries that group is not declared here.
    for (const { r, type, props } of views) {
        const registered = (arn: unknown, p: number | undefined, via: string) => {
            if (p !== undefined && groups.undeclared(arn, r)) out.push({ from: r, ...undeclaredEdge("target group", arn), ports: [p, p], via: `${via} ${p}` });
        };
        if (has(L.attachments, type)) registered(known(() => props.targetGroupArn), port(known(() => props.port)), "target port");
        if (has(L.ecsServices, type)) for (const lb of known(() => list<Props>(props.loadBalancers)) ?? []) if (!lb?.elbName) registered(known(() => lb?.targetGroupArn), port(known(() => lb?.containerPort)), "container port");
    }
    const listenerEdge = new Map<PolicyResource, Edge>();
    for (const { r, type, props } of views) {
        if (!has(L.listeners, type) && type !== L.nativeListener) continue;
        allListeners.add(r, known(() => r.props.listenerArn));
        const arn = known(() => props.loadBalancerArn);
        const [lb] = balancers.find([arn], r);
        const edge: Edge | undefined = lb ? { through: throughBalancer(lb) } : allBalancers.undeclared(arn, r) ? undeclaredEdge("load balancer", arn) : undefined;
        if (!edge) continue;
        listeners.add(r, known(() => r.props.listenerArn));
        listenerEdge.set(r, edge);
        const p = port(known(() => props.port));
        if (p !== undefined) out.push({ from: r, ...edge, ports: [p, p], via: `listener port ${p}` });
        forwards(r, edge, () => props.defaultActions);
    }
    for (const { r, type, props } of views) {
        if (!has(L.listenerRules, type) && type !== L.nativeListenerRule) continue;
        const arn = known(() => props.listenerArn);
        const [listener] = listeners.find([arn], r);
        const edge = listener ? listenerEdge.get(listener) : allListeners.undeclared(arn, r) ? undeclaredEdge("listener", arn) : undefined;
        if (edge) forwards(r, edge, () => props.actions);
    }
    // Private origins an internet edge reaches: a listener's port and the ports of the groups it forwards to.
    const listenerPorts = (ref: unknown): [number, string][] => {
        const l = allListeners.get(ref);
        if (!l) return [];
        const { props } = viewOf(l.type, l.props);
        const lp = port(known(() => props.port));
        const forwarded = groups.find(known(() => forwardedTo(props.defaultActions)) ?? [], l).flatMap((g) => (groupPorts.get(g) ?? []).map((p): [number, string] => [p, `target group ${g.name} port ${p}`]));
        return [...(lp === undefined ? [] : [[lp, `listener port ${lp}`] as [number, string]]), ...forwarded];
    };
    return [...out, ...acceleratorPorts(views), ...privateOriginPorts(views, listenerPorts)];
}

const ACCELERATOR_TYPES = {
    listeners: ["aws:globalaccelerator/listener:Listener", "aws-native:globalaccelerator:Listener"],
    endpointGroups: ["aws:globalaccelerator/endpointGroup:EndpointGroup", "aws-native:globalaccelerator:EndpointGroup"],
    customEndpointGroups: ["aws:globalaccelerator/customRoutingEndpointGroup:CustomRoutingEndpointGroup"],
};

/**
 * Global Accelerator listens on the internet's anycast addresses and reaches endpoints (even
 * internal load balancers and private instances) on the listener's ports, or on the endpoint ports
 * an endpoint group maps them to; a custom routing group names its instances' ports outright.
 */
function acceleratorPorts(views: { r: PolicyResource; type: string; props: Props }[]): PublicPort[] {
    const out: PublicPort[] = [];
    const range = (low: unknown, high: unknown): [number, number] | undefined => {
        const [a, b] = [port(low), port(high ?? low)];
        return a === undefined || b === undefined ? undefined : [Math.min(a, b), Math.max(a, b)];
    };
    for (const { r, type, props } of views) {
        const add = (items: () => unknown, low: string, high: string, via: string) => {
            for (const item of known(() => list<Props>(items() as Props[])) ?? []) {
                const ports = range(known(() => item?.[low]), known(() => item?.[high]));
                if (ports) out.push({ from: r, through: "Global Accelerator", ports, via: ports[0] === ports[1] ? `${via} ${ports[0]}` : `${via}s ${ports.join("-")}` });
            }
        };
        if (ACCELERATOR_TYPES.listeners.includes(type)) add(() => props.portRanges, "fromPort", "toPort", "listener port");
        else if (ACCELERATOR_TYPES.endpointGroups.includes(type)) add(() => props.portOverrides, "endpointPort", "endpointPort", "endpoint port");
        else if (ACCELERATOR_TYPES.customEndpointGroups.includes(type)) add(() => props.destinationConfigurations, "fromPort", "toPort", "destination port");
    }
    return out;
}

type View = { r: PolicyResource; type: string; props: Props };

const ORIGIN_TYPES = {
    vpcOrigins: ["aws:cloudfront/vpcOrigin:VpcOrigin", "aws-native:cloudfront:VpcOrigin"],
    distribution: "aws:cloudfront/distribution:Distribution",
    nativeDistribution: "aws-native:cloudfront:Distribution",
    restIntegration: "aws:apigateway/integration:Integration",
    nativeMethod: "aws-native:apigateway:Method",
    httpIntegrations: ["aws:apigatewayv2/integration:Integration", "aws-native:apigatewayv2:Integration"],
};

/** The ports CloudFront connects to an origin on: HTTP, HTTPS or both, as its protocol policy says. */
function originPorts(config: Props | undefined): [number, string][] {
    const policy = String(config?.originProtocolPolicy ?? "match-viewer").toLowerCase();
    const http = port(config?.httpPort ?? 80);
    const https = port(config?.httpsPort ?? 443);
    return [
        ...(policy !== "https-only" && http !== undefined ? [[http, `HTTP port ${http}`] as [number, string]] : []),
        ...(policy !== "http-only" && https !== undefined ? [[https, `HTTPS port ${https}`] as [number, string]] : []),
    ];
}

/** The port of an integration URI ("http://internal-nlb:9200/path"), the scheme's default when none is given. */
function uriPort(uri: unknown): [number, string][] {
    const m = typeof uri === "string" ? /^(https?):\/\/(?:\[[^\]]*\]|[^/:?#]*)(?::(\d+))?/i.exec(uri) : null;
    if (!m) return [];
    const p = m[2] !== undefined ? Number(m[2]) : m[1].toLowerCase() === "https" ? 443 : 80;
    return [[p, `integration port ${p}`]];
}

/**
 * CloudFront (VPC origins and custom origins) and API Gateway VPC links carry the internet to
 * private load balancers and instances on the origin's ports, whatever the load balancer's scheme.
 */
function privateOriginPorts(views: View[], listenerPorts: (ref: unknown) => [number, string][]): PublicPort[] {
    const out: PublicPort[] = [];
    const add = (r: PolicyResource, through: string, found: [number, string][] | undefined) => {
        for (const [p, via] of found ?? []) out.push({ from: r, through, ports: [p, p], via });
    };
    const vpcLink = (integration: Props | undefined) => String(integration?.connectionType ?? "").toUpperCase() === "VPC_LINK";
    for (const { r, type, props } of views) {
        if (ORIGIN_TYPES.vpcOrigins.includes(type)) add(r, "a CloudFront VPC origin", known(() => originPorts(props.vpcOriginEndpointConfig)));
        else if (type === ORIGIN_TYPES.distribution || type === ORIGIN_TYPES.nativeDistribution) {
            const origins = () => list<Props>((type === ORIGIN_TYPES.distribution ? props.origins : props.distributionConfig?.origins) as Props[]);
            add(r, "CloudFront", known(() => origins().filter((o) => o?.customOriginConfig).flatMap((o) => originPorts(o.customOriginConfig))));
        } else if (type === ORIGIN_TYPES.restIntegration) add(r, "an API Gateway VPC link", known(() => (vpcLink(props) ? uriPort(props.uri) : [])));
        else if (type === ORIGIN_TYPES.nativeMethod) add(r, "an API Gateway VPC link", known(() => (vpcLink(props.integration) ? uriPort(props.integration?.uri) : [])));
        else if (ORIGIN_TYPES.httpIntegrations.includes(type)) add(r, "an API Gateway VPC link", known(() => (vpcLink(props) ? listenerPorts(props.integrationUri) : [])));
    }
    return out;
}
