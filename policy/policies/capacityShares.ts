import type { PolicyResource } from "@pulumi/policy";
import { INSTANCE_TYPES, instanceTypeInfo } from "../../components/config/instanceTypes";
import { effectiveSize, Resizing } from "./groupSizes";
import { Choice, COMPUTE_TYPES as C, DEFAULT_NODE_TYPE, instanceChoices, vcpuOfChoice } from "./instanceChoices";
import { TemplateIndex, templateRefsOf } from "./launchTemplates";
import { computeView } from "./nativeCompute";
import { known } from "./preview";
import { ecsServiceShare, EcsIndex, ECS_SERVICES } from "./ecsCapacity";
import { beanstalkInstanceTypes, BEANSTALK_ENVIRONMENTS, endpointVariants, ec2Type, SERVICE_TYPES as S, STUDIO_TYPES, vcpuAmount } from "./serviceCompute";
import { list, Props, T } from "./support";

/**
 * Each resource's share of the environment's vCPU ceiling: what it may launch at most, or why
 * that cannot be counted. Groups count at the size a schedule or warm pool may give them; EMR
 * clusters at what managed scaling allows; capacity that has no count (Fargate) is reported.
 */

export type Share = { vcpu: number; detail: string } | { problem: string };

const FARGATE_PROFILE = ["aws:eks/fargateProfile:FargateProfile", "aws-native:eks:FargateProfile"];
const EMR_SCALING = "aws:emr/managedScalingPolicy:ManagedScalingPolicy";
const FARGATE = "Fargate profile runs any number of pods (up to 16 vCPU each) for the namespaces it selects, so the environment's vCPUs are unbounded";

/** What the stack tells about a resource beyond its own fields: templates, resizers, EMR scaling. */
export interface Context {
    templates: TemplateIndex;
    resizing: Resizing;
    emrScaling: Map<string, Props>;
    ecs: EcsIndex;
}

/** Types that launch compute whose size the ceiling cannot read: reported rather than passed over. */
const UNCOUNTED: Record<string, string> = {
    "aws:gamelift/fleet:Fleet": "a GameLift fleet",
    "aws-native:gamelift:Fleet": "a GameLift fleet",
    "aws:appstream/fleet:Fleet": "an AppStream fleet",
    "aws-native:appstream:Fleet": "an AppStream fleet",
    "aws:lightsail/instance:Instance": "a Lightsail instance",
    "aws-native:lightsail:Instance": "a Lightsail instance",
    "aws:lightsail/containerService:ContainerService": "a Lightsail container service",
    "aws:workspaces/workspace:Workspace": "a WorkSpace",
    "aws-native:workspaces:Workspace": "a WorkSpace",
    "aws:ecs/taskSet:TaskSet": "an ECS task set",
    "aws-native:ecs:TaskSet": "an ECS task set",
};

/** EMR managed scaling limits by the URN of the cluster they govern; those naming a cluster not declared here. */
export function emrScaling(resources: PolicyResource[]): { byCluster: Map<string, Props>; orphans: { r: PolicyResource; cluster: string }[] } {
    const clusters = new Map<string, string>();
    for (const r of resources) {
        if (r.type !== C.emrCluster) continue;
        const arn = known(() => r.props.arn);
        for (const key of [known(() => r.props.id), typeof arn === "string" ? arn.split("/").pop() : undefined, r.urn]) if (typeof key === "string") clusters.set(key, r.urn);
    }
    const byCluster = new Map<string, Props>();
    const orphans: { r: PolicyResource; cluster: string }[] = [];
    for (const r of resources) {
        if (r.type !== EMR_SCALING) continue;
        const id = known(() => r.props.clusterId);
        const target = (typeof id === "string" ? clusters.get(id) : undefined) ?? r.dependencies.map((d) => d.urn).find((urn) => clusters.get(urn) === urn);
        const limits = known(() => list<Props>(r.props.computeLimits)[0]);
        if (target && limits) byCluster.set(target, limits);
        else if (!target && typeof id === "string") orphans.push({ r, cluster: id });
    }
    return { byCluster, orphans };
}

