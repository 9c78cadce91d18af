import { REGION_PATTERN, ROLE_ARN_PATTERN, ROUTE_TABLE_ID_PATTERN, SUBNET_ID_PATTERN, VPC_ID_PATTERN, partitionOf } from "../shared/aws";
import { exposure } from "../shared/addresses";
import { isKnownRegion, regionAllowed, zonesOf } from "./regions";
import { NODE_GROUP_MAX_SIZE } from "./tiers";
import { addressesNeededPerAz, azBlockPrefix, Ipv4Cidr, isPrivateRange, overlaps, parseIpv4Cidr } from "./cidr";
import { Problems } from "./errors";
import { architectureOf, instanceTypeInfo, instanceTypeProblem, INSTANCE_TYPE_PATTERN } from "./instanceTypes";
import { checkStorage } from "./storageChecks";
import { checkTeams } from "./teamChecks";
import { checkLoadBalancerControllerVersion, checkPlatform } from "./platformChecks";
import { checkGpuCapacity } from "./gpuChecks";

/**
 * Checks that relate several fields. They read the raw (merged) input defensively, skipping any
 * field whose type is wrong (the schema reports that), so they can run alongside the schema and
 * every problem surfaces in one report.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const strings = (v: unknown): string[] | undefined =>
    Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;

export function checkEnvironment(raw: unknown, problems: Problems): void {
    const root = obj(raw);
    const region = str(root.region);
    checkRegionAndAccount(root, problems);
    const network = obj(root.network);
    const azs = checkAvailabilityZones(network.availabilityZones, region, problems);
    checkNetwork(network, azs, problems);
    checkCluster(obj(root.cluster), obj(root.versions), String(root.tier), region, problems);
    checkKarpenter(obj(root.karpenter), obj(root.versions), str(obj(root.cluster).kubernetesVersion), problems);
    checkStorage(obj(root.storage), strings(network.availabilityZones), problems);
    checkObservability(obj(root.observability), problems);
    checkGpuCapacity(root, problems);
    checkPlatform(root.platform, region, problems);
    checkLoadBalancerControllerVersion(root.versions, problems);
    checkTeams(root, problems);
}

/** Days in a Prometheus duration, or undefined for one not in days or weeks or years (then no order is checked). */
const days = (d: unknown) => (typeof d === "string" && /^\d+[dwy]$/.test(d) ? Number(d.slice(0, -1)) * { d: 1, w: 7, y: 365 }[d.slice(-1) as "d" | "w" | "y"] : undefined);

/** Prometheus's size-based retention must fit its volume with room to compact; Thanos keeps coarser data longer. */
export function checkObservability(observability: Obj, problems: Problems): void {
    const prometheus = obj(observability.prometheus);
    const longTerm = obj(observability.longTermMetrics);
    const thanos = obj(longTerm.thanos);
    const [raw, m5, h1] = [days(thanos.retentionRaw), days(thanos.retention5m), days(thanos.retention1h)];
    if (raw !== undefined && m5 !== undefined && m5 < raw) problems.bad("observability.longTermMetrics.thanos.retention5m", thanos.retention5m, `allowed: at least retentionRaw (${String(thanos.retentionRaw)}): downsamples outlive the raw data they summarise`);
    if (m5 !== undefined && h1 !== undefined && h1 < m5) problems.bad("observability.longTermMetrics.thanos.retention1h", thanos.retention1h, `allowed: at least retention5m (${String(thanos.retention5m)})`);
    // The compactor makes 5m data from blocks 40h old and 1h data from blocks 10 days old: raw data must live that long.
    if (raw !== undefined && raw < 10) problems.bad("observability.longTermMetrics.thanos.retentionRaw", thanos.retentionRaw, "allowed: at least 10d, so the compactor can downsample before raw blocks go");
    const size = num(prometheus.retentionSizeGB);
    const volume = num(prometheus.storageGiB);
    if (size !== undefined && volume !== undefined && size > Math.floor(volume * 0.9)) {
        problems.bad("observability.prometheus.retentionSizeGB", size, `allowed: at most ${Math.floor(volume * 0.9)} (90% of storageGiB ${volume}), so compaction has room`);
    }
}

