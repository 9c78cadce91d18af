import type { PolicyResource } from "@pulumi/policy";
import { viewOf } from "./cloudControl";
import { known } from "./preview";
import { list, Props } from "./support";

/**
 * Ingress permissions however a program declares them: inline on a security group (classic,
 * default or Cloud Control), or as separate rule resources (`aws.ec2.SecurityGroupRule`,
 * `aws.vpc.SecurityGroupIngressRule`, `aws-native:ec2:SecurityGroupIngress`), gathered per group
 * so that rules split over several resources are judged together.
 */

export const SECURITY_GROUP_TYPES = {
    group: "aws:ec2/securityGroup:SecurityGroup",
    defaultGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    rule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    nativeGroup: "aws-native:ec2:SecurityGroup",
    nativeIngress: "aws-native:ec2:SecurityGroupIngress",
    prefixList: "aws:ec2/managedPrefixList:ManagedPrefixList",
    prefixListEntry: "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry",
    nativePrefixList: "aws-native:ec2:PrefixList",
    /** A Lightsail instance's firewall stands for a security group: its own (native), or InstancePublicPorts replacing it. */
    lightsailInstance: "aws:lightsail/instance:Instance",
    lightsailPorts: "aws:lightsail/instancePublicPorts:InstancePublicPorts",
    nativeLightsailInstance: "aws-native:lightsail:Instance",
} as const;
const S = SECURITY_GROUP_TYPES;
const GROUP_TYPES: string[] = [S.group, S.defaultGroup, S.nativeGroup, S.lightsailInstance, S.nativeLightsailInstance];
const LIST_TYPES: string[] = [S.prefixList, S.nativePrefixList];

/** One ingress permission: the ports it opens (none for ICMP and port-less protocols) and whom it admits. */
export interface Ingress {
    ports?: [number, number];
    cidrs: string[];
    prefixLists: string[];
    /** Prefix lists the program does not declare: their entries cannot be read offline. */
    undeclaredLists?: string[];
}

/** Protocol names with a number; the provider maps names and numbers (in any case) to each other. */
const PROTOCOL_NUMBERS = new Map(Object.entries({ all: -1, icmp: 1, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmpv6: 58, "ipv6-icmp": 58, sctp: 132 }));
const PORTED_PROTOCOLS = [6, 17, 132];

/** A protocol's number as the provider reads it: a name in any case, or an integer string as Go's Atoi reads it ("06", "-01", "+6"). */
function protocolNumber(protocol: unknown): number | undefined {
    if (protocol === undefined || protocol === null) return -1;
    const p = String(protocol).trim().toLowerCase();
    return PROTOCOL_NUMBERS.get(p) ?? (/^[+-]?\d+$/.test(p) ? Number(p) : undefined);
}

/**
 * The port range a rule opens: every port for all traffic (-1, none given) and for a protocol the
 * check cannot read; none for ICMP and other port-less protocols.
 */
function portsOf(protocol: unknown, fromPort: unknown, toPort: unknown): [number, number] | undefined {
    const p = protocolNumber(protocol);
    if (p === undefined || p < 0 || p > 255) return [0, 65535];
    if (!PORTED_PROTOCOLS.includes(p)) return undefined;
    const from = Number(fromPort ?? -1);
    const to = Number(toPort ?? -1);
    // A missing or -1 bound means every port, as the API reads it.
    if (!Number.isFinite(from) || !Number.isFinite(to) || from < 0 || to < 0) return [0, 65535];
    return [Math.min(from, to), Math.max(from, to)];
}

const strings = (...values: unknown[]): string[] => values.flatMap((v) => list(v as string | string[])).filter((v): v is string => typeof v === "string" && v !== "");

/** Stands for prefix list ids a preview does not know yet: never a declared list's, so the rule's dependencies are read instead. */
const UNKNOWN_LIST = "(unknown prefix list)";
const listIds = (read: () => unknown): string[] => known(() => strings(read())) ?? [UNKNOWN_LIST];

function classic(rule: Props): Ingress {
    return { ports: portsOf(rule.protocol, rule.fromPort, rule.toPort), cidrs: strings(rule.cidrBlocks, rule.ipv6CidrBlocks), prefixLists: listIds(() => rule.prefixListIds) };
}

function native(rule: Props): Ingress {
    return { ports: portsOf(rule.ipProtocol, rule.fromPort, rule.toPort), cidrs: strings(rule.cidrIp, rule.cidrIpv6), prefixLists: listIds(() => rule.sourcePrefixListId) };
}