/** What a resource may launch: its own choices, else its templates' (by reference, else the templates it depends on). */
export function resolvedChoices(r: PolicyResource, type: string, props: Props, templates: TemplateIndex): Choice[] | undefined {
    const own = instanceChoices(type, props);
    if (own.length > 0) return own;
    const eksDefault: Choice[] = [{ where: "instanceTypes (default)", instanceType: DEFAULT_NODE_TYPE, weight: 1 }];
    const isEksGroup = type === T.eksNodeGroup || type === T.managedNodeGroupComponent;
    const refs = templateRefsOf(props);
    if (refs.length === 0) return isEksGroup ? eksDefault : undefined;
    const found: string[] = [];
    for (const ref of refs) {
        const key = ref.refs.find((k) => templates.has(k));
        // In a preview a new template's id is not known yet: then read the templates the resource depends on.
        if (key) found.push(key);
        else if (ref.pending) found.push(...r.dependencies.map((d) => d.urn).filter((urn) => templates.has(urn)));
        else return undefined;
    }
    if (found.length === 0) return undefined;
    const choices = found.flatMap((key) => templates.get(key)!);
    // A declared template without a type leaves EKS's default; any other consumer names its types itself.
    return choices.length > 0 ? choices : isEksGroup ? eksDefault : undefined;
}

/** The most vCPUs `units` of capacity can be, however the choices fill them: ceil(units / weight) x vCPUs, the largest over the choices. */
function bound(units: number, choices: Choice[], unitType?: string): { vcpu: number; largest: number } | { problem: string } {
    const unknownTypes = new Set<string>();
    const unbounded: string[] = [];
    let vcpu = 0;
    let largest = 0;
    for (const c of choices) {
        const v = vcpuOfChoice(c);
        if ("unknownType" in v) unknownTypes.add(v.unknownType);
        if ("unbounded" in v) unbounded.push(v.unbounded);
        if (!("vcpu" in v)) continue;
        // Fleets may count capacity in vCPUs or MiB of memory instead of instances.
        const memory = c.instanceType ? instanceTypeInfo(c.instanceType)?.memoryGiB : undefined;
        if (unitType === "memory-mib" && memory === undefined) {
            unbounded.push(`${c.where} counts capacity in memory-mib`);
            continue;
        }
        const weight = unitType === "vcpu" ? v.vcpu : unitType === "memory-mib" ? memory! * 1024 : c.weight;
        vcpu = Math.max(vcpu, Math.ceil(units / weight) * v.vcpu);
        largest = Math.max(largest, v.vcpu);
    }
    const problems = [
        unknownTypes.size > 0 ? `instance type(s) ${[...unknownTypes].join(", ")} are not in envstack's instance-type table` : "",
        ...unbounded,
    ].filter(Boolean);
    return problems.length > 0 ? { problem: `${problems.join("; ")}, so their vCPUs cannot be counted` } : { vcpu, largest };
}

/** The largest size of a family in the table: what one Dedicated Host of it runs. */
function hostVcpu(choice: Choice | undefined): { vcpu: number } | { problem: string } {
    const family = choice?.instanceType?.split(".")[0];
    const sizes = Object.entries(INSTANCE_TYPES).filter(([t]) => t.startsWith(`${family}.`)).map(([, i]) => i.vcpu);
    return sizes.length > 0 ? { vcpu: Math.max(...sizes) } : { problem: `instance family ${family ?? "(none)"} is not in envstack's instance-type table, so the host's vCPUs cannot be counted` };
}

/** An EMR group's or fleet's instances: a group's count (or its automatic scaling's MaxCapacity), a fleet's target capacities. */
function emrUnits(g: Props, defaultCount: number): number {
    if (g.instanceTypeConfigs) return Number(g.targetOnDemandCapacity ?? 0) + Number(g.targetSpotCapacity ?? 0);
    let count = Number(g.instanceCount ?? defaultCount);
    // CloudFormation states the policy as an object.
    if (g.autoScalingPolicy) count = Math.max(count, Number(g.autoScalingPolicy.constraints?.maxCapacity ?? 0));
    if (typeof g.autoscalingPolicy === "string") {
        try {
            count = Math.max(count, Number(JSON.parse(g.autoscalingPolicy)?.Constraints?.MaxCapacity ?? 0));
        } catch {
            count = NaN;
        }
    }
    return count;
}

