import type { ReportViolation } from "@pulumi/policy";
import { ALB_SCHEME_ANNOTATION, INTERNAL_ANNOTATION, SCHEME_ANNOTATION } from "../../components/teams/exposure";
import { exposure, opensToInternet } from "./cidr";
import { byResourceView } from "./cloudControl";
import { describeObject } from "./kubernetes";
import { checkLoadBalancerObject } from "./kubernetesLoadBalancers";
import { ingressByGroup } from "./securityGroups";
import { byKubernetesObject, GuardrailResourcePolicy, GuardrailStackPolicy, list, Props, T } from "./support";

/** Guardrails on what the internet can reach: security groups, databases, the Kubernetes API, load balancers. */

const N = {
    rdsInstance: "aws:rds/instance:Instance",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    nativeDbInstance: "aws-native:rds:DBInstance",
    nativeDbCluster: "aws-native:rds:DBCluster",
    nativeEksCluster: "aws-native:eks:Cluster",
} as const;

/** How much of the internet a set of CIDRs reaches, for messages. */
export function describeExposure(cidrs: readonly string[]): string {
    const e = exposure(cidrs);
    const parts = [
        e.ipv4 > 0n ? `${e.ipv4.toLocaleString("en-US")} internet IPv4 address${e.ipv4 === 1n ? "" : "es"}` : "",
        e.wideIpv6 ? "an IPv6 range wider than a /48" : "",
        e.invalid.length > 0 ? `unreadable ranges ${e.invalid.join(", ")}` : "",
    ].filter(Boolean);
    return parts.join(", ") || "no internet addresses";
}

/** Admin, remote-access, database, cache, search and cluster-control ports. */
export const DEFAULT_ADMIN_PORTS = [22, 23, 445, 3389, 5900, 5985, 5986, 3306, 5432, 1433, 1521, 27017, 6379, 9200, 9300, 11211, 2379, 2380, 10250, 10255];

export const securityGroupAdminPorts: GuardrailStackPolicy = {
    name: "security-group-admin-ports",
    description:
        "No security group admits the internet on an admin or database port: inline rules and separate rule resources of the same group are judged together, IPv4 and IPv6, port ranges and protocol -1 included.",
    why: "An SSH, RDP, database or etcd port reachable from the internet is found by scanners within minutes and brute-forced or exploited.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Admit only your VPN or office ranges (or another security group) on these ports; reach instances through SSM Session Manager instead of SSH; keep databases in private subnets behind security-group references.",
    configSchema: {
        properties: {
            ports: { type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, default: DEFAULT_ADMIN_PORTS, description: "Ports that must never face the internet." },
            maxAddresses: { type: "integer", minimum: 0, default: 4096, description: "Most internet-routable IPv4 addresses a group may admit on those ports (4,096 is a /20)." },
        },
    },
    validateStack: (args, report) => {
        const { ports, maxAddresses } = args.getConfig<{ ports: number[]; maxAddresses: number }>();
        for (const { group, rules } of ingressByGroup(args.resources)) {
            // Ports whose admitted ranges, together, reach the internet; ports with the same ranges share one message.
            const openPorts = new Map<string, number[]>();
            for (const port of ports) {
                const cidrs = [...new Set(rules.filter(({ rule }) => rule.ports && rule.ports[0] <= port && port <= rule.ports[1]).flatMap(({ rule }) => rule.cidrs))].sort();
                if (cidrs.length > 0 && opensToInternet(cidrs, maxAddresses)) openPorts.set(cidrs.join(", "), [...(openPorts.get(cidrs.join(", ")) ?? []), port]);
            }
            for (const [cidrs, open] of openPorts) {
                const from = [...new Set(rules.map((r) => r.from).filter((r) => r !== group))];
                const through = from.length > 0 ? ` (rules ${from.map((r) => r.name).join(", ")})` : "";
                report(`port${open.length > 1 ? "s" : ""} ${open.join(", ")} admit${open.length > 1 ? "" : "s"} the internet: ${cidrs} (${describeExposure(cidrs.split(", "))})${through}`, (group ?? from[0]).urn);
            }
        }
    },
};

