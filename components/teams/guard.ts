import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { networkGuardBinding, networkGuardPolicy } from "./admission";

/** Where the guard runs. */
export interface TeamNetworkGuardArgs {
    /** Provider for the cluster the team namespaces are in. */
    k8sProvider: k8s.Provider;
}

/**
 * The admission guard for team namespaces, once per cluster: every namespace with the team label
 * is covered. `Environment` creates it when it has teams; a program that uses `Team` on its own
 * creates one beside its teams.
 */
export class TeamNetworkGuard extends pulumi.ComponentResource {
    /** The ValidatingAdmissionPolicy. */
    readonly policy: k8s.admissionregistration.v1.ValidatingAdmissionPolicy;
    /** Its binding, which makes it deny. */
    readonly binding: k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding;

    constructor(name: string, args: TeamNetworkGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("envstack:index:TeamNetworkGuard", name, {}, opts);
        // Up to 0.1.0 the policy and binding were children of the Environment; the alias keeps their URNs.
        const moved = opts?.parent ? { aliases: [{ parent: opts.parent }] } : {};
        const onCluster = { parent: this, provider: args.k8sProvider, ...moved };
        this.policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
            `${name}-team-network-guard`,
            networkGuardPolicy() as k8s.admissionregistration.v1.ValidatingAdmissionPolicyArgs,
            onCluster,
        );
        this.binding = new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
            `${name}-team-network-guard`,
            networkGuardBinding() as k8s.admissionregistration.v1.ValidatingAdmissionPolicyBindingArgs,
            { ...onCluster, dependsOn: [this.policy] },
        );
        this.registerOutputs({});
    }
}
