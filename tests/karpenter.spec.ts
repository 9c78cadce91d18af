import type { IEC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import type { INodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { expect } from "chai";
import { ConfigError, ConfigProblem, EnvironmentInput, resolveEnvironmentConfig } from "../components";
import { controllerValues } from "../components/karpenter/karpenter";
import { ec2NodeClass, nodePool, planPools } from "../components/karpenter/manifests";
import { dependsOn } from "./addons";
import { json, planStack, validInput } from "./harness";
import type { RecordedResource } from "../plan/engine";

const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
/** The pools of the capacity mix: all but the GPU pool (tests/karpenter.gpu.spec.ts). */
const mixPools = (r: { ofType(type: string): RecordedResource[] }) => r.ofType(NODE_POOL).filter((p) => (p.inputs as { metadata: { name: string } }).metadata.name !== "gpu");
const NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";

/** The schema classes are ESM-only; load them once with import(). */
async function schemas() {
    const sh = await import("@kubernetes-models/karpenter/karpenter.sh/v1");
    const aws = await import("@kubernetes-models/karpenter/karpenter.k8s.aws/v1");
    return { NodePool: sh.NodePool, EC2NodeClass: aws.EC2NodeClass };
}

describe("Karpenter", () => {
    const plans: Record<string, Awaited<ReturnType<typeof planStack>>> = {};
    before(async () => {
        for (const stack of ["dev", "staging", "prod"]) plans[stack] = await planStack(stack);
    });

    it("renders NodePools and the EC2NodeClass that validate against Karpenter's v1 schemas", async () => {
        const { NodePool, EC2NodeClass } = await schemas();
        for (const plan of Object.values(plans)) {
            const pools = plan.registered.ofType(NODE_POOL);
            expect(pools.length).to.be.greaterThan(0);
            for (const pool of pools) new NodePool(pool.inputs as unknown as INodePool).validate();
            for (const nodeClass of plan.registered.ofType(NODE_CLASS)) new EC2NodeClass(nodeClass.inputs as unknown as IEC2NodeClass).validate();
        }
        // The validator catches what the schema forbids, so a pass above means something.
        const bad = nodePool(planPools({ onDemandBaseCpu: 0, maxCpu: 8, maxMemoryGiB: 32, spotPercentage: 100 })[0], resolveEnvironmentConfig(validInput()).karpenter);
        (bad.spec.disruption as { consolidateAfter: string }).consolidateAfter = "soon";
        expect(() => new NodePool(bad).validate()).to.throw(/consolidateAfter/);
    });

    it("implements the mix per tier from the real stack files: capacity types, weights and limits", () => {
        const mix = (stack: string) =>
            mixPools(plans[stack].registered)
                .map((r) => {
                    const spec = (r.inputs as unknown as INodePool).spec;
                    const types = spec.template.spec.requirements.find((q) => q.key === "karpenter.sh/capacity-type")!.values;
                    return `${(r.inputs.metadata as { name: string }).name} w${spec.weight} [${types}] cpu=${spec.limits!.cpu} mem=${spec.limits!.memory}`;
                })
                .sort();
        // dev: all Spot-first, no On-Demand base.
        expect(mix("dev")).to.deep.equal(["burst w50 [spot,on-demand] cpu=32 mem=128Gi"]);
        expect(mix("staging")).to.deep.equal(["burst w50 [spot,on-demand] cpu=120 mem=480Gi", "on-demand-base w100 [on-demand] cpu=8 mem=32Gi"]);
        // prod: a 32-vCPU On-Demand base, then 70% of the burst Spot-first, the rest On-Demand.
        expect(mix("prod")).to.deep.equal([
            "burst w50 [spot,on-demand] cpu=246 mem=984Gi",
            "burst-on-demand w10 [on-demand] cpu=106 mem=424Gi",
            "on-demand-base w100 [on-demand] cpu=32 mem=128Gi",
        ]);
    });

    it("gives every pool category and generation requirements, expireAfter, and disruption with prod's business-hours budget", () => {
        for (const [stack, plan] of Object.entries(plans)) {
            for (const r of mixPools(plan.registered)) {
                const spec = (r.inputs as unknown as INodePool).spec;
                const req = Object.fromEntries(spec.template.spec.requirements.map((q) => [q.key, q]));
                expect(req["karpenter.k8s.aws/instance-category"].operator).to.equal("In");
                expect(req["karpenter.k8s.aws/instance-generation"]).to.include({ operator: "Gt" });
                expect(spec.template.spec.nodeClassRef).to.deep.equal({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" });
                expect(spec.template.spec.expireAfter).to.equal({ dev: "168h", staging: "336h", prod: "720h" }[stack]);
                expect(spec.disruption!.consolidationPolicy).to.equal("WhenEmptyOrUnderutilized");
                expect(spec.disruption!.consolidateAfter).to.match(/^\d+(s|m)$/);
            }
        }
        const prodBudgets = (plans.prod.registered.ofType(NODE_POOL)[0].inputs as unknown as INodePool).spec.disruption!.budgets;
        expect(prodBudgets).to.deep.include({ nodes: "0", schedule: "0 8 * * mon-fri", duration: "10h", reasons: ["Underutilized", "Empty"] });
    });

    it("builds the EC2NodeClass from a pinned AMI release, the node role, discovery selectors, an encrypted root and IMDSv2", () => {
        const r = plans.prod.registered;
        const spec = (r.one(NODE_CLASS, "acme-prod-karpenter-nodeclass").inputs as unknown as IEC2NodeClass).spec!;
        expect(spec.amiSelectorTerms).to.deep.equal([{ alias: "al2023@v20260903" }]);
        expect(spec.role).to.equal(r.one("aws:iam/role:Role", "acme-prod-karpenter-node").outputs.name);
        expect(spec.subnetSelectorTerms).to.deep.equal([{ tags: { "karpenter.sh/discovery": "acme-prod" } }]);
        expect(spec.securityGroupSelectorTerms).to.deep.equal([{ tags: { "karpenter.sh/discovery": "acme-prod" } }]);
        expect(spec.blockDeviceMappings![0].ebs).to.deep.equal({ volumeSize: "100Gi", volumeType: "gp3", encrypted: true, kmsKeyID: r.one("aws:kms/key:Key").outputs.arn, deleteOnTermination: true });
        expect(spec.metadataOptions).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
        // Exactly one security group carries the discovery tag: the EKS cluster security group.
        const sgTags = r.ofType("aws:ec2/tag:Tag").filter((t) => t.inputs.key === "karpenter.sh/discovery" && String(t.inputs.resourceId).startsWith("sg-"));
        expect(sgTags.map((t) => t.inputs.resourceId)).to.deep.equal([r.one("eks:index:Cluster").outputs.clusterSecurityGroupId]);
        const entry = r.one("aws:eks/accessEntry:AccessEntry", "acme-prod-karpenter-node");
        expect(entry.inputs).to.include({ type: "EC2_LINUX", principalArn: r.one("aws:iam/role:Role", "acme-prod-karpenter-node").outputs.arn });
    });

    it("gives nodes the worker, ECR pull-only and SSM policies", () => {
        const r = plans.dev.registered;
        const role = r.one("aws:iam/role:Role", "acme-dev-karpenter-node");
        const attached = r.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.parent === role.urn).map((a) => String(a.inputs.policyArn).split("/").pop());
        // The CNI's rights belong to its own Pod Identity role, not to every node.
        expect(attached).to.deep.equal(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"]);
    });

    it("installs the CRD chart separately, and the controller from pinned OCI charts onto the system node group", () => {
        const r = plans.prod.registered;
        const releases = Object.fromEntries(r.ofType("kubernetes:helm.sh/v3:Release").map((x) => [x.inputs.name, x.inputs]));
        expect(releases["karpenter-crd"]).to.include({ chart: "oci://public.ecr.aws/karpenter/karpenter-crd", version: "1.14.1", namespace: "kube-system" });
        const controller = releases.karpenter;
        expect(controller).to.include({ chart: "oci://public.ecr.aws/karpenter/karpenter", version: "1.14.1", namespace: "kube-system", skipCrds: true });
        const values = controller.values as ReturnType<typeof controllerValues>;
        expect(values.settings).to.deep.equal({ clusterName: "acme-prod", interruptionQueue: r.one("aws:sqs/queue:Queue").outputs.name });
        expect(values.replicas).to.equal(2);
        expect(values.tolerations).to.deep.equal([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }]);
        expect(values.nodeSelector).to.deep.equal({ "kubernetes.io/os": "linux", "envstack.io/node-group": "system" });
        expect(values.controller.resources.requests).to.deep.equal({ cpu: "500m", memory: "768Mi" });
        const association = r.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "acme-prod-karpenter");
        expect(association.inputs).to.include({ namespace: "kube-system", serviceAccount: "karpenter", roleArn: r.one("aws:iam/role:Role", "acme-prod-karpenter-controller").outputs.arn });
        expect(json(r.one("aws:iam/role:Role", "acme-prod-karpenter-controller").inputs.assumeRolePolicy).Statement).to.deep.equal([
            {
                Effect: "Allow",
                Principal: { Service: "pods.eks.amazonaws.com" },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: {
                    StringEquals: {
                        "aws:SourceAccount": "777788889999",
                        "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:eu-west-1:777788889999:cluster/acme-prod",
                        "aws:RequestTag/kubernetes-namespace": "kube-system",
                        "aws:RequestTag/kubernetes-service-account": "karpenter",
                    },
                },
            },
        ]);
    });

    it("keeps a 300 s interruption queue, encrypted with the environment key, that only its EventBridge rules may write to and nothing may use without TLS", () => {
        const r = plans.dev.registered;
        const queue = r.one("aws:sqs/queue:Queue");
        const key = r.one("aws:kms/key:Key");
        expect(queue.inputs).to.include({ messageRetentionSeconds: 300, kmsMasterKeyId: key.outputs.arn });
        // EventBridge encrypts what it sends with that key, for this queue and this account only.
        const eventBridge = json(key.inputs.policy).Statement.find((s: { Sid: string }) => s.Sid === "EventBridgeWritesInterruptionQueue");
        expect(eventBridge).to.deep.include({ Principal: { Service: "events.amazonaws.com" }, Action: ["kms:GenerateDataKey", "kms:Decrypt"] });
        expect(eventBridge.Condition.StringEquals).to.deep.equal({ "aws:SourceAccount": "111122223333", "kms:EncryptionContext:aws:sqs:arn": queue.outputs.arn });
        const policy = json(r.one("aws:sqs/queuePolicy:QueuePolicy").inputs.policy);
        const ruleArns = r.ofType("aws:cloudwatch/eventRule:EventRule").map((rule) => rule.outputs.arn);
        expect(policy.Statement[0]).to.deep.include({ Effect: "Allow", Action: "sqs:SendMessage", Resource: queue.outputs.arn, Principal: { Service: "events.amazonaws.com" } });
        expect(policy.Statement[0].Condition.ArnEquals["aws:SourceArn"]).to.have.members(ruleArns).and.have.length(5);
        expect(policy.Statement[1]).to.deep.include({ Effect: "Deny", Action: "sqs:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });

    it("routes exactly upstream's five interruption events to the queue", () => {
        const r = plans.dev.registered;
        // Upstream's CloudFormation (v1.14), copied by hand, so a typo in the component fails here.
        const upstream = [
            ["aws.health", "AWS Health Event"],
            ["aws.ec2", "EC2 Spot Instance Interruption Warning"],
            ["aws.ec2", "EC2 Instance Rebalance Recommendation"],
            ["aws.ec2", "EC2 Instance State-change Notification"],
            ["aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning"],
        ];
        const rules = r.ofType("aws:cloudwatch/eventRule:EventRule");
        const patterns = rules.map((rule) => json(rule.inputs.eventPattern));
        expect(patterns.map((p) => [p.source[0], p["detail-type"][0]]).sort()).to.deep.equal(upstream.sort());
        for (const p of patterns) expect(Object.keys(p)).to.deep.equal(["source", "detail-type"]);
        const queueArn = r.one("aws:sqs/queue:Queue").outputs.arn;
        for (const rule of rules) {
            const targets = r.ofType("aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.parent === rule.urn);
            expect(targets.map((t) => t.inputs.arn), rule.name).to.deep.equal([queueArn]);
            expect(targets[0].inputs.rule).to.equal(rule.outputs.name);
        }
    });

    it("makes the teardown order explicit: NodePools and class, then the controller, then queue, roles and node group, then the cluster, then the VPC", () => {
        const r = plans.prod.registered;
        const release = r.ofType("kubernetes:helm.sh/v3:Release").find((x) => x.inputs.name === "karpenter")!;
        const cluster = r.one("eks:index:Cluster");
        const late = [
            r.one("aws:sqs/queue:Queue"),
            r.one("aws:iam/role:Role", "acme-prod-karpenter-controller"),
            r.one("aws:iam/role:Role", "acme-prod-karpenter-node"),
            r.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "acme-prod-karpenter"),
            r.one("eks:index:ManagedNodeGroup", "acme-prod-system"),
        ];
        for (const k8sObject of [...r.ofType(NODE_POOL), r.one(NODE_CLASS)]) expect(dependsOn(r, k8sObject, release), k8sObject.name).to.equal(true);
        for (const pool of r.ofType(NODE_POOL)) expect(pool.dependsOn).to.include(r.one(NODE_CLASS).urn);
        for (const x of late) {
            expect(dependsOn(r, release, x), `controller before ${x.name}`).to.equal(true);
            expect(dependsOn(r, x, cluster), `${x.name} before the cluster`).to.equal(true);
        }
        expect(dependsOn(r, cluster, r.one("awsx:ec2:Vpc"))).to.equal(true);
        // ...and never the other way round.
        expect(dependsOn(r, release, r.one(NODE_CLASS))).to.equal(false);
        expect(dependsOn(r, cluster, release)).to.equal(false);
    });

    it("tags and guards: the pack passes the Karpenter objects (limits within the configured ceiling)", () => {
        for (const plan of Object.values(plans)) {
            const total = mixPools(plan.registered).reduce((sum, p) => sum + Number((p.inputs as unknown as INodePool).spec.limits!.cpu), 0);
            const config = resolveEnvironmentConfig({ ...validInput(plan.stack as "dev"), tier: plan.stack as "dev" }).karpenter;
            expect(total).to.equal(config.maxCpu);
            expect(plan.registered.one("aws:sqs/queue:Queue").inputs.tags).to.include({ "managed-by": "envstack" });
        }
    });
});

describe("Karpenter config", () => {
    function problems(karpenter: object): ConfigProblem[] {
        try {
            resolveEnvironmentConfig({ ...validInput("prod"), karpenter } as EnvironmentInput);
            return [];
        } catch (err) {
            return [...(err as ConfigError).problems];
        }
    }
    const find = (list: ConfigProblem[], path: string) => list.filter((p) => p.path === path).map((p) => p.message).join(" | ");

    it("reports a base larger than the ceiling, an unknown category, a Spot share outside 0-100 and bad durations", () => {
        const list = problems({ onDemandBaseCpu: 500, maxCpu: 100, instanceCategories: ["m", "q"], spotPercentage: 120, expireAfter: "30 days", consolidateAfter: "1 minute" });
        expect(find(list, "karpenter.onDemandBaseCpu")).to.include("got 500; allowed: at most karpenter.maxCpu (100)");
        expect(find(list, "karpenter.instanceCategories[1]")).to.include('got "q"; allowed: a, c, d');
        expect(find(list, "karpenter.spotPercentage")).to.include("got 120; allowed: a number <= 100");
        expect(find(list, "karpenter.expireAfter")).to.include('got "30 days"; allowed: a duration like 30s, 5m or 720h, or Never');
        expect(find(list, "karpenter.consolidateAfter")).to.include('got "1 minute"');
        expect(find(problems({ spotPercentage: -5 }), "karpenter.spotPercentage")).to.include("got -5; allowed: a number >= 0");
    });

    it("refuses @latest, a Karpenter too old for the cluster, mismatched CRDs, and half a budget window", () => {
        const input = {
            ...validInput("prod"),
            karpenter: { budgets: [{ nodes: "0", schedule: "0 8 * * mon-fri" }] },
            versions: {
                kubernetes: { "1.35": { karpenterAmiAlias: "al2023@latest" } },
                charts: { karpenter: { chart: "oci://public.ecr.aws/karpenter/karpenter", version: "1.8.0" } },
            },
        } as EnvironmentInput;
        let list: ConfigProblem[] = [];
        try {
            resolveEnvironmentConfig(input);
        } catch (err) {
            list = [...(err as ConfigError).problems];
        }
        expect(find(list, "versions.kubernetes.1.35.karpenterAmiAlias")).to.include("@latest drifts every node");
        expect(find(list, "versions.charts.karpenter.version")).to.include("allowed: 1.9.0 or newer, the oldest Karpenter that supports Kubernetes 1.35");
        expect(find(list, "versions.charts.karpenterCrd.version")).to.include("the controller chart's version (1.8.0)");
        expect(find(list, "karpenter.budgets[0]")).to.include("schedule and duration together");
    });

    it("plans pools whose limits add up to the ceiling for any base and share", () => {
        for (const [base, max, spot] of [[0, 10, 100], [10, 10, 50], [4, 100, 0], [7, 101, 33]]) {
            const pools = planPools({ onDemandBaseCpu: base, maxCpu: max, maxMemoryGiB: 4 * max, spotPercentage: spot });
            expect(pools.reduce((s, p) => s + p.cpu, 0), `${base}/${max}/${spot}`).to.equal(max);
            expect(pools.every((p) => p.cpu > 0)).to.equal(true);
            expect(pools.some((p) => p.capacityTypes.includes("spot"))).to.equal(spot > 0 && max > base);
        }
        const node = ec2NodeClass({ clusterName: "c", nodeRoleName: "r", amiAlias: "al2023@v20260903", kmsKeyArn: "k", diskSizeGiB: 20, tags: {} });
        expect(node.spec!.blockDeviceMappings![0].ebs!.encrypted).to.equal(true);
    });
});