const isTrue = (v: unknown) => v === true || v === "true";

export const rdsPublicAccess: GuardrailResourcePolicy = {
    name: "rds-public-access",
    description: "RDS instances and Aurora cluster instances (and Cloud Control DB instances and clusters) are not publicly accessible: no public address, whether set or left to AWS's default.",
    why: "A publicly accessible database is one security-group mistake away from the internet, and its endpoint resolves to a public address anyone can probe.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set publiclyAccessible to false and give the database a subnet group of private subnets; reach it from the cluster or through a bastion/SSM tunnel.",
    validateResource: byResourceView({
        [N.rdsInstance]: (props, _, report) => {
            if (isTrue(props.publiclyAccessible)) report("publiclyAccessible is true: the instance gets a public address");
        },
        [N.rdsClusterInstance]: (props, _, report) => {
            if (isTrue(props.publiclyAccessible)) report("publiclyAccessible is true: the cluster instance gets a public address");
        },
        [N.nativeDbInstance]: (props, _, report) => {
            if (isTrue(props.publiclyAccessible)) report("publiclyAccessible is true: the instance gets a public address");
            // CloudFormation's default: without a subnet group the instance goes to the default VPC, public.
            else if (props.publiclyAccessible === undefined && !props.dbSubnetGroupName && !props.dbClusterIdentifier) {
                report("publiclyAccessible is not set and there is no dbSubnetGroupName: AWS places the instance in the default VPC, publicly accessible");
            }
        },
        [N.nativeDbCluster]: (props, _, report) => {
            if (isTrue(props.publiclyAccessible)) report("publiclyAccessible is true: the DB cluster gets public addresses");
        },
    }),
};

type EndpointConfig = { allowOpenToInternet: boolean; maxAddresses: number };

function checkEndpoint(publicAccess: unknown, cidrs: unknown, config: EndpointConfig, report: (m: string) => void): void {
    // AWS, CloudFormation and @pulumi/eks all default to a public endpoint, and an empty list to 0.0.0.0/0.
    if (publicAccess === false || publicAccess === "false" || config.allowOpenToInternet) return;
    const given = list<unknown>(cidrs as unknown[]).filter((c): c is string => typeof c === "string");
    const effective = given.length > 0 ? given : ["0.0.0.0/0"];
    if (!opensToInternet(effective, config.maxAddresses)) return;
    report(`the public endpoint is open to the internet: ${given.length > 0 ? given.join(", ") : "0.0.0.0/0 (the default)"} (${describeExposure(effective)})`);
}

export const eksPublicEndpoint: GuardrailResourcePolicy = {
    name: "eks-public-endpoint",
    description:
        "An EKS API endpoint is never public to the internet, judged by address arithmetic over publicAccessCidrs (split ranges add up; an absent list is 0.0.0.0/0), unless config allows it for this environment.",
    why: "An API server open to the internet exposes every Kubernetes authentication and API vulnerability, and any leaked credential, to the whole world.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Turn the public endpoint off (private access only), or list your VPN and office CIDRs in publicAccessCidrs.",
    configSchema: {
        properties: {
            allowOpenToInternet: { type: "boolean", default: false, description: "Let a public endpoint open to the internet through (for throwaway environments only)." },
            maxAddresses: { type: "integer", minimum: 0, default: 65536, description: "Most internet-routable IPv4 addresses publicAccessCidrs may admit together (65,536 is a /16)." },
        },
    },
    validateResource: byResourceView({
        [T.eksCluster]: (props, args, report) => checkEndpoint(props.vpcConfig?.endpointPublicAccess, props.vpcConfig?.publicAccessCidrs, args.getConfig(), report),
        [T.eksClusterComponent]: (props, args, report) => checkEndpoint(props.endpointPublicAccess, props.publicAccessCidrs, args.getConfig(), report),
        [N.nativeEksCluster]: (props, args, report) => checkEndpoint(props.resourcesVpcConfig?.endpointPublicAccess, props.resourcesVpcConfig?.publicAccessCidrs, args.getConfig(), report),
    }),
};

