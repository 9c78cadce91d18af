import {
    Cluster,
    ClusterArgs,
    ExternalDns,
    ExternalDnsArgs,
    GpuSupport,
    GpuSupportArgs,
    ExternalSecrets,
    ExternalSecretsArgs,
    LoadBalancerController,
    LoadBalancerControllerArgs,
    TeamSecrets,
    TeamSecretsArgs,
    Karpenter,
    KarpenterArgs,
    Network,
    NetworkArgs,
    StaticVolume,
    StaticVolumeArgs,
    Storage,
    StorageArgs,
} from "../components";
import * as pulumi from "@pulumi/pulumi";
import { describeTables, KEY_ARN, row, SUBNETS, Table, WHERE } from "./badInput";

/**
 * Bad arguments to each component used on its own, as a team's program passes them: every row
 * must be refused with a ConfigError that names the argument path, shows the value and says what
 * is allowed, before the component registers anything.
 */

type Any = any;

const karpenter: Table<KarpenterArgs> = {
    name: "Karpenter",
    valid: (ctx) => ({
        ...ctx.config.karpenter,
        ...WHERE,
        kubernetesVersion: "1.35",
        cluster: ctx.cluster,
        systemNodeGroup: ctx.nodes,
        clusterSecurityGroupId: "sg-0123456789abcdef0",
        kmsKeyArn: KEY_ARN,
        k8sProvider: ctx.provider,
        versions: ctx.config.versions,
        tags: { environment: "acme-dev" },
    }),
    build: (_, args) => new Karpenter("k", args),
    rows: [
        row("a Spot share over 100%", (a) => (a.spotPercentage = 150), "spotPercentage", "got 150", "<= 100"),
        row("a negative Spot share", (a) => (a.spotPercentage = -5), "spotPercentage", "got -5", ">= 0"),
        row("a Spot share as text", (a: Any) => (a.spotPercentage = "50"), "spotPercentage", 'got "50"', "allowed: a finite number"),
        row("a CPU ceiling of zero", (a) => (a.maxCpu = 0), "maxCpu", "got 0", "> 0"),
        row("an On-Demand base over the ceiling", (a) => ((a.onDemandBaseCpu = 64), (a.maxCpu = 32)), "onDemandBaseCpu", "got 64", "at most karpenter.maxCpu (32)"),
        row("an unknown instance category", (a: Any) => (a.instanceCategories = ["q"]), "instanceCategories[0]", 'got "q"', "allowed: a, c, d"),
        row("no architecture", (a) => (a.architectures = []), "architectures", "got []", "at least 1 item"),
        row("an expiry that is no duration", (a) => (a.expireAfter = "forever"), "expireAfter", 'got "forever"', "a duration like 30s"),
        row("an unknown consolidation policy", (a: Any) => (a.consolidationPolicy = "Sometimes"), "consolidationPolicy", 'got "Sometimes"', "WhenEmpty"),
        row("a budget of 110%", (a) => (a.budgets = [{ nodes: "110%" }]), "budgets[0].nodes", 'got "110%"', "a percentage like 10%"),
        row("a schedule of any five words", (a) => (a.budgets = [{ nodes: "1", schedule: "any five words here ok", duration: "1h" }]), "budgets[0].schedule", '"any five words here ok"', "cron schedule"),
        row("a schedule that never comes", (a) => (a.budgets = [{ nodes: "1", schedule: "0 0 31 2 *", duration: "1h" }]), "budgets[0].schedule", '"0 0 31 2 *"', "never matches"),
        row("a schedule without a duration", (a) => (a.budgets = [{ nodes: "1", schedule: "@daily" }]), "budgets[0]", '"@daily"', "schedule and duration together"),
        row("nine controller replicas", (a) => (a.replicas = 9), "replicas", "got 9", "<= 5"),
        row("a version missing from the version map", (a) => (a.kubernetesVersion = "1.99"), "kubernetesVersion", 'got "1.99"', "allowed: 1.34, 1.35"),
        row("no version map", (a: Any) => delete a.versions, "versions", "is required", "a map of fields"),
        row("a security group that is no id", (a) => (a.clusterSecurityGroupId = "default"), "clusterSecurityGroupId", 'got "default"', "a security group id"),
        row("a key that is no ARN", (a) => (a.kmsKeyArn = "my-key"), "kmsKeyArn", 'got "my-key"', "a KMS key ARN"),
        row("a provider that is not one", (a: Any) => (a.k8sProvider = {}), "k8sProvider", "got {}", "a Kubernetes provider"),
        row("a cluster that is no resource", (a: Any) => (a.cluster = "acme-dev"), "cluster", 'got "acme-dev"', "the EKS cluster resource"),
        row("a region that does not exist", (a) => (a.region = "mars-1"), "region", 'got "mars-1"', "an AWS region that exists"),
        row("a misspelt field", (a: Any) => (a.spotPercentge = 50), "spotPercentge", "unknown field", 'did you mean "spotPercentage"'),
        row("a tag key with a newline", (a) => (a.tags = { "cost\ncenter": "x" }), "tags.cost\ncenter", '"cost\\ncenter"', "letters, digits, spaces"),
        row("a CPU ceiling as a BigInt", (a: Any) => (a.maxCpu = 8n), "maxCpu", "got 8n (a BigInt)", "a finite number"),
        row("tags that refer to themselves", (a: Any) => ((a.tags = { team: "x" }), (a.tags.self = a.tags)), "tags.self", "too deep or circular", "allowed: text"),
        row("a version map given as an Output", (a: Any) => (a.versions = pulumi.output(a.versions)), "versions", "is a Pulumi Output", "a plain value known when the program runs"),
    ],
};

