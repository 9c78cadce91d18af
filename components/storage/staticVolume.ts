import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkStaticVolumeArguments } from "./args";
import type { StaticVolumeConfig } from "../config/types";
import { staticPersistentVolume, staticPersistentVolumeClaim } from "./manifests";

export interface StaticVolumeArgs extends StaticVolumeConfig {
    /** Protect the PersistentVolume from deletion by Pulumi (prod). */
    protect?: boolean;
    /** The cluster's AZs; an EBS volume elsewhere is refused. */
    availabilityZones?: string[];
    /** What the volume and claim wait for: the CSI driver, the claim's namespace. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Existing data (an EFS file system or access point, or an EBS volume) mounted into a namespace:
 * a PersistentVolume with the CSI volume handle, no StorageClass and a Retain policy, and a claim
 * bound to it by name. Deleting the claim or the volume object never deletes the data. EFS is
 * mounted with TLS and the CSI node's IAM role: `Storage` lets that role mount the file systems
 * of its config's static volumes; one built alone needs its file system added to the role.
 */
export class StaticVolume extends pulumi.ComponentResource {
    /** The PersistentVolume with the existing data's handle. */
    readonly persistentVolume: k8s.core.v1.PersistentVolume;
    /** The claim pods mount, bound to the volume by name. */
    readonly claim: k8s.core.v1.PersistentVolumeClaim;

    constructor(name: string, args: StaticVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
        checkStaticVolumeArguments(args, opts);
        super("envstack:index:StaticVolume", name, {}, opts);

        const pv = staticPersistentVolume(args);
        // Typed with the upstream schema's interfaces; Pulumi's input types differ only in quantity typing.
        this.persistentVolume = new k8s.core.v1.PersistentVolume(name, pv as unknown as k8s.core.v1.PersistentVolumeArgs, { parent: this, protect: args.protect, dependsOn: args.dependsOn });
        const pvc = staticPersistentVolumeClaim(args);
        this.claim = new k8s.core.v1.PersistentVolumeClaim(name, pvc as unknown as k8s.core.v1.PersistentVolumeClaimArgs, { parent: this, dependsOn: [...(args.dependsOn ?? []), this.persistentVolume] });
        this.registerOutputs({ claimName: this.claim.metadata.name });
    }
}