export function shareOf(r: PolicyResource, context: Context): Share | undefined {
    const { type, props } = computeView(r.type, r.props);
    const capacity = (units: number, unitType?: string, choices = resolvedChoices(r, type, props, context.templates)): Share => {
        if (!(units >= 0)) return { problem: `its size ${JSON.stringify(units)} is not a number, so its vCPUs cannot be counted` };
        if (!choices) return { problem: "its instance types (or launch template) are not declared in this program, so its vCPUs cannot be counted" };
        const b = bound(units, choices, unitType);
        if ("problem" in b) return b;
        return { vcpu: b.vcpu, detail: unitType || choices.some((c) => c.weight !== 1) ? `${r.name}: ${units} units, up to ${b.vcpu} vCPU` : `${r.name}: ${units} x ${b.largest} vCPU` };
    };
    const size = effectiveSize(r, type, props, context.resizing);
    // Beanstalk's default types (t3.micro, t3.small) have 2 vCPUs.
    if (size !== undefined && BEANSTALK_ENVIRONMENTS.includes(type) && beanstalkInstanceTypes(props).length === 0) return capacity(size, undefined, [{ where: "InstanceTypes (default)", requirements: { vcpuCount: { max: 2 } }, weight: 1 }]);
    if (size !== undefined) return capacity(size);
    switch (type) {
        case T.instance:
        case C.spotInstanceRequest:
        case C.nativeInstance:
        case C.cloud9:
        case C.nativeCloud9:
        case C.notebook:
        case C.nativeNotebook:
            return capacity(1);
        case C.capacityReservation:
        case C.nativeCapacityReservation:
            return capacity(Number(props.instanceCount));
        case C.capacityBlock:
            return { problem: "a Capacity Block's instance type and count come from its offering, so its vCPUs cannot be counted" };
        case C.dedicatedHost:
        case C.nativeHost: {
            const host = hostVcpu(instanceChoices(type, props)[0]);
            return "problem" in host ? host : { vcpu: host.vcpu, detail: `${r.name}: a Dedicated Host of ${host.vcpu} vCPU` };
        }
        case C.spotFleetRequest:
            return capacity(Number(props.targetCapacity), props.targetCapacityUnitType);
        case C.fleet:
            return capacity(Number(props.targetCapacitySpecification?.totalTargetCapacity), props.targetCapacitySpecification?.targetCapacityUnitType);
        case C.emrInstanceGroup:
        case C.emrInstanceFleet:
            return capacity(emrUnits(props, 0));
        case C.emrCluster:
            return emrClusterShare(r, props, context, capacity);
        case C.batchComputeEnvironment:
        case C.nativeBatchComputeEnvironment: {
            const max = Number(props.computeResources?.maxVcpus);
            return max >= 0 ? { vcpu: max, detail: `${r.name}: maxVcpus ${max}` } : { problem: "computeResources.maxVcpus is not a number, so its vCPUs cannot be counted" };
        }
        case T.eksCluster:
        case T.eksClusterComponent:
            return clusterShare(type, props);
        case S.emrServerless:
        case S.nativeEmrServerless: {
            const cpu = vcpuAmount(props.maximumCapacity?.cpu);
            return cpu === undefined ? { problem: "the EMR Serverless application sets no maximumCapacity.cpu, so its workers' vCPUs are unbounded" } : { vcpu: cpu, detail: `${r.name}: maximumCapacity.cpu ${cpu}` };
        }
        case S.endpointConfiguration:
        case S.nativeEndpointConfiguration:
            return endpointShare(r, props, capacity);
        case S.ecsCapacityProvider:
        case S.nativeEcsCapacityProvider:
            return props.managedInstancesProvider ? { problem: "ECS Managed Instances launch as many instances as the cluster's tasks need, with no maximum, so the environment's vCPUs are unbounded" } : undefined;
        default:
            if (FARGATE_PROFILE.includes(type)) return { problem: `the ${FARGATE}` };
            if (ECS_SERVICES.includes(type)) return ecsServiceShare(r, props, context.ecs);
            // A Studio domain, profile or space runs one app instance of its default type; one naming none runs small defaults.
            if (STUDIO_TYPES.includes(type)) return instanceChoices(type, props).length > 0 ? capacity(1, undefined, instanceChoices(type, props)) : undefined;
            return UNCOUNTED[type] ? { problem: `${UNCOUNTED[type]} launches compute whose size the vCPU ceiling cannot read, so its vCPUs cannot be counted` } : undefined;
    }
}

