import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Cluster, KubeconfigCredentials } from "./cluster";
import { resolveEnvironmentConfig } from "./config/resolve";
import type { EnvironmentConfig, EnvironmentInput } from "./config/types";
import { EnvironmentKey } from "./encryption";
import { Karpenter } from "./karpenter";
import { interruptionQueueName } from "./karpenter/interruption";
import { Observability } from "./observability";
import { Storage } from "./storage";
import { Network } from "./network";
import { MetricsServer } from "./metricsServer";
import { ExternalDns } from "./dns";
import { LoadBalancerController } from "./loadBalancerController";
import { createPlatformAddons, PlatformAddons } from "./platformAddons";
import { GpuSupport } from "./gpu";
import { ArgoCd, TeamGitOps } from "./gitops";
import { ExternalSecrets, TeamSecrets } from "./secrets";
import { storageClassNames } from "./config/teamChecks";
import { Team, TeamNetworkGuard } from "./teams";
import { environmentTags, Tags } from "./shared/tags";

/** Teams created per batch; a batch's registrations finish before the next batch starts. */
const TEAM_BATCH = 5;

/** What an environment is built from: the tier and any overrides of its profile, and how to reach the cluster. */
export type EnvironmentArgs = EnvironmentInput & {
    /** The identity the kubeconfig authenticates as, when not the ambient one: the AWS provider's profile and assumed role. */
    kubeconfigCredentials?: KubeconfigCredentials;
};

/**
 * A complete environment from one typed description. The input is resolved against the tier
 * profile and validated before anything is registered; a bad input throws a `ConfigError`
 * listing every problem. Then: the environment key, the network, the cluster, Karpenter, team
 * namespaces, storage and observability.
 */
export class Environment extends pulumi.ComponentResource {
    /** The validated configuration this environment was built from. */
    readonly config: EnvironmentConfig;
    /** Tags on every taggable resource. */
    readonly tags: Tags;
    /** The customer-managed key for everything that stores data. */
    readonly key: EnvironmentKey;
    /** VPC and subnets. */
    readonly network: Network;
    /** EKS control plane, add-ons and managed node groups. */
    readonly cluster: Cluster;
    /** Karpenter and the Spot mix; undefined when disabled. */
    readonly karpenter?: Karpenter;
    /** EBS and EFS storage. */
    readonly storage: Storage;
    /** Metrics, logs and alerts. */
    readonly observability: Observability;
    /** The resource metrics API behind the Horizontal Pod Autoscaler; undefined when off. */
    readonly metricsServer?: MetricsServer;
    /** Load balancers for Ingresses and Services; undefined when off. */
    readonly loadBalancerController?: LoadBalancerController;
    /** Route 53 records; undefined when off or without zones. */
    readonly externalDns?: ExternalDns;
    /** Secrets from Secrets Manager and Parameter Store, with a store per team; undefined when off. */
    readonly externalSecrets?: ExternalSecrets;
    /** The NVIDIA device plugin and GPU metrics; undefined without GPU capacity. */
    readonly gpuSupport?: GpuSupport;
    /** Argo CD; undefined when GitOps is off. */
    readonly argoCd?: ArgoCd;
    /**
     * Team namespaces, by team name. Teams are created in batches once the rest of the environment
     * is registered, so that a stack with a thousand teams does not hold them all in flight at
     * once; this resolves when every team exists.
     */
    readonly teams: Promise<Record<string, Team>>;
    /** The cluster's name. */
    readonly clusterName: pulumi.Output<string>;
    /** The Kubernetes API endpoint. */
    readonly endpoint: pulumi.Output<string>;
    /** Kubeconfig JSON (secret). */
    readonly kubeconfig: pulumi.Output<string>;
    /** A provider for the cluster, for in-cluster resources. */
    readonly k8sProvider: k8s.Provider;

