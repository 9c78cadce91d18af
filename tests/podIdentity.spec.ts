import { expect } from "chai";
import { json, planStack } from "./harness";
import { simulate } from "./iam";

/**
 * Every role a pod assumes through Pod Identity, in every stack, trusts one service account of one
 * cluster of one account: whoever can create a Pod Identity association in the account cannot
 * hand Karpenter's, a driver's, the agent's or Alertmanager's rights to another pod.
 */
describe("Pod Identity trust, for every role in every stack (simulated)", () => {
    for (const stack of ["dev", "staging", "prod"] as const) {
        it(`${stack}: each role is assumable by its own association's service account only`, async () => {
            const plan = await planStack(stack);
            const r = plan.registered;
            const roles = r.ofType("aws:iam/role:Role").filter((role) => JSON.stringify(json(role.inputs.assumeRolePolicy)).includes("pods.eks.amazonaws.com"));
            // Where each role is used: its standalone association, or the add-on's.
            const uses = new Map<string, { namespace: string; serviceAccount: string }>();
            for (const a of r.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation")) uses.set(String(a.inputs.roleArn), { namespace: String(a.inputs.namespace), serviceAccount: String(a.inputs.serviceAccount) });
            const ADDON_NAMESPACES: Record<string, string> = { "aws-ebs-csi-driver": "kube-system", "aws-efs-csi-driver": "kube-system", "amazon-cloudwatch-observability": "amazon-cloudwatch", "vpc-cni": "kube-system" };
            for (const addon of r.ofType("aws:eks/addon:Addon")) {
                for (const a of (addon.inputs.podIdentityAssociations ?? []) as { roleArn: string; serviceAccount: string }[]) {
                    uses.set(a.roleArn, { namespace: ADDON_NAMESPACES[String(addon.inputs.addonName)], serviceAccount: a.serviceAccount });
                }
            }
            expect(roles.length, "Karpenter, the drivers, the agent, Alertmanager (where on), the teams").to.be.at.least(4);
            const account = { dev: "111122223333", staging: "444455556666", prod: "777788889999" }[stack]!;
            const clusterArn = `arn:aws:eks:eu-west-1:${account}:cluster/acme-${stack}`;
            for (const role of roles) {
                const use = uses.get(String(role.outputs.arn));
                expect(use, `${role.name} is used by an association`).to.not.equal(undefined);
                const trust = json(role.inputs.assumeRolePolicy);
                const assume = (over: Partial<Record<"account" | "cluster" | "namespace" | "serviceAccount", string>>) =>
                    simulate([], {
                        action: "sts:AssumeRole",
                        resource: String(role.outputs.arn),
                        principal: "pods.eks.amazonaws.com",
                        resourcePolicy: trust,
                        context: {
                            "aws:SourceAccount": over.account ?? account,
                            "aws:RequestTag/eks-cluster-arn": over.cluster ?? clusterArn,
                            "aws:RequestTag/kubernetes-namespace": over.namespace ?? use!.namespace,
                            "aws:RequestTag/kubernetes-service-account": over.serviceAccount ?? use!.serviceAccount,
                        },
                    });
                expect(await assume({}), role.name).to.equal("Allowed");
                expect(await assume({ cluster: clusterArn.replace(`acme-${stack}`, "other-cluster") }), `${role.name}: another cluster`).to.equal("ImplicitlyDenied");
                expect(await assume({ namespace: "payments-evil" }), `${role.name}: another namespace`).to.equal("ImplicitlyDenied");
                expect(await assume({ serviceAccount: "default" }), `${role.name}: another service account`).to.equal("ImplicitlyDenied");
                expect(await assume({ account: "999988887777" }), `${role.name}: another account`).to.equal("ImplicitlyDenied");
            }
        });
    }
});
