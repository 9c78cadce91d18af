import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ACCOUNT_ID_PATTERN, SUBNET_ID_PATTERN, VPC_ID_PATTERN } from "../shared/aws";
import { isKnownRegion, regionAllowed } from "./regions";
import { RESERVED_TAG_KEYS } from "../shared/tags";

/**
 * Field schemas the components' argument schemas share: AWS ids and names, tags, Kubernetes
 * names and labels, and Pulumi inputs. Each says what it allows in the user's words.
 */

/** A value an input may hold before it is known: an Output or a Promise. */
export const isPending = (v: unknown): boolean => pulumi.Output.isInstance(v) || v instanceof Promise || (typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function");

/** A schema kept on an `input()` wrapper, so messages about unknown fields can list its fields. */
export const INNER = Symbol("envstack.inner");

/**
 * A Pulumi input: a value known now is checked against `schema`; an Output or a Promise passes,
 * as AWS checks it when it is known.
 */
export function input<S extends z.ZodType>(schema: S): z.ZodType<pulumi.Input<z.output<S>>> {
    const wrapper = z.any().superRefine((value, ctx) => {
        if (isPending(value)) return;
        const parsed = schema.safeParse(value, { reportInput: true });
        if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue(issue as never);
    });
    return Object.assign(wrapper, { [INNER]: schema }) as never;
}

/** A Pulumi resource of any kind. */
export const resource = (what: string) => z.custom<pulumi.Resource>((v) => pulumi.Resource.isInstance(v), { message: `allowed: ${what}` });

/** A provider resource (a Kubernetes provider for the cluster). */
export const provider = (what: string) => z.custom<pulumi.ProviderResource>((v) => pulumi.ProviderResource.isInstance(v), { message: `allowed: ${what}` });

/** Resources to wait for: resources, or inputs that will be resources. */
export const resources = (what: string) => z.array(z.custom<pulumi.Input<pulumi.Resource>>((v) => pulumi.Resource.isInstance(v) || isPending(v), { message: `allowed: ${what}` }));

export const region = z.string().superRefine((value, ctx) => {
    if (!isKnownRegion(value)) ctx.addIssue({ code: "custom", input: value, message: regionAllowed(value) });
});
export const accountId = z.string().regex(ACCOUNT_ID_PATTERN, "allowed: the 12-digit AWS account id, as a quoted string");
export const vpcId = input(z.string().regex(VPC_ID_PATTERN, "allowed: a VPC id like vpc-0123456789abcdef0"));
export const subnetIds = (min: number, why: string) =>
    input(z.array(z.string().regex(SUBNET_ID_PATTERN, "allowed: a subnet id like subnet-0123456789abcdef0")).min(min, `allowed: at least ${min} subnet ids (${why})`));
export const securityGroupId = input(z.string().regex(/^sg-[0-9a-f]{8,17}$/, "allowed: a security group id like sg-0123456789abcdef0"));
export const kmsKeyArn = input(
    z.string().regex(/^arn:(aws|aws-cn|aws-us-gov):kms:[a-z0-9-]+:\d{12}:(key\/[0-9a-f-]{36}|key\/mrk-[0-9a-f]{32}|alias\/[\w/-]+)$/, "allowed: a KMS key ARN like arn:aws:kms:eu-west-1:111122223333:key/<key id>"),
);
/** An EKS cluster name: what EKS accepts (1 to 100 characters, a letter or digit first). */
export const clusterName = z.string().regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, "allowed: 1 to 100 letters, digits, '-' and '_', starting with a letter or digit (an EKS cluster name)");

/** AWS tag keys: 1 to 128 characters; values up to 256; letters, digits, spaces and _ . : / = + - @ (what every service accepts). */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const tagKey = z
    .string()
    .min(1, "allowed: a tag key of 1 to 128 characters")
    .max(128, "allowed: a tag key of at most 128 characters")
    .regex(TAG_CHARACTERS, "allowed: letters, digits, spaces and _ . : / = + - @ (what AWS accepts in tags)")
    .refine((k) => !k.toLowerCase().startsWith("aws:"), { message: "allowed: a key not starting with aws:, which AWS reserves" });
