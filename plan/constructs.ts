import type { RecordedResource } from "./engine";
import { CloudContext, customResourceOutputs, State } from "./outputs";
import { buildUrn } from "./urns";

/**
 * What awsx's provider registers for the components whose resources come straight from their
 * arguments, so the offline plan and its guardrails see them as a real preview does: a load
 * balancer's LoadBalancer (internet-facing unless `internal`), its default security group (the
 * rules its `defaultSecurityGroup.args` give), target group and listeners, and a repository's ECR
 * repository. Other remote components stay opaque, and `not-verifiable-offline` says so.
 */

type Child = { type: string; name: string; inputs: State };

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";

/** The awsx component types whose children this file builds. */
export const CONSTRUCTED_COMPONENTS = ["awsx:lb:ApplicationLoadBalancer", "awsx:lb:NetworkLoadBalancer", "awsx:ecr:Repository"];

function loadBalancerChildren(type: string, name: string, args: State): Child[] {
    const { subnetIds, subnets, defaultTargetGroup, defaultTargetGroupPort, defaultSecurityGroup, listener, listeners, ...rest } = args as Record<string, any>;
    const application = type === "awsx:lb:ApplicationLoadBalancer";
    const lb: State = { ...rest, loadBalancerType: application ? "application" : "network", ...(subnetIds ? { subnets: subnetIds } : {}) };
    const children: Child[] = [];
    if (application && !rest.securityGroups && !defaultSecurityGroup?.skip) {
        if (defaultSecurityGroup?.securityGroupId) lb.securityGroups = [defaultSecurityGroup.securityGroupId];
        else children.push({ type: "aws:ec2/securityGroup:SecurityGroup", name, inputs: { ...(defaultSecurityGroup?.args ?? {}) } });
    }
    children.push({ type: LB, name, inputs: lb });
    const port = application ? 80 : (defaultTargetGroupPort ?? 80);
    children.push({ type: TARGET_GROUP, name, inputs: { targetType: application ? "ip" : undefined, protocol: application ? "HTTP" : "TCP", port, ...(defaultTargetGroup ?? {}) } });
    const given: State[] = listener ? [listener] : Array.isArray(listeners) ? listeners : [{}];
    given.forEach((l, i) => {
        const p = l.port ?? (l.protocol === "HTTPS" ? 443 : 80);
        const protocol = l.protocol ?? (application ? (p === 443 ? "HTTPS" : "HTTP") : "TCP");
        children.push({ type: LISTENER, name: `${name}-${i}`, inputs: { ...l, port: p, protocol } });
    });
    return children;
}

function repositoryChildren(name: string, args: State): Child[] {
    const { lifecyclePolicy, ...repository } = args as Record<string, any>;
    return [{ type: "aws:ecr/repository:Repository", name: name.toLowerCase(), inputs: repository }];
}

/** The resources awsx would register under `component`, recorded as the engine records its own. */
export function constructedChildren(component: RecordedResource, ctx: CloudContext, stack: string, project: string): RecordedResource[] {
    if (!CONSTRUCTED_COMPONENTS.includes(component.type)) return [];
    const children = component.type === "awsx:ecr:Repository" ? repositoryChildren(component.name, component.inputs) : loadBalancerChildren(component.type, component.name, component.inputs);
    const recorded: RecordedResource[] = [];
    const arnOf = (type: string) => recorded.find((r) => r.type === type)?.outputs.arn;
    for (const child of children) {
        const inputs: State = Object.fromEntries(Object.entries(child.inputs).filter(([, v]) => v !== undefined));
        // Listeners forward to the default target group of their own load balancer.
        if (child.type === LISTENER) Object.assign(inputs, { loadBalancerArn: arnOf(LB), defaultActions: inputs.defaultActions ?? [{ type: "forward", targetGroupArn: arnOf(TARGET_GROUP) }] });
        if (child.type === LB && inputs.securityGroups === undefined) {
            const group = recorded.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup");
            if (group) inputs.securityGroups = [group.id];
        }
        const { id, state } = customResourceOutputs(child.type, child.name, inputs, ctx);
        recorded.push({
            urn: buildUrn(stack, project, component.urn, child.type, child.name),
            id,
            type: child.type,
            name: child.name,
            parent: component.urn,
            custom: true,
            remote: false,
            provider: undefined,
            inputs,
            secretInputs: [],
            outputs: { ...inputs, ...state, id },
            protect: component.protect,
            retainOnDelete: false,
            dependsOn: [],
            dependencies: [],
            aliases: [],
        });
    }
    return recorded;
}
