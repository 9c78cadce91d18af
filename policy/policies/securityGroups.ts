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
} as const;
const S = SECURITY_GROUP_TYPES;
const GROUP_TYPES: string[] = [S.group, S.defaultGroup, S.nativeGroup];

/** One ingress permission: the ports it opens (none for ICMP and port-less protocols) and whom it admits. */
export interface Ingress {
    ports?: [number, number];
    cidrs: string[];
    prefixLists: string[];
}

/** The port range a rule opens: every port for protocol -1/all (or none given), none for ICMP and other port-less protocols. */
function portsOf(protocol: unknown, fromPort: unknown, toPort: unknown): [number, number] | undefined {
    const p = protocol === undefined || protocol === null ? "-1" : String(protocol).toLowerCase();
    if (p === "-1" || p === "all") return [0, 65535];
    if (!["tcp", "6", "udp", "17", "sctp", "132"].includes(p)) return undefined;
    const from = Number(fromPort ?? -1);
    const to = Number(toPort ?? -1);
    // A missing or -1 bound means every port, as the API reads it.
    if (!Number.isFinite(from) || !Number.isFinite(to) || from < 0 || to < 0) return [0, 65535];
    return [Math.min(from, to), Math.max(from, to)];
}

const strings = (...values: unknown[]): string[] => values.flatMap((v) => list(v as string | string[])).filter((v): v is string => typeof v === "string" && v !== "");

function classic(rule: Props): Ingress {
    return { ports: portsOf(rule.protocol, rule.fromPort, rule.toPort), cidrs: strings(rule.cidrBlocks, rule.ipv6CidrBlocks), prefixLists: strings(rule.prefixListIds) };
}

function native(rule: Props): Ingress {
    return { ports: portsOf(rule.ipProtocol, rule.fromPort, rule.toPort), cidrs: strings(rule.cidrIp, rule.cidrIpv6), prefixLists: strings(rule.sourcePrefixListId) };
}

/** What a resource adds to a group's ingress: its own rules (a group) or rules for the group named by `groupId`. */
interface Declared {
    resource: PolicyResource;
    isGroup: boolean;
    groupId?: unknown;
    rules: Ingress[];
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
                rules: readable(props, (p) => ({ ports: portsOf(p.ipProtocol, p.fromPort, p.toPort), cidrs: strings(p.cidrIpv4, p.cidrIpv6), prefixLists: strings(p.prefixListId) })),
            };
        case S.nativeIngress:
            return { resource: r, isGroup: false, groupId: known(() => props.groupId ?? props.groupName), rules: readable(props, native) };
        default:
            return undefined;
    }
}

/**
 * The CIDRs of the prefix lists the program declares, by id and by URN (a new list's id is not
 * known in a preview, so rules and entries are also matched through their dependencies). Lists
 * the program does not declare cannot be read offline.
 */
function prefixListCidrs(resources: PolicyResource[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const add = (keys: unknown[], cidrs: string[]) => {
        for (const key of keys) if (typeof key === "string") out.set(key, [...(out.get(key) ?? []), ...cidrs]);
    };
    const isList = (r: PolicyResource) => [S.prefixList, S.nativePrefixList].includes(viewOf(r.type, r.props).type as typeof S.prefixList);
    for (const r of resources) {
        const { type, props } = viewOf(r.type, r.props);
        const cidrs = (read: () => unknown[]) => known(() => strings(...read())) ?? [];
        if (type === S.prefixList || type === S.nativePrefixList) add([known(() => r.props.id), known(() => r.props.prefixListId), r.urn], cidrs(() => list<Props>(props.entries).map((e) => e?.cidr)));
        else if (type === S.prefixListEntry) add([known(() => props.prefixListId), ...r.dependencies.filter(isList).map((d) => d.urn)], cidrs(() => [props.cidr]));
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
        for (const id of [known(() => d.resource.props.id), known(() => d.resource.props.groupId)]) if (typeof id === "string") groupsById.set(id, d.resource);
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
            entry.rules.push({ rule: { ...rule, cidrs: [...rule.cidrs, ...expand(rule.prefixLists, d.resource, prefixLists)] }, from: d.resource });
        }
    }
    return [...byKey.values()];
}

function single<T>(items: T[]): T | undefined {
    return items.length === 1 ? items[0] : undefined;
}