const cluster: Table<ClusterArgs> = {
    name: "Cluster",
    valid: (ctx) => ({
        ...ctx.config.cluster,
        ...WHERE,
        vpcId: "vpc-0123456789abcdef0",
        privateSubnetIds: SUBNETS,
        publicSubnetIds: SUBNETS.map((s) => s.replace("subnet-0", "subnet-1")),
        kmsKeyArn: KEY_ARN,
        versions: ctx.config.versions,
        tags: {},
    }),
    build: (_, args) => new Cluster("c", args),
    rows: [
        row("no version map", (a: Any) => delete a.versions, "versions", "is required", "a map of fields"),
        row("no private subnets", (a) => (a.privateSubnetIds = []), "privateSubnetIds", "got []", "at least 2 subnet ids"),
        row("a subnet that is no id", (a) => (a.privateSubnetIds = ["subnet-1", SUBNETS[0]]), "privateSubnetIds[0]", '"subnet-1"', "a subnet id like"),
        row("a VPC that is no id", (a) => (a.vpcId = "vpc-xyz"), "vpcId", '"vpc-xyz"', "a VPC id like"),
        row("a cluster name with a space", (a) => (a.clusterName = "acme dev"), "clusterName", '"acme dev"', "an EKS cluster name"),
        row("5,000 nodes in a group", (a) => (a.nodeGroups[0].maxSize = 5000), "nodeGroups[0].maxSize", "got 5000", "at most 450"),
        row("an instance size EC2 lacks", (a) => (a.nodeGroups[0].instanceTypes = ["m7i.huge", "m6i.large"]), "nodeGroups[0].instanceTypes[0]", '"m7i.huge"', "m7i has no size huge"),
        row("an instance family the catalogue lacks", (a) => (a.systemNodeGroup.instanceTypes = ["zz9.large"]), "systemNodeGroup.instanceTypes[0]", '"zz9.large"', "allowed families"),
        row("Spot system nodes of one type", (a) => (a.systemNodeGroup = { ...a.systemNodeGroup, capacityType: "SPOT", instanceTypes: ["t4g.medium"] }), "systemNodeGroup.instanceTypes", '["t4g.medium"]', "at least 2 instance types"),
        row("a capacity type EKS lacks", (a: Any) => (a.systemNodeGroup = { ...a.systemNodeGroup, capacityType: "CHEAP" }), "systemNodeGroup.capacityType", '"CHEAP"', "ON_DEMAND"),
        row("a label key Kubernetes refuses", (a) => (a.nodeGroups[0].labels = { "bad key!": "x" }), "nodeGroups[0].labels.bad key!", '"bad key!"', "a label key"),
        row("a label value with a space", (a) => (a.nodeGroups[0].labels = { team: "a b" }), "nodeGroups[0].labels.team", '"a b"', "a label value"),
        row("a label value of 1 MB", (a) => (a.nodeGroups[0].labels = { team: "x".repeat(1 << 20) }), "nodeGroups[0].labels.team", "...", "up to 63"),
        row("an unknown taint effect", (a: Any) => (a.nodeGroups[0].taints = [{ key: "gpu", effect: "Sometimes" }]), "nodeGroups[0].taints[0].effect", '"Sometimes"', "NO_SCHEDULE"),
        row("a CIDR with leading zeros", (a) => (a.endpoint = { publicAccess: true, publicAccessCidrs: ["10.040.0.0/16"] }), "endpoint.publicAccessCidrs[0]", '"10.040.0.0/16"', "without leading zeros"),
        row("overlapping endpoint CIDRs", (a) => (a.endpoint = { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "203.0.113.128/25"] }), "endpoint.publicAccessCidrs[1]", '"203.0.113.128/25"', "do not overlap"),
        row("the same endpoint CIDR twice", (a) => (a.endpoint = { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "203.0.113.0/24"] }), "endpoint.publicAccessCidrs[1]", '"203.0.113.0/24"', "do not overlap"),
        row("an admin that is no role ARN", (a) => (a.adminRoleArns = ["admin"]), "adminRoleArns[0]", '"admin"', "role ARN"),
        row("a retention CloudWatch lacks", (a) => (a.logRetentionInDays = 8), "logRetentionInDays", "got 8", "7, 14, 30"),
        row("a kubeconfig role that is no ARN", (a) => (a.kubeconfigCredentials = { roleArn: "deployer" }), "kubeconfigCredentials.roleArn", '"deployer"', "an IAM role ARN"),
        row("a version missing from the version map", (a) => (a.kubernetesVersion = "1.99"), "kubernetesVersion", '"1.99"', "allowed: 1.34, 1.35"),
        row("an add-on switch as text", (a: Any) => (a.addons = { coredns: "yes" }), "addons.coredns", '"yes"', "true or false"),
    ],
};

