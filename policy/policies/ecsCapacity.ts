import type { PolicyResource } from "@pulumi/policy";
import { viewOf } from "./cloudControl";
import { known } from "./preview";
import { list, Props } from "./support";

/**
 * ECS services on Fargate: each runs up to max(desiredCount, what Application Auto Scaling may
 * raise it to) tasks of its task definition's cpu. Services on EC2 capacity are counted through
 * their Auto Scaling groups instead.
 */

const E = {
    service: "aws:ecs/service:Service",
    nativeService: "aws-native:ecs:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    nativeTaskDefinition: "aws-native:ecs:TaskDefinition",
    target: "aws:appautoscaling/target:Target",
    nativeTarget: "aws-native:applicationautoscaling:ScalableTarget",
    scheduledAction: "aws:appautoscaling/scheduledAction:ScheduledAction",
} as const;

export const ECS_SERVICES: string[] = [E.service, E.nativeService];

/** Declared task definitions by ARN, family and family:revision; the largest task count each service may be scaled to. */
export interface EcsIndex {
    tasks: Map<string, Props>;
    maxCounts: Map<string, number>;
    orphans: { r: PolicyResource; service: string }[];
}

/** The service a resource id ("service/<cluster>/<service>") names. */
const serviceOf = (resourceId: unknown) => (typeof resourceId === "string" && resourceId.startsWith("service/") ? resourceId.split("/").pop() : undefined);

export function ecsIndex(resources: PolicyResource[]): EcsIndex {
    const index: EcsIndex = { tasks: new Map(), maxCounts: new Map(), orphans: [] };
    const services = new Map<string, string>();
    const scalers: { r: PolicyResource; service?: string; max: number }[] = [];
    for (const r of resources) {
        const { type, props } = viewOf(r.type, r.props);
        if (type === E.taskDefinition || type === E.nativeTaskDefinition) {
            const arn = known(() => props.arn ?? props.taskDefinitionArn);
            const family = known(() => props.family);
            const keys = [arn, typeof arn === "string" ? arn.replace(/:\d+$/, "") : undefined, family, `${family}:${known(() => props.revision)}`, known(() => props.id), r.urn];
            for (const k of keys) if (typeof k === "string") index.tasks.set(k, props);
        } else if (ECS_SERVICES.includes(type)) {
            for (const k of [known(() => props.name), known(() => props.serviceName), r.urn]) if (typeof k === "string") services.set(k, r.urn);
        } else if (type === E.target || type === E.nativeTarget || type === E.scheduledAction) {
            const read = known(() => {
                if (props.serviceNamespace !== "ecs") return undefined;
                const maxes = [props.maxCapacity, props.scalableTargetAction?.maxCapacity, ...list<Props>(props.scheduledActions).map((a) => a?.scalableTargetAction?.maxCapacity)];
                return { service: serviceOf(props.resourceId), max: Math.max(0, ...maxes.filter((m) => m !== undefined && m !== null).map(Number)) };
            });
            if (read) scalers.push({ r, ...read });
        }
    }
    for (const { r, service, max } of scalers) {
        // A service created here may have no name a preview knows yet: the scaler then depends on it.
        const target = (service ? services.get(service) : undefined) ?? r.dependencies.map((d) => d.urn).find((urn) => services.get(urn) === urn);
        if (target) index.maxCounts.set(target, Math.max(index.maxCounts.get(target) ?? 0, max));
        else if (service) index.orphans.push({ r, service });
    }
    return index;
}

/** Task cpu in vCPUs: CPU units (1024 a vCPU) or "N vCPU". */
function taskVcpu(cpu: unknown): number | undefined {
    const text = String(cpu ?? "").trim();
    const vcpu = /^(\d+(?:\.\d+)?)\s*vcpu$/i.exec(text);
    if (vcpu) return Number(vcpu[1]);
    return /^\d+$/.test(text) ? Number(text) / 1024 : undefined;
}

/** A Fargate service's share: tasks x task cpu, or why it cannot be counted; undefined for a service that runs on EC2 capacity. */
export function ecsServiceShare(r: PolicyResource, props: Props, index: EcsIndex): { vcpu: number; detail: string } | { problem: string } | undefined {
    const strategies = list<Props>(props.capacityProviderStrategies ?? props.capacityProviderStrategy).map((s) => String(s?.capacityProvider ?? ""));
    const ref = props.taskDefinition;
    const task =
        (typeof ref === "string" ? (index.tasks.get(ref) ?? index.tasks.get(ref.replace(/:\d+$/, ""))) : undefined) ??
        r.dependencies.map((d) => index.tasks.get(d.urn)).find((t) => t !== undefined);
    const fargate =
        props.launchType === "FARGATE" ||
        strategies.some((s) => s.startsWith("FARGATE")) ||
        // Without either, the cluster's default strategy decides: a task definition that may run on Fargate counts.
        (!props.launchType && strategies.length === 0 && list<string>(task?.requiresCompatibilities).includes("FARGATE"));
    if (!fargate) return undefined;
    if (!task) return { problem: "the Fargate service runs a task definition this program does not declare, so its vCPUs cannot be counted" };
    const cpu = taskVcpu(task.cpu);
    if (cpu === undefined) return { problem: `the Fargate service's task definition has cpu ${JSON.stringify(task.cpu ?? null)}, so its vCPUs cannot be counted` };
    const tasks = Math.max(Number(props.desiredCount ?? 0), index.maxCounts.get(r.urn) ?? 0);
    if (!(tasks >= 0)) return { problem: `its desiredCount ${JSON.stringify(props.desiredCount)} is not a number, so its vCPUs cannot be counted` };
    return { vcpu: tasks * cpu, detail: `${r.name}: ${tasks} Fargate tasks x ${cpu} vCPU` };
}