/** Karpenter checks that relate fields: the base within the ceiling, budget windows, version support. */
export function checkKarpenter(karpenter: Obj, versions: Obj, kubernetesVersion: string | undefined, problems: Problems): void {
    const base = num(karpenter.onDemandBaseCpu);
    const max = num(karpenter.maxCpu);
    if (base !== undefined && max !== undefined && base > max) {
        problems.bad("karpenter.onDemandBaseCpu", base, `allowed: at most karpenter.maxCpu (${max}); the base is part of the ceiling`);
    }
    (Array.isArray(karpenter.budgets) ? karpenter.budgets : []).forEach((budget, i) => {
        const b = obj(budget);
        if ((b.schedule === undefined) !== (b.duration === undefined)) {
            problems.bad(`karpenter.budgets[${i}]`, b, "allowed: schedule and duration together, or neither");
        }
    });
    if (karpenter.enabled !== true || kubernetesVersion === undefined) return;
    const release = obj(obj(versions.kubernetes)[kubernetesVersion]);
    const pinned = str(obj(obj(versions.charts).karpenter).version);
    const minimum = str(release.minKarpenterVersion);
    if (pinned && minimum && compareVersions(pinned, minimum) < 0) {
        problems.bad("versions.charts.karpenter.version", pinned, `allowed: ${minimum} or newer, the oldest Karpenter that supports Kubernetes ${kubernetesVersion}`);
    }
    const crd = str(obj(obj(versions.charts).karpenterCrd).version);
    if (pinned && crd && crd !== pinned) {
        problems.bad("versions.charts.karpenterCrd.version", crd, `allowed: the controller chart's version (${pinned}); the CRDs must match the controller`);
    }
}

function compareVersions(a: string, b: string): number {
    const pa = a.split(".").map(Number);
    const pb = b.split(".").map(Number);
    for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return 0;
}

function checkRegionAndAccount(root: Obj, problems: Problems): void {
    const region = str(root.region);
    if (region !== undefined && !isKnownRegion(region)) {
        problems.bad("region", region, `${regionAllowed(region)}; config key aws:region`);
    }
}

/** The network checks alone, for a `Network` used outside `Environment`. */
export function checkNetworkArgs(network: object, region: string, problems: Problems): void {
    const azs = checkAvailabilityZones((network as Obj).availabilityZones, region, problems);
    checkNetwork(network as Obj, azs, problems);
}

/** The cluster checks alone, for a `Cluster` used outside `Environment`. */
export function checkClusterArgs(cluster: object, versions: object, tier: string, region: string, problems: Problems): void {
    checkCluster(cluster as Obj, versions as Obj, tier, region, problems);
}

function checkAvailabilityZones(value: unknown, region: string | undefined, problems: Problems): number {
    const azs = strings(value);
    if (azs === undefined) return 0; // the schema reports the type
    if (azs.length < 2) {
        problems.bad("network.availabilityZones", azs, "allowed: at least 2 AZs (EKS needs subnets in two AZs)");
    }
    const seen = new Set<string>();
    azs.forEach((az, i) => {
        const path = `network.availabilityZones[${i}]`;
        if (seen.has(az)) problems.bad(path, az, "allowed: each AZ once; this one is a duplicate");
        seen.add(az);
        if (region !== undefined && isKnownRegion(region) && !zonesOf(region).includes(az)) {
            problems.bad(path, az, `allowed: an AZ of region ${region}: ${zonesOf(region).join(", ")}`);
        }
    });
    return azs.length;
}

