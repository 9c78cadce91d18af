import type { PolicyResource } from "@pulumi/policy";
import { instanceTypeInfo } from "../../components/config/instanceTypes";
import { parseQuantity } from "../../components/shared/quantity";
import { byType, forEach, GuardrailResourcePolicy, GuardrailStackPolicy, list, T } from "./support";

/** Guardrails that keep an environment's capacity bounded: node groups, NodePools, and the vCPUs of it all. */

/** A Kubernetes quantity, for config schemas. */
export const QUANTITY = "^[+]?(\\d+\\.?\\d*|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[mkMGTPE])?$";

export const nodeGroupMaxSize: GuardrailResourcePolicy = {
    name: "node-group-max-size",
    description: "Managed node groups and Auto Scaling groups scale to at most a configured number of nodes.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Lower scalingConfig.maxSize, or raise maxNodes in this environment's policy config after review.",
    configSchema: { properties: { maxNodes: { type: "integer", minimum: 1, default: 20, description: "Largest maxSize allowed." } } },
    validateResource: byType({
        ...forEach([T.managedNodeGroupComponent, T.eksNodeGroup], (props, args, report) => checkMax(props.scalingConfig?.maxSize, args.getConfig(), report)),
        [T.autoscalingGroup]: (props, args, report) => checkMax(props.maxSize, args.getConfig(), report),
    }),
};

function checkMax(maxSize: unknown, config: { maxNodes: number }, report: (m: string) => void): void {
    if (typeof maxSize === "number" && maxSize > config.maxNodes) report(`maxSize is ${maxSize}; at most ${config.maxNodes} is allowed here`);
}

export const nodePoolLimits: GuardrailResourcePolicy = {
    name: "nodepool-limits",
    description: "Karpenter NodePools set limits.cpu and limits.memory, each within a configured ceiling.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set spec.limits.cpu and spec.limits.memory on the NodePool, within this environment's ceilings.",
    configSchema: {
        properties: {
            maxCpu: { type: "string", pattern: QUANTITY, default: "1000", description: "Ceiling for limits.cpu (a Kubernetes quantity)." },
            maxMemory: { type: "string", pattern: QUANTITY, default: "4000Gi", description: "Ceiling for limits.memory (a Kubernetes quantity)." },
        },
    },
    validateResource: byType({
        [T.nodePool]: (props, args, report) => {
            const { maxCpu, maxMemory } = args.getConfig<{ maxCpu: string; maxMemory: string }>();
            const limits = props.spec?.limits ?? {};
            for (const [field, ceiling] of [["cpu", maxCpu], ["memory", maxMemory]] as const) {
                const value = limits[field];
                if (value === undefined) {
                    report(`spec.limits.${field} is not set: the NodePool could grow without bound`);
                    continue;
                }
                const parsed = parseQuantity(value);
                if (parsed === undefined) report(`spec.limits.${field} is ${JSON.stringify(value)}, not a Kubernetes quantity`);
                else if (parsed > (parseQuantity(ceiling) as number)) report(`spec.limits.${field} is ${value}; the ceiling here is ${ceiling}`);
            }
        },
    }),
};

/** The vCPUs one resource can add at most, or why that cannot be known. */
function vcpuOf(r: PolicyResource, countedGroups: Set<string>): { vcpu: number; detail: string } | { unknown: string[] } | undefined {
    if (r.type === T.nodePool) {
        const cores = parseQuantity(r.props.spec?.limits?.cpu ?? "");
        return cores === undefined ? undefined : { vcpu: cores, detail: `${r.name}: limits.cpu ${r.props.spec.limits.cpu}` };
    }
    const isGroup = r.type === T.managedNodeGroupComponent || (r.type === T.eksNodeGroup && !countedGroups.has(r.parent?.urn ?? ""));
    const maxSize = r.props.scalingConfig?.maxSize;
    if (!isGroup || typeof maxSize !== "number") return undefined;
    const types = list<string>(r.props.instanceTypes);
    const unknown = types.filter((t) => !instanceTypeInfo(t));
    if (unknown.length > 0) return { unknown };
    const largest = Math.max(...types.map((t) => instanceTypeInfo(t)!.vcpu));
    return { vcpu: maxSize * largest, detail: `${r.name}: ${maxSize} x ${largest} vCPU` };
}

export const environmentVcpuCeiling: GuardrailStackPolicy = {
    name: "environment-vcpu-ceiling",
    description: "The environment's summed vCPU ceiling (node groups' maxSize x vCPUs, plus NodePool cpu limits) stays within a configured ceiling.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Lower node group maxSize or NodePool limits.cpu, or raise maxVcpu in this environment's policy config after review; add unknown instance types to components/config/instanceTypes.ts.",
    configSchema: { properties: { maxVcpu: { type: "integer", minimum: 1, default: 1000, description: "Ceiling for the summed vCPUs." } } },
    validateStack: (args, report) => {
        const { maxVcpu } = args.getConfig<{ maxVcpu: number }>();
        // A remote ManagedNodeGroup and its child NodeGroup are the same capacity: count it once.
        const counted = new Set(args.resources.filter((r) => r.type === T.managedNodeGroupComponent && r.props.scalingConfig).map((r) => r.urn));
        let total = 0;
        const parts: string[] = [];
        for (const r of args.resources) {
            const share = vcpuOf(r, counted);
            if (!share) continue;
            if ("unknown" in share) {
                report(`instance type(s) ${share.unknown.join(", ")} are not in envstack's instance-type table, so their vCPUs cannot be counted`, r.urn);
                continue;
            }
            total += share.vcpu;
            parts.push(share.detail);
        }
        if (total > maxVcpu) report(`the environment can grow to ${total} vCPUs (${parts.sort().join("; ")}); the ceiling is ${maxVcpu}`);
    },
};

export const capacityPolicies = [nodeGroupMaxSize, nodePoolLimits, environmentVcpuCeiling];