    constructor(name: string, args: EnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        const { kubeconfigCredentials, ...input } = args ?? ({} as EnvironmentArgs);
        const config = resolveEnvironmentConfig(input);
        super("envstack:index:Environment", name, {}, opts);
        this.config = config;
        this.tags = environmentTags(config.name, config.owner, config.tags);

        this.key = new EnvironmentKey(
            name,
            {
                environmentName: config.name,
                region: config.region,
                accountId: config.accountId,
                deletionWindowInDays: config.kms.deletionWindowInDays,
                protect: config.protect,
                // Only Karpenter's launches need EC2 to use the key on the account's behalf.
                allowEc2ForAccount: config.karpenter.enabled,
                interruptionQueueName: config.karpenter.enabled ? interruptionQueueName(config.name) : undefined,
                tags: this.tags,
            },
            { parent: this },
        );
        this.network = new Network(
            name,
            {
                ...config.network,
                clusterName: config.name,
                region: config.region,
                accountId: config.accountId,
                kmsKeyArn: this.key.keyArn,
                tags: this.tags,
                retainLogsOnDelete: config.protect,
            },
            { parent: this },
        );
        this.cluster = new Cluster(
            name,
            {
                ...config.cluster,
                addons: config.addons,
                clusterName: config.name,
                accountId: config.accountId,
                region: config.region,
                // In prod the control-plane and flow logs are audit evidence: a destroy leaves them.
                retainLogsOnDelete: config.protect,
                vpcId: this.network.vpcId,
                privateSubnetIds: this.network.privateSubnetIds,
                publicSubnetIds: this.network.publicSubnetIds,
                kmsKeyArn: this.key.keyArn,
                versions: config.versions,
                tags: this.tags,
                kubeconfigCredentials,
            },
            { parent: this },
        );

        const addons = createPlatformAddons(name, { config, cluster: this.cluster, vpcId: this.network.vpcId, kmsKeyArn: this.key.keyArn, tags: this.tags }, this);
        ({ loadBalancerController: this.loadBalancerController, externalDns: this.externalDns, externalSecrets: this.externalSecrets, metricsServer: this.metricsServer } = addons);

        if (config.karpenter.enabled) {
            this.karpenter = new Karpenter(
                name,
                {
                    ...config.karpenter,
                    clusterName: config.name,
                    region: config.region,
                    accountId: config.accountId,
                    kubernetesVersion: config.cluster.kubernetesVersion,
                    cluster: this.cluster.eks,
                    systemNodeGroup: this.cluster.systemNodeGroup,
                    clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
                    kmsKeyArn: this.key.keyArn,
                    k8sProvider: this.cluster.provider,
                    versions: config.versions,
                    dependsOn: addons.beforeServices,
                    tags: this.tags,
                },
                { parent: this },
            );
        }

        // Teams before storage, so a static volume's claim in a team namespace waits for it.
        this.teams = this.createTeams(name, config, addons);

        this.storage = new Storage(
            name,
            {
                ...config.storage,
                accountId: config.accountId,
                addons: config.addons,
                clusterName: config.name,
                region: config.region,
                kubernetesVersion: config.cluster.kubernetesVersion,
                versions: config.versions,
                vpcId: this.network.vpcId,
                privateSubnetIds: this.network.privateSubnetIds,
                availabilityZones: config.network.availabilityZones,
                // The EKS cluster security group: control plane, managed nodes, and Karpenter's nodes (its discovery tag).
                nfsClients: { cluster: this.cluster.clusterSecurityGroupId },
                kmsKeyArn: this.key.keyArn,
                protect: config.protect,
                k8sProvider: this.cluster.provider,
                dependsOn: present(this.cluster.addons["eks-pod-identity-agent"], this.cluster.systemNodeGroup),
                namespaces: Object.fromEntries(config.teams.map((t) => [t.name, this.teams.then((teams) => teams[t.name].namespace)])),
                tags: this.tags,
            },
            { parent: this },
        );

        this.observability = new Observability(
            name,
            {
                ...config.observability,
                accountId: config.accountId,
                addons: config.addons,
                clusterName: config.name,
                region: config.region,
                kubernetesVersion: config.cluster.kubernetesVersion,
                versions: config.versions,
                logRetentionInDays: config.cluster.logRetentionInDays,
                kmsKeyArn: this.key.keyArn,
                storageClassName: "gp3",
                scrapeKarpenter: config.karpenter.enabled,
                maxNodes: maxNodes(config),
                protect: config.protect,
                teams: config.teams.map((t) => ({ name: t.name, alerts: t.alerts })),
                k8sProvider: this.cluster.provider,
                dependsOn: present(this.cluster.addons["eks-pod-identity-agent"], this.cluster.systemNodeGroup, this.storage.classes.gp3, ...addons.beforeServices),
                tags: this.tags,
            },
            { parent: this },
        );

        if (usesGpus(config)) {
            const dependsOn = present(this.cluster.systemNodeGroup, ...addons.beforeServices, this.observability.prometheusRelease);
            this.gpuSupport = new GpuSupport(`${name}-gpu`, { monitoring: config.observability.prometheus.enabled, versions: config.versions, k8sProvider: this.cluster.provider, dependsOn }, { parent: this });
        }

        if (config.gitops.enabled) {
            const dependsOn = present(this.cluster.systemNodeGroup, ...addons.beforeServices, this.observability.prometheusRelease);
            const { ha, sso } = config.gitops;
            const teamsWithAlertRoutes = config.teams.filter((t) => t.alerts.email || t.alerts.httpsEndpoint).map((t) => t.name);
            const monitoring = config.observability.prometheus.enabled;
            this.argoCd = new ArgoCd(`${name}-argocd`, { ha, sso, monitoring, teamsWithAlertRoutes, versions: config.versions, k8sProvider: this.cluster.provider, dependsOn }, { parent: this });
        }

        this.clusterName = this.cluster.clusterName;
        this.endpoint = this.cluster.endpoint;
        this.kubeconfig = this.cluster.kubeconfig;
        this.k8sProvider = this.cluster.provider;
        // The team names as an output also keep the program running until every batch of teams exists.
        this.registerOutputs({ clusterName: this.clusterName, endpoint: this.endpoint, vpcId: this.network.vpcId, teams: this.teams.then((t) => Object.keys(t)) });
    }

