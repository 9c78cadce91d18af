import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { readStackConfig } from "../plan/project";
import { policyConfig, POLICY_CONFIG_PRESETS } from "../policy/policies";
import { matchesAny } from "../policy/policies/patterns";
import { evaluate, expectViolations } from "./guardrails";
import { REPO } from "./harness";

const BINDINGS = "cluster-admin-bindings";
const EKS_ADMIN = "eks-cluster-admin-access";
const ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
const PLATFORM = "arn:aws:iam::111122223333:role/platform-admin";

const rbac = { apiGroup: "rbac.authorization.k8s.io" };

function clusterRoleBinding(name: string, role: string, subjects: object[]) {
    return new k8s.rbac.v1.ClusterRoleBinding(name, { metadata: { name }, roleRef: { ...rbac, kind: "ClusterRole", name: role }, subjects: subjects as any });
}

function association(name: string, policyArn: string, principalArn: string, scope: any = { type: "cluster" }) {
    return new aws.eks.AccessPolicyAssociation(name, { clusterName: "c", principalArn, policyArn, accessScope: scope });
}

describe("RBAC guardrails", () => {
    describe("cluster-admin-bindings", () => {
        it("lets namespaced roles through and cluster-admin only to allowed subjects", async () => {
            const build = () => {
                new k8s.rbac.v1.RoleBinding("view", { metadata: { name: "view", namespace: "team-a" }, roleRef: { ...rbac, kind: "ClusterRole", name: "view" }, subjects: [{ ...rbac, kind: "Group", name: "team-a" }] });
                new k8s.rbac.v1.RoleBinding("team-admin", { metadata: { name: "admin", namespace: "team-a" }, roleRef: { ...rbac, kind: "ClusterRole", name: "admin" }, subjects: [{ ...rbac, kind: "Group", name: "team-a" }] });
                clusterRoleBinding("breakglass", "cluster-admin", [{ ...rbac, kind: "Group", name: "platform-breakglass" }]);
            };
            expectViolations(await evaluate(build, { only: BINDINGS }), BINDINGS, [
                "breakglass: ClusterRoleBinding breakglass grants cluster-admin to Group:platform-breakglass, which config does not allow",
            ]);
            expectViolations(await evaluate(build, { only: BINDINGS, config: { [BINDINGS]: { allowedSubjects: ["Group:platform-*"] } } }), BINDINGS, []);
        });

        it("refuses a ClusterRoleBinding to cluster-admin for a group, a user and a service account", async () => {
            const report = await evaluate(() => {
                clusterRoleBinding("god-mode", "cluster-admin", [
                    { ...rbac, kind: "Group", name: "developers" },
                    { ...rbac, kind: "User", name: "alice@example.com" },
                    { kind: "ServiceAccount", name: "deployer", namespace: "ci" },
                ]);
            }, { only: BINDINGS });
            expectViolations(report, BINDINGS, [
                "god-mode: ClusterRoleBinding god-mode grants cluster-admin to Group:developers, which config does not allow",
                "god-mode: ClusterRoleBinding god-mode grants cluster-admin to User:alice@example.com, which config does not allow",
                "god-mode: ClusterRoleBinding god-mode grants cluster-admin to ServiceAccount:ci/deployer, which config does not allow",
            ]);
        });

        it("evasion: a RoleBinding to ClusterRole cluster-admin, admin bound cluster-wide, and a binding inside a ConfigGroup", async () => {
            const report = await evaluate(() => {
                new k8s.rbac.v1.RoleBinding("ns-admin", { metadata: { name: "ns-admin", namespace: "team-a" }, roleRef: { ...rbac, kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "ServiceAccount", name: "app" }] });
                clusterRoleBinding("everywhere", "admin", [{ ...rbac, kind: "Group", name: "team-a" }]);
                new k8s.yaml.v2.ConfigGroup("rbac", {
                    yaml: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: hidden}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects:\n- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: 'system:authenticated'}\n",
                });
            }, { only: BINDINGS });
            expectViolations(report, BINDINGS, [
                "ns-admin: RoleBinding team-a/ns-admin grants cluster-admin to ServiceAccount:team-a/app, which config does not allow",
                "everywhere: ClusterRoleBinding everywhere grants admin in every namespace to Group:team-a, which config does not allow",
                "rbac: ClusterRoleBinding hidden (in a ConfigGroup) grants cluster-admin to Group:system:authenticated, which config does not allow",
            ]);
        });

        it("evasion: a home-made role with every verb on every resource, or with escalate, bound by a separate resource; built-in roles widened by a patch or aggregation", async () => {
            const report = await evaluate(() => {
                new k8s.rbac.v1.ClusterRole("superuser", { metadata: { name: "superuser" }, rules: [{ apiGroups: [""], resources: ["*"], verbs: ["*"] }] });
                clusterRoleBinding("bind-superuser", "superuser", [{ ...rbac, kind: "User", name: "mallory" }]);
                new k8s.rbac.v1.Role("escalator", { metadata: { name: "escalator", namespace: "team-a" }, rules: [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["escalate", "update"] }] });
                new k8s.rbac.v1.RoleBinding("bind-escalator", { metadata: { name: "bind-escalator", namespace: "team-a" }, roleRef: { ...rbac, kind: "Role", name: "escalator" }, subjects: [{ ...rbac, kind: "User", name: "mallory" }] });
                new k8s.rbac.v1.ClusterRolePatch("widen-view", { metadata: { name: "view" }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] });
                new k8s.rbac.v1.ClusterRole("aggregated", { metadata: { name: "aggregated", labels: { "rbac.authorization.k8s.io/aggregate-to-edit": "true" } }, rules: [{ apiGroups: [""], resources: ["users"], verbs: ["impersonate"] }] });
            }, { only: BINDINGS });
            expectViolations(report, BINDINGS, [
                "bind-superuser: ClusterRoleBinding bind-superuser grants ClusterRole superuser (every verb on every resource) to User:mallory, which config does not allow",
                "bind-escalator: RoleBinding team-a/bind-escalator grants Role escalator (the escalate verb(s), with which it can grant itself anything) to User:mallory, which config does not allow",
                "widen-view: ClusterRole view (a patch) gives every verb on every resource to everyone bound to the existing role",
                "aggregated: ClusterRole aggregated gives the impersonate verb(s), with which it can grant itself anything to everyone bound to the roles it aggregates into",
            ]);
        });
    });

    describe("eks-cluster-admin-access", () => {
        it("lets namespaced access policies through and the cluster-admin policy only to allowed principals", async () => {
            const build = () => {
                association("edit", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", "arn:aws:iam::111122223333:role/payments", { type: "namespace", namespaces: ["payments"] });
                association("admin-ns", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy", "arn:aws:iam::111122223333:role/payments", { type: "namespace", namespaces: ["payments"] });
                association("platform", ADMIN_POLICY, PLATFORM);
            };
            expectViolations(await evaluate(build, { only: EKS_ADMIN }), EKS_ADMIN, [`platform: "${PLATFORM}" gets AmazonEKSClusterAdminPolicy (cluster scope); allowed principals: none`]);
            expectViolations(await evaluate(build, { only: EKS_ADMIN, config: { [EKS_ADMIN]: { allowedPrincipals: [PLATFORM] } } }), EKS_ADMIN, []);
        });

        it("refuses the cluster-admin policy at any scope, and AmazonEKSAdminPolicy at cluster scope, for principals config does not name", async () => {
            const report = await evaluate(() => {
                association("ci", ADMIN_POLICY, "arn:aws:iam::111122223333:role/ci-deployer", { type: "namespace", namespaces: ["ci"] });
                association("wide-admin", "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy", "arn:aws:iam::111122223333:role/ops");
            }, { only: EKS_ADMIN, config: { [EKS_ADMIN]: { allowedPrincipals: [PLATFORM] } } });
            expectViolations(report, EKS_ADMIN, [
                `ci: "arn:aws:iam::111122223333:role/ci-deployer" gets AmazonEKSClusterAdminPolicy (namespace scope); allowed principals: ${PLATFORM}`,
                `wide-admin: "arn:aws:iam::111122223333:role/ops" gets AmazonEKSAdminPolicy at cluster scope; allowed principals: ${PLATFORM}`,
            ]);
        });

        it("evasion: @pulumi/eks accessEntries and roleMappings, and an aws-auth ConfigMapPatch mapping a role into system:masters", async () => {
            const report = await evaluate(() => {
                new eks.Cluster("cluster", {
                    skipDefaultNodeGroup: true,
                    accessEntries: { ops: { principalArn: "arn:aws:iam::111122223333:role/ops", accessPolicies: { admin: { policyArn: ADMIN_POLICY, accessScope: { type: "cluster" } } } } },
                    roleMappings: [{ roleArn: "arn:aws:iam::111122223333:role/legacy", username: "legacy", groups: ["system:masters"] }],
                } as any);
                new k8s.core.v1.ConfigMapPatch("aws-auth", {
                    metadata: { name: "aws-auth", namespace: "kube-system" },
                    data: { mapRoles: "- rolearn: arn:aws:iam::111122223333:role/sneaky\n  username: sneaky\n  groups: [system:masters]\n- rolearn: arn:aws:iam::111122223333:role/nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n", mapUsers: "not: [a list" },
                });
            }, { only: EKS_ADMIN });
            expectViolations(report, EKS_ADMIN, [
                'cluster: accessEntries.ops: "arn:aws:iam::111122223333:role/ops" gets AmazonEKSClusterAdminPolicy (cluster scope); allowed principals: none',
                'cluster: "arn:aws:iam::111122223333:role/legacy" gets system:masters (roleMappings); allowed principals: none',
                'aws-auth: ConfigMap kube-system/aws-auth (a patch): "arn:aws:iam::111122223333:role/sneaky" gets system:masters (aws-auth mapRoles); allowed principals: none',
                "aws-auth: ConfigMap kube-system/aws-auth (a patch): data.mapUsers cannot be read as a list of mappings, so its grants cannot be checked",
            ]);
        });

        it("the presets allow exactly the adminRoleArns of envstack's stack of each tier", () => {
            for (const tier of POLICY_CONFIG_PRESETS) {
                const cluster = JSON.parse(readStackConfig(`${REPO}/Pulumi.${tier}.yaml`, "envstack").values["envstack:cluster"]);
                const allowed = (policyConfig(tier)[EKS_ADMIN] as { allowedPrincipals: string[] }).allowedPrincipals;
                expect(allowed, tier).to.deep.equal(cluster.adminRoleArns);
                expect(matchesAny("arn:aws:iam::111122223333:role/someone-else", allowed), tier).to.equal(false);
            }
        });
    });
});
