import { isOn } from "./flags";
import type { Store } from "./atRest";
import type { Props } from "./support";

/**
 * How an EBS disk reads as a store, and which devices an AMI boots with. A device the AMI has but
 * nothing declares is made from the AMI's snapshot, which is unencrypted for the public AMIs.
 */

/** The device names AMIs boot from (Amazon Linux and Bottlerocket, Ubuntu and Windows). */
export const ROOT_DEVICES = new Set(["/dev/xvda", "/dev/sda1", "/dev/sda"]);
export const DEFAULT_EBS_KEY = "the account's default EBS key (aws/ebs unless changed)";
export const ROOT_FROM_AMI = "is made from the AMI's snapshot, unencrypted unless that snapshot is";

export function disk(where: string, device: Props | undefined, keyField = "kmsKeyId", fix?: string): Store {
    return { where, encrypted: isOn(device?.encrypted), key: device?.[keyField], keyField, serviceKey: DEFAULT_EBS_KEY, fix };
}

export function undeclaredRoot(where: string, message = `not declared, so the root volume ${ROOT_FROM_AMI}`): Store {
    return { where, encrypted: false, unencrypted: message, serviceKey: DEFAULT_EBS_KEY };
}

/**
 * The volumes an EKS AMI type (BOTTLEROCKET_x86_64) or a Karpenter AMI family (Bottlerocket,
 * `bottlerocket@latest`) boots with: Bottlerocket's OS volume and the data volume that holds
 * images, logs and emptyDir; Windows's C:; Amazon Linux's root. Undefined for a custom AMI.
 */
export function amiDevices(family: unknown): string[] | undefined {
    const f = typeof family === "string" ? family.split("@")[0].toUpperCase() : "";
    if (f.startsWith("BOTTLEROCKET")) return ["/dev/xvda", "/dev/xvdb"];
    if (f.startsWith("WINDOWS")) return ["/dev/sda1"];
    if (f.startsWith("AL2")) return ["/dev/xvda"];
    return undefined;
}

/** What a device is to its AMI, for messages. */
export function deviceRole(family: string, device: string): string {
    return /^bottlerocket/i.test(family) && device === "/dev/xvdb" ? "the data volume (images, logs, emptyDir)" : "the root volume";
}

/** Each device the AMI boots with that `declared` leaves out, as a store made from the AMI's snapshot. */
export function missingAmiDevices(where: string, family: string, devices: string[], declared: Set<unknown>): Store[] {
    return devices
        .filter((d) => !declared.has(d))
        .map((d) => undeclaredRoot(where, `${d}, ${deviceRole(family, d)} of ${family} nodes, is not declared, so it ${ROOT_FROM_AMI}`));
}