    /** One Team per config entry, and the admission guard that keeps members off envstack's NetworkPolicies. */
    private createTeams(name: string, config: EnvironmentConfig, addons: PlatformAddons): Promise<Record<string, Team>> {
        if (config.teams.length === 0) return Promise.resolve({});
        new TeamNetworkGuard(name, { k8sProvider: this.cluster.provider, vpcCidr: config.network.cidr }, { parent: this });
        const common = {
            environmentName: config.name,
            clusterName: config.name,
            region: config.region,
            accountId: config.accountId,
            kubernetesVersion: config.cluster.kubernetesVersion,
            storageClasses: storageClassNames(config.storage as object as Record<string, unknown>),
            monitoring: config.observability.prometheus.enabled,
            protect: config.protect,
            k8sProvider: this.cluster.provider,
            // A team's load balancers and records are deleted with its namespace, while their controllers still run.
            dependsOn: present(this.cluster.eks, this.cluster.addons["eks-pod-identity-agent"], ...addons.beforeTeams),
            tags: this.tags,
        };
        const secrets = addons.externalSecrets;
        const teams: Record<string, Team> = {};
        return (async () => {
            for (let i = 0; i < config.teams.length; i += TEAM_BATCH) {
                // A macrotask between batches lets the previous batch's registrations finish first.
                await new Promise((resolve) => setImmediate(resolve));
                for (const team of config.teams.slice(i, i + TEAM_BATCH)) {
                    teams[team.name] = new Team(`${name}-${team.name}`, { ...team, ...common }, { parent: this });
                    if (this.argoCd) {
                        const dependsOn = [teams[team.name].namespace, this.argoCd.release];
                        new TeamGitOps(`${name}-${team.name}-gitops`, { team: team.name, gitops: team.gitops, automated: config.tier !== "prod", k8sProvider: this.cluster.provider, dependsOn }, { parent: this });
                    }
                    if (secrets) {
                        const scope = { environmentName: config.name, region: config.region, accountId: config.accountId, kmsKeyArn: this.key.keyArn, k8sProvider: this.cluster.provider, tags: this.tags };
                        const dependsOn = [teams[team.name].namespace, secrets.release, secrets.guard];
                        new TeamSecrets(`${name}-${team.name}-secrets`, { ...scope, team: team.name, operatorRoleArn: secrets.operatorRoleArn, dependsOn }, { parent: this });
                    }
                }
            }
            return teams;
        })();
    }
}

/** Whether the environment has GPU capacity: Karpenter's GPU pool, or a node group with an accelerator. */
export function usesGpus(config: EnvironmentConfig): boolean {
    return (config.karpenter.enabled && config.karpenter.gpu.enabled) || config.cluster.nodeGroups.some((g) => g.accelerator !== undefined);
}

/** The resources that exist (add-ons turned off are undefined). */
function present(...resources: (pulumi.Resource | undefined)[]): pulumi.Resource[] {
    return resources.filter((r): r is pulumi.Resource => r !== undefined);
}

/**
 * The most nodes the environment may run: every node group at its maximum, plus Karpenter's CPU
 * ceiling in its smallest nodes (one vCPU with Graviton, two otherwise) and one more per pool,
 * since a pool may overshoot its limit by a node, and the GPU pool's likewise.
 */
export function maxNodes(config: EnvironmentConfig): number {
    const groups = [config.cluster.systemNodeGroup, ...config.cluster.nodeGroups].reduce((n, g) => n + g.maxSize, 0);
    if (!config.karpenter.enabled) return groups;
    const smallestVcpu = config.karpenter.architectures.includes("arm64") ? 1 : 2;
    // GPU nodes have four vCPUs at least.
    const gpuNodes = config.karpenter.gpu.enabled ? Math.ceil(config.karpenter.gpu.maxCpu / 4) + 1 : 0;
    return groups + Math.ceil(config.karpenter.maxCpu / smallestVcpu) + 3 + gpuNodes;
}