function checkNetwork(network: Obj, azCount: number, problems: Problems): void {
    const cidrText = str(network.cidr);
    if (cidrText === undefined) return;
    const cidr = parseIpv4Cidr(cidrText);
    if (cidr === undefined) {
        problems.bad("network.cidr", cidrText, "allowed: an IPv4 CIDR like 10.40.0.0/16, its octets without leading zeros");
        return;
    }
    if (cidr.prefix < 16 || cidr.prefix > 24) {
        problems.bad("network.cidr", cidrText, "allowed: a prefix from /16 (largest VPC AWS allows) to /24");
    } else if (cidr.hostBitsSet) {
        problems.bad("network.cidr", cidrText, "allowed: a network address with no host bits set");
    } else if (!isPrivateRange(cidr)) {
        problems.bad("network.cidr", cidrText, "allowed: private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10)");
    }
    const existing = network.existingVpc;
    if (isObj(existing)) {
        checkExistingVpc(existing, azCount, problems);
        return;
    }
    const masks = obj(network.subnetMasks);
    const wanted: [string, number | undefined][] = [
        ["private", num(masks.private)],
        ["public", num(masks.public)],
    ];
    if (network.isolatedSubnets === true) wanted.push(["isolated", num(masks.isolated)]);
    if (azCount < 1 || wanted.some(([, m]) => m === undefined) || cidr.prefix < 16 || cidr.prefix > 24) return;
    const azPrefix = azBlockPrefix(cidr.prefix, azCount);
    const azSize = 2 ** (32 - azPrefix);
    const needed = addressesNeededPerAz(wanted.map(([, m]) => m as number));
    const tooWide = wanted.filter(([, m]) => (m as number) < azPrefix);
    if (tooWide.length > 0 || needed > azSize) {
        const layout = wanted.map(([kind, m]) => `${kind} /${m}`).join(", ");
        problems.bad(
            "network.cidr",
            cidrText,
            `too small for ${azCount} AZs of ${layout}: each AZ gets a /${azPrefix} (${azSize} addresses) but needs ${needed}; ` +
                `allowed: a larger VPC CIDR or smaller network.subnetMasks`,
        );
    }
}

function checkExistingVpc(existing: Obj, azCount: number, problems: Problems): void {
    const vpcId = str(existing.vpcId);
    if (vpcId !== undefined && !VPC_ID_PATTERN.test(vpcId)) {
        problems.bad("network.existingVpc.vpcId", vpcId, "allowed: a VPC id like vpc-0a1b2c3d4e5f67890");
    }
    const lists: [string, RegExp, string][] = [
        ["privateSubnetIds", SUBNET_ID_PATTERN, "subnet-..."],
        ["publicSubnetIds", SUBNET_ID_PATTERN, "subnet-..."],
        ["isolatedSubnetIds", SUBNET_ID_PATTERN, "subnet-..."],
        ["routeTableIds", ROUTE_TABLE_ID_PATTERN, "rtb-..."],
    ];
    // A subnet has one role: listed twice, or as private and public, it would get both roles' tags and routes.
    const firstSeen = new Map<string, string>();
    for (const [field, pattern, shape] of lists) {
        (strings(existing[field]) ?? []).forEach((id, i) => {
            const path = `network.existingVpc.${field}[${i}]`;
            if (!pattern.test(id)) problems.bad(path, id, `allowed: an id like ${shape}`);
            else if (firstSeen.has(id)) problems.bad(path, id, `allowed: each id once; it is already ${firstSeen.get(id)}`);
            else firstSeen.set(id, path);
        });
    }
    const privateIds = strings(existing.privateSubnetIds);
    if (privateIds !== undefined && privateIds.length !== azCount) {
        problems.bad(
            "network.existingVpc.privateSubnetIds",
            privateIds,
            `allowed: one private subnet per AZ in network.availabilityZones (${azCount})`,
        );
    }
}

