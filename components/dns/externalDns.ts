import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { systemPlacement } from "../cluster/nodeGroups";
import { HOSTED_ZONE_ARN } from "../config/schema";
import type { ExternalDnsPolicy, HostedZone } from "../config/sections/platform";
import { createGuard } from "../shared/admission";
import { partitionOf } from "../shared/aws";
import { PodIdentityAddonArgs, chartRelease } from "../shared/chart";
import { createPodIdentityRole } from "../shared/podIdentity";
import { checkExternalDnsArguments } from "./args";
import { ANNOTATION_PREFIX, dnsGuardPolicy } from "./guard";
import { externalDnsPolicy } from "./iam";

/** The zones ExternalDNS writes to, and the cluster it watches. */
export interface ExternalDnsArgs extends PodIdentityAddonArgs {
    /** The hosted zones it may change: ids or ARNs, with their domain names. */
    zones: HostedZone[];
    /** `upsert-only` never deletes a record; `sync` deletes the records of deleted Ingresses and Services. */
    policy: ExternalDnsPolicy;
    /** The EKS cluster's name: the owner id in ExternalDNS's TXT records. */
    clusterName: string;
}

/** Its namespace. */
export const EXTERNAL_DNS_NAMESPACE = "kube-system";
/** Its service account. */
export const EXTERNAL_DNS_SERVICE_ACCOUNT = "external-dns";

/** A zone's id, from its id or ARN. */
export const zoneId = (id: string) => HOSTED_ZONE_ARN.exec(id)?.[1] ?? id;

/**
 * ExternalDNS for Route 53: records for the hostnames of Ingresses and LoadBalancer Services, in
 * the configured zones only (by IAM, by zone-id filter and by domain filter). Its TXT records name
 * the cluster as owner, so two clusters sharing a zone leave each other's records alone. In team
 * namespaces an admission guard keeps each team to its own subdomain of each zone.
 *
 * One replica: ExternalDNS has no leader election, and its chart runs exactly one.
 */
export class ExternalDns extends pulumi.ComponentResource {
    /** The chart's release. */
    readonly release: k8s.helm.v3.Release;
    /** ExternalDNS's role. */
    readonly roleArn: pulumi.Output<string>;
    /** The admission guard for team hostnames: team namespaces wait for it. */
    readonly guard: pulumi.Resource;

    constructor(name: string, args: ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        checkExternalDnsArguments(args);
        super("envstack:index:ExternalDns", name, {}, opts);
        const zoneIds = [...new Set(args.zones.map((z) => zoneId(z.id)))];
        const identity = createPodIdentityRole(
            name,
            {
                description: `ExternalDNS of ${args.clusterName}: records in ${zoneIds.join(", ")}`,
                accountId: args.accountId,
                region: args.region,
                clusterName: args.clusterName,
                namespace: EXTERNAL_DNS_NAMESPACE,
                serviceAccount: EXTERNAL_DNS_SERVICE_ACCOUNT,
                policies: { route53: externalDnsPolicy(partitionOf(args.region), zoneIds) },
                dependsOn: args.dependsOn,
                tags: args.tags,
            },
            this,
        );
        this.roleArn = identity.role.arn;
        const onCluster = { parent: this, provider: args.k8sProvider };
        const guard = (this.guard = createGuard(`${name}-team-dns-guard`, dnsGuardPolicy([...new Set(args.zones.map((z) => z.name))]), onCluster));
        this.release = chartRelease(
            name,
            args.versions.charts.externalDns,
            { name: "external-dns", namespace: EXTERNAL_DNS_NAMESPACE, values: externalDnsValues(args) },
            { ...onCluster, dependsOn: pulumi.output(args.dependsOn ?? []).apply((d) => [...d, identity.association, guard]) },
        );
        this.registerOutputs({ roleArn: this.roleArn });
    }
}

/** The chart's values. */
export function externalDnsValues(args: Pick<ExternalDnsArgs, "zones" | "policy" | "clusterName" | "region">) {
    return {
        provider: { name: "aws" },
        sources: ["service", "ingress"],
        annotationPrefix: ANNOTATION_PREFIX,
        policy: args.policy,
        registry: "txt",
        txtOwnerId: args.clusterName,
        domainFilters: [...new Set(args.zones.map((z) => z.name))],
        extraArgs: [...new Set(args.zones.map((z) => zoneId(z.id)))].map((id) => `--zone-id-filter=${id}`),
        env: [{ name: "AWS_REGION", value: args.region }],
        serviceAccount: { create: true, name: EXTERNAL_DNS_SERVICE_ACCOUNT },
        ...systemPlacement(),
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
        priorityClassName: "system-cluster-critical",
    };
}
