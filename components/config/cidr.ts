import * as ipaddr from "ipaddr.js";

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
    /** The network address as an unsigned 32-bit integer. */
    base: number;
    prefix: number;
    /** Whether host bits are set (e.g. `10.0.0.1/16`). */
    hostBitsSet: boolean;
    /** ipaddr.js's range name: `private`, `carrierGradeNat`, `unicast`, ... */
    range: string;
}

/** Parses `a.b.c.d/n`; `undefined` when it is not a well-formed IPv4 CIDR. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
    // No leading zeros: 10.040.0.0 reads as octal to some tools and as decimal to others.
    if (!/^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}\/(0|[1-9]\d?)$/.test(text) || !ipaddr.IPv4.isValidCIDR(text)) return undefined;
    const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
    const value = addr.toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);
    const size = 2 ** (32 - prefix);
    return { base: value - (value % size), prefix, hostBitsSet: value % size !== 0, range: addr.range() };
}

/** Whether a CIDR lies in space a VPC should use: RFC 1918, or the shared 100.64.0.0/10. */
export function isPrivateRange(cidr: Ipv4Cidr): boolean {
    return cidr.range === "private" || cidr.range === "carrierGradeNat";
}

/**
 * Addresses one AZ needs for subnets of the given prefix lengths, laid out in order with each
 * block aligned to its size. This is how awsx's "Auto" strategy packs subnets within an AZ.
 */
export function addressesNeededPerAz(masks: readonly number[]): number {
    let end = 0;
    for (const mask of masks) {
        const size = 2 ** (32 - mask);
        end = Math.ceil(end / size) * size + size;
    }
    return end;
}

/** The prefix length of each AZ's block: the VPC split into the next power of two of AZs. */
export function azBlockPrefix(vpcPrefix: number, azCount: number): number {
    return vpcPrefix + Math.ceil(Math.log2(Math.max(azCount, 1)));
}

/** Whether two CIDR blocks share any address. */
export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
    const end = (c: Ipv4Cidr) => c.base + 2 ** (32 - c.prefix) - 1;
    return a.base <= end(b) && b.base <= end(a);
}