export const tagValue = z
    .string()
    .max(256, "allowed: a tag value of at most 256 characters")
    .regex(TAG_CHARACTERS, "allowed: letters, digits, spaces and _ . : / = + - @ (what AWS accepts in tags)");
/** AWS allows 50 tags on a resource; envstack adds a few of its own (Name, discovery and role tags). */
const MAX_TAGS = 45;
/** Tags on a component's resources. */
export const tags = z.record(tagKey, tagValue).refine((t) => Object.keys(t).length <= MAX_TAGS, { message: `allowed: at most ${MAX_TAGS} tags (AWS allows 50 on a resource, and envstack adds its own)` });
/** A stack's extra tags: envstack's reserved keys are refused (it sets them), and they count against the same limit. */
export const extraTags = z
    .record(
        tagKey.refine((k) => !(RESERVED_TAG_KEYS as readonly string[]).includes(k), { message: `allowed: a key other than ${RESERVED_TAG_KEYS.join(", ")}, which envstack sets from the environment` }),
        tagValue,
    )
    .refine((t) => Object.keys(t).length <= MAX_TAGS - RESERVED_TAG_KEYS.length, { message: `allowed: at most ${MAX_TAGS - RESERVED_TAG_KEYS.length} extra tags (AWS allows 50 on a resource; envstack sets ${RESERVED_TAG_KEYS.length} and adds its own)` });

/** A DNS-1123 label: a namespace, a service account, a StorageClass. */
export const dnsLabel = (what: string) => z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, `allowed: ${what}, a DNS label: lowercase letters, digits and '-', 1 to 63 characters, starting and ending alphanumeric`);

/** A DNS-1123 subdomain: most Kubernetes object names. */
export const dnsSubdomain = (what: string) =>
    z.string().regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, `allowed: ${what}, a DNS subdomain: lowercase letters, digits, '-' and '.', at most 253 characters`);

const LABEL_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
/** A Kubernetes label key: an optional DNS-subdomain prefix and '/', then a name of up to 63 characters. */
export const labelKey = z.string().refine(
    (key) => {
        const slash = key.lastIndexOf("/");
        const name = slash < 0 ? key : key.slice(slash + 1);
        return LABEL_NAME.test(name) && (slash < 0 || LABEL_PREFIX.test(key.slice(0, slash)));
    },
    { message: "allowed: a label key like team or example.com/team: a name of 1 to 63 letters, digits, '-', '_' and '.', starting and ending alphanumeric, after an optional DNS prefix and '/'" },
);
/** The kubernetes.io and k8s.io prefixes the kubelet lets a node set on itself; any other in those domains stops it starting. */
const NODE_SETTABLE = ["node.kubernetes.io", "kubelet.kubernetes.io"];
/** A label a node may carry from its node group: the kubelet refuses other kubernetes.io and k8s.io labels. */
export const nodeLabelKey = labelKey.refine(
    (key) => {
        const prefix = key.includes("/") ? key.slice(0, key.lastIndexOf("/")) : "";
        return !/(^|\.)(kubernetes\.io|k8s\.io)$/.test(prefix) || NODE_SETTABLE.includes(prefix);
    },
    { message: `allowed: a key outside the kubernetes.io and k8s.io domains (the kubelet refuses to start with them), except ${NODE_SETTABLE.map((p) => `${p}/`).join(" and ")}` },
).refine((key) => !/^(karpenter\.sh|karpenter\.k8s\.aws)\//.test(key), { message: "allowed: a key outside karpenter.sh and karpenter.k8s.aws, which mark Karpenter's own nodes (pods that select a NodePool would land on this group)" });
/** A Kubernetes label value: empty, or up to 63 letters, digits, '-', '_' and '.', starting and ending alphanumeric. */
export const labelValue = z.string().regex(/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/, "allowed: a label value of up to 63 letters, digits, '-', '_' and '.', starting and ending alphanumeric");
export const labels = z.record(labelKey, labelValue);
export const nodeLabels = z.record(nodeLabelKey, labelValue);
