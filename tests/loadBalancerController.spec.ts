import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { expect } from "chai";
import { LoadBalancerController, resolveEnvironmentConfig } from "../components";
import { environmentScopePolicy, upstreamControllerPolicy } from "../components/loadBalancerController/iam";
import { loadBalancerGuardPolicy } from "../components/loadBalancerController/guard";
import { CONTEXT_NAMES, context } from "./badInput";
import { dependsOn, difference, releaseNamed } from "./addons";
import { admit } from "./cel";
import { json, planStack, register, validInput } from "./harness";
import { simulate } from "./iam";

/** SHA-256 of upstream's docs/install/iam_policy.json at v3.5.0, keys sorted, no whitespace. */
const UPSTREAM_POLICY_SHA256 = "bb9e48240ace4258c78d152ce98175ee6a118f0715faad4ff5a3e394c9d66171";
const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
const sha256 = (v: unknown) => createHash("sha256").update(JSON.stringify(canonical(v))).digest("hex");

const POLICY = "aws:iam/rolePolicy:RolePolicy";
const SCOPE = { clusterName: "acme-prod", region: "eu-west-1", accountId: "777788889999", vpcId: "vpc-0123456789abcdef0", partition: "aws" as const };

describe("AWS Load Balancer Controller", () => {
    const plans: Record<string, Awaited<ReturnType<typeof planStack>>> = {};
    before(async () => {
        for (const stack of ["dev", "staging", "prod"]) plans[stack] = await planStack(stack);
    });
    const values = (stack: string) => releaseNamed(plans[stack].registered, "aws-load-balancer-controller").inputs.values as Record<string, any>;

    it("installs the pinned chart in kube-system on the system nodes, told its cluster, region and VPC so it never asks the instance metadata service", () => {
        const r = plans.prod.registered;
        const release = releaseNamed(r, "aws-load-balancer-controller");
        expect(release.inputs).to.include({ chart: "aws-load-balancer-controller", version: "3.5.0", namespace: "kube-system", atomic: true });
        expect(release.inputs.repositoryOpts).to.deep.equal({ repo: "https://aws.github.io/eks-charts" });
        const v = values("prod");
        expect(v).to.include({ clusterName: "acme-prod", region: "eu-west-1", vpcId: r.one("awsx:ec2:Vpc").outputs.vpcId, ingressClass: "alb", createIngressClassResource: true });
        expect(v).to.include({ defaultTargetType: "ip", defaultLoadBalancerScheme: "internal", priorityClassName: "system-cluster-critical" });
        expect(v.nodeSelector).to.deep.equal({ "kubernetes.io/os": "linux", "envstack.io/node-group": "system" });
        expect(v.resources.requests).to.deep.equal({ cpu: "100m", memory: "128Mi" });
        expect(v.serviceAccount).to.deep.equal({ create: true, name: "aws-load-balancer-controller" });
        expect(v.defaultTags).to.include({ environment: "acme-prod", "managed-by": "envstack" });
        expect(v.ingressClassParams).to.deep.equal({ create: false });
    });

    it("runs two replicas with a disruption budget in staging and prod, one in dev", () => {
        expect(values("prod")).to.include({ replicaCount: 2 });
        expect(values("staging")).to.include({ replicaCount: 2 });
        expect(values("prod").podDisruptionBudget).to.deep.equal({ maxUnavailable: 1 });
        expect(values("dev")).to.include({ replicaCount: 1 });
    });

    it("attaches upstream's v3.5.0 policy unchanged, under IAM's size limit, and a Pod Identity trust for its service account only", () => {
        const r = plans.prod.registered;
        const upstream = json(r.one(POLICY, "acme-prod-load-balancer-controller-upstream").inputs.policy);
        expect(sha256(upstream)).to.equal(UPSTREAM_POLICY_SHA256);
        expect(upstream.Statement).to.have.length(16);
        expect(JSON.stringify(upstream).length).to.be.at.most(6144);
        // Where upstream's JSON is at hand, the comparison is statement by statement.
        const file = process.env.ENVSTACK_UPSTREAM_LBC_POLICY;
        if (file) expect(upstream).to.deep.equal(JSON.parse(fs.readFileSync(file, "utf8")));
        // The hash is not a rubber stamp: one action fewer changes it.
        const changed = upstreamControllerPolicy("aws");
        (changed.Statement[3].Action as string[]).pop();
        expect(sha256(changed)).not.to.equal(UPSTREAM_POLICY_SHA256);
        const trust = json(r.one("aws:iam/role:Role", "acme-prod-load-balancer-controller").inputs.assumeRolePolicy);
        expect(trust.Statement[0].Condition.StringEquals).to.include({
            "aws:SourceAccount": "777788889999",
            "aws:RequestTag/kubernetes-namespace": "kube-system",
            "aws:RequestTag/kubernetes-service-account": "aws-load-balancer-controller",
        });
        const association = r.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "acme-prod-load-balancer-controller");
        expect(association.inputs).to.include({ namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" });
    });

    describe("its IAM, simulated", () => {
        const policies = [upstreamControllerPolicy("aws"), environmentScopePolicy(SCOPE)];
        const elb = (path: string) => `arn:aws:elasticloadbalancing:eu-west-1:777788889999:${path}`;
        const sg = "arn:aws:ec2:eu-west-1:777788889999:security-group/sg-0123456789abcdef0";
        const inRegion = (extra: Record<string, string> = {}) => ({ "aws:RequestedRegion": "eu-west-1", ...extra });
        const tagged = (cluster: string) => ({ "aws:ResourceTag/elbv2.k8s.aws/cluster": cluster });

        it("creates and changes this cluster's load balancers", async () => {
            expect(await simulate(policies, { action: "elasticloadbalancing:CreateLoadBalancer", resource: elb("loadbalancer/app/k8s-payments/0123456789abcdef"), context: inRegion({ "aws:RequestTag/elbv2.k8s.aws/cluster": "acme-prod" }) })).to.equal("Allowed");
            expect(await simulate(policies, { action: "elasticloadbalancing:DeleteLoadBalancer", resource: elb("loadbalancer/app/k8s-payments/0123456789abcdef"), context: inRegion(tagged("acme-prod")) })).to.equal("Allowed");
            expect(await simulate(policies, { action: "ec2:AuthorizeSecurityGroupIngress", resource: sg, context: inRegion({ "ec2:Vpc": "arn:aws:ec2:eu-west-1:777788889999:vpc/vpc-0123456789abcdef0" }) })).to.equal("Allowed");
        });

        it("is denied another cluster's load balancers and security groups, though upstream's policy alone allows them", async () => {
            const other = { action: "elasticloadbalancing:DeleteLoadBalancer", resource: elb("loadbalancer/app/k8s-other/0123456789abcdef"), context: inRegion(tagged("acme-dev")) };
            expect(await simulate([upstreamControllerPolicy("aws")], other)).to.equal("Allowed");
            expect(await simulate(policies, other)).to.equal("ExplicitlyDenied");
            const otherTargets = { action: "elasticloadbalancing:RegisterTargets", resource: elb("targetgroup/k8s-other/0123456789abcdef"), context: inRegion(tagged("acme-dev")) };
            expect(await simulate(policies, otherTargets)).to.equal("ExplicitlyDenied");
            expect(await simulate(policies, { ...otherTargets, context: inRegion(tagged("acme-prod")) })).to.equal("Allowed");
            expect(await simulate(policies, { action: "ec2:DeleteSecurityGroup", resource: sg, context: inRegion({ ...tagged("acme-dev"), "ec2:Vpc": "arn:aws:ec2:eu-west-1:777788889999:vpc/vpc-0123456789abcdef0" }) })).to.equal("ExplicitlyDenied");
            expect(await simulate(policies, { action: "elasticloadbalancing:CreateTargetGroup", resource: elb("targetgroup/k8s-x/0123456789abcdef"), context: inRegion({ "aws:RequestTag/elbv2.k8s.aws/cluster": "acme-dev" }) })).to.equal("ExplicitlyDenied");
        });

        it("is denied security group rules outside the VPC, and any change outside the region", async () => {
            expect(await simulate(policies, { action: "ec2:AuthorizeSecurityGroupIngress", resource: sg, context: inRegion({ "ec2:Vpc": "arn:aws:ec2:eu-west-1:777788889999:vpc/vpc-0fedcba9876543210" }) })).to.equal("ExplicitlyDenied");
            const elsewhere = { action: "elasticloadbalancing:CreateLoadBalancer", resource: "arn:aws:elasticloadbalancing:us-east-1:777788889999:loadbalancer/app/x/0123456789abcdef", context: { "aws:RequestedRegion": "us-east-1", "aws:RequestTag/elbv2.k8s.aws/cluster": "acme-prod" } };
            expect(await simulate(policies, elsewhere)).to.equal("ExplicitlyDenied");
        });

        it("the plan attaches both policies to the controller's role", () => {
            const names = plans.prod.registered.ofType(POLICY).filter((p) => p.name.startsWith("acme-prod-load-balancer-controller-")).map((p) => p.name);
            expect(names.sort()).to.deep.equal(["acme-prod-load-balancer-controller-scope", "acme-prod-load-balancer-controller-upstream"]);
            const scope = json(plans.prod.registered.one(POLICY, "acme-prod-load-balancer-controller-scope").inputs.policy);
            expect(scope.Statement[1].Condition.StringNotEquals["ec2:Vpc"]).to.equal(`arn:aws:ec2:eu-west-1:777788889999:vpc/${plans.prod.registered.one("awsx:ec2:Vpc").outputs.vpcId}`);
        });
    });

    it("orders teardown: team namespaces (and their load balancers) go first, then the controller, then its role and association, then the cluster and the VPC", () => {
        const r = plans.staging.registered;
        const release = releaseNamed(r, "aws-load-balancer-controller");
        const namespaces = r.ofType("kubernetes:core/v1:Namespace").filter((n) => (n.inputs as any).metadata?.labels?.["envstack.io/team"]);
        expect(namespaces.length).to.be.greaterThan(0);
        for (const ns of namespaces) expect(dependsOn(r, ns, release), ns.name).to.equal(true);
        for (const late of [
            r.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "acme-staging-load-balancer-controller"),
            r.one("aws:iam/role:Role", "acme-staging-load-balancer-controller"),
            r.one(POLICY, "acme-staging-load-balancer-controller-upstream"),
            r.one("eks:index:ManagedNodeGroup", "acme-staging-system"),
        ]) {
            expect(dependsOn(r, release, late), `controller before ${late.name}`).to.equal(true);
        }
        expect(dependsOn(r, release, r.one("eks:index:Cluster"))).to.equal(true);
        expect(dependsOn(r, release, r.one("awsx:ec2:Vpc"))).to.equal(true);
        // Every other chart creates Services, which the controller's webhook admits: they wait for it.
        for (const other of ["karpenter", "metrics-server", "external-secrets", "kube-prometheus-stack"]) expect(dependsOn(r, releaseNamed(r, other), release), other).to.equal(true);
        expect(dependsOn(r, release, namespaces[0])).to.equal(false);
    });

    describe("the team guard", () => {
        const policy = loadBalancerGuardPolicy();
        const request = (resource: string, object: object, team = "payments", username = "alice") =>
            admit(policy, {
                request: { operation: "CREATE", resource: { resource }, userInfo: { username, groups: [`envstack:team:${team}`] } },
                object,
                oldObject: null,
                namespaceObject: { metadata: { name: team, labels: { "envstack.io/team": team } } },
            });
        const ingress = (annotations: Record<string, string>) => ({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "web", annotations }, spec: { ingressClassName: "alb" } });

        it("admits a team's Ingress in its own group, or none", async () => {
            expect(await request("ingresses", ingress({}))).to.equal("admitted");
            expect(await request("ingresses", ingress({ "alb.ingress.kubernetes.io/group.name": "payments" }))).to.equal("admitted");
            expect(await request("ingresses", ingress({ "alb.ingress.kubernetes.io/group.name": "payments.public" }))).to.equal("admitted");
            expect(await request("ingresses", ingress({ "alb.ingress.kubernetes.io/actions.web": '{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"web","servicePort":80}]}}' }))).to.equal("admitted");
        });

        it("refuses another team's group, a prefix that only looks like its own, a forward to a target group ARN, and TargetGroupBindings", async () => {
            expect(await request("ingresses", ingress({ "alb.ingress.kubernetes.io/group.name": "storefront" }))).not.to.equal("admitted");
            expect(await request("ingresses", ingress({ "alb.ingress.kubernetes.io/group.name": "payments-x" }))).not.to.equal("admitted");
            const arn = "arn:aws:elasticloadbalancing:eu-west-1:777788889999:targetgroup/k8s-storefront/0123456789abcdef";
            expect(await request("ingresses", ingress({ "alb.ingress.kubernetes.io/actions.steal": `{"type":"forward","forwardConfig":{"targetGroups":[{"targetGroupARN":"${arn}"}]}}` }))).not.to.equal("admitted");
            expect(await request("ingresses", ingress({ "alb.ingress.kubernetes.io/actions.steal": `{"type":"forward","TargetGroupArn":"${arn}"}` }))).not.to.equal("admitted");
            const binding = { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: "steal" }, spec: { targetGroupARN: arn, serviceRef: { name: "web", port: 80 } } };
            expect(await request("targetgroupbindings", binding)).to.deep.equal(["TargetGroupBindings are refused in team namespaces: expose pods through a Service or an Ingress (the controller writes its own)"]);
            // By name, in a condition, or spelt with a JSON escape.
            expect(await request("ingresses", ingress({ "alb.ingress.kubernetes.io/actions.steal": '{"type":"forward","forwardConfig":{"targetGroups":[{"targetGroupName":"k8s-storefront"}]}}' }))).not.to.equal("admitted");
            expect(await request("ingresses", ingress({ "alb.ingress.kubernetes.io/actions.steal": `{"type":"forward","targetGroup\\u0041RN":"${arn}"}` }))).not.to.equal("admitted");
            expect(await request("ingresses", ingress({ "alb.ingress.kubernetes.io/conditions.steal": `[{"field":"host-header","targetGroupARN":"${arn}"}]` }))).not.to.equal("admitted");
        });

        it("admits the TargetGroupBindings the controller writes for a team's Services and Ingresses", async () => {
            const binding = { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: "k8s-payments-web" }, spec: { targetGroupARN: "arn:aws:elasticloadbalancing:eu-west-1:777788889999:targetgroup/k8s-payments/0123456789abcdef", serviceRef: { name: "web", port: 80 } } };
            expect(await request("targetgroupbindings", binding, "payments", "system:serviceaccount:kube-system:aws-load-balancer-controller")).to.equal("admitted");
            expect(await request("targetgroupbindings", binding, "payments", "system:serviceaccount:payments:aws-load-balancer-controller")).not.to.equal("admitted");
        });

        it("is created with the controller, after its release", () => {
            const r = plans.dev.registered;
            const vap = r.ofType("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").find((p) => (p.inputs as any).metadata.name === "envstack-team-load-balancer-guard")!;
            expect(vap.dependencies).to.include(releaseNamed(r, "aws-load-balancer-controller").urn);
            // Team namespaces wait for it: no team object exists that the guard has not seen.
            for (const ns of r.ofType("kubernetes:core/v1:Namespace").filter((n) => (n.inputs as any).metadata?.labels?.["envstack.io/team"])) expect(dependsOn(r, ns, vap), ns.name).to.equal(true);
        });
    });

    it("turned off in a stack, removes exactly its own resources", async () => {
        const base = resolveEnvironmentConfig(validInput("dev")).platform;
        const { removed, added } = await difference("dev", base, { ...base, loadBalancerController: { enabled: false, replicas: 1 } });
        expect(added).to.deep.equal([]);
        expect(removed.map((n) => n.split("::")[0])).to.have.members([
            "envstack:index:LoadBalancerController",
            "aws:iam/role:Role",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:eks/podIdentityAssociation:PodIdentityAssociation",
            "kubernetes:helm.sh/v3:Release",
            "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
            "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
        ]);
        expect(removed.every((n) => n.includes("load-balancer"))).to.equal(true);
    });

    it("used on its own, refuses bad arguments before registering anything", async () => {
        let thrown: Error | undefined;
        const registered = await register(() => {
            const ctx = context();
            try {
                new LoadBalancerController("lbc", { replicas: 2, clusterName: "acme-dev", region: "eu-west-1", accountId: "111122223333", vpcId: "vpc-XYZ", versions: ctx.config.versions, k8sProvider: ctx.provider, tags: {} });
            } catch (err) {
                thrown = err as Error;
            }
        });
        expect(thrown?.message).to.include('vpcId: got "vpc-XYZ"; allowed: a VPC id like vpc-0123456789abcdef0');
        expect(registered.all.map((r) => r.name).filter((n) => !CONTEXT_NAMES.includes(n))).to.deep.equal([]);
    });
});
