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

        it("evasion: a binding embedded in an object whose controller creates it: a Crossplane Object's manifest, a Kyverno generate rule's data", async () => {
            const binding = { roleRef: { ...rbac, kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ ...rbac, kind: "Group", name: "team-a" }] };
            const report = await evaluate(() => {
                new k8s.apiextensions.CustomResource("object", {
                    apiVersion: "kubernetes.crossplane.io/v1alpha2",
                    kind: "Object",
                    metadata: { name: "admin", namespace: "team-a" },
                    spec: { forProvider: { manifest: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "admin" }, ...binding } } },
                });
                new k8s.apiextensions.CustomResource("kyverno", {
                    apiVersion: "kyverno.io/v1",
                    kind: "ClusterPolicy",
                    metadata: { name: "bootstrap" },
                    spec: { rules: [{ name: "admins", match: { any: [{ resources: { kinds: ["Namespace"] } }] }, generate: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", name: "admins", namespace: "kube-system", data: binding } }] },
                });
            }, { only: BINDINGS });
            expectViolations(report, BINDINGS, [
                "object: ClusterRoleBinding admin (created by Object team-a/admin) grants cluster-admin to Group:team-a, which config does not allow",
                "kyverno: RoleBinding kube-system/admins (created by ClusterPolicy bootstrap) grants cluster-admin to Group:team-a, which config does not allow",
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

        it("evasion: an aggregationRule that picks built-in roles, or a role of the stack that can escalate", async () => {
            const build = () => {
                new k8s.rbac.v1.ClusterRole("ops", { metadata: { name: "ops" }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "kubernetes.io/bootstrapping": "rbac-defaults" } }] }, rules: [] });
                clusterRoleBinding("ops", "ops", [{ ...rbac, kind: "Group", name: "team-a:developers" }]);
                new k8s.rbac.v1.ClusterRole("granter", { metadata: { name: "granter", labels: { "acme.example/ops": "true" } }, rules: [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind"] }] });
                new k8s.rbac.v1.ClusterRole("ops-own", { metadata: { name: "ops-own" }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "acme.example/ops": "true" } }] } });
                clusterRoleBinding("ops-own", "ops-own", [{ ...rbac, kind: "Group", name: "team-a:developers" }]);
                // Aggregating the stack's own harmless roles is fine.
                new k8s.rbac.v1.ClusterRole("reader", { metadata: { name: "reader", labels: { "acme.example/read": "true" } }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }] });
                new k8s.rbac.v1.ClusterRole("readers", { metadata: { name: "readers" }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "acme.example/read": "true" } }] } });
                clusterRoleBinding("readers", "readers", [{ ...rbac, kind: "Group", name: "team-a:developers" }]);
                // A role made of admin's pieces is admin: fine in a team's namespace, not cluster-wide.
                new k8s.rbac.v1.ClusterRole("team-admin", { metadata: { name: "team-admin" }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "rbac.authorization.k8s.io/aggregate-to-admin": "true" } }] } });
                new k8s.rbac.v1.RoleBinding("team-admin", { metadata: { name: "team-admin", namespace: "team-a" }, roleRef: { ...rbac, kind: "ClusterRole", name: "team-admin" }, subjects: [{ ...rbac, kind: "Group", name: "team-a:developers" }] });
                clusterRoleBinding("all-admin", "team-admin", [{ ...rbac, kind: "Group", name: "team-a:developers" }]);
            };
            expectViolations(await evaluate(build, { only: BINDINGS }), BINDINGS, [
                "ops: ClusterRoleBinding ops grants ClusterRole ops (aggregates every ClusterRole labelled kubernetes.io/bootstrapping=rbac-defaults: roles the stack does not declare, cluster-admin possibly among them) to Group:team-a:developers, which config does not allow",
                "all-admin: ClusterRoleBinding all-admin grants ClusterRole team-admin (aggregates what admin aggregates) in every namespace to Group:team-a:developers, which config does not allow",
                "ops-own: ClusterRoleBinding ops-own grants ClusterRole ops-own (aggregates ClusterRole granter: the bind verb(s), with which it can grant itself anything) to Group:team-a:developers, which config does not allow",
            ]);
        });

        it("evasion: admin or edit in a system namespace, built-in system roles bound by name, subjects patched into existing bindings", async () => {
            const report = await evaluate(() => {
                new k8s.rbac.v1.RoleBinding("sys-admin", { metadata: { name: "team-a-admin", namespace: "kube-system" }, roleRef: { ...rbac, kind: "ClusterRole", name: "admin" }, subjects: [{ ...rbac, kind: "Group", name: "team-a:developers" }] });
                const sys = new k8s.Provider("sys", { namespace: "karpenter" });
                new k8s.rbac.v1.RoleBinding("sys-edit", { metadata: { name: "team-a-edit" }, roleRef: { ...rbac, kind: "ClusterRole", name: "edit" }, subjects: [{ ...rbac, kind: "Group", name: "team-a:developers" }] }, { provider: sys });
                clusterRoleBinding("aggregator", "system:controller:clusterrole-aggregation-controller", [{ ...rbac, kind: "Group", name: "team-a:developers" }]);
                // A patch adding subjects keeps the binding's role: the built-in one, or one the program does not show.
                new k8s.rbac.v1.ClusterRoleBindingPatch("masters", { metadata: { name: "cluster-admin" }, subjects: [{ ...rbac, kind: "Group", name: "team-a:developers" }] });
                new k8s.rbac.v1.RoleBindingPatch("existing", { metadata: { name: "existing", namespace: "kube-system" }, subjects: [{ ...rbac, kind: "Group", name: "team-a:developers" }] });
                new k8s.rbac.v1.RoleBindingPatch("team", { metadata: { name: "existing", namespace: "team-a" }, subjects: [{ ...rbac, kind: "Group", name: "team-a:developers" }] });
                // Roles that only read public information give nothing away.
                clusterRoleBinding("discovery", "system:discovery", [{ ...rbac, kind: "Group", name: "team-a:developers" }]);
            }, { only: BINDINGS });
            expectViolations(report, BINDINGS, [
                "sys-admin: RoleBinding kube-system/team-a-admin grants admin in kube-system (a system namespace) to Group:team-a:developers, which config does not allow",
                "sys-edit: RoleBinding team-a-edit grants edit in the provider's default namespace karpenter (a system namespace) to Group:team-a:developers, which config does not allow",
                "masters: ClusterRoleBinding cluster-admin (a patch) grants cluster-admin to Group:team-a:developers, which config does not allow",
                "existing: RoleBinding kube-system/existing (a patch) grants whatever role the existing RoleBinding binds (the program does not show it) to Group:team-a:developers, which config does not allow",
                "aggregator: ClusterRoleBinding aggregator grants ClusterRole system:controller:clusterrole-aggregation-controller (a built-in system role: the control plane's own rights, escalate and secrets among them) to Group:team-a:developers, which config does not allow",
            ]);
        });

        it("evasion: a binding with no namespace under a provider whose kubeconfig context defaults to kube-system", async () => {
            const kubeconfig = JSON.stringify({
                apiVersion: "v1",
                kind: "Config",
                "current-context": "ops",
                contexts: [{ name: "ops", context: { cluster: "c", user: "u", namespace: "kube-system" } }],
                clusters: [{ name: "c", cluster: { server: "https://example.com" } }],
                users: [{ name: "u", user: {} }],
            });
            const report = await evaluate(() => {
                const ops = new k8s.Provider("ops", { kubeconfig });
                new k8s.rbac.v1.RoleBinding("ctx-admin", { metadata: { name: "team-a-admin" }, roleRef: { ...rbac, kind: "ClusterRole", name: "admin" }, subjects: [{ ...rbac, kind: "Group", name: "team-a:developers" }] }, { provider: ops });
            }, { only: BINDINGS });
            expectViolations(report, BINDINGS, [
                "ctx-admin: RoleBinding team-a-admin grants admin in the provider's default namespace kube-system (a system namespace) to Group:team-a:developers, which config does not allow",
            ]);
        });

        it("evasion: roles with their verbs spelled out instead of *: every verb, exec, secrets, impersonating users", async () => {
            const report = await evaluate(() => {
                new k8s.rbac.v1.ClusterRole("almost-all", { metadata: { name: "almost-all" }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"] }] });
                clusterRoleBinding("almost-all", "almost-all", [{ ...rbac, kind: "Group", name: "team-a" }]);
                new k8s.rbac.v1.ClusterRole("exec", { metadata: { name: "exec" }, rules: [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }] });
                clusterRoleBinding("exec", "exec", [{ ...rbac, kind: "Group", name: "team-a" }]);
                new k8s.rbac.v1.Role("secrets", { metadata: { name: "secrets", namespace: "kube-system" }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }] });
                new k8s.rbac.v1.RoleBinding("secrets", { metadata: { name: "secrets", namespace: "kube-system" }, roleRef: { ...rbac, kind: "Role", name: "secrets" }, subjects: [{ ...rbac, kind: "Group", name: "team-a" }] });
                new k8s.rbac.v1.ClusterRole("sudo", { metadata: { name: "sudo" }, rules: [{ apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] }] });
                clusterRoleBinding("sudo", "sudo", [{ ...rbac, kind: "Group", name: "team-a" }]);
                // The same exec rights in a team's own namespace are that team's business.
                new k8s.rbac.v1.RoleBinding("team-exec", { metadata: { name: "team-exec", namespace: "team-a" }, roleRef: { ...rbac, kind: "ClusterRole", name: "exec" }, subjects: [{ ...rbac, kind: "Group", name: "team-a" }] });
            }, { only: BINDINGS });
            expectViolations(report, BINDINGS, [
                "almost-all: ClusterRoleBinding almost-all grants ClusterRole almost-all (every verb on every resource) to Group:team-a, which config does not allow",
                "exec: ClusterRoleBinding exec grants ClusterRole exec (exec into pods) in every namespace to Group:team-a, which config does not allow",
                "secrets: RoleBinding kube-system/secrets grants Role secrets (read access to secrets) in kube-system (a system namespace) to Group:team-a, which config does not allow",
                "sudo: ClusterRoleBinding sudo grants ClusterRole sudo (the impersonate verb(s), with which it can grant itself anything) to Group:team-a, which config does not allow",
            ]);
        });

        it("evasion: takeovers without secrets or pod creation: aws-auth edits, image swaps in running pods, mutating admission policies, PersistentVolumes", async () => {
            const report = await evaluate(() => {
                const team = [{ ...rbac, kind: "Group", name: "team-a" }];
                const role = (name: string, rules: k8s.types.input.rbac.v1.PolicyRule[]) => {
                    new k8s.rbac.v1.Role(name, { metadata: { name, namespace: "kube-system" }, rules });
                    new k8s.rbac.v1.RoleBinding(name, { metadata: { name, namespace: "kube-system" }, roleRef: { ...rbac, kind: "Role", name }, subjects: team });
                };
                const clusterRole = (name: string, rules: k8s.types.input.rbac.v1.PolicyRule[]) => {
                    new k8s.rbac.v1.ClusterRole(name, { metadata: { name }, rules });
                    clusterRoleBinding(name, name, team);
                };
                role("auth-editor", [{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["aws-auth"], verbs: ["get", "patch"] }]);
                role("pod-fixer", [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "update"] }]);
                clusterRole("policy-author", [{ apiGroups: ["admissionregistration.k8s.io"], resources: ["mutatingadmissionpolicybindings"], verbs: ["create"] }]);
                clusterRole("pv-maker", [{ apiGroups: [""], resources: ["persistentvolumes"], verbs: ["get", "create"] }]);
                // Reading them takes nothing over.
                clusterRole("reader", [{ apiGroups: [""], resources: ["configmaps", "pods", "persistentvolumes"], verbs: ["get", "list", "watch"] }]);
            }, { only: BINDINGS });
            expectViolations(report, BINDINGS, [
                "auth-editor: RoleBinding kube-system/auth-editor grants Role auth-editor (configmap writes (aws-auth, controllers' settings)) in kube-system (a system namespace) to Group:team-a, which config does not allow",
                "pod-fixer: RoleBinding kube-system/pod-fixer grants Role pod-fixer (image swaps in running pods) in kube-system (a system namespace) to Group:team-a, which config does not allow",
                "policy-author: ClusterRoleBinding policy-author grants ClusterRole policy-author (mutating admission policies) in every namespace to Group:team-a, which config does not allow",
                "pv-maker: ClusterRoleBinding pv-maker grants ClusterRole pv-maker (persistent volume writes (hostPath volumes)) in every namespace to Group:team-a, which config does not allow",
            ]);
        });

        it("evasion: declaring a ClusterRole under a built-in name replaces the built-in one; labels patched onto one feed it into others", async () => {
            const report = await evaluate(() => {
                new k8s.rbac.v1.ClusterRole("basic-user", { metadata: { name: "system:basic-user", annotations: { "pulumi.com/patchForce": "true" } }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] });
                new k8s.rbac.v1.ClusterRole("view", { metadata: { name: "view" }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }] });
                // Labels patched onto a built-in role feed its rules into others.
                new k8s.rbac.v1.ClusterRolePatch("admin-into-view", { metadata: { name: "cluster-admin", labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } } });
                new k8s.rbac.v1.ClusterRolePatch("edit-labelled", { metadata: { name: "edit", labels: { "acme.example/ops": "true" } } });
                new k8s.rbac.v1.ClusterRole("ops", { metadata: { name: "ops" }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "acme.example/ops": "true" } }] } });
                clusterRoleBinding("ops", "ops", [{ ...rbac, kind: "Group", name: "team-a" }]);
            }, { only: BINDINGS });
            expectViolations(report, BINDINGS, [
                "basic-user: ClusterRole system:basic-user gives every verb on every resource to everyone bound to the built-in role it replaces",
                "view: ClusterRole view gives read access to secrets to everyone bound to the built-in role it replaces",
                "admin-into-view: ClusterRole cluster-admin (a patch) gives cluster-admin to everyone bound to the roles it aggregates into",
                "ops: ClusterRoleBinding ops grants ClusterRole ops (aggregates ClusterRole edit: edit) in every namespace to Group:team-a, which config does not allow",
            ]);
        });

        it("evasion: a workload or a token Secret as a service account of a system namespace", async () => {
            const build = () => {
                const template = { metadata: { labels: { app: "helper" } }, spec: { serviceAccountName: "clusterrole-aggregation-controller", containers: [{ name: "c", image: "busybox" }] } };
                new k8s.apps.v1.Deployment("helper", { metadata: { name: "helper", namespace: "kube-system" }, spec: { selector: { matchLabels: { app: "helper" } }, template } });
                new k8s.core.v1.Secret("agg-token", { metadata: { name: "agg-token", namespace: "kube-system", annotations: { "kubernetes.io/service-account.name": "clusterrole-aggregation-controller" } }, type: "kubernetes.io/service-account-token" });
                // The same in a team's namespace is fine.
                new k8s.apps.v1.Deployment("team", { metadata: { name: "team", namespace: "team-a" }, spec: { selector: { matchLabels: { app: "helper" } }, template } });
            };
            expectViolations(await evaluate(build, { only: BINDINGS }), BINDINGS, [
                "helper: Deployment kube-system/helper runs as ServiceAccount:kube-system/clusterrole-aggregation-controller in kube-system (a system namespace), which config does not allow: its pods act with that account's rights and can mount any Secret there",
                "agg-token: Secret kube-system/agg-token asks for a long-lived token of ServiceAccount:kube-system/clusterrole-aggregation-controller in kube-system (a system namespace), which config does not allow: the token lands in the stack's state",
            ]);
            const allowed = { [BINDINGS]: { allowedSubjects: ["ServiceAccount:kube-system/clusterrole-aggregation-controller"] } };
            expectViolations(await evaluate(build, { only: BINDINGS, config: allowed }), BINDINGS, []);
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
            }, { only: EKS_ADMIN, config: { [EKS_ADMIN]: { allowClusterCreatorAdmin: true } } });
            expectViolations(report, EKS_ADMIN, [
                'cluster: accessEntries.ops: "arn:aws:iam::111122223333:role/ops" gets AmazonEKSClusterAdminPolicy (cluster scope); allowed principals: none',
                'cluster: "arn:aws:iam::111122223333:role/legacy" gets system:masters (roleMappings); allowed principals: none',
                'aws-auth: ConfigMap kube-system/aws-auth (a patch): "arn:aws:iam::111122223333:role/sneaky" gets system:masters (aws-auth mapRoles); allowed principals: none',
                "aws-auth: ConfigMap kube-system/aws-auth (a patch): data.mapUsers cannot be read as a list of mappings, so its grants cannot be checked",
            ]);
        });

        it("evasion: aws-auth keys in another case, and an aws-auth that lands in kube-system through its provider", async () => {
            const report = await evaluate(() => {
                new k8s.core.v1.ConfigMapPatch("cased", {
                    metadata: { name: "aws-auth", namespace: "kube-system" },
                    data: { mapRoles: "- RoleARN: arn:aws:iam::999999999999:role/outsider\n  Username: outsider\n  Groups:\n  - system:masters\n" },
                });
                const sys = new k8s.Provider("sys", { namespace: "kube-system" });
                new k8s.core.v1.ConfigMapPatch("unnamespaced", { metadata: { name: "aws-auth" }, data: { mapRoles: "- rolearn: arn:aws:iam::999999999999:role/other\n  groups: [system:masters]\n" } }, { provider: sys });
                // An aws-auth in a team namespace authenticates nobody.
                const team = new k8s.Provider("team", { namespace: "team-a" });
                new k8s.core.v1.ConfigMap("decoy", { metadata: { name: "aws-auth" }, data: { mapRoles: "- rolearn: arn:aws:iam::999999999999:role/other\n  groups: [system:masters]\n" } }, { provider: team });
            }, { only: EKS_ADMIN });
            expectViolations(report, EKS_ADMIN, [
                'cased: ConfigMap kube-system/aws-auth (a patch): "arn:aws:iam::999999999999:role/outsider" gets system:masters (aws-auth mapRoles); allowed principals: none',
                'unnamespaced: ConfigMap aws-auth (a patch): "arn:aws:iam::999999999999:role/other" gets system:masters (aws-auth mapRoles); allowed principals: none',
            ]);
        });

        it("evasion: aws-auth mappings read otherwise by aws-iam-authenticator (go-yaml): a merge key over groups, a repeated key", async () => {
            const report = await evaluate(() => {
                new k8s.core.v1.ConfigMap("aws-auth", {
                    metadata: { name: "aws-auth", namespace: "kube-system" },
                    data: {
                        mapRoles: "- rolearn: arn:aws:iam::111122223333:role/ci\n  username: ci\n  groups: [viewers]\n  <<: {groups: ['system:masters']}\n",
                        mapUsers: "- userarn: arn:aws:iam::111122223333:user/ops\n  groups: [viewers]\n  groups: ['system:masters']\n",
                    },
                });
            }, { only: EKS_ADMIN });
            const unreadable = (field: string, why: string) => `aws-auth: ConfigMap kube-system/aws-auth: data.${field} cannot be read as aws-iam-authenticator reads it: ${why}, which go-yaml resolves otherwise than the guardrails could`;
            expectViolations(report, EKS_ADMIN, [unreadable("mapRoles", "a merge key (<<) is used"), unreadable("mapUsers", "a key is repeated in one mapping")]);
        });

        it("evasion: AmazonEKSAdminPolicy on kube-system (or kube-*), AmazonEKSAdminViewPolicy cluster-wide", async () => {
            const outsider = "arn:aws:iam::999999999999:role/outsider";
            const report = await evaluate(() => {
                association("sys-admin", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy", outsider, { type: "namespace", namespaces: ["kube-system"] });
                association("wild-admin", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", outsider, { type: "namespace", namespaces: ["kube-*"] });
                association("reader", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy", outsider);
                association("viewer", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", outsider);
            }, { only: EKS_ADMIN });
            expectViolations(report, EKS_ADMIN, [
                `sys-admin: "${outsider}" gets AmazonEKSAdminPolicy on namespace kube-system, a system namespace; allowed principals: none`,
                `wild-admin: "${outsider}" gets AmazonEKSEditPolicy on namespace kube-* (kube-system among them), a system namespace; allowed principals: none`,
                `reader: "${outsider}" gets AmazonEKSAdminViewPolicy at cluster scope; allowed principals: none`,
            ]);
        });

        it("evasion: AmazonEKSEditPolicy on the namespaces of GitOps, certificate, admission and mesh controllers", async () => {
            const outsider = "arn:aws:iam::999999999999:role/outsider";
            const report = await evaluate(() => {
                association("gitops-edit", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", outsider, { type: "namespace", namespaces: ["flux-system", "argocd"] });
                association("mesh-edit", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", outsider, { type: "namespace", namespaces: ["istio-system"] });
                association("team-edit", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", outsider, { type: "namespace", namespaces: ["payments"] });
            }, { only: EKS_ADMIN });
            expectViolations(report, EKS_ADMIN, [
                `gitops-edit: "${outsider}" gets AmazonEKSEditPolicy on namespace flux-system, a system namespace; allowed principals: none`,
                `mesh-edit: "${outsider}" gets AmazonEKSEditPolicy on namespace istio-system, a system namespace; allowed principals: none`,
            ]);
        });

        it("evasion: a cluster that makes the identity that deploys it admin (bootstrapClusterCreatorAdminPermissions)", async () => {
            const cluster = (name: string, bootstrap?: boolean, opts?: object) =>
                new aws.eks.Cluster(name, { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-1"] }, accessConfig: { authenticationMode: "API", ...(bootstrap === undefined ? {} : { bootstrapClusterCreatorAdminPermissions: bootstrap }) } }, opts);
            const build = () => {
                cluster("side", true);
                cluster("defaulted");
                cluster("off", false);
                const deployer = new aws.Provider("platform", { region: "eu-west-1", assumeRoles: [{ roleArn: PLATFORM }] });
                cluster("by-platform", true, { provider: deployer });
                new eks.Cluster("component", { skipDefaultNodeGroup: true });
            };
            const how = "accessConfig.bootstrapClusterCreatorAdminPermissions, true unless set to false";
            const creatorAdmin = (name: string) => `${name}: the identity that deploys (not named by the program's AWS provider) gets AmazonEKSClusterAdminPolicy on the cluster it creates (${how}); allowed principals: ${PLATFORM}`;
            // The knob admits only @pulumi/eks, which cannot turn it off; a cluster declared directly can.
            const config = { [EKS_ADMIN]: { allowedPrincipals: [PLATFORM], allowClusterCreatorAdmin: true } };
            expectViolations(await evaluate(build, { only: EKS_ADMIN, config }), EKS_ADMIN, [creatorAdmin("side"), creatorAdmin("defaulted")]);
            expectViolations(await evaluate(build, { only: EKS_ADMIN, config: { [EKS_ADMIN]: { allowedPrincipals: [PLATFORM] } } }), EKS_ADMIN, [
                creatorAdmin("side"),
                creatorAdmin("defaulted"),
                `component: the identity that deploys (not named by the program's AWS provider) gets AmazonEKSClusterAdminPolicy on the cluster it creates (@pulumi/eks always sets bootstrapClusterCreatorAdminPermissions); allowed principals: ${PLATFORM}`,
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