/** A Lightsail port: no CIDR, IPv6 range or alias given admits every IPv4 address, as the console's "Any IPv4 address". */
function lightsail(port: Props): Ingress {
    const cidrs = strings(port.cidrs, port.ipv6Cidrs);
    const open = cidrs.length === 0 && strings(port.cidrListAliases).length === 0;
    return { ports: portsOf(port.protocol, port.fromPort, port.toPort), cidrs: open ? ["0.0.0.0/0"] : cidrs, prefixLists: [] };
}

/** A Lightsail instance's firewall before any InstancePublicPorts: SSH (RDP on Windows) and HTTP open to every IPv4 address. */
function lightsailDefaults(blueprint: unknown): Ingress[] {
    const admin = /^windows/i.test(String(blueprint ?? "")) ? 3389 : 22;
    return [admin, 80].map((p) => ({ ports: [p, p], cidrs: ["0.0.0.0/0"], prefixLists: [] }));
}

/** What a resource adds to a group's ingress: its own rules (a group) or rules for the group named by `groupId`. */
interface Declared {
    resource: PolicyResource;
    isGroup: boolean;
    groupId?: unknown;
    rules: Ingress[];
    /** Rules that hold only while no other resource sets the group's rules (a Lightsail instance's default firewall). */
    defaults?: Ingress[];
}

/** Rules a preview cannot read yet (an output-built CIDR) are left out; the offline plan knows them all. */
const readable = (items: unknown, read: (rule: Props) => Ingress): Ingress[] =>
    (known(() => list<Props>(items as Props[])) ?? []).flatMap((rule) => {
        const ingress = known(() => read(rule));
        return ingress ? [ingress] : [];
    });

function declared(r: PolicyResource): Declared | undefined {
    const { type, props } = viewOf(r.type, r.props);
    switch (type) {
        case S.group:
        case S.defaultGroup:
            return { resource: r, isGroup: true, rules: readable(known(() => props.ingress), classic) };
        case S.nativeGroup:
            return { resource: r, isGroup: true, rules: readable(known(() => props.securityGroupIngress), native) };
        case S.rule:
            return known(() => props.type) === "ingress" ? { resource: r, isGroup: false, groupId: known(() => props.securityGroupId), rules: readable(props, classic) } : undefined;
        case S.ingressRule:
            return {
                resource: r,
                isGroup: false,
                groupId: known(() => props.securityGroupId),
                rules: readable(props, (p) => ({ ports: portsOf(p.ipProtocol, p.fromPort, p.toPort), cidrs: strings(p.cidrIpv4, p.cidrIpv6), prefixLists: listIds(() => p.prefixListId) })),
            };
        case S.nativeIngress:
            return { resource: r, isGroup: false, groupId: known(() => props.groupId ?? props.groupName), rules: readable(props, native) };
        case S.lightsailInstance:
            return { resource: r, isGroup: true, rules: [], defaults: known(() => lightsailDefaults(props.blueprintId)) };
        case S.lightsailPorts:
            return { resource: r, isGroup: false, groupId: known(() => props.instanceName), rules: readable(known(() => props.portInfos), lightsail) };
        case S.nativeLightsailInstance: {
            const ports = known(() => props.networking?.ports);
            return ports === undefined || ports === null
                ? { resource: r, isGroup: true, rules: [], defaults: known(() => lightsailDefaults(props.blueprintId)) }
                : { resource: r, isGroup: true, rules: readable(ports, lightsail) };
        }
        default:
            return undefined;
    }
}

/**
 * The CIDRs of the prefix lists the program declares, each list's inline entries together with its
 * entry resources, under every name a rule may use: id, ARN, name and URN. An entry resource joins
 * its list by id, else through its dependencies (a new list's id is not known in a preview), and
 * then names that list by its id too. Lists the program does not declare cannot be read offline.
 */
