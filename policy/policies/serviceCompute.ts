import { list, Props } from "./support";

/**
 * Compute that AWS services launch from their own settings rather than from EC2 resources:
 * Image Builder's build instances, Elastic Beanstalk's Auto Scaling group, ECS Managed Instances
 * and Fargate services, EMR Serverless, SageMaker endpoints and Studio. The compute policies read
 * the instance types, metadata options and sizes these settings give.
 */

export const SERVICE_TYPES = {
    imageBuilderInfrastructure: "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration",
    nativeImageBuilderInfrastructure: "aws-native:imagebuilder:InfrastructureConfiguration",
    beanstalkEnvironment: "aws:elasticbeanstalk/environment:Environment",
    nativeBeanstalkEnvironment: "aws-native:elasticbeanstalk:Environment",
    beanstalkTemplate: "aws:elasticbeanstalk/configurationTemplate:ConfigurationTemplate",
    nativeBeanstalkTemplate: "aws-native:elasticbeanstalk:ConfigurationTemplate",
    ecsCapacityProvider: "aws:ecs/capacityProvider:CapacityProvider",
    nativeEcsCapacityProvider: "aws-native:ecs:CapacityProvider",
    endpointConfiguration: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    nativeEndpointConfiguration: "aws-native:sagemaker:EndpointConfig",
    studioDomain: "aws:sagemaker/domain:Domain",
    nativeStudioDomain: "aws-native:sagemaker:Domain",
    studioUserProfile: "aws:sagemaker/userProfile:UserProfile",
    nativeStudioUserProfile: "aws-native:sagemaker:UserProfile",
    studioSpace: "aws:sagemaker/space:Space",
    nativeStudioSpace: "aws-native:sagemaker:Space",
    studioApp: "aws:sagemaker/app:App",
    nativeStudioApp: "aws-native:sagemaker:App",
    emrServerless: "aws:emrserverless/application:Application",
    nativeEmrServerless: "aws-native:emrserverless:Application",
} as const;
const S = SERVICE_TYPES;

export const BEANSTALK_ENVIRONMENTS: string[] = [S.beanstalkEnvironment, S.nativeBeanstalkEnvironment];
export const BEANSTALK_TYPES: string[] = [...BEANSTALK_ENVIRONMENTS, S.beanstalkTemplate, S.nativeBeanstalkTemplate];
export const STUDIO_TYPES: string[] = [S.studioDomain, S.nativeStudioDomain, S.studioUserProfile, S.nativeStudioUserProfile, S.studioSpace, S.nativeStudioSpace, S.studioApp, S.nativeStudioApp];

/** An option setting of a Beanstalk environment or template (the provider's `settings`, CloudFormation's `optionSettings`); the last one given wins. */
export function beanstalkSetting(props: Props, namespace: string, name: string): string | undefined {
    const found = list<Props>(props.settings ?? props.optionSettings).filter((s) => s?.namespace === namespace && (s?.name ?? s?.optionName) === name);
    const value = found[found.length - 1]?.value;
    return value === undefined || value === null ? undefined : String(value);
}

/** Beanstalk's instance types when none are set. */
export const BEANSTALK_DEFAULT_TYPES = ["t3.micro", "t3.small"];

/** The instance types a Beanstalk environment or template names (InstanceTypes and the older InstanceType alike). */
export function beanstalkInstanceTypes(props: Props): { where: string; type: string }[] {
    const types = (beanstalkSetting(props, "aws:ec2:instances", "InstanceTypes") ?? "").split(",").map((t) => t.trim()).filter(Boolean);
    const single = beanstalkSetting(props, "aws:autoscaling:launchconfiguration", "InstanceType");
    return [
        ...types.map((type) => ({ where: "aws:ec2:instances InstanceTypes", type })),
        ...(single ? [{ where: "aws:autoscaling:launchconfiguration InstanceType", type: single }] : []),
    ];
}

/** A Beanstalk environment's largest group: 1 for a single instance, else MaxSize (4 by default); a template's only where it sets one. */
export function beanstalkMaxSize(type: string, props: Props): number | undefined {
    const max = beanstalkSetting(props, "aws:autoscaling:asg", "MaxSize");
    if (max !== undefined) return Number(max);
    if (!BEANSTALK_ENVIRONMENTS.includes(type)) return undefined;
    return beanstalkSetting(props, "aws:elasticbeanstalk:environment", "EnvironmentType") === "SingleInstance" ? 1 : 4;
}

/** Why a Beanstalk environment or template leaves IMDSv1 on; one built on a template leaves an unset option to it. */
export function beanstalkMetadataProblem(type: string, props: Props): string | undefined {
    const disabled = beanstalkSetting(props, "aws:autoscaling:launchconfiguration", "DisableIMDSv1");
    if (disabled !== undefined) return disabled.toLowerCase() === "true" ? undefined : `aws:autoscaling:launchconfiguration DisableIMDSv1 is ${JSON.stringify(disabled)}; IMDSv1 stays reachable`;
    if (!BEANSTALK_ENVIRONMENTS.includes(type) || props.templateName) return undefined;
    return "aws:autoscaling:launchconfiguration DisableIMDSv1 is not set, so the platform's default decides and IMDSv1 may stay reachable; set it to true";
}

/** SageMaker's ml. prefix, dropped to name the EC2 type. */
export const ec2Type = (t: unknown): unknown => (typeof t === "string" ? t.replace(/^ml\./, "") : t);

/** The instance types Studio settings name: each app's (default) resource spec, however deep the domain, profile or space keeps it. */
export function studioInstanceTypes(props: Props, path = "", depth = 0): { where: string; type: string }[] {
    if (depth > 3 || !props || typeof props !== "object") return [];
    return Object.entries(props).flatMap(([key, value]) => {
        if (!value || typeof value !== "object") return [];
        const where = path ? `${path}.${key}` : key;
        const t = (value as Props).instanceType;
        // "system" is the Jupyter server's own small instance.
        if ((key === "defaultResourceSpec" || key === "resourceSpec") && typeof t === "string" && t !== "system") return [{ where: `${where}.instanceType`, type: t }];
        return Array.isArray(value) ? [] : studioInstanceTypes(value as Props, where, depth + 1);
    });
}

/** The production (and shadow) variants of an endpoint configuration. */
export function endpointVariants(props: Props): { where: string; variant: Props }[] {
    return ["productionVariants", "shadowProductionVariants"].flatMap((field) => list<Props>(props[field]).map((variant, i) => ({ where: `${field}[${i}]`, variant: variant ?? {} })));
}

/** A vCPU amount as the services write it: "16 vCPU", "16vCPU", "16". */
export function vcpuAmount(value: unknown): number | undefined {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:vcpu)?\s*$/i.exec(String(value ?? ""));
    return m ? Number(m[1]) : undefined;
}
