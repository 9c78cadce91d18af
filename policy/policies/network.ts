import type { PolicyResource, ReportViolation } from "@pulumi/policy";
import { ALB_SCHEME_ANNOTATION, INTERNAL_ANNOTATION, SCHEME_ANNOTATION } from "../../components/teams/exposure";
import { exposure, opensToInternet } from "../../components/shared/addresses";
import { byResourceView } from "./cloudControl";
import { isOff, isOn } from "./flags";
import { describeObject } from "./kubernetes";
import { publicLoadBalancerPorts, PublicPort } from "./loadBalancers";
import { PUBLIC_DATA_STORE_CHECKS } from "./publicDataStores";
import { checkLoadBalancerObject } from "./kubernetesLoadBalancers";
import { GroupIngress, ingressByGroup } from "./securityGroups";
import { byKubernetesObject, GuardrailResourcePolicy, GuardrailStackPolicy, list, Props, T } from "./support";

/** Guardrails on what the internet can reach: security groups, databases, the Kubernetes API, load balancers. */

const N = {
    nativeDbInstance: "aws-native:rds:DBInstance",
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

/**
 * Admin, remote-access, file-sharing, database, cache, search, message-broker, cluster-control and
 * monitoring ports: AWS Security Hub's high-risk ports (EC2.19) without its generic web ports
 * (3000, 5000, 8080), plus what a platform runs: Docker, etcd, the Kubernetes API, kubelet and
 * kube-proxy, Kafka/MSK, Redshift, Neptune, Neo4j, CockroachDB, ZooKeeper, Erlang clustering,
 * Consul, Vault, Nomad, Hadoop and Spark, Prometheus, Logstash and Fluentd.
 */
export const DEFAULT_ADMIN_PORTS = [
    ...[20, 21, 22, 23, 25, 69, 110, 111, 135, 137, 138, 139, 143, 161, 389, 445, 512, 513, 514, 636, 873], // remote access, mail, Windows and Unix services, LDAP
    ...[1099, 1433, 1434, 1521, 1883, 2049, 2181, 2222, 2375, 2376, 2377, 2379, 2380, 2483, 2484, 2888, 3260, 3306, 3389, 3888, 4194, 4333, 4369],
    ...[4646, 4647, 4648, 5044, 5432, 5439, 5500, 5601, 5671, 5672, 5900, 5984, 5985, 5986, 6000, 6379, 6443, 7000, 7001, 7077, 7199, 7474, 7687],
    ...[8020, 8086, 8088, 8161, 8162, 8182, 8200, 8201, 8300, 8301, 8302, 8500, 8529, 8600, 8883, 8888, 8983],
    ...[9042, 9090, 9091, 9092, 9093, 9094, 9095, 9096, 9097, 9098, 9100, 9160, 9194, 9195, 9196, 9197, 9198, 9200, 9300, 9600, 9870],
    ...[10250, 10255, 10256, 10257, 10259, 11211, 15672, 24224, 25672, 26257, 27017, 27018, 27019, 28015, 50000, 50070, 61614, 61616, 61617],
];

const MAX_RUNS = 12;

/** Ports for a message, runs joined: "22, 9092-9098"; a long list (protocol -1 opens all of them) is cut short. */
function portList(ports: number[]): string {
    const sorted = [...new Set(ports)].sort((a, b) => a - b);
    const runs: [number, number][] = [];
    for (const p of sorted) {
        const last = runs[runs.length - 1];
        if (last && p === last[1] + 1) last[1] = p;
        else runs.push([p, p]);
    }
    const shown = runs.slice(0, MAX_RUNS).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(", ");
    const hidden = runs.slice(MAX_RUNS).reduce((n, [a, b]) => n + b - a + 1, 0);
    return hidden > 0 ? `${shown} and ${hidden} more` : shown;
}

const plural = (ports: number[], one: string, many: string) => (ports.length > 1 ? many : one);

/** Reports the admin ports the internet reaches through a load balancer or accelerator, once per resource that opens them. */
function reportLoadBalancerPorts(exposed: PublicPort[], ports: number[], report: (message: string, urn: string) => void): void {
    const byFrom = new Map<string, { found: PublicPort[]; open: number[] }>();
    for (const e of exposed) {
        const open = ports.filter((p) => e.ports[0] <= p && p <= e.ports[1]);
        if (open.length === 0) continue;
        const entry = byFrom.get(e.from.urn) ?? { found: [], open: [] };
        entry.found.push(e);
        entry.open.push(...open);
        byFrom.set(e.from.urn, entry);
    }
    for (const [urn, { found, open }] of byFrom) {
        const unique = [...new Set(open)];
        const via = [...new Set(found.map((e) => e.via))].join(", ");
        const what = `${plural(unique, "port", "ports")} ${portList(unique)}`;
        if (found[0].undeclared) report(`${what} ${plural(unique, "goes", "go")} to ${found[0].through} (${via}), not declared in this program, so whether it faces the internet cannot be known`, urn);
        else report(`${what} ${plural(unique, "reaches", "reach")} the internet through ${found[0].through} (${via})`, urn);
    }
}

/** Admin ports a group admits from prefix lists the program does not declare and config does not trust: whom they admit cannot be known. */
function reportUndeclaredLists(group: PolicyResource | undefined, rules: GroupIngress["rules"], ports: number[], trusted: string[], report: (message: string, urn: string) => void): void {
    const byList = new Map<string, { open: number[]; from: Set<PolicyResource> }>();
    for (const { rule, from } of rules) {
        for (const id of (rule.undeclaredLists ?? []).filter((l) => !trusted.includes(l))) {
            const open = rule.ports ? ports.filter((p) => rule.ports![0] <= p && p <= rule.ports![1]) : [];
            if (open.length === 0) continue;
            const entry = byList.get(id) ?? { open: [], from: new Set() };
            entry.open.push(...open);
            entry.from.add(from);
            byList.set(id, entry);
        }
    }
    for (const [id, { open, from }] of byList) {
        const unique = [...new Set(open)];
        const rulesFrom = [...from].filter((r) => r !== group);
        const through = rulesFrom.length > 0 ? ` (rules ${rulesFrom.map((r) => r.name).join(", ")})` : "";
        report(`${plural(unique, "port", "ports")} ${portList(unique)} ${plural(unique, "admits", "admit")} the prefix list ${id}${through}, not declared in this program, so whom it admits cannot be known: list it in trustedPrefixLists after review`, (group ?? rulesFrom[0]).urn);
    }
}

export const securityGroupAdminPorts: GuardrailStackPolicy = {
    name: "security-group-admin-ports",
    description:
        "No security group or Lightsail firewall (InstancePublicPorts, or an instance's default SSH/RDP) admits the internet on an admin or database port, nor a prefix list the program does not declare unless config trusts it: inline rules and separate rule resources of the same group are judged together, IPv4 and IPv6, port ranges and protocol -1 included; nor does an internet-facing load balancer, Global Accelerator, CloudFront origin (VPC or custom) or API Gateway VPC link listen on or forward to one, target groups' attachments and ECS container ports included; a listener, rule or target on a load balancer, listener or target group the program does not declare is reported too.",
    why: "An SSH, RDP, database or etcd port reachable from the internet is found by scanners within minutes and brute-forced or exploited; a load balancer or accelerator in front of it reaches it from the internet even when the group admits only the VPC.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Admit only your VPN or office ranges (or another security group) on these ports; reach instances through SSM Session Manager instead of SSH; keep databases in private subnets behind security-group references; put load balancers for admin ports on internal: true and keep them off Global Accelerator.",
    configSchema: {
        properties: {
            ports: { type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, default: DEFAULT_ADMIN_PORTS, description: "Ports that must never face the internet." },
            maxAddresses: { type: "integer", minimum: 0, default: 4096, description: "Most internet-routable IPv4 addresses a group may admit on those ports (4,096 is a /20)." },
            trustedPrefixLists: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Prefix lists made elsewhere (ids, ARNs or names) reviewed as admitting no more than maxAddresses; others a rule admits on those ports are reported, as their entries cannot be read offline.",
            },
        },
    },
    validateStack: (args, report) => {
        const { ports, maxAddresses, trustedPrefixLists = [] } = args.getConfig<{ ports: number[]; maxAddresses: number; trustedPrefixLists?: string[] }>();
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
                report(`${plural(open, "port", "ports")} ${portList(open)} ${plural(open, "admits", "admit")} the internet: ${cidrs} (${describeExposure(cidrs.split(", "))})${through}`, (group ?? from[0]).urn);
            }
            reportUndeclaredLists(group, rules, ports, trustedPrefixLists, report);
        }
        reportLoadBalancerPorts(publicLoadBalancerPorts(args.resources), ports, report);
    },
};

