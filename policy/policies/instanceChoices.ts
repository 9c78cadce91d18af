import { instanceTypeInfo } from "../../components/config/instanceTypes";
import { beanstalkInstanceTypes, BEANSTALK_DEFAULT_TYPES, BEANSTALK_ENVIRONMENTS, BEANSTALK_TYPES, ec2Type, endpointVariants, SERVICE_TYPES as S, STUDIO_TYPES, studioInstanceTypes } from "./serviceCompute";
import { list, Props, T } from "./support";

/**
 * The instance types a resource may launch, however it names them: one type, a list, an Auto
 * Scaling group's or a fleet's overrides, or attribute-based instance requirements. The
 * allow-list and the vCPU ceiling read the same choices, so neither misses a way of asking.
 */

export const COMPUTE_TYPES = {
    nodeGroupComponent: "eks:index:NodeGroup",
    nodeGroupV2Component: "eks:index:NodeGroupV2",
    spotInstanceRequest: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
    spotFleetRequest: "aws:ec2/spotFleetRequest:SpotFleetRequest",
    fleet: "aws:ec2/fleet:Fleet",
    batchComputeEnvironment: "aws:batch/computeEnvironment:ComputeEnvironment",
    nativeBatchComputeEnvironment: "aws-native:batch:ComputeEnvironment",
    nativeInstance: "aws-native:ec2:Instance",
    nativeLaunchTemplate: "aws-native:ec2:LaunchTemplate",
    nativeAutoScalingGroup: "aws-native:autoscaling:AutoScalingGroup",
    cloud9: "aws:cloud9/environmentEC2:EnvironmentEC2",
    nativeCloud9: "aws-native:cloud9:EnvironmentEC2",
    capacityReservation: "aws:ec2/capacityReservation:CapacityReservation",
    nativeCapacityReservation: "aws-native:ec2:CapacityReservation",
    capacityBlock: "aws:ec2/capacityBlockReservation:CapacityBlockReservation",
    dedicatedHost: "aws:ec2/dedicatedHost:DedicatedHost",
    nativeHost: "aws-native:ec2:Host",
    emrCluster: "aws:emr/cluster:Cluster",
    emrInstanceGroup: "aws:emr/instanceGroup:InstanceGroup",
    emrInstanceFleet: "aws:emr/instanceFleet:InstanceFleet",
    notebook: "aws:sagemaker/notebookInstance:NotebookInstance",
    nativeNotebook: "aws-native:sagemaker:NotebookInstance",
} as const;
const C = COMPUTE_TYPES;

/** EKS's and @pulumi/eks's type when none is given. */
export const DEFAULT_NODE_TYPE = "t3.medium";

/** One way of choosing instances: a named type or instance requirements, and the capacity units one instance counts for. */
export interface Choice {
    where: string;
    instanceType?: string;
    requirements?: Props;
    weight: number;
    /** What a name that is not one type may launch (`m6i.*` for Batch's `m6i`, families for `optimal`). */
    launches?: string[];
}

/** Batch's keywords, by the families each may launch (`optimal` moves to default_x86_64's families over time). */
const BATCH_KEYWORDS: Record<string, string[]> = {
    optimal: ["c4", "m4", "r4", "c5", "m5", "r5", "m6i", "c6i", "r6i", "c7i"],
    default_x86_64: ["m6i", "c6i", "r6i", "c7i"],
    default_arm64: ["m6g", "c6g", "r6g", "c7g"],
};

/** A Batch instance type: one type, a bare family (any of its sizes) or a keyword (the families it may launch). */
function batchChoice(where: string, t: unknown): Choice[] {
    if (typeof t !== "string" || t === "") return [];
    const families = BATCH_KEYWORDS[t] ?? (t.includes(".") ? undefined : [t]);
    return [{ where, instanceType: t, weight: 1, ...(families ? { launches: families.map((f) => `${f}.*`) } : {}) }];
}

/** An EMR instance group or fleet: its types, with a fleet's weighted capacities. */
function emrChoices(where: string, g: Props | undefined): Choice[] {
    if (!g) return [];
    if (g.instanceTypeConfigs) return list<Props>(g.instanceTypeConfigs).flatMap((c, i) => typeChoice(`${where}.instanceTypeConfigs[${i}].instanceType`, c?.instanceType, c?.weightedCapacity));
    return typeChoice(`${where}.instanceType`, g.instanceType);
}

/** A Dedicated Host's type, or its family (a host of a family runs any of its sizes). */
function hostChoice(props: Props): Choice[] {
    if (props.instanceType) return typeChoice("instanceType", props.instanceType);
    const family = props.instanceFamily;
    return typeof family === "string" && family !== "" ? [{ where: "instanceFamily", instanceType: family, weight: 1, launches: [`${family}.*`] }] : [];
}

