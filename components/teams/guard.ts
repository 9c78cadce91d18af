import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { guardBinding, networkGuardPolicy } from "./admission";
import { exposureGuardPolicy } from "./exposure";
import { EXPOSURE_GUARD_NAME, MONITORING_GUARD_NAME } from "./labels";
import { monitoringGuardPolicy } from "./monitoringGuard";
import { checkTeamNetworkGuardArguments } from "./args";

/** Where the guard runs. */
export interface TeamNetworkGuardArgs {
    /** Provider for the cluster the team namespaces are in. */
    k8sProvider: k8s.Provider;
    /** The VPC's range: in namespaces with restricted egress, NetworkPolicies may admit addresses from it only (without it, none). */
    vpcCidr?: string;
}

/**
 * The admission guards of team namespaces, once per cluster: every namespace with the team label
 * is covered. NetworkPolicies (isolation), Services and Ingresses (exposure), and monitors and
 * rules (Prometheus tenancy). `Environment` creates it when it has teams; a program that uses
 * `Team` on its own creates one beside its teams.
 */
export class TeamNetworkGuard extends pulumi.ComponentResource {
    /** The ValidatingAdmissionPolicy for NetworkPolicies. */
    readonly policy: k8s.admissionregistration.v1.ValidatingAdmissionPolicy;
    /** Its binding, which makes it deny. */
    readonly binding: k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
    /** The policies for Services and Ingresses, and for monitors and rules, with their bindings. */
    readonly others: k8s.admissionregistration.v1.ValidatingAdmissionPolicy[];

    constructor(name: string, args: TeamNetworkGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        checkTeamNetworkGuardArguments(args);
        super("envstack:index:TeamNetworkGuard", name, {}, opts);
        // Up to 0.1.0 the policy and binding were children of the Environment; the alias keeps their URNs.
        const moved = opts?.parent ? { aliases: [{ parent: opts.parent }] } : {};
        const onCluster = { parent: this, provider: args.k8sProvider };
        const guard = (suffix: string, policyName: string, policy: object, extra: pulumi.CustomResourceOptions = {}) => {
            const created = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(`${name}-${suffix}`, policy as k8s.admissionregistration.v1.ValidatingAdmissionPolicyArgs, { ...onCluster, ...extra });
            const binding = new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(`${name}-${suffix}`, guardBinding(policyName) as k8s.admissionregistration.v1.ValidatingAdmissionPolicyBindingArgs, {
                ...onCluster,
                ...extra,
                dependsOn: [created],
            });
            return { created, binding };
        };
        const network = guard("team-network-guard", networkGuardPolicy(args.vpcCidr).metadata!.name!, networkGuardPolicy(args.vpcCidr), moved);
        this.policy = network.created;
        this.binding = network.binding;
        this.others = [guard("team-exposure-guard", EXPOSURE_GUARD_NAME, exposureGuardPolicy()).created, guard("team-monitoring-guard", MONITORING_GUARD_NAME, monitoringGuardPolicy()).created];
        this.registerOutputs({});
    }
}