/** Whether a Service's annotations keep its load balancer internal for both controllers: the rule components/teams/exposure.ts enforces by admission. */
export function internalByAnnotations(annotations: Props | undefined): boolean {
    const scheme = annotations?.[SCHEME_ANNOTATION];
    return annotations?.[INTERNAL_ANNOTATION] === "true" && (scheme === undefined || scheme === "" || scheme === "internal");
}

export const internalLoadBalancers: GuardrailResourcePolicy = {
    name: "internal-load-balancers",
    description:
        "Kubernetes LoadBalancer Services and Ingresses are internal, however declared (typed, patch, CustomResource, ConfigGroup/ConfigFile), except in namespaces config lets face the internet; so are the schemes IngressClassParams and Gateway API LoadBalancerConfigurations set for a whole class, Gateways' infrastructure annotations and IngressGroups' members, and no TargetGroupBinding puts pods behind a load balancer made elsewhere.",
    why: "The public subnets carry the ELB role tag, so one Service of type LoadBalancer without the internal annotations puts a workload on the internet.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: `Annotate the Service ${INTERNAL_ANNOTATION}: "true" (and ${SCHEME_ANNOTATION}, if set, internal), drop ${ALB_SCHEME_ANNOTATION}: internet-facing from Ingresses (and scheme: internet-facing from IngressClassParams and LoadBalancerConfigurations), state ${ALB_SCHEME_ANNOTATION}: internal on IngressGroup members, or list the namespace in publicNamespaces after review.`,
    configSchema: {
        properties: {
            publicNamespaces: { type: "array", items: { type: "string" }, default: [], description: "Namespaces whose load balancers may face the internet." },
        },
    },
    validateResource: byKubernetesObject((o, args, report) => {
        const { publicNamespaces } = args.getConfig<{ publicNamespaces: string[] }>();
        checkLoadBalancerObject(o, publicNamespaces, report);
        const namespace = o.object?.metadata?.namespace ?? "default";
        if (publicNamespaces.includes(namespace)) return;
        const annotations: Props | undefined = o.object?.metadata?.annotations;
        if (o.kind === "Service" && o.apiVersion === "v1") checkService(o.object, annotations, o.via === "patch", describeObject(o), report);
        if (o.kind === "Ingress" && annotations?.[ALB_SCHEME_ANNOTATION] === "internet-facing") report(`${describeObject(o)} asks the ALB controller for an internet-facing load balancer (${ALB_SCHEME_ANNOTATION}: internet-facing)`);
    }),
};

function checkService(service: Props, annotations: Props | undefined, patch: boolean, label: string, report: ReportViolation): void {
    const type = service?.spec?.type;
    if (type === "LoadBalancer") {
        if (!internalByAnnotations(annotations)) {
            report(`${label} is a LoadBalancer that would face the internet: set ${INTERNAL_ANNOTATION}: "true" (and ${SCHEME_ANNOTATION}, if set, to internal)`);
        }
        return;
    }
    // A patch may leave the type to the object it patches; annotations that turn a load balancer public are enough.
    const scheme = annotations?.[SCHEME_ANNOTATION];
    const internal = annotations?.[INTERNAL_ANNOTATION];
    if (patch && type === undefined && (scheme === "internet-facing" || (internal !== undefined && internal !== "true"))) {
        report(`${label} sets annotations that make a LoadBalancer Service face the internet`);
    }
}

export const networkPolicies = [securityGroupAdminPorts, rdsPublicAccess, eksPublicEndpoint, internalLoadBalancers];
