import * as ipaddr from "ipaddr.js";

/**
 * Address arithmetic for "open to the internet": what a set of CIDRs covers together, so that
 * `0.0.0.0/1` plus `128.0.0.0/1` is judged like `0.0.0.0/0`, however the range is split.
 */

/** Private and otherwise non-routable IPv4 space: reaching it is not reaching the internet. */
const NOT_INTERNET_V4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "0.0.0.0/8", "224.0.0.0/3"];

type Interval = [bigint, bigint];

function interval(cidr: string): { v6: boolean; range: Interval } | undefined {
    if (!ipaddr.isValidCIDR(cidr)) return undefined;
    const [address, bits] = ipaddr.parseCIDR(cidr);
    const width = address.kind() === "ipv6" ? 128 : 32;
    const start = address.toByteArray().reduce((n, b) => (n << 8n) | BigInt(b), 0n) & ~((1n << BigInt(width - bits)) - 1n);
    return { v6: width === 128, range: [start, start + (1n << BigInt(width - bits)) - 1n] };
}

/** The union of intervals, merged. */
function merge(ranges: Interval[]): Interval[] {
    const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const out: Interval[] = [];
    for (const r of sorted) {
        const last = out[out.length - 1];
        if (last && r[0] <= last[1] + 1n) last[1] = r[1] > last[1] ? r[1] : last[1];
        else out.push([r[0], r[1]]);
    }
    return out;
}

const size = (ranges: Interval[]) => ranges.reduce((n, [a, b]) => n + (b - a + 1n), 0n);

/** Intervals minus other intervals. */
function subtract(ranges: Interval[], holes: Interval[]): Interval[] {
    let out = merge(ranges);
    for (const [ha, hb] of merge(holes)) {
        out = out.flatMap(([a, b]): Interval[] => {
            if (hb < a || ha > b) return [[a, b]];
            const parts: Interval[] = [];
            if (ha > a) parts.push([a, ha - 1n]);
            if (hb < b) parts.push([hb + 1n, b]);
            return parts;
        });
    }
    return out;
}

export interface Exposure {
    /** Internet-routable IPv4 addresses the CIDRs cover together. */
    ipv4: bigint;
    /** Whether any IPv6 range is wider than a /48, a single site's allocation. */
    wideIpv6: boolean;
    /** CIDRs that do not parse. */
    invalid: string[];
}

/** What a set of CIDRs exposes, together. */
export function exposure(cidrs: readonly string[]): Exposure {
    const v4: Interval[] = [];
    const invalid: string[] = [];
    let wideIpv6 = false;
    for (const cidr of cidrs) {
        const parsed = interval(cidr);
        if (!parsed) invalid.push(cidr);
        else if (parsed.v6) wideIpv6 ||= parsed.range[1] - parsed.range[0] + 1n > 1n << 80n;
        else v4.push(parsed.range);
    }
    const internet = subtract(v4, NOT_INTERNET_V4.map((c) => interval(c)!.range));
    return { ipv4: size(internet), wideIpv6, invalid };
}

/**
 * Whether CIDRs open something to the internet: more than `maxAddresses` internet-routable IPv4
 * addresses together (a /16 is 65,536), or a wide IPv6 range, or anything unparseable.
 */
export function opensToInternet(cidrs: readonly string[], maxAddresses: number): boolean {
    const e = exposure(cidrs);
    return e.ipv4 > BigInt(maxAddresses) || e.wideIpv6 || e.invalid.length > 0;
}

/** The share of the internet-routable IPv4 space the CIDRs cover, 0 to 1. */
export function internetShare(cidrs: readonly string[]): number {
    const all = size(subtract([[0n, (1n << 32n) - 1n]], NOT_INTERNET_V4.map((c) => interval(c)!.range)));
    return Number(exposure(cidrs).ipv4) / Number(all);
}
