import { expect } from "chai";
import { Cluster, ConfigError, CONTROL_PLANE_LOG_TYPES, DEFAULT_VERSIONS, Environment, EnvironmentInput, NODE_ROLE_POLICIES, resolveEnvironmentConfig } from "../components";
import { json, register, Registered, validInput } from "./harness";

const CLUSTER = "eks:index:Cluster";
const NODE_GROUP = "eks:index:ManagedNodeGroup";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const ADDON = "aws:eks/addon:Addon";

/** The Cluster component's own add-ons (storage adds the CSI drivers elsewhere). */
function coreAddons(r: Registered) {
    const cluster = r.one("envstack:index:Cluster");
    return r.ofType(ADDON).filter((a) => a.parent === cluster.urn);
}

async function environment(input: EnvironmentInput): Promise<Registered> {
    return register(() => new Environment(input.name as string, input));
}

describe("Cluster", () => {
    let dev: Registered;
    let prod: Registered;
    before(async () => {
        dev = await environment(validInput("dev"));
        prod = await environment(validInput("prod"));
    });

    it("encrypts secrets with the environment key, and lets the cluster role use only that key", () => {
        const key = dev.one("aws:kms/key:Key");
        const cluster = dev.one(CLUSTER);
        expect(cluster.inputs.encryptionConfigKeyArn).to.match(/^arn:aws:kms:eu-west-1:111122223333:key\//);
        expect(cluster.dependencies).to.include(key.urn);
        const kms = json(dev.one("aws:iam/rolePolicy:RolePolicy", "acme-dev-cluster-kms").inputs.policy).Statement;
        expect(kms).to.deep.equal([
            { Sid: "SecretsEnvelopeEncryption", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: cluster.inputs.encryptionConfigKeyArn },
        ]);
        const role = dev.one("aws:iam/role:Role", "acme-dev-cluster");
        expect(cluster.inputs.serviceRole).to.equal(role.urn);
        expect(json(role.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ Service: "eks.amazonaws.com" });
    });

    it("keeps the private endpoint on; dev's public endpoint is limited to the configured CIDRs; prod has none", () => {
        const devCluster = dev.one(CLUSTER).inputs;
        expect(devCluster.endpointPrivateAccess).to.equal(true);
        expect(devCluster.endpointPublicAccess).to.equal(true);
        expect(devCluster.publicAccessCidrs).to.deep.equal(["203.0.113.0/24"]);
        const prodCluster = prod.one(CLUSTER).inputs;
        expect(prodCluster.endpointPrivateAccess).to.equal(true);
        expect(prodCluster.endpointPublicAccess).to.equal(false);
        expect(prodCluster).not.to.have.property("publicAccessCidrs");
    });

    it("sends all five control-plane log types to a pre-created, encrypted group with retention", () => {
        const cluster = prod.one(CLUSTER);
        expect(cluster.inputs.enabledClusterLogTypes).to.deep.equal(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        expect(CONTROL_PLANE_LOG_TYPES).to.have.length(5);
        const group = prod.one("aws:cloudwatch/logGroup:LogGroup", "acme-prod-control-plane");
        expect(group.inputs.name).to.equal("/aws/eks/acme-prod/cluster");
        expect(group.inputs.retentionInDays).to.equal(90);
        expect(group.inputs.kmsKeyId).to.equal(cluster.inputs.encryptionConfigKeyArn);
        expect(cluster.dependsOn).to.include(group.urn);
    });

    it("uses access entries (API mode) with cluster-admin for each configured role, no OIDC provider and no gp2 class", () => {
        const cluster = prod.one(CLUSTER).inputs;
        expect(cluster.authenticationMode).to.equal("API");
        expect(cluster.createOidcProvider).to.equal(false);
        expect(cluster.skipDefaultNodeGroup).to.equal(true);
        expect(cluster.storageClasses).to.deep.equal({});
        expect(cluster.upgradePolicy).to.deep.equal({ supportType: "STANDARD" });
        expect(cluster.deletionProtection).to.equal(true);
        expect(dev.one(CLUSTER).inputs.deletionProtection).to.equal(false);
        const entry = prod.one("aws:eks/accessEntry:AccessEntry", "acme-prod-admin-platform-admin");
        expect(entry.inputs).to.include({ clusterName: "acme-prod", principalArn: "arn:aws:iam::111122223333:role/platform-admin", type: "STANDARD" });
        const association = prod.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "acme-prod-admin-platform-admin");
        expect(association.inputs.policyArn).to.equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
        expect(association.inputs.accessScope).to.deep.equal({ type: "cluster" });
        expect(association.parent).to.equal(entry.urn);
    });

    it("requires IMDSv2 and an encrypted gp3 root volume under the environment key on every launch template", () => {
        const keyArn = dev.one(CLUSTER).inputs.encryptionConfigKeyArn;
        const templates = dev.ofType(TEMPLATE);
        expect(templates).to.have.length(dev.ofType(NODE_GROUP).length);
        for (const template of templates) {
            expect(template.inputs.metadataOptions).to.deep.equal({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
            const [root] = template.inputs.blockDeviceMappings as { deviceName: string; ebs: Record<string, unknown> }[];
            expect(root.deviceName).to.equal("/dev/xvda");
            expect(root.ebs).to.include({ volumeType: "gp3", encrypted: "true", kmsKeyId: keyArn });
        }
    });

    it("builds a tainted system group (small Graviton Spot nodes in dev, On-Demand above) and a SPOT group of several same-size types, on pinned launch templates", async () => {
        const system = dev.one(NODE_GROUP, "acme-dev-system").inputs;
        expect(system.capacityType).to.equal("SPOT");
        expect(system.instanceTypes).to.deep.equal(["t4g.medium", "c7g.large", "c6g.large", "c8g.large"]);
        expect(system.taints).to.deep.equal([{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
        expect(system.labels).to.deep.include({ "envstack.io/node-group": "system", "envstack.io/capacity-type": "spot" });
        expect(system.amiType).to.equal("AL2023_ARM_64_STANDARD");
        expect(system.scalingConfig).to.deep.equal({ minSize: 2, maxSize: 3, desiredSize: 2 });
        const staging = (await environment(validInput("staging"))).one(NODE_GROUP, "acme-staging-system").inputs;
        expect(staging).to.deep.include({ capacityType: "ON_DEMAND", amiType: "AL2023_x86_64_STANDARD" });

        const spot = dev.one(NODE_GROUP, "acme-dev-spot").inputs;
        expect(spot.capacityType).to.equal("SPOT");
        expect(spot.instanceTypes).to.deep.equal(["m7i.large", "m6i.large", "m6a.large"]);
        expect(spot.labels).to.deep.include({ "envstack.io/capacity-type": "spot" });
        const template = dev.one(TEMPLATE, "acme-dev-spot");
        expect(template.id).to.match(/^lt-/);
        // The template's own id at a pinned version, never "$Latest".
        expect(spot.launchTemplate).to.deep.equal({ id: template.id, version: "1" });
        expect(spot.subnetIds).to.have.length(3);
    });

    it("picks the arm64 AMI for Graviton groups", async () => {
        const input = validInput("dev");
        input.cluster!.nodeGroups = [{ name: "arm", capacityType: "ON_DEMAND", instanceTypes: ["m7g.large"], minSize: 1, maxSize: 2, desiredSize: 1 }];
        const registered = await environment(input);
        expect(registered.one(NODE_GROUP, "acme-dev-arm").inputs.amiType).to.equal("AL2023_ARM_64_STANDARD");
    });

    it("gives nodes a role with exactly the worker, ECR pull-only and SSM policies; the CNI's rights are its own role's", () => {
        const role = dev.one("aws:iam/role:Role", "acme-dev-node");
        expect(json(role.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({ Service: "ec2.amazonaws.com" });
        const attached = dev
            .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((a) => a.parent === role.urn)
            .map((a) => a.inputs.policyArn);
        expect(attached).to.deep.equal(NODE_ROLE_POLICIES.map((p) => `arn:aws:iam::aws:policy/${p}`));
        expect(attached).not.to.include("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
        for (const group of dev.ofType(NODE_GROUP)) expect(group.inputs.nodeRoleArn).to.match(/role\/acme-dev-node/);
        // aws-node runs as its own Pod Identity role with the CNI policy, through the add-on.
        const cni = coreAddons(dev).find((a) => a.inputs.addonName === "vpc-cni")!;
        const cniRole = dev.one("aws:iam/role:Role", "acme-dev-vpc-cni");
        expect(cni.inputs.podIdentityAssociations).to.deep.equal([{ roleArn: cniRole.outputs.arn, serviceAccount: "aws-node" }]);
        expect(dev.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.parent === cniRole.urn).map((a) => a.inputs.policyArn)).to.deep.equal(["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
        expect(json(cni.inputs.configurationValues)).to.deep.equal({ enableNetworkPolicy: "true" });
    });

    it("installs the core add-ons at their pinned versions, owned only here", () => {
        const addons: Record<string, Record<string, unknown>> = Object.fromEntries(coreAddons(dev).map((a) => [a.inputs.addonName, a.inputs]));
        expect(Object.keys(addons).sort()).to.deep.equal(["coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
        for (const [name, inputs] of Object.entries(addons)) {
            expect(inputs.addonVersion).to.equal(DEFAULT_VERSIONS.kubernetes["1.35"].addons[name as "coredns"]);
            expect(inputs.resolveConflictsOnCreate).to.equal("OVERWRITE");
        }
        expect(json(addons["vpc-cni"].configurationValues)).to.deep.equal({ enableNetworkPolicy: "true" });
        const cluster = dev.one(CLUSTER).inputs;
        expect(cluster).to.include({ bootstrapSelfManagedAddons: false, useDefaultVpcCni: true });
        expect(cluster.corednsAddonOptions).to.include({ enabled: false });
        expect(cluster.kubeProxyAddonOptions).to.include({ enabled: false });
        expect(cluster.version).to.equal("1.35");
    });

    it("orders add-ons: the identity agent and kube-proxy, then the CNI (it needs the agent), all before any node group; CoreDNS after the system group", () => {
        const cluster = dev.one(CLUSTER);
        const early = coreAddons(dev).filter((a) => a.inputs.addonName !== "coredns");
        const byName = (n: string) => early.find((a) => a.inputs.addonName === n)!;
        for (const addon of [byName("kube-proxy"), byName("eks-pod-identity-agent")]) expect(addon.dependsOn).to.deep.equal([cluster.urn]);
        const cni = byName("vpc-cni");
        expect(cni.dependsOn).to.include.members([cluster.urn, byName("eks-pod-identity-agent").urn]);
        for (const group of dev.ofType(NODE_GROUP)) {
            expect(group.dependsOn).to.include.members(early.map((a) => a.urn));
        }
        const coredns = coreAddons(dev).find((a) => a.inputs.addonName === "coredns")!;
        expect(coredns.dependsOn).to.deep.equal([dev.one(NODE_GROUP, "acme-dev-system").urn]);
    });

    it("uses a version override from the stack instead of the default", async () => {
        const input = validInput("dev");
        input.versions = { kubernetes: { "1.35": { addons: { "kube-proxy": "v1.35.9-eksbuild.1" } } } };
        const registered = await environment(input);
        const proxy = registered.ofType(ADDON).find((a) => a.inputs.addonName === "kube-proxy")!;
        expect(proxy.inputs.addonVersion).to.equal("v1.35.9-eksbuild.1");
    });

    it("used on its own, rejects a version missing from the version map before registering anything", async () => {
        const config = resolveEnvironmentConfig(validInput("dev"));
        let thrown: unknown;
        const registered = await register(() => {
            try {
                new Cluster("solo", {
                    ...config.cluster,
                    kubernetesVersion: "1.99",
                    clusterName: "solo",
                    accountId: "111122223333",
                    region: "eu-west-1",
                    vpcId: "vpc-0a1b2c3d4e5f67890",
                    privateSubnetIds: ["subnet-1", "subnet-2"],
                    publicSubnetIds: [],
                    kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/0b3a6c1e-1f1e-4f8e-9a55-0c2d3e4f5a6b",
                    versions: config.versions,
                    tags: {},
                });
            } catch (err) {
                thrown = err;
            }
        });
        expect(thrown).to.be.instanceOf(ConfigError);
        expect((thrown as ConfigError).message).to.include('kubernetesVersion: got "1.99"; allowed: 1.34, 1.35');
        expect(registered.all).to.deep.equal([]);
    });

    it("exposes the kubeconfig only as a secret, and a Kubernetes provider built from it", async () => {
        const registered = await register(() => {
            const env = new Environment("acme-dev", validInput("dev"));
            env.kubeconfig.apply(() => undefined);
        });
        const provider = registered.one("pulumi:providers:kubernetes");
        expect(provider.secretInputs).to.include("kubeconfig");
        expect(json(provider.inputs.kubeconfig).users[0].user.exec.args).to.include("get-token");
    });
});
