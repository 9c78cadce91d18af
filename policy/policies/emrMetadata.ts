import type { PolicyResource } from "@pulumi/policy";
import { COMPUTE_TYPES as C } from "./instanceChoices";
import { known } from "./preview";
import { Check, Props } from "./support";
import { parseJson } from "./flags";

/**
 * EMR launches its instances with IMDSv1 reachable unless the cluster names a security
 * configuration whose InstanceMetadataServiceConfiguration requires version 2. The configuration
 * is judged where it is declared; one the program does not declare cannot be judged.
 */

const SECURITY_CONFIGURATION = "aws:emr/securityConfiguration:SecurityConfiguration";
const NATIVE_SECURITY_CONFIGURATION = "aws-native:emr:SecurityConfiguration";

/** The configuration document: a JSON string for the AWS provider, an object for CloudFormation. */
function configurationOf(type: string, props: Props): Props | undefined {
    return parseJson(type === SECURITY_CONFIGURATION ? props.configuration : props.securityConfiguration);
}

export function emrMetadataChecks(): Record<string, Check> {
    const cluster: Check = (props, _, report) => {
        if (!props.securityConfiguration) report("no securityConfiguration: EMR launches its instances with IMDSv1 reachable; name a security configuration that requires IMDSv2");
    };
    const configuration = (type: string): Check => (props, args, report) => {
        const { maxHopLimit } = args.getConfig<{ maxHopLimit: number }>();
        const imds = configurationOf(type, props)?.InstanceMetadataServiceConfiguration;
        const version = imds?.MinimumInstanceMetadataServiceVersion;
        if (Number(version) !== 2) report(`InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion is ${JSON.stringify(version ?? "not set")}; IMDSv1 stays reachable on the clusters that use it`);
        const hop = imds?.HttpPutResponseHopLimit;
        if (hop !== undefined && !(Number(hop) <= maxHopLimit)) report(`InstanceMetadataServiceConfiguration.HttpPutResponseHopLimit is ${hop}; at most ${maxHopLimit} here, or containers reach the node's credentials`);
    };
    return { [C.emrCluster]: cluster, [SECURITY_CONFIGURATION]: configuration(SECURITY_CONFIGURATION), [NATIVE_SECURITY_CONFIGURATION]: configuration(NATIVE_SECURITY_CONFIGURATION) };
}

/** Security configurations by name and URN. */
export function securityConfigurations(resources: PolicyResource[]): Set<string> {
    const names = new Set<string>();
    for (const r of resources) {
        if (r.type !== SECURITY_CONFIGURATION && r.type !== NATIVE_SECURITY_CONFIGURATION) continue;
        names.add(r.urn);
        const name = known(() => r.props.name ?? r.props.id);
        if (typeof name === "string") names.add(name);
    }
    return names;
}

/** The security configuration an EMR cluster names, when the program does not declare it (a new one's name a preview does not know is found through the dependencies). */
export function undeclaredSecurityConfiguration(r: PolicyResource, props: Props, declared: Set<string>): string | undefined {
    const name = known(() => props.securityConfiguration);
    if (typeof name !== "string" || name === "" || declared.has(name)) return undefined;
    return r.dependencies.some((d) => declared.has(d.urn)) ? undefined : name;
}