const network: Table<NetworkArgs> = {
    name: "Network",
    valid: (ctx) => ({ ...ctx.config.network, ...WHERE, kmsKeyArn: KEY_ARN, tags: {} }),
    build: (_, args) => new Network("n", args),
    rows: [
        row("a region on Mars", (a) => (a.region = "mars-1"), "region", '"mars-1"', "an AWS region that exists"),
        row("a region that does not exist", (a) => (a.region = "eu-north-9"), "region", '"eu-north-9"', 'did you mean "eu-north-1"'),
        row("an AZ the region lacks", (a) => (a.availabilityZones = ["eu-west-1a", "eu-west-1z"]), "availabilityZones[1]", '"eu-west-1z"', "eu-west-1a, eu-west-1b, eu-west-1c"),
        row("a CIDR with leading zeros", (a) => (a.cidr = "10.040.0.0/16"), "cidr", '"10.040.0.0/16"', "without leading zeros"),
        row("a public CIDR", (a) => (a.cidr = "8.8.0.0/16"), "cidr", '"8.8.0.0/16"', "private address space"),
        row("a /30 private mask", (a) => (a.subnetMasks.private = 30), "subnetMasks.private", "got 30", "<= 28"),
        row("an unknown NAT strategy", (a: Any) => (a.natGateways = "Many"), "natGateways", '"Many"', "OnePerAz"),
        row("flow logs kept forever", (a) => (a.flowLogs.retentionInDays = 0), "flowLogs.retentionInDays", "got 0", "never expire"),
        row("a subnet private and public", (a) => (a.existingVpc = { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: SUBNETS, publicSubnetIds: [SUBNETS[0]], isolatedSubnetIds: [], routeTableIds: [] }), "existingVpc.publicSubnetIds[0]", `"${SUBNETS[0]}"`, "each id once"),
        row("a subnet listed twice", (a) => (a.existingVpc = { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: [SUBNETS[0], SUBNETS[0], SUBNETS[1]], publicSubnetIds: [], isolatedSubnetIds: [], routeTableIds: [] }), "existingVpc.privateSubnetIds[1]", `"${SUBNETS[0]}"`, "each id once"),
        row("a tag value with a newline", (a) => (a.tags = { team: "a\nb" }), "tags.team", '"a\\nb"', "letters, digits, spaces"),
        row("a tag value of 1 MB", (a) => (a.tags = { team: "x".repeat(1 << 20) }), "tags.team", "...", "at most 256 characters"),
        row("a tag value with shell characters", (a) => (a.tags = { team: "$(reboot)" }), "tags.team", '"$(reboot)"', "letters, digits, spaces"),
        row("a tag value with an emoji", (a) => (a.tags = { team: "rocket \u{1F680}" }), "tags.team", "rocket", "letters, digits, spaces"),
        row("a tag key AWS reserves", (a) => (a.tags = { "aws:team": "x" }), "tags.aws:team", '"aws:team"', "not starting with aws:"),
        row("a key given as a number", (a: Any) => (a.kmsKeyArn = 5), "kmsKeyArn", "got 5", "a KMS key ARN like"),
    ],
};