const weightOf = (w: unknown) => (Number(w) > 0 ? Number(w) : 1);
const typeChoice = (where: string, t: unknown, weight?: unknown): Choice[] => (typeof t === "string" && t !== "" ? [{ where, instanceType: t, weight: weightOf(weight) }] : []);

/** Overrides of an ASG or fleet: each names a type or instance requirements. */
function overrides(prefix: string, items: unknown): Choice[] {
    return list<Props>(items as Props[]).flatMap((o, i): Choice[] => {
        const where = `${prefix}[${i}]`;
        if (o?.instanceRequirements) return [{ where: `${where}.instanceRequirements`, requirements: o.instanceRequirements, weight: weightOf(o.weightedCapacity) }];
        return typeChoice(`${where}.instanceType`, o?.instanceType, o?.weightedCapacity);
    });
}

function template(where: string, data: Props | undefined): Choice[] {
    if (data?.instanceRequirements) return [{ where: `${where}instanceRequirements`, requirements: data.instanceRequirements, weight: 1 }];
    return typeChoice(`${where}instanceType`, data?.instanceType);
}

/** Whether an @pulumi/eks Cluster creates its default (self-managed) node group. */
export function hasDefaultNodeGroup(props: Props): boolean {
    return props.skipDefaultNodeGroup !== true && !props.fargate && !props.autoMode?.enabled;
}

/** The choices a resource declares itself (a launch template it references is read where it is declared). */
export function instanceChoices(type: string, props: Props): Choice[] {
    switch (type) {
        case T.managedNodeGroupComponent:
        case T.eksNodeGroup: {
            const types = list<string>(props.instanceTypes).flatMap((t, i) => typeChoice(`instanceTypes[${i}]`, t));
            // Without types or a template, EKS launches its default type.
            return types.length > 0 || props.launchTemplate ? types : typeChoice("instanceTypes (default)", DEFAULT_NODE_TYPE);
        }
        case C.nodeGroupComponent:
        case C.nodeGroupV2Component:
            return typeChoice(props.instanceType ? "instanceType" : "instanceType (default)", props.instanceType ?? DEFAULT_NODE_TYPE);
        case T.eksClusterComponent: {
            if (!hasDefaultNodeGroup(props)) return [];
            const t = props.nodeGroupOptions?.instanceType ?? props.instanceType;
            return typeChoice(t ? "the default node group's instanceType" : "the default node group's instanceType (default)", t ?? DEFAULT_NODE_TYPE);
        }
        case T.launchTemplate:
            return template("", props);
        case C.nativeLaunchTemplate:
            return template("launchTemplateData.", props.launchTemplateData);
        case T.instance:
        case C.spotInstanceRequest:
        case C.launchConfiguration:
        case C.nativeInstance:
            return typeChoice("instanceType", props.instanceType);
        case T.autoscalingGroup:
        case C.nativeAutoScalingGroup:
            return overrides("mixedInstancesPolicy.launchTemplate.overrides", props.mixedInstancesPolicy?.launchTemplate?.overrides);
        case C.spotFleetRequest:
            return [
                ...list<Props>(props.launchSpecifications).flatMap((s, i) => typeChoice(`launchSpecifications[${i}].instanceType`, s?.instanceType, s?.weightedCapacity)),
                ...list<Props>(props.launchTemplateConfigs).flatMap((c, i) => overrides(`launchTemplateConfigs[${i}].overrides`, c?.overrides)),
            ];
        case C.fleet:
            return list<Props>(props.launchTemplateConfigs).flatMap((c, i) => overrides(`launchTemplateConfigs[${i}].overrides`, c?.overrides));
        case C.batchComputeEnvironment:
        case C.nativeBatchComputeEnvironment:
            return list<string>(props.computeResources?.instanceTypes).flatMap((t, i) => batchChoice(`computeResources.instanceTypes[${i}]`, t));
        case C.cloud9:
        case C.nativeCloud9:
        case C.capacityReservation:
        case C.nativeCapacityReservation:
            return typeChoice("instanceType", props.instanceType);
        case C.dedicatedHost:
        case C.nativeHost:
            return hostChoice(props);
        // SageMaker names EC2 types with an ml. prefix.
        case C.notebook:
        case C.nativeNotebook:
            return typeChoice("instanceType", typeof props.instanceType === "string" ? props.instanceType.replace(/^ml\./, "") : props.instanceType);
        case C.emrCluster:
            return ["masterInstanceGroup", "coreInstanceGroup", "masterInstanceFleet", "coreInstanceFleet"].flatMap((g) => emrChoices(g, props[g]));
        case C.emrInstanceGroup:
        case C.emrInstanceFleet:
            return emrChoices("", props).map((c) => ({ ...c, where: c.where.slice(1) }));
        case S.imageBuilderInfrastructure:
        case S.nativeImageBuilderInfrastructure:
            return list<string>(props.instanceTypes).flatMap((t, i) => typeChoice(`instanceTypes[${i}]`, t));
        case S.ecsCapacityProvider:
        case S.nativeEcsCapacityProvider: {
            const requirements = props.managedInstancesProvider?.instanceLaunchTemplate?.instanceRequirements;
            return requirements ? [{ where: "managedInstancesProvider.instanceLaunchTemplate.instanceRequirements", requirements, weight: 1 }] : [];
        }
        case S.endpointConfiguration:
        case S.nativeEndpointConfiguration:
            return endpointVariants(props).flatMap(({ where, variant }) => typeChoice(`${where}.instanceType`, ec2Type(variant.instanceType)));
        default:
            if (BEANSTALK_TYPES.includes(type)) {
                const named = beanstalkInstanceTypes(props).flatMap((t) => typeChoice(t.where, t.type));
                // An environment that names none runs Beanstalk's defaults (or a template's, which is judged itself).
                return named.length > 0 || !BEANSTALK_ENVIRONMENTS.includes(type) ? named : BEANSTALK_DEFAULT_TYPES.flatMap((t) => typeChoice("InstanceTypes (default)", t));
            }
            if (STUDIO_TYPES.includes(type)) return studioInstanceTypes(props).flatMap((t) => typeChoice(t.where, ec2Type(t.type)));
            return [];
    }
}

