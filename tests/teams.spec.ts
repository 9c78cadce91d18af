import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import type { IValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { ILimitRange } from "kubernetes-models/v1/LimitRange";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { expect } from "chai";
import { admit } from "./cel";
import { Environment, EnvironmentInput, TEAM_PRESETS } from "../components";
import type { RecordedResource } from "../plan/engine";
import { json, register, Registered, validInput } from "./harness";
import { simulate } from "./iam";
import { isAllowed, OUTSIDE, pod } from "./netpol";

const K = {
    namespace: "kubernetes:core/v1:Namespace",
    quota: "kubernetes:core/v1:ResourceQuota",
    limits: "kubernetes:core/v1:LimitRange",
    netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    binding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    vap: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
    vapBinding: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
};

import { ANALYTICS, PAYMENTS } from "./teamFixtures";

function withTeams(tier: "dev" | "prod", extra: object = {}): EnvironmentInput {
    return {
        ...validInput(tier),
        storage: { extraClasses: [{ name: "io2-db", type: "io2", iops: 16000 }], staticVolumes: [{ name: "ledger", namespace: "payments", accessMode: "ReadWriteOnce", capacity: "200Gi", ebs: { volumeId: "vol-0123456789abcdef0", availabilityZone: "eu-west-1b" } }] },
        observability: { prometheus: { enabled: true } },
        teams: [PAYMENTS, ANALYTICS],
        ...extra,
    } as EnvironmentInput;
}

/** A registered resource's inputs, as the plain object the program passed. */
const I = (r: RecordedResource): any => r.inputs;
const inNamespace = (r: Registered, type: string, namespace: string) => r.ofType(type).filter((x) => I(x).metadata?.namespace === namespace);
const teamNamespaces = (r: Registered) => r.ofType(K.namespace).filter((n) => I(n).metadata.labels?.["envstack.io/team"]);

describe("Teams", () => {
    let dev: Registered;
    let prod: Registered;
    before(async () => {
        dev = await register(() => new Environment("acme-dev", withTeams("dev")));
        // Prometheus off in this one: no monitoring CRDs, so no monitoring Role.
        prod = await register(() => new Environment("acme-prod", { ...withTeams("prod"), teams: [PAYMENTS], observability: { prometheus: { enabled: false } } } as EnvironmentInput));
    });

    it("renders every team object valid against the upstream Kubernetes schemas", async () => {
        const { Namespace } = await import("kubernetes-models/v1/Namespace");
        const { ResourceQuota } = await import("kubernetes-models/v1/ResourceQuota");
        const { LimitRange } = await import("kubernetes-models/v1/LimitRange");
        const { ServiceAccount } = await import("kubernetes-models/v1/ServiceAccount");
        const { NetworkPolicy } = await import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy");
        const { Role } = await import("kubernetes-models/rbac.authorization.k8s.io/v1/Role");
        const { RoleBinding } = await import("kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding");
        const { ValidatingAdmissionPolicy } = await import("kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy");
        const { ValidatingAdmissionPolicyBinding } = await import("kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding");
        const counts: Record<string, number> = {};
        const check = (type: string, validate: (inputs: any) => void) => {
            for (const r of dev.ofType(type)) (validate(I(r)), (counts[type.split(":").pop()!] = (counts[type.split(":").pop()!] ?? 0) + 1));
        };
        for (const n of teamNamespaces(dev)) (new Namespace(I(n) as INamespace).validate(), (counts.Namespace = (counts.Namespace ?? 0) + 1));
        check(K.quota, (i) => new ResourceQuota(i as IResourceQuota).validate());
        check(K.limits, (i) => new LimitRange(i as ILimitRange).validate());
        check(K.serviceAccount, (i) => new ServiceAccount(i as IServiceAccount).validate());
        check(K.netpol, (i) => new NetworkPolicy(i as INetworkPolicy).validate());
        check(K.role, (i) => new Role(i as IRole).validate());
        check(K.binding, (i) => new RoleBinding(i as IRoleBinding).validate());
        check(K.vap, (i) => new ValidatingAdmissionPolicy(i as IValidatingAdmissionPolicy).validate());
        check(K.vapBinding, (i) => new ValidatingAdmissionPolicyBinding(i as IValidatingAdmissionPolicyBinding).validate());
        // Two teams; payments open (5 policies), analytics restricted (4); monitoring Role and binding for both, plus payments' view; monitoring's own quota, limits and two policies;
        // the team guards: network, exposure, monitoring, and the load balancer controller's.
        expect(counts).to.deep.equal({ Namespace: 2, ResourceQuota: 3, LimitRange: 3, ServiceAccount: 1, NetworkPolicy: 11, Role: 2, RoleBinding: 3, ValidatingAdmissionPolicy: 4, ValidatingAdmissionPolicyBinding: 4 });
        // The validators are not rubber stamps.
        expect(() => new ResourceQuota({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q" }, spec: { hard: { pods: true } } } as never).validate()).to.throw();
        expect(() => new NetworkPolicy({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "n" }, spec: { policyTypes: "Ingress" } } as never).validate()).to.throw();
    });

    it("labels each namespace with its team and environment, and enforces Pod Security at the configured level, pinned to the cluster's version", () => {
        const labels = (name: string) => I(dev.ofType(K.namespace).find((n) => I(n).metadata.name === name)!).metadata.labels;
        const common = { "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/enforce-version": "v1.35", "pod-security.kubernetes.io/warn-version": "v1.35", "pod-security.kubernetes.io/audit-version": "v1.35" };
        expect(labels("payments")).to.deep.include({ "envstack.io/team": "payments", "envstack.io/environment": "acme-dev", "pod-security.kubernetes.io/enforce": "baseline", ...common });
        expect(labels("analytics")).to.deep.include({ "envstack.io/team": "analytics", "envstack.io/environment": "acme-dev", "pod-security.kubernetes.io/enforce": "restricted", "envstack.io/egress": "restricted", ...common });
    });

    it("fences each namespace with the preset's quota, the team's overrides, and storage only in the classes it names (0 in gp2 and the rest)", () => {
        const hard = (ns: string) => I(inNamespace(dev, K.quota, ns)[0]).spec.hard;
        const medium = TEAM_PRESETS.medium.quota;
        expect(hard("payments")).to.deep.equal({
            "requests.cpu": medium.requestsCpu,
            "limits.cpu": medium.limitsCpu,
            "requests.memory": medium.requestsMemory,
            "limits.memory": medium.limitsMemory,
            pods: String(medium.pods),
            services: String(medium.services),
            "services.loadbalancers": String(medium.loadBalancers),
            "count/ingresses.networking.k8s.io": String(medium.loadBalancers),
            persistentvolumeclaims: String(medium.persistentVolumeClaims),
            "count/externalsecrets.external-secrets.io": String(medium.pods),
            "requests.nvidia.com/gpu": "0",
            "requests.storage": "1Ti",
            "gp3.storageclass.storage.k8s.io/requests.storage": "1Ti",
            "efs.storageclass.storage.k8s.io/requests.storage": "500Gi",
            "io2-db.storageclass.storage.k8s.io/requests.storage": "0",
            "gp2.storageclass.storage.k8s.io/requests.storage": "0",
        });
        expect(hard("analytics")).to.deep.include({
            "requests.cpu": "6",
            "limits.cpu": "12",
            "requests.memory": "8Gi",
            pods: "40",
            "io2-db.storageclass.storage.k8s.io/requests.storage": "100Gi",
            "gp2.storageclass.storage.k8s.io/requests.storage": "0",
        });
    });

    it("gives containers default requests and limits, and a per-container maximum", () => {
        const limits = (ns: string) => I(inNamespace(dev, K.limits, ns)[0]).spec.limits;
        expect(limits("payments")).to.deep.equal([{ type: "Container", default: { cpu: "500m", memory: "512Mi" }, defaultRequest: { cpu: "100m", memory: "128Mi" }, max: { cpu: "8", memory: "16Gi" } }]);
        expect(limits("analytics")[0].max).to.deep.equal({ cpu: "2", memory: "6Gi" });
    });

    it("lets traffic through exactly as listed: same namespace and Prometheus in, DNS out, other egress only where open", () => {
        const policies = dev.ofType(K.netpol).map((p) => I(p) as INetworkPolicy);
        const allowed = (from: ReturnType<typeof pod>, to: ReturnType<typeof pod>, port: number, protocol: "TCP" | "UDP" = "TCP") => isAllowed(policies, { from, to, port, protocol });
        const payments = pod("payments");
        const analytics = pod("analytics");
        const prometheus = pod("monitoring", { "app.kubernetes.io/name": "prometheus" });
        const grafana = pod("monitoring", { "app.kubernetes.io/name": "grafana" });
        const coredns = pod("kube-system", { "k8s-app": "kube-dns" });
        const otherSystemPod = pod("kube-system", { app: "metrics-server" });
        const table: [string, boolean, boolean][] = [
            ["payments -> payments :8080", allowed(payments, pod("payments", { app: "api" }), 8080), true],
            ["analytics -> analytics :8080", allowed(analytics, pod("analytics", { app: "db" }), 8080), true],
            ["analytics -> payments :8080", allowed(analytics, payments, 8080), false],
            ["payments -> analytics :8080", allowed(payments, analytics, 8080), false],
            ["kube-system pod -> payments :8080", allowed(otherSystemPod, payments, 8080), false],
            ["prometheus -> payments :9090", allowed(prometheus, payments, 9090), true],
            ["prometheus -> analytics :9090", allowed(prometheus, analytics, 9090), true],
            ["grafana -> payments :9090", allowed(grafana, payments, 9090), false],
            ["payments -> coredns udp/53", allowed(payments, coredns, 53, "UDP"), true],
            ["analytics -> coredns udp/53", allowed(analytics, coredns, 53, "UDP"), true],
            ["analytics -> coredns tcp/53", allowed(analytics, coredns, 53), true],
            ["analytics -> coredns tcp/9153", allowed(analytics, coredns, 9153), false],
            ["analytics -> kube-system pod udp/53", allowed(analytics, otherSystemPod, 53, "UDP"), false],
            ["payments -> internet :443", allowed(payments, OUTSIDE, 443), true],
            ["analytics -> internet :443", allowed(analytics, OUTSIDE, 443), false],
            ["analytics -> grafana :3000", allowed(analytics, grafana, 3000), false],
            ["outside -> payments :8080", allowed(OUTSIDE, payments, 8080), false],
        ];
        expect(table.filter(([, got, want]) => got !== want).map(([what]) => what)).to.deep.equal([]);
    });

    it("gives the team's role Edit rights in its namespace only, through an access entry in the team's group", () => {
        const entry = dev.one("aws:eks/accessEntry:AccessEntry", "acme-dev-payments-access");
        expect(I(entry)).to.deep.include({ clusterName: "acme-dev", principalArn: PAYMENTS.roleArn, type: "STANDARD", kubernetesGroups: ["envstack:team:payments"] });
        const association = dev.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "acme-dev-payments-edit");
        expect(I(association)).to.deep.equal({
            clusterName: "acme-dev",
            principalArn: PAYMENTS.roleArn,
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
            accessScope: { type: "namespace", namespaces: ["payments"] },
        });
        expect(dev.dependencyNames(association)).to.include("acme-dev-payments-access");
        // No team role reaches cluster scope.
        const teamRoles = [PAYMENTS.roleArn, ANALYTICS.roleArn];
        const teamAssociations = dev.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation").filter((a) => teamRoles.includes(I(a).principalArn));
        expect(teamAssociations.map((a) => I(a).accessScope)).to.deep.equal([
            { type: "namespace", namespaces: ["payments"] },
            { type: "namespace", namespaces: ["analytics"] },
        ]);
    });

    it("binds extra ClusterRoles and the monitoring Role to the team's group inside the namespace", () => {
        const bindings = inNamespace(dev, K.binding, "payments").map((b) => ({ role: I(b).roleRef, subjects: I(b).subjects }));
        const group = [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "envstack:team:payments" }];
        expect(bindings).to.have.deep.members([
            { role: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "envstack-team-monitoring" }, subjects: group },
            { role: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: group },
        ]);
        const role = I(inNamespace(dev, K.role, "payments")[0]) as IRole;
        expect(role.rules).to.deep.equal([{ apiGroups: ["monitoring.coreos.com"], resources: ["servicemonitors", "podmonitors", "prometheusrules"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }]);
        // Without Prometheus no monitoring Role; prod runs the External Secrets Operator, whose Role lets members manage ExternalSecrets.
        expect(prod.ofType(K.role).map((r) => I(r).metadata.name)).to.deep.equal(["envstack-team-secrets"]);
        // ...and Argo CD's controller and server may edit the namespace (tests/gitops.spec.ts).
        expect(prod.ofType(K.binding).map((b) => I(b).roleRef.name)).to.have.members(["view", "envstack-team-secrets", "edit"]);
    });

    it("trusts a service account's role to that namespace and service account on this cluster only (simulated)", async () => {
        const role = dev.one("aws:iam/role:Role", "acme-dev-payments-ledger-exporter");
        const trust = json(I(role).assumeRolePolicy);
        expect(trust.Statement).to.have.length(1);
        expect(trust.Statement[0].Condition).to.deep.equal({
            StringEquals: {
                "aws:SourceAccount": "111122223333",
                "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:eu-west-1:111122223333:cluster/acme-dev",
                "aws:RequestTag/kubernetes-namespace": "payments",
                "aws:RequestTag/kubernetes-service-account": "ledger-exporter",
            },
        });
        const assume = (namespace: string, serviceAccount: string, cluster = "acme-dev", account = "111122223333") =>
            simulate([], {
                action: "sts:AssumeRole",
                resource: role.outputs.arn as string,
                principal: "pods.eks.amazonaws.com",
                resourcePolicy: trust,
                context: {
                    "aws:SourceAccount": account,
                    "aws:RequestTag/eks-cluster-arn": `arn:aws:eks:eu-west-1:${account}:cluster/${cluster}`,
                    "aws:RequestTag/kubernetes-namespace": namespace,
                    "aws:RequestTag/kubernetes-service-account": serviceAccount,
                },
            });
        expect(await assume("payments", "ledger-exporter")).to.equal("Allowed");
        expect(await assume("analytics", "ledger-exporter")).to.equal("ImplicitlyDenied");
        expect(await assume("payments", "default")).to.equal("ImplicitlyDenied");
        expect(await assume("payments", "ledger-exporter", "acme-staging")).to.equal("ImplicitlyDenied");
        expect(await assume("payments", "ledger-exporter", "acme-dev", "999988887777")).to.equal("ImplicitlyDenied");

        const association = dev.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "acme-dev-payments-ledger-exporter");
        expect(I(association)).to.deep.include({ clusterName: "acme-dev", namespace: "payments", serviceAccount: "ledger-exporter", roleArn: role.outputs.arn });
        expect(dev.dependencyNames(association)).to.include.members(["acme-dev-payments-ledger-exporter", "acme-dev-eks-pod-identity-agent"]);
    });

    it("grants the service account's role exactly its statements (simulated)", async () => {
        const policy = json(I(dev.one("aws:iam/rolePolicy:RolePolicy", "acme-dev-payments-ledger-exporter")).policy);
        const can = (action: string, resource: string) => simulate([policy], { action, resource, account: "111122223333" });
        expect(await can("s3:GetObject", "arn:aws:s3:::acme-ledger/payments/2026/11/day.csv")).to.equal("Allowed");
        expect(await can("s3:ListBucket", "arn:aws:s3:::acme-ledger")).to.equal("Allowed");
        expect(await can("s3:GetObject", "arn:aws:s3:::acme-ledger/analytics/x.csv")).to.equal("ImplicitlyDenied");
        expect(await can("s3:DeleteObject", "arn:aws:s3:::acme-ledger/payments/x.csv")).to.equal("ImplicitlyDenied");
    });

    it("keeps members off envstack's NetworkPolicies, and from allowing egress, or ingress from outside the VPC, where config closed it (admission CEL evaluated)", async () => {
        const policy = I(dev.one(K.vap, "acme-dev-team-network-guard")) as IValidatingAdmissionPolicy;
        expect(policy.spec!.matchConstraints!.namespaceSelector).to.deep.equal({ matchExpressions: [{ key: "envstack.io/team", operator: "Exists" }] });
        expect(I(dev.one(K.vapBinding, "acme-dev-team-network-guard")).spec).to.deep.equal({ policyName: policy.metadata!.name, validationActions: ["Deny"] });
        const guarded = I(inNamespace(dev, K.netpol, "analytics").find((p) => I(p).metadata.name === "default-deny")!);
        const openEgress = { metadata: { name: "mine" }, spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{}] } };
        const ingressOnly = { metadata: { name: "mine" }, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] } };
        const ingressFrom = (...cidrs: string[]) => ({ metadata: { name: "mine" }, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: cidrs.map((cidr) => ({ ipBlock: { cidr } })) }] } });
        const request = (groups: string[], operation: string, namespace: string, object: object | null, oldObject: object | null) =>
            admit(policy, { request: { operation, userInfo: { username: "someone", groups } }, object, oldObject, namespaceObject: namespaceOf(dev, namespace) });
        const verdict = async (...args: Parameters<typeof request>) => {
            const answer = await request(...args);
            return typeof answer === "string" ? answer : "denied";
        };
        const member = ["system:authenticated", "envstack:team:analytics"];
        expect(await verdict(member, "DELETE", "analytics", null, guarded)).to.equal("denied");
        expect(await verdict(member, "UPDATE", "analytics", guarded, guarded)).to.equal("denied");
        expect(await verdict(member, "CREATE", "analytics", openEgress, null)).to.equal("denied");
        expect(await verdict(member, "CREATE", "analytics", ingressOnly, null)).to.equal("admitted");
        // Restricted: ingress from the VPC only; a range split in two does not slip past.
        expect(await verdict(member, "CREATE", "analytics", ingressFrom("10.40.8.0/24"), null)).to.equal("admitted");
        expect(await request(member, "CREATE", "analytics", ingressFrom("0.0.0.0/0"), null)).to.deep.equal(["this namespace is restricted by the environment's config; a NetworkPolicy here may allow ingress from addresses in the VPC (10.40.0.0/16) only"]);
        expect(await verdict(member, "CREATE", "analytics", ingressFrom("0.0.0.0/1", "128.0.0.0/1"), null)).to.equal("denied");
        expect(await verdict(member, "CREATE", "analytics", ingressFrom("10.40.0.0/15"), null)).to.equal("denied");
        expect(await verdict(["envstack:team:payments"], "CREATE", "payments", openEgress, null)).to.equal("admitted");
        expect(await verdict(["envstack:team:payments"], "CREATE", "payments", ingressFrom("0.0.0.0/0"), null)).to.equal("admitted");
        expect(await verdict(["envstack:team:payments"], "DELETE", "payments", null, openEgress)).to.equal("admitted");
        expect(await verdict(["system:authenticated"], "DELETE", "analytics", null, guarded), "admins and controllers").to.equal("not checked");
    });

    it("protects team namespaces in prod, and waits for a namespace before a static volume's claim in it", () => {
        expect(teamNamespaces(prod).map((n) => n.protect)).to.deep.equal([true]);
        expect(teamNamespaces(dev).map((n) => n.protect)).to.deep.equal([false, false]);
        const claim = dev.one("kubernetes:core/v1:PersistentVolumeClaim");
        expect(I(claim).metadata.namespace).to.equal("payments");
        expect(dev.dependencyNames(claim)).to.include("acme-dev-payments");
    });
});

/** A team namespace as registered, for the admission policy's namespaceObject. */
function namespaceOf(r: Registered, name: string) {
    return I(r.ofType(K.namespace).find((n) => I(n).metadata.name === name)!);
}