const storage: Table<StorageArgs> = {
    name: "Storage",
    valid: (ctx) => ({
        ...ctx.config.storage,
        ...WHERE,
        kubernetesVersion: "1.35",
        versions: ctx.config.versions,
        vpcId: "vpc-0123456789abcdef0",
        privateSubnetIds: SUBNETS,
        availabilityZones: ctx.config.network.availabilityZones,
        nfsClients: { nodes: "sg-0123456789abcdef0" },
        kmsKeyArn: KEY_ARN,
        protect: false,
        k8sProvider: ctx.provider,
        dependsOn: [ctx.nodes],
        tags: {},
    }),
    build: (_, args) => new Storage("s", args),
    rows: [
        row("a reclaim policy of Keep", (a: Any) => (a.reclaimPolicy = "Keep"), "reclaimPolicy", '"Keep"', "Retain"),
        row("an EBS type that does not exist", (a: Any) => (a.extraClasses = [{ name: "fast", type: "gp9" }]), "extraClasses[0].type", '"gp9"', "gp3"),
        row("a relative EFS base path", (a) => (a.efs.basePath = "dynamic"), "efs.basePath", '"dynamic"', "an absolute path"),
        row("a static volume of -1Gi", (a) => (a.staticVolumes = [{ name: "data", namespace: "team-a", accessMode: "ReadWriteMany", capacity: "-1Gi", efs: { fileSystemId: "fs-0123456789abcdef0" } }]), "staticVolumes[0].capacity", '"-1Gi"', "a positive Kubernetes quantity"),
        row("no AZs", (a) => (a.availabilityZones = []), "availabilityZones", "got []", "the cluster's AZs"),
        row("an NFS client that is no security group", (a) => (a.nfsClients = { nodes: "default" }), "nfsClients.nodes", '"default"', "a security group id"),
        row("protection as text", (a: Any) => (a.protect = "yes"), "protect", '"yes"', "true or false"),
        row("a dependency that is no resource", (a: Any) => (a.dependsOn = ["cluster"]), "dependsOn[0]", '"cluster"', "resources the drivers wait for"),
        row("no private subnets", (a) => (a.privateSubnetIds = []), "privateSubnetIds", "got []", "at least 1 subnet id"),
    ],
};

