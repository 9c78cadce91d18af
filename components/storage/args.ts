import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { checkArguments } from "../config/arguments";
import { checkKubernetesVersion } from "../config/checks";
import { accountId, clusterName, input, kmsKeyArn, provider, region, resource, resources, securityGroupId, subnetIds, tags, vpcId } from "../config/fields";
import { addonSwitchesSchema, staticVolumeSchema, storageConfigSchema, versionsSchema } from "../config/schema";
import { checkStaticVolume, checkStorage } from "../config/storageChecks";
import type { StaticVolumeArgs } from "./staticVolume";
import type { StorageArgs } from "./storage";

const availabilityZones = z.array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, "allowed: an AZ name like eu-west-1a"));

/** `Storage`'s arguments: the stack's `storage` section, and the cluster it serves. */
export const storageArgsSchema = storageConfigSchema.extend({
    clusterName,
    accountId,
    region,
    kubernetesVersion: versionsSchema.shape.kubernetes.keyType,
    versions: versionsSchema,
    vpcId,
    privateSubnetIds: subnetIds(1, "EFS needs a mount target in each AZ"),
    availabilityZones: availabilityZones.min(1, "allowed: the cluster's AZs, in the order of privateSubnetIds"),
    nfsClients: z.record(z.string(), securityGroupId),
    kmsKeyArn,
    protect: z.boolean(),
    k8sProvider: provider("a Kubernetes provider for the cluster"),
    dependsOn: resources("resources the drivers wait for"),
    addons: addonSwitchesSchema.partial().optional(),
    namespaces: z.record(z.string(), input(resource("a Namespace resource"))).optional(),
    tags,
});

/** Every problem with `Storage`'s arguments, thrown at once before anything is registered. */
export function checkStorageArguments(args: StorageArgs): void {
    checkArguments("Storage arguments", storageArgsSchema, args, {
        section: "storage",
        check: (problems) => {
            checkKubernetesVersion("kubernetesVersion", args?.kubernetesVersion, args?.versions, problems);
            checkStorage((args ?? {}) as object as Record<string, unknown>, Array.isArray(args?.availabilityZones) ? args.availabilityZones : undefined, problems);
        },
    });
}

/** `StaticVolume`'s arguments: one entry of the stack's `storage.staticVolumes`, and where it mounts. */
export const staticVolumeArgsSchema = staticVolumeSchema.extend({
    protect: z.boolean().optional(),
    availabilityZones: availabilityZones.optional(),
    dependsOn: resources("resources the volume and claim wait for").optional(),
});

/** Every problem with `StaticVolume`'s arguments, thrown at once before anything is registered. */
export function checkStaticVolumeArguments(args: StaticVolumeArgs, opts: pulumi.ComponentResourceOptions | undefined): void {
    checkArguments("StaticVolume arguments", staticVolumeArgsSchema, args, {
        section: "staticVolume",
        check: (problems) => {
            checkStaticVolume("staticVolume", args, Array.isArray(args?.availabilityZones) ? args.availabilityZones : undefined, problems);
            // Without one, the volume and claim would go to whatever cluster the ambient kubeconfig reaches.
            if (!opts?.provider && !opts?.providers && !opts?.parent) problems.add("opts.provider", "is required; allowed: the cluster's Kubernetes provider (provider or providers), or a parent component that has it");
        },
    });
}
