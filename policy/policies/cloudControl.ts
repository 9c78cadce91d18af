import { known } from "./preview";
import { onlyFor, type Check, type Props, type TypedValidation } from "./support";
import { documentOf } from "./flags";

/**
 * The same AWS resource declared through the Cloud Control provider (`aws-native:ec2:SecurityGroup`)
 * or the classic provider's generic `aws:cloudcontrol/resource:Resource` (a CloudFormation type
 * name and a JSON document). Both are seen here as `aws-native` tokens with camelCase fields, so a
 * guardrail states one check for them.
 */

export const CLOUD_CONTROL_RESOURCE = "aws:cloudcontrol/resource:Resource";

/** A resource as the guardrails judge it: its token and fields, Cloud Control documents unpacked. */
export interface ResourceView {
    type: string;
    props: Props;
}

/** `AWS::EC2::SecurityGroup` -> `aws-native:ec2:SecurityGroup`. */
function nativeToken(typeName: unknown): string | undefined {
    const match = typeof typeName === "string" ? /^AWS::(\w+)::(\w+)$/.exec(typeName) : null;
    return match ? `aws-native:${match[1].toLowerCase()}:${match[2]}` : undefined;
}

/** CloudFormation's key as aws-native spells it: `CidrIp` -> `cidrIp`, `DBSubnetGroupName` -> `dbSubnetGroupName`, `VPCId` -> `vpcId`. */
function camelKey(key: string): string {
    const caps = /^[A-Z]+/.exec(key)?.[0] ?? "";
    if (caps.length <= 1 || caps.length === key.length) return caps.toLowerCase() + key.slice(caps.length);
    return caps.slice(0, -1).toLowerCase() + key.slice(caps.length - 1);
}

function camelize(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(camelize);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [camelKey(k), camelize(v)]));
}

/**
 * The resource as judged: a Cloud Control document unpacked to its `aws-native` token and fields
 * (an unreadable document is judged as empty, so defaults apply); any other resource unchanged.
 */
export function viewOf(type: string, props: Props): ResourceView {
    if (type !== CLOUD_CONTROL_RESOURCE) return { type, props: props ?? {} };
    const token = nativeToken(known(() => props?.typeName)) ?? CLOUD_CONTROL_RESOURCE;
    const state = documentOf(known(() => props?.desiredState));
    return { type: token, props: (camelize(state ?? {}) as Props) ?? {} };
}

/** Like `byType`, with Cloud Control resources judged by the `aws-native` token they stand for. */
export function byResourceView(checks: Record<string, Check>): TypedValidation {
    return onlyFor(
        (type) => type === CLOUD_CONTROL_RESOURCE || Object.hasOwn(checks, type),
        (args, report) => {
            const view = viewOf(args.type, args.props);
            checks[view.type]?.(view.props, args, report);
        },
    );
}