/** A Kubernetes version must have an entry in the version map: its add-ons, AMI alias and Karpenter floor. */
export function checkKubernetesVersion(path: string, version: unknown, versions: unknown, problems: Problems): void {
    const supported = Object.keys(obj(obj(versions).kubernetes));
    // Without a version map there is nothing to check against: the schema reports it missing.
    if (typeof version === "string" && supported.length > 0 && !supported.includes(version)) {
        problems.bad(path, version, `allowed: ${supported.join(", ")} (versions pinned in the version map; add one under envstack:versions to use it)`);
    }
}

function checkCluster(cluster: Obj, versions: Obj, tier: string, region: string | undefined, problems: Problems): void {
    checkKubernetesVersion("cluster.kubernetesVersion", cluster.kubernetesVersion, versions, problems);
    checkEndpoint(obj(cluster.endpoint), tier, problems);
    checkAdminRoles(cluster.adminRoleArns, region, problems);
    const system = obj(cluster.systemNodeGroup);
    const systemCapacity = str(system.capacityType) ?? "ON_DEMAND";
    if (tier === "prod" && systemCapacity !== "ON_DEMAND") {
        problems.bad("cluster.systemNodeGroup.capacityType", systemCapacity, "allowed: ON_DEMAND in prod, where a Spot reclaim must not take the cluster's critical add-ons down together");
    }
    checkNodeGroupSizes("cluster.systemNodeGroup", system, systemCapacity, tier, problems);
    const names = new Set<string>(["system"]);
    (Array.isArray(cluster.nodeGroups) ? cluster.nodeGroups : []).forEach((group, i) => {
        const path = `cluster.nodeGroups[${i}]`;
        const g = obj(group);
        const name = str(g.name);
        if (name !== undefined) {
            if (names.has(name)) problems.bad(`${path}.name`, name, `allowed: a unique name other than "system"`);
            names.add(name);
        }
        checkNodeGroupSizes(path, g, str(g.capacityType), tier, problems);
    });
}

/** The most internet addresses a prod endpoint's CIDRs may admit together: a /16, as the eks-public-endpoint guardrail allows. */
export const PROD_ENDPOINT_MAX_ADDRESSES = 65536;

function checkEndpoint(endpoint: Obj, tier: string, problems: Problems): void {
    const cidrs = strings(endpoint.publicAccessCidrs) ?? [];
    const valid: { text: string; cidr: Ipv4Cidr; path: string }[] = [];
    cidrs.forEach((text, i) => {
        const path = `cluster.endpoint.publicAccessCidrs[${i}]`;
        const cidr = parseIpv4Cidr(text);
        if (cidr === undefined || cidr.hostBitsSet) {
            problems.bad(path, text, "allowed: an IPv4 CIDR with no host bits set, like 203.0.113.0/24 (octets without leading zeros)");
            return;
        }
        const overlapping = valid.find((v) => overlaps(v.cidr, cidr));
        if (overlapping) problems.bad(path, text, `allowed: CIDRs that do not overlap; ${overlapping.path} (${overlapping.text}) already covers ${overlapping.text === text ? "it" : "part of it"}`);
        valid.push({ text, cidr, path });
    });
    // Judged together, however the range is split: 0.0.0.0/1 plus 128.0.0.0/1 is the whole internet.
    const open = exposure(valid.map((v) => v.text)).ipv4;
    if (tier === "prod" && open > BigInt(PROD_ENDPOINT_MAX_ADDRESSES)) {
        problems.bad(
            "cluster.endpoint.publicAccessCidrs",
            cidrs,
            `together they admit ${open.toLocaleString("en-US")} internet addresses; allowed in prod: at most ${PROD_ENDPOINT_MAX_ADDRESSES.toLocaleString("en-US")} (a /16), your VPN or office CIDRs, or publicAccess: false`,
        );
    }
    if (endpoint.publicAccess === true && cidrs.length === 0) {
        problems.bad("cluster.endpoint.publicAccessCidrs", cidrs, "allowed: at least one CIDR when publicAccess is true (the public endpoint is never left open by default)");
    }
    if (endpoint.publicAccess === false && cidrs.length > 0) {
        problems.bad("cluster.endpoint.publicAccessCidrs", cidrs, "allowed: none while publicAccess is false; set publicAccess: true to use them");
    }
}