const STATIC: StaticVolumeArgs = { name: "data", namespace: "team-a", accessMode: "ReadWriteOnce", capacity: "100Gi", ebs: { volumeId: "vol-0123456789abcdef0", availabilityZone: "eu-west-1a" } };

const staticVolume: Table<StaticVolumeArgs> = {
    name: "StaticVolume",
    valid: () => STATIC,
    build: (ctx, args) => new StaticVolume("v", args, { provider: ctx.provider }),
    rows: [
        row("a capacity of -1Gi", (a) => (a.capacity = "-1Gi"), "capacity", '"-1Gi"', "a positive Kubernetes quantity"),
        row("an access mode of Sometimes", (a: Any) => (a.accessMode = "Sometimes"), "accessMode", '"Sometimes"', "ReadWriteOnce"),
        row("an EBS volume shared by many nodes", (a) => (a.accessMode = "ReadWriteMany"), "accessMode", '"ReadWriteMany"', "ReadWriteOnce or ReadWriteOncePod for EBS"),
        row("a volume that is no id", (a) => (a.ebs!.volumeId = "disk-1"), "ebs.volumeId", '"disk-1"', "an EBS volume id"),
        row("a file system that is no id", (a) => ((a.ebs = undefined), (a.efs = { fileSystemId: "fs-XYZ" })), "efs.fileSystemId", '"fs-XYZ"', "an EFS file system id"),
        row("a name with capitals", (a) => (a.name = "Data_1"), "name", '"Data_1"', "a DNS label"),
        row("no namespace", (a) => (a.namespace = ""), "namespace", 'got ""', "a static volume needs one"),
        row("two sources", (a) => (a.efs = { fileSystemId: "fs-0123456789abcdef0" }), "", '"efs"', "exactly one source"),
    ],
};

const loadBalancerController: Table<LoadBalancerControllerArgs> = {
    name: "LoadBalancerController",
    valid: (ctx) => ({ ...WHERE, replicas: 2, vpcId: "vpc-0123456789abcdef0", versions: ctx.config.versions, k8sProvider: ctx.provider, dependsOn: [ctx.nodes], tags: {} }),
    build: (_ctx, args) => new LoadBalancerController("lbc", args),
    rows: [
        row("no replicas", (a) => (a.replicas = 0), "replicas", "got 0", "a number >= 1"),
        row("a VPC that is no id", (a) => (a.vpcId = "default"), "vpcId", '"default"', "a VPC id"),
        row("a cluster name with a space", (a) => (a.clusterName = "acme dev"), "clusterName", '"acme dev"', "an EKS cluster name"),
        row("a chart missing from the version map", (a: Any) => delete a.versions.charts.awsLoadBalancerController, "versions.charts.awsLoadBalancerController", "is required", "a map of fields"),
        row("a dependency that is no resource", (a: Any) => (a.dependsOn = ["nodes"]), "dependsOn[0]", '"nodes"', "resources it waits for"),
        row("a controller release whose IAM policy envstack does not carry", (a) => (a.versions.charts.awsLoadBalancerController.version = "3.6.0"), "versions.charts.awsLoadBalancerController.version", '"3.6.0"', "a 3.5.x release"),
    ],
};

