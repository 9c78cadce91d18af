import type { PolicyResource } from "@pulumi/policy";
import { known } from "../../policy/policies/preview";
import { list, Props, T } from "../../policy/policies/support";
import { Draft, flat, HOURS_PER_MONTH, Pricer, PricingContext, rate } from "./types";

/**
 * NAT gateways (awsx's strategy or plain ones), their public IPv4 addresses and the data they
 * process; interface endpoints per AZ and their data; Elastic IPs. Gateway endpoints are free.
 */

const NAT_GATEWAY = "aws:ec2/natGateway:NatGateway";
const EIP = "aws:ec2/eip:Eip";
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** awsx's NAT gateways: none, one, or one per AZ (its default). */
function awsxNatCount(props: Props): number {
    const strategy = props.natGateways?.strategy ?? "OnePerAz";
    if (strategy === "None") return 0;
    if (strategy === "Single") return 1;
    const zones = list<string>(props.availabilityZoneNames).length || Number(props.numberOfAvailabilityZones ?? 3);
    return zones;
}

/** NAT gateways a resource creates, and whether each holds a public IPv4 address of its own (awsx allocates one). */
function natGatewaysOf(r: PolicyResource): { count: number; ownAddress: boolean } {
    if (r.type === T.vpcComponent) return { count: known(() => awsxNatCount(r.props ?? {})) ?? 0, ownAddress: true };
    // A plain gateway's address is an Eip resource, priced there; a private one has none.
    if (r.type === NAT_GATEWAY) return { count: 1, ownAddress: false };
    return { count: 0, ownAddress: false };
}

/** Every NAT gateway in the plan, for sharing out the data they process: a VPC whose gateways the plan shows counts through them. */
function totalNatGateways(context: PricingContext): number {
    return context.resources.reduce((n, r) => n + (r.type === T.vpcComponent && context.below.get(r.urn)?.has(NAT_GATEWAY) ? 0 : natGatewaysOf(r).count), 0);
}

export const natPricer: Pricer = (r, context) => {
    const { count, ownAddress } = natGatewaysOf(r);
    if (count === 0) return [];
    const book = context.book(r);
    const hour = book.service("nat.hour");
    const ipv4 = book.service("vpc.publicIpv4.hour");
    const share = count / Math.max(count, totalNatGateways(context));
    const gb = context.usage.natGbPerMonth * share;
    const drafts: Draft[] = [
        { item: "NAT gateway hours", monthly: flat(count * hour * HOURS_PER_MONTH), basis: `${count} × ${HOURS_PER_MONTH} h × ${rate(hour)}/h`, prices: ["nat.hour"] },
        {
            item: "NAT data processed",
            monthly: flat(gb * book.service("nat.gb")),
            basis: `${Number(gb.toFixed(1))} GB × ${rate(book.service("nat.gb"))}/GB`,
            usage: `natGbPerMonth ${context.usage.natGbPerMonth} GB${share < 1 ? `, this resource's share ${Number(share.toFixed(2))}` : ""}`,
            prices: ["nat.gb"],
        },
    ];
    if (ownAddress) drafts.push({ item: "NAT public IPv4 addresses", monthly: flat(count * ipv4 * HOURS_PER_MONTH), basis: `${count} × ${HOURS_PER_MONTH} h × ${rate(ipv4)}/h`, prices: ["vpc.publicIpv4.hour"] });
    return drafts;
};

export const eipPricer: Pricer = (r, context) => {
    if (r.type !== EIP) return [];
    const ipv4 = context.book(r).service("vpc.publicIpv4.hour");
    return [{ item: "public IPv4 address", monthly: flat(ipv4 * HOURS_PER_MONTH), basis: `${HOURS_PER_MONTH} h × ${rate(ipv4)}/h`, prices: ["vpc.publicIpv4.hour"] }];
};

export const endpointPricer: Pricer = (r: PolicyResource, context: PricingContext) => {
    if (r.type !== VPC_ENDPOINT || (known(() => r.props.vpcEndpointType) ?? "Gateway") !== "Interface") return [];
    const book = context.book(r);
    const zones = Math.max(1, known(() => list(r.props.subnetIds).length) ?? 1);
    const azHour = book.service("vpc.interfaceEndpoint.azHour");
    const gb = context.usage.endpointGbPerMonth;
    return [
        { item: "interface endpoint hours", monthly: flat(zones * azHour * HOURS_PER_MONTH), basis: `${zones} AZ × ${HOURS_PER_MONTH} h × ${rate(azHour)}/h`, prices: ["vpc.interfaceEndpoint.azHour"] },
        {
            item: "interface endpoint data",
            monthly: flat(gb * book.service("vpc.interfaceEndpoint.gb")),
            basis: `${gb} GB × ${rate(book.service("vpc.interfaceEndpoint.gb"))}/GB`,
            usage: `endpointGbPerMonth ${gb} GB`,
            prices: ["vpc.interfaceEndpoint.gb"],
        },
    ];
};