function prefixListCidrs(resources: PolicyResource[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const typeOf = (r: PolicyResource) => viewOf(r.type, r.props).type;
    const cidrs = (read: () => unknown[]) => known(() => strings(...read())) ?? [];
    for (const r of resources) {
        const { type, props } = viewOf(r.type, r.props);
        if (!LIST_TYPES.includes(type)) continue;
        const entries = cidrs(() => list<Props>(props.entries).map((e) => e?.cidr));
        for (const key of [known(() => r.props.id), known(() => r.props.prefixListId), known(() => r.props.arn), known(() => r.props.name), r.urn]) if (typeof key === "string" && key !== "") out.set(key, entries);
    }
    for (const r of resources) {
        if (typeOf(r) !== S.prefixListEntry) continue;
        const id = known(() => r.props.prefixListId);
        const byId = typeof id === "string" ? out.get(id) : undefined;
        const lists = byId ? [byId] : r.dependencies.filter((d) => LIST_TYPES.includes(typeOf(d))).flatMap((d) => (out.has(d.urn) ? [out.get(d.urn)!] : []));
        const entry = cidrs(() => [r.props.cidr]);
        for (const l of lists) l.push(...entry);
        // The entry's id names its list from now on; for a list made elsewhere its entries here are all that can be known.
        if (typeof id === "string" && !byId) out.set(id, lists.length === 1 ? lists[0] : [...(out.get(id) ?? []), ...entry]);
    }
    return out;
}

/** The CIDRs behind a rule's prefix lists: by id, else the declared lists its resource depends on. */
function expand(ids: string[], from: PolicyResource, lists: Map<string, string[]>): string[] {
    const known = ids.flatMap((id) => lists.get(id) ?? []);
    if (ids.length === 0 || ids.every((id) => lists.has(id))) return known;
    return [...known, ...from.dependencies.flatMap((d) => lists.get(d.urn) ?? [])];
}

/** A security group's ingress, gathered from every resource that adds to it. */
export interface GroupIngress {
    /** The group resource when the program declares it, else undefined (a group made elsewhere). */
    group?: PolicyResource;
    /** Each rule, with the resource that declared it. */
    rules: { rule: Ingress; from: PolicyResource }[];
}

/** Every group's ingress in the stack; prefix lists the program declares are expanded to their CIDRs. */
export function ingressByGroup(resources: PolicyResource[]): GroupIngress[] {
    const all = resources.map(declared).filter((d): d is Declared => d !== undefined);
    const prefixLists = prefixListCidrs(resources);
    const groupsById = new Map<string, PolicyResource>();
    for (const d of all) {
        if (!d.isGroup) continue;
        for (const id of [known(() => d.resource.props.id), known(() => d.resource.props.groupId), ...(d.defaults ? [known(() => d.resource.props.name)] : [])]) if (typeof id === "string") groupsById.set(id, d.resource);
    }
    const byKey = new Map<string, GroupIngress>();
    for (const d of all) {
        // A rule's group: by id, else (its id unknown in a preview) the one group it depends on, else the id it names.
        const group = d.isGroup
            ? d.resource
            : ((typeof d.groupId === "string" ? groupsById.get(d.groupId) : undefined) ?? single(d.resource.dependencies.filter((x) => GROUP_TYPES.includes(viewOf(x.type, x.props).type))));
        const key = group?.urn ?? (typeof d.groupId === "string" ? `id:${d.groupId}` : d.resource.urn);
        const entry = byKey.get(key) ?? { group, rules: [] };
        byKey.set(key, entry);
        for (const rule of d.rules) {
            // An id matching no declared list while the resource depends on one is that list's (an id the plan made up).
            const dependsOnList = d.resource.dependencies.some((x) => prefixLists.has(x.urn));
            const undeclaredLists = dependsOnList ? [] : rule.prefixLists.filter((id) => id !== UNKNOWN_LIST && !prefixLists.has(id));
            entry.rules.push({ rule: { ...rule, cidrs: [...rule.cidrs, ...expand(rule.prefixLists, d.resource, prefixLists)], undeclaredLists }, from: d.resource });
        }
    }
    // A Lightsail instance keeps its default firewall until an InstancePublicPorts replaces it; one whose
    // instance cannot be told (a name the offline plan does not know) may replace any unnamed instance's.
    const unplaced = all.some((d) => d.resource.type === S.lightsailPorts && byKey.get(d.resource.urn)?.group === undefined && typeof d.groupId !== "string");
    for (const d of all) {
        const entry = d.defaults ? byKey.get(d.resource.urn) : undefined;
        if (unplaced && typeof known(() => d.resource.props.name) !== "string") continue;
        if (entry && entry.rules.length === 0) entry.rules.push(...d.defaults!.map((rule) => ({ rule, from: d.resource })));
    }
    return [...byKey.values()];
}

function single<T>(items: T[]): T | undefined {
    return items.length === 1 ? items[0] : undefined;
}