export const rdsPublicAccess: GuardrailResourcePolicy = {
    name: "rds-public-access",
    description:
        "Databases and brokers are not publicly accessible: RDS and Aurora instances, clusters and shard groups, Redshift clusters and Serverless workgroups, Neptune instances and Neptune Analytics graphs, Amazon MQ and MSK brokers, Timestream for InfluxDB, Lightsail databases, Mainframe Modernization environments, DMS replication instances and OpenSearch Serverless network policies (Cloud Control ones too): no public address, whether set or left to AWS's default.",
    why: "A publicly accessible database or broker is one security-group mistake away from the internet, and its endpoint resolves to a public address anyone can probe.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set publiclyAccessible to false (MSK: publicAccess type DISABLED; OpenSearch Serverless: SourceVPCEs instead of AllowFromPublic) and give the store a subnet group of private subnets; reach it from the cluster or through a bastion/SSM tunnel.",
    validateResource: byResourceView({
        ...PUBLIC_DATA_STORE_CHECKS,
        [N.nativeDbInstance]: (props, _, report) => {
            if (isOn(props.publiclyAccessible)) report(`publiclyAccessible is ${JSON.stringify(props.publiclyAccessible)}: the instance gets a public address`);
            // CloudFormation's default: without a subnet group the instance goes to the default VPC, public.
            else if (props.publiclyAccessible === undefined && !props.dbSubnetGroupName && !props.dbClusterIdentifier) {
                report("publiclyAccessible is not set and there is no dbSubnetGroupName: AWS places the instance in the default VPC, publicly accessible");
            }
        },
    }),
};

type EndpointConfig = { allowOpenToInternet: boolean; maxAddresses: number };

function checkEndpoint(publicAccess: unknown, cidrs: unknown, config: EndpointConfig, report: (m: string) => void): void {
    // AWS, CloudFormation and @pulumi/eks all default to a public endpoint, and an empty list to 0.0.0.0/0.
    if (isOff(publicAccess) || config.allowOpenToInternet) return;
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
