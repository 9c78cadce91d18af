import { partitionOf, REGION_PATTERN } from "../shared/aws";
import type { Problems } from "./errors";
import { HOSTED_ZONE_ARN } from "./schema";
import { LOAD_BALANCER_CONTROLLER_POLICY_RELEASE } from "./versions";

/** The load balancer controller's chart is a release whose IAM policy envstack carries. */
export function checkLoadBalancerControllerVersion(versions: unknown, problems: Problems, path = "versions.charts.awsLoadBalancerController.version"): void {
    const version = (versions as { charts?: { awsLoadBalancerController?: { version?: unknown } } } | undefined)?.charts?.awsLoadBalancerController?.version;
    if (typeof version !== "string" || version.startsWith(`${LOAD_BALANCER_CONTROLLER_POLICY_RELEASE}.`)) return;
    problems.bad(
        path,
        version,
        `allowed: a ${LOAD_BALANCER_CONTROLLER_POLICY_RELEASE}.x release: envstack carries the controller's IAM policy for ${LOAD_BALANCER_CONTROLLER_POLICY_RELEASE}, and another release may need other permissions (compare upstream's iam_policy.json first)`,
    );
}

/** Platform add-on checks that relate fields: each hosted zone once, and in the environment's partition. */
export function checkPlatform(platform: unknown, region: unknown, problems: Problems): void {
    const zones = (platform as { externalDns?: { zones?: unknown } } | undefined)?.externalDns?.zones;
    if (!Array.isArray(zones)) return;
    const seen = new Map<string, number>();
    zones.forEach((zone, i) => {
        const id = (zone as { id?: unknown } | null)?.id;
        if (typeof id !== "string") return;
        const path = `platform.externalDns.zones[${i}].id`;
        const arn = HOSTED_ZONE_ARN.exec(id);
        const plainId = arn?.[1] ?? id;
        if (seen.has(plainId)) problems.bad(path, id, `allowed: each zone once (zones[${seen.get(plainId)}] is the same zone)`);
        else seen.set(plainId, i);
        const partition = typeof region === "string" && REGION_PATTERN.test(region) ? partitionOf(region) : undefined;
        if (arn && partition && !id.startsWith(`arn:${partition}:`)) problems.bad(path, id, `allowed: a zone in the environment's partition (${partition}), like arn:${partition}:route53:::hostedzone/${plainId}`);
    });
}
