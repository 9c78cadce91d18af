import type { KubeObject } from "./kubernetes";
import type { Props } from "./support";

/**
 * A `*Patch` resource is a server-side apply: it creates the object when none exists. A patch
 * that carries a field the object cannot be created without (a NodePool's nodeClassRef, a
 * StorageClass's provisioner, an EC2NodeClass's role, a volume's source, a claim's access modes) may be that creation, so it is judged as
 * the whole object, defaults included; any other patch only changes what it states.
 */

/** A PersistentVolume's fields that are not its source: any other field is where the data lives, and a patch with only these cannot create one. */
export const PV_FIELDS = ["accessModes", "capacity", "claimRef", "mountOptions", "nodeAffinity", "persistentVolumeReclaimPolicy", "storageClassName", "volumeMode", "volumeAttributesClassName"];

/** The field, by kind, without which the object cannot be created. */
const CREATED_WITH: Record<string, (object: Props) => unknown> = {
    NodePool: (o) => o?.spec?.template?.spec?.nodeClassRef,
    Provisioner: (o) => o?.spec?.providerRef ?? o?.spec?.provider,
    NodeClaim: (o) => o?.spec?.nodeClassRef,
    EC2NodeClass: (o) => o?.spec?.role ?? o?.spec?.instanceProfile,
    StorageClass: (o) => o?.provisioner,
    PersistentVolume: (o) => Object.keys(o?.spec ?? {}).find((k) => !PV_FIELDS.includes(k)),
    PersistentVolumeClaim: (o) => o?.spec?.accessModes ?? o?.spec?.storageClassName ?? o?.spec?.volumeName,
};

/** Whether the object is judged as a whole: declared as one, or a patch that may create it. */
export function judgedWhole(o: KubeObject): boolean {
    if (o.via !== "patch") return true;
    const field = CREATED_WITH[o.kind]?.(o.object);
    return field !== undefined && field !== null;
}