function checkAdminRoles(value: unknown, region: string | undefined, problems: Problems): void {
    const arns = strings(value);
    if (arns === undefined) return;
    if (arns.length === 0) {
        problems.bad("cluster.adminRoleArns", arns, "allowed: at least one IAM role ARN to administer the cluster");
    }
    arns.forEach((arn, i) => {
        const path = `cluster.adminRoleArns[${i}]`;
        const match = ROLE_ARN_PATTERN.exec(arn);
        if (arns.indexOf(arn) !== i) {
            problems.bad(path, arn, "allowed: each role once; this one is a duplicate");
        } else if (!match) {
            problems.bad(path, arn, "allowed: an IAM role ARN like arn:aws:iam::123456789012:role/platform-admin");
        } else if (region !== undefined && REGION_PATTERN.test(region) && match[1] !== partitionOf(region)) {
            problems.bad(path, arn, `allowed: a role in partition ${partitionOf(region)} (the region's partition)`);
        }
    });
}

function checkNodeGroupSizes(path: string, group: Obj, capacityType: string | undefined, tier: string, problems: Problems): void {
    const min = num(group.minSize);
    const max = num(group.maxSize);
    const desired = num(group.desiredSize);
    const ceiling = (NODE_GROUP_MAX_SIZE as Record<string, number | undefined>)[tier];
    if (max !== undefined && ceiling !== undefined && max > ceiling) {
        problems.bad(`${path}.maxSize`, max, `allowed: at most ${ceiling} nodes in a ${tier} node group (the tier's node-group-max-size guardrail); Karpenter adds capacity beyond that`);
    }
    if (min !== undefined && max !== undefined && min > max) {
        problems.bad(`${path}.minSize`, min, `allowed: at most maxSize (${max})`);
    } else if (min !== undefined && max !== undefined && desired !== undefined && (desired < min || desired > max)) {
        problems.bad(`${path}.desiredSize`, desired, `allowed: within [minSize ${min}, maxSize ${max}]`);
    }
    const types = strings(group.instanceTypes);
    if (types === undefined || types.length === 0) return;
    let malformed = false;
    types.forEach((type, i) => {
        const problem = INSTANCE_TYPE_PATTERN.test(type) ? instanceTypeProblem(type) : "allowed: an EC2 instance type like m7i.large";
        if (problem) {
            malformed = true;
            problems.bad(`${path}.instanceTypes[${i}]`, type, problem);
        }
    });
    if (malformed) return;
    const arches = new Set(types.map(architectureOf));
    if (arches.size > 1) {
        problems.bad(`${path}.instanceTypes`, types, "allowed: types of one architecture (all x86_64 or all arm64); one AMI serves a group");
    }
    if (capacityType === "SPOT") checkSpotTypes(path, types, problems);
}

function checkSpotTypes(path: string, types: string[], problems: Problems): void {
    if (types.length < 2) {
        problems.bad(`${path}.instanceTypes`, types, "allowed: at least 2 instance types for a SPOT group, so Spot can draw on several pools");
        return;
    }
    const unknown = types.filter((t) => instanceTypeInfo(t) === undefined);
    if (unknown.length > 0) {
        problems.bad(`${path}.instanceTypes`, unknown, "not in envstack's instance-type table, so the same-size rule for SPOT groups cannot be checked; allowed: types listed in components/config/instanceTypes.ts");
        return;
    }
    const shapes = new Set(types.map((t) => `${instanceTypeInfo(t)!.vcpu} vCPU / ${instanceTypeInfo(t)!.memoryGiB} GiB`));
    if (shapes.size > 1) {
        problems.bad(`${path}.instanceTypes`, types, `allowed: types of the same size for a SPOT group; these span ${[...shapes].join(", ")}`);
    }
}