/** A bare family (`m6i`) stands for every size of it, in a choice and in the allow-list alike. */
const asPattern = (t: string) => (t.includes(".") || t.includes("*") ? t : `${t}.*`);

/** Whether `type` (an AWS wildcard pattern such as `m7i.*`, or a bare family) stays within the allow-list's exact types and `family.*` patterns. */
export function withinAllowList(type: string, allowed: readonly string[]): boolean {
    const t = asPattern(type);
    const patterns = allowed.map(asPattern);
    if (!t.includes("*")) return patterns.some((p) => (p.endsWith(".*") ? t.startsWith(p.slice(0, -1)) : t === p));
    // A wildcard is within the list only if it cannot leave an allowed family.
    return patterns.some((p) => p.endsWith(".*") && t.startsWith(p.slice(0, -1)));
}

/** Whether everything a choice may launch stays within the allow-list. */
export function choiceWithinAllowList(c: Choice, allowed: readonly string[]): boolean {
    return (c.launches ?? [c.instanceType ?? ""]).every((t) => withinAllowList(t, allowed));
}

/** Why instance requirements may launch types outside the allow-list, if they may. */
export function requirementsProblem(requirements: Props, allowed: readonly string[]): string | undefined {
    const types = list<string>(requirements.allowedInstanceTypes).filter((t) => typeof t === "string");
    const accelerators = Number(requirements.acceleratorCount?.min ?? 0) > 0 || list(requirements.acceleratorTypes).length > 0 || list(requirements.acceleratorNames).length > 0;
    if (types.length === 0) {
        return `choose among every instance type that fits the attributes${accelerators ? ", accelerated ones included" : ""}: list allowedInstanceTypes from the allow-list`;
    }
    const refused = types.filter((t) => !withinAllowList(t, allowed));
    return refused.length > 0 ? `allowedInstanceTypes ${refused.join(", ")} reach beyond the allow-list` : undefined;
}

/** The most vCPUs one instance of a choice can have, or why that cannot be known. */
export function vcpuOfChoice(choice: Choice): { vcpu: number } | { unknownType: string } | { unbounded: string } {
    if (choice.instanceType) {
        const info = instanceTypeInfo(choice.instanceType);
        return info ? { vcpu: info.vcpu } : { unknownType: choice.instanceType };
    }
    const r = choice.requirements ?? {};
    const max = Number(r.vcpuCount?.max);
    const named = list<string>(r.allowedInstanceTypes);
    const known = named.every((t) => typeof t === "string" && instanceTypeInfo(t));
    const fromTypes = named.length > 0 && known ? Math.max(...named.map((t) => instanceTypeInfo(t)!.vcpu)) : undefined;
    const bound = Math.min(max > 0 ? max : Infinity, fromTypes ?? Infinity);
    return Number.isFinite(bound) ? { vcpu: bound } : { unbounded: `${choice.where} set no vcpuCount.max (nor only allowedInstanceTypes in the table)` };
}