const ZONE = { id: "Z0123456789ABCDEFGHIJ", name: "apps.acme.example" };
const externalDns: Table<ExternalDnsArgs> = {
    name: "ExternalDns",
    valid: (ctx) => ({ ...WHERE, zones: [ZONE], policy: "sync", versions: ctx.config.versions, k8sProvider: ctx.provider, tags: {} }),
    build: (_ctx, args) => new ExternalDns("dns", args),
    rows: [
        row("no zones", (a) => (a.zones = []), "zones", "[]", "at least one hosted zone"),
        row("a zone id in lowercase", (a) => (a.zones[0].id = "z0123"), "zones[0].id", '"z0123"', "a hosted zone id"),
        row("a zone ARN with a region", (a) => (a.zones[0].id = "arn:aws:route53:eu-west-1::hostedzone/Z0123"), "zones[0].id", "hostedzone/Z0123", "its ARN arn:aws:route53:::hostedzone/"),
        row("a zone named with a trailing dot", (a) => (a.zones[0].name = "apps.acme.example."), "zones[0].name", '"apps.acme.example."', "no trailing dot"),
        row("the same zone by id and by ARN", (a) => (a.zones = [ZONE, { ...ZONE, id: `arn:aws:route53:::hostedzone/${ZONE.id}` }]), "zones[1].id", ZONE.id, "each zone once"),
        row("a zone in another partition", (a) => (a.zones = [{ ...ZONE, id: `arn:aws-cn:route53:::hostedzone/${ZONE.id}` }]), "zones[0].id", "aws-cn", "the environment's partition (aws)"),
        row("a policy that deletes everything", (a: Any) => (a.policy = "delete"), "policy", '"delete"', "sync"),
    ],
};

const externalSecrets: Table<ExternalSecretsArgs> = {
    name: "ExternalSecrets",
    valid: (ctx) => ({ ...WHERE, environmentName: "acme-dev", replicas: 2, kmsKeyArn: KEY_ARN, versions: ctx.config.versions, k8sProvider: ctx.provider, tags: {} }),
    build: (_ctx, args) => new ExternalSecrets("eso", args),
    rows: [
        row("an environment name with capitals", (a) => (a.environmentName = "Acme"), "environmentName", '"Acme"', "a DNS label"),
        row("an environment name too long for its roles", (a) => (a.environmentName = "a".repeat(30)), "environmentName", "aaaa", "at most 22 characters"),
        row("six replicas", (a) => (a.replicas = 6), "replicas", "got 6", "a number <= 5"),
        row("a key that is no ARN", (a) => (a.kmsKeyArn = "alias"), "kmsKeyArn", '"alias"', "a KMS key ARN"),
    ],
};

const teamSecrets: Table<TeamSecretsArgs> = {
    name: "TeamSecrets",
    valid: (ctx) => ({ region: "eu-west-1", accountId: "111122223333", environmentName: "acme-dev", team: "payments", kmsKeyArn: KEY_ARN, operatorRoleArn: "arn:aws:iam::111122223333:role/acme-dev-external-secrets", k8sProvider: ctx.provider, tags: {} }),
    build: (_ctx, args) => new TeamSecrets("team", args),
    rows: [
        row("a team that is no namespace name", (a) => (a.team = "Payments Team"), "team", '"Payments Team"', "a DNS label"),
        row("an operator that is a user", (a) => (a.operatorRoleArn = "arn:aws:iam::111122223333:user/eso"), "operatorRoleArn", "user/eso", "the operator's IAM role ARN"),
        row("an account id of letters", (a) => (a.accountId = "acme"), "accountId", '"acme"', "the 12-digit AWS account id"),
    ],
};

const gpuSupport: Table<GpuSupportArgs> = {
    name: "GpuSupport",
    valid: (ctx) => ({ monitoring: true, versions: ctx.config.versions, k8sProvider: ctx.provider, dependsOn: [ctx.nodes] }),
    build: (_ctx, args) => new GpuSupport("gpu", args),
    rows: [
        row("monitoring as a word", (a: Any) => (a.monitoring = "yes"), "monitoring", '"yes"', "true or false"),
        row("a device plugin chart at latest", (a: Any) => (a.versions.charts.nvidiaDevicePlugin.version = "latest"), "versions.charts.nvidiaDevicePlugin.version", '"latest"', "an exact version"),
        row("a provider that is not one", (a: Any) => (a.k8sProvider = {}), "k8sProvider", "{}", "a Kubernetes provider"),
    ],
};

const componentTables: Table<Any>[] = [gpuSupport, karpenter, cluster, network, storage, staticVolume, loadBalancerController, externalDns, externalSecrets, teamSecrets];

describeTables("bad arguments to components used on their own", componentTables);
