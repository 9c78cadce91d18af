import { ResourceView, viewOf } from "./cloudControl";
import { COMPUTE_TYPES as C } from "./instanceChoices";
import { Check, Props, T } from "./support";

/**
 * CloudFormation's (aws-native's) node groups, fleets and EMR clusters, judged as the AWS resource
 * each stands for: the fields have the same names once a wrapper (a Spot fleet's config data, an
 * EMR cluster's instances) is unpacked.
 */

const NATIVE: Record<string, { as: string; props: (p: Props) => Props }> = {
    "aws-native:eks:Nodegroup": { as: T.eksNodeGroup, props: (p) => p },
    "aws-native:ec2:SpotFleet": { as: C.spotFleetRequest, props: (p) => p.spotFleetRequestConfigData ?? {} },
    // The SDK spells the token Ec2Fleet; a Cloud Control document's AWS::EC2::EC2Fleet gives EC2Fleet.
    "aws-native:ec2:Ec2Fleet": { as: C.fleet, props: (p) => p },
    "aws-native:ec2:EC2Fleet": { as: C.fleet, props: (p) => p },
    "aws-native:emr:Cluster": { as: C.emrCluster, props: (p) => ({ ...p.instances, managedScalingPolicy: p.managedScalingPolicy, securityConfiguration: p.securityConfiguration }) },
    "aws-native:emr:InstanceGroupConfig": { as: C.emrInstanceGroup, props: (p) => p },
    "aws-native:emr:InstanceFleetConfig": { as: C.emrInstanceFleet, props: (p) => p },
};

/** The resource as judged: a Cloud Control document unpacked, an aws-native compute resource as its AWS counterpart. */
export function computeView(type: string, props: Props): ResourceView {
    const view = viewOf(type, props);
    const native = NATIVE[view.type];
    return native ? { type: native.as, props: native.props(view.props) ?? {} } : view;
}

/** A check table with the aws-native resources added, each checked as the AWS resource it stands for. */
export function withNative(checks: Record<string, Check>): Record<string, Check> {
    const added = Object.entries(NATIVE)
        .filter(([, n]) => checks[n.as] !== undefined)
        .map(([type, n]): [string, Check] => [type, (props, args, report) => checks[n.as](n.props(props) ?? {}, args, report)]);
    return { ...checks, ...Object.fromEntries(added) };
}