/** An endpoint configuration's variants: instances x count (raised by managed instance scaling); a serverless variant has no instance count. */
function endpointShare(r: PolicyResource, props: Props, capacity: Capacity): Share | undefined {
    const parts: Share[] = endpointVariants(props).map(({ where, variant }) => {
        if (variant.serverlessConfig) return { problem: `${where} is serverless, whose vCPUs SageMaker does not state, so they cannot be counted` };
        const count = Math.max(Number(variant.initialInstanceCount ?? 1), Number(variant.managedInstanceScaling?.maxInstanceCount ?? 0));
        const choice: Choice[] = [{ where: `${where}.instanceType`, instanceType: String(ec2Type(variant.instanceType)), weight: 1 }];
        return capacity(count, undefined, choice);
    });
    const problem = parts.find((p): p is { problem: string } => "problem" in p);
    if (problem || parts.length === 0) return problem;
    const counted = parts as { vcpu: number; detail: string }[];
    return { vcpu: counted.reduce((n, p) => n + p.vcpu, 0), detail: `${r.name}: ${counted.map((p) => p.detail.slice(r.name.length + 2)).join(" + ")}` };
}

type Capacity = (units: number, unitType?: string, choices?: Choice[]) => Share;

/** An EMR cluster: its primary group, and its core group or fleet at the larger of its own size and what managed scaling allows. */
function emrClusterShare(r: PolicyResource, props: Props, context: Context, capacity: Capacity): Share {
    const primary = props.masterInstanceGroup ?? props.masterInstanceFleet;
    const core = props.coreInstanceGroup ?? props.coreInstanceFleet;
    const coreShare = (): Share | undefined => {
        if (!core) return undefined;
        const choices = instanceChoices(C.emrInstanceGroup, core);
        const own = capacity(emrUnits(core, 1), undefined, choices);
        const limits = context.emrScaling.get(r.urn) ?? props.managedScalingPolicy?.computeLimits;
        if (!limits || "problem" in own) return own;
        const scaled = capacity(Number(limits.maximumCapacityUnits), limits.unitType === "VCPU" ? "vcpu" : undefined, choices);
        return "problem" in scaled || scaled.vcpu > own.vcpu ? scaled : own;
    };
    const parts = [primary ? capacity(emrUnits(primary, 1), undefined, instanceChoices(C.emrInstanceGroup, primary)) : undefined, coreShare()];
    const problem = parts.find((p): p is { problem: string } => p !== undefined && "problem" in p);
    if (problem) return problem;
    const counted = parts.filter((p): p is { vcpu: number; detail: string } => p !== undefined && "vcpu" in p);
    return { vcpu: counted.reduce((n, p) => n + p.vcpu, 0), detail: `${r.name}: ${counted.map((p) => p.detail.slice(r.name.length + 2)).join(" + ")}` };
}

/** A cluster's capacity nobody bounds: EKS Auto Mode's built-in node pools, an @pulumi/eks Fargate profile. */
function clusterShare(type: string, props: Props): Share | undefined {
    const auto = type === T.eksCluster ? props.computeConfig : (props.autoMode?.computeConfig ?? (props.autoMode?.enabled ? { enabled: true } : undefined));
    const pools = auto?.nodePools === undefined && type === T.eksClusterComponent ? ["general-purpose", "system"] : list<string>(auto?.nodePools);
    const problems = [
        auto?.enabled && pools.length > 0 ? `EKS Auto Mode's built-in node pools (${pools.join(", ")}) have no limits, so the environment's vCPUs are unbounded` : "",
        type === T.eksClusterComponent && props.fargate ? `its ${FARGATE}` : "",
    ].filter(Boolean);
    return problems.length > 0 ? { problem: problems.join("; ") } : undefined;
}
