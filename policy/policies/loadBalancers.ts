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
}

const throughBalancer = (lb: PolicyResource) => `the internet-facing load balancer ${lb.name}`;

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
    const listeners = new Index();
    const groups = new Index();
    const out: PublicPort[] = [];
    for (const { r, type, props } of views) {
        if (has(L.loadBalancers, type) || type === L.nativeLoadBalancer) {
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
    const forwards = (from: PolicyResource, loadBalancer: PolicyResource, actions: () => unknown) => {
        for (const g of groups.find(known(() => forwardedTo(actions())) ?? [undefined], from)) {
            for (const p of groupPorts.get(g) ?? []) out.push({ from, through: throughBalancer(loadBalancer), ports: [p, p], via: `target group ${g.name} port ${p}` });
        }
    };
    const listenerBalancer = new Map<PolicyResource, PolicyResource>();
    for (const { r, type, props } of views) {
        if (!has(L.listeners, type) && type !== L.nativeListener) continue;
        const [lb] = balancers.find([known(() => props.loadBalancerArn)], r);
        if (!lb) continue;
        listeners.add(r, known(() => r.props.listenerArn));
        listenerBalancer.set(r, lb);
        const p = port(known(() => props.port));
        if (p !== undefined) out.push({ from: r, through: throughBalancer(lb), ports: [p, p], via: `listener port ${p}` });
        forwards(r, lb, () => props.defaultActions);
    }
    for (const { r, type, props } of views) {
        if (!has(L.listenerRules, type) && type !== L.nativeListenerRule) continue;
        const [listener] = listeners.find([known(() => props.listenerArn)], r);
        const lb = listener && listenerBalancer.get(listener);
        if (lb) forwards(r, lb, () => props.actions);
    }
    return [...out, ...acceleratorPorts(views)];
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
