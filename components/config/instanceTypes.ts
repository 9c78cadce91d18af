/**
 * A small, reviewed table of EC2 instance types: vCPUs, memory, architecture and NVIDIA GPUs.
 * Config validation uses it to check that a Spot group's types are the same size and one
 * architecture; the guardrails use it to sum vCPU ceilings. A type that is not here is
 * reported, never guessed.
 */

/** An EC2 CPU architecture. */
export type Architecture = "x86_64" | "arm64";

/** What envstack knows of an instance type. */
export interface InstanceTypeInfo {
    /** vCPUs. */
    vcpu: number;
    /** Memory in GiB. */
    memoryGiB: number;
    /** CPU architecture. */
    arch: Architecture;
    /** NVIDIA GPUs; absent for types without one. */
    gpus?: number;
}

interface Family {
    arch: Architecture;
    /** GiB of memory per vCPU. */
    memPerVcpu: number;
    sizes: readonly string[];
}

const VCPU_BY_SIZE: Record<string, number> = {
    medium: 1,
    large: 2,
    xlarge: 4,
    "2xlarge": 8,
    "4xlarge": 16,
    "8xlarge": 32,
    "9xlarge": 36,
    "12xlarge": 48,
    "16xlarge": 64,
    "18xlarge": 72,
    "24xlarge": 96,
    "32xlarge": 128,
    "48xlarge": 192,
};

const UP_TO_24 = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"];
const UP_TO_32 = [...UP_TO_24, "32xlarge"];
const UP_TO_48 = [...UP_TO_32, "48xlarge"];
const GRAVITON = ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];
const GRAVITON4 = [...GRAVITON, "24xlarge", "48xlarge"];

const FAMILIES: Record<string, Family> = {
    m5: { arch: "x86_64", memPerVcpu: 4, sizes: UP_TO_24 },
    m5a: { arch: "x86_64", memPerVcpu: 4, sizes: UP_TO_24 },
    m6i: { arch: "x86_64", memPerVcpu: 4, sizes: UP_TO_32 },
    m6a: { arch: "x86_64", memPerVcpu: 4, sizes: UP_TO_48 },
    m7i: { arch: "x86_64", memPerVcpu: 4, sizes: UP_TO_48 },
    "m7i-flex": { arch: "x86_64", memPerVcpu: 4, sizes: ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge"] },
    m7a: { arch: "x86_64", memPerVcpu: 4, sizes: ["medium", ...UP_TO_48] },
    m6g: { arch: "arm64", memPerVcpu: 4, sizes: GRAVITON },
    m7g: { arch: "arm64", memPerVcpu: 4, sizes: GRAVITON },
    m8g: { arch: "arm64", memPerVcpu: 4, sizes: GRAVITON4 },
    c5: { arch: "x86_64", memPerVcpu: 2, sizes: ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge"] },
    c5d: { arch: "x86_64", memPerVcpu: 2, sizes: ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge"] },
    m5d: { arch: "x86_64", memPerVcpu: 4, sizes: UP_TO_24 },
    r5d: { arch: "x86_64", memPerVcpu: 8, sizes: UP_TO_24 },
    m6id: { arch: "x86_64", memPerVcpu: 4, sizes: UP_TO_32 },
    c6id: { arch: "x86_64", memPerVcpu: 2, sizes: UP_TO_32 },
    r6id: { arch: "x86_64", memPerVcpu: 8, sizes: UP_TO_32 },
    m7gd: { arch: "arm64", memPerVcpu: 4, sizes: GRAVITON },
    c7gd: { arch: "arm64", memPerVcpu: 2, sizes: GRAVITON },
    r7gd: { arch: "arm64", memPerVcpu: 8, sizes: GRAVITON },
    c7gn: { arch: "arm64", memPerVcpu: 2, sizes: GRAVITON },
    i4i: { arch: "x86_64", memPerVcpu: 8, sizes: UP_TO_32 },
    i4g: { arch: "arm64", memPerVcpu: 8, sizes: GRAVITON.slice(1) },
    c5a: { arch: "x86_64", memPerVcpu: 2, sizes: UP_TO_24 },
    c6i: { arch: "x86_64", memPerVcpu: 2, sizes: UP_TO_32 },
    c6a: { arch: "x86_64", memPerVcpu: 2, sizes: UP_TO_48 },
    c7i: { arch: "x86_64", memPerVcpu: 2, sizes: UP_TO_48 },
    c7a: { arch: "x86_64", memPerVcpu: 2, sizes: ["medium", ...UP_TO_48] },
    c6g: { arch: "arm64", memPerVcpu: 2, sizes: GRAVITON },
    c7g: { arch: "arm64", memPerVcpu: 2, sizes: GRAVITON },
    c8g: { arch: "arm64", memPerVcpu: 2, sizes: GRAVITON4 },
    r5: { arch: "x86_64", memPerVcpu: 8, sizes: UP_TO_24 },
    r5a: { arch: "x86_64", memPerVcpu: 8, sizes: UP_TO_24 },
    r6i: { arch: "x86_64", memPerVcpu: 8, sizes: UP_TO_32 },
    r6a: { arch: "x86_64", memPerVcpu: 8, sizes: UP_TO_48 },
    r7i: { arch: "x86_64", memPerVcpu: 8, sizes: UP_TO_48 },
    r7a: { arch: "x86_64", memPerVcpu: 8, sizes: ["medium", ...UP_TO_48] },
    r6g: { arch: "arm64", memPerVcpu: 8, sizes: GRAVITON },
    r7g: { arch: "arm64", memPerVcpu: 8, sizes: GRAVITON },
    r8g: { arch: "arm64", memPerVcpu: 8, sizes: GRAVITON4 },
};

/** Burstable types do not follow the per-vCPU memory ratio, so they are listed one by one. */
const BURSTABLE: Record<string, InstanceTypeInfo> = {
    "t3.nano": { vcpu: 2, memoryGiB: 0.5, arch: "x86_64" },
    "t3.micro": { vcpu: 2, memoryGiB: 1, arch: "x86_64" },
    "t3.small": { vcpu: 2, memoryGiB: 2, arch: "x86_64" },
    "t3.medium": { vcpu: 2, memoryGiB: 4, arch: "x86_64" },
    "t3.large": { vcpu: 2, memoryGiB: 8, arch: "x86_64" },
    "t3.xlarge": { vcpu: 4, memoryGiB: 16, arch: "x86_64" },
    "t3.2xlarge": { vcpu: 8, memoryGiB: 32, arch: "x86_64" },
    "t3a.medium": { vcpu: 2, memoryGiB: 4, arch: "x86_64" },
    "t3a.large": { vcpu: 2, memoryGiB: 8, arch: "x86_64" },
    "t3a.xlarge": { vcpu: 4, memoryGiB: 16, arch: "x86_64" },
    "t3a.2xlarge": { vcpu: 8, memoryGiB: 32, arch: "x86_64" },
    "t4g.medium": { vcpu: 2, memoryGiB: 4, arch: "arm64" },
    "t4g.large": { vcpu: 2, memoryGiB: 8, arch: "arm64" },
    "t4g.xlarge": { vcpu: 4, memoryGiB: 16, arch: "arm64" },
    "t4g.2xlarge": { vcpu: 8, memoryGiB: 32, arch: "arm64" },
};

/** g5's and g6's sizes: vCPUs, GiB and GPUs. */
const G_SIZES: Record<string, [number, number, number]> = { xlarge: [4, 16, 1], "2xlarge": [8, 32, 1], "4xlarge": [16, 64, 1], "8xlarge": [32, 128, 1], "12xlarge": [48, 192, 4], "16xlarge": [64, 256, 1], "24xlarge": [96, 384, 4], "48xlarge": [192, 768, 8] };

/** NVIDIA GPU types, size by size: vCPUs, GiB of memory and GPUs (AWS's accelerated computing specifications). */
const GPU_SIZES: Record<string, Record<string, [number, number, number]>> = {
    // A10G
    g5: G_SIZES,
    // L4: the same sizes as g5
    g6: G_SIZES,
    // L40S
    g6e: { xlarge: [4, 32, 1], "2xlarge": [8, 64, 1], "4xlarge": [16, 128, 1], "8xlarge": [32, 256, 1], "12xlarge": [48, 384, 4], "16xlarge": [64, 512, 1], "24xlarge": [96, 768, 4], "48xlarge": [192, 1536, 8] },
    // A100
    p4d: { "24xlarge": [96, 1152, 8] },
    // H100, H200
    p5: { "48xlarge": [192, 2048, 8] },
    p5e: { "48xlarge": [192, 2048, 8] },
};

/** The extended resource and taint key of NVIDIA GPUs: GPU capacity carries `nvidia.com/gpu:NoSchedule`, GPU pods request it. */
export const GPU_RESOURCE = "nvidia.com/gpu";
/** The label every GPU node carries, Karpenter's and managed node groups' alike: the device plugin and DCGM exporter select it. */
export const ACCELERATOR_LABEL = "envstack.io/accelerator";

/** The NVIDIA GPU families envstack knows; GPU pools and node groups choose from these. */
export const GPU_FAMILIES: readonly string[] = Object.keys(GPU_SIZES);
/** Karpenter instance categories of accelerated types (GPUs, Inferentia, Trainium): never in a general pool. */
export const ACCELERATED_CATEGORIES: readonly string[] = ["g", "p", "inf", "trn", "dl", "vt", "f"];

/** Whether an instance type carries an NVIDIA GPU (by the table, else by its g or p family name). */
export function isGpuInstanceType(type: string): boolean {
    const known = INSTANCE_TYPES[type];
    if (known) return (known.gpus ?? 0) > 0;
    return /^(g|p)\d/.test(type.split(".")[0]);
}

function buildTable(): Readonly<Record<string, InstanceTypeInfo>> {
    const table: Record<string, InstanceTypeInfo> = { ...BURSTABLE };
    for (const [family, sizes] of Object.entries(GPU_SIZES)) {
        for (const [size, [vcpu, memoryGiB, gpus]] of Object.entries(sizes)) table[`${family}.${size}`] = { vcpu, memoryGiB, arch: "x86_64", gpus };
    }
    for (const [family, spec] of Object.entries(FAMILIES)) {
        for (const size of spec.sizes) {
            const vcpu = VCPU_BY_SIZE[size];
            table[`${family}.${size}`] = { vcpu, memoryGiB: vcpu * spec.memPerVcpu, arch: spec.arch };
        }
    }
    return Object.freeze(table);
}

/**
 * Why an instance type is not one EC2 has, as far as this table knows, or undefined: a family
 * listed here with a size it lacks (`m7i.huge`), or a family the table does not list.
 */
export function instanceTypeProblem(type: string): string | undefined {
    if (INSTANCE_TYPES[type]) return undefined;
    const [family, size] = type.split(".");
    const spec = FAMILIES[family];
    if (spec) return `${family} has no size ${size}; allowed: ${spec.sizes.map((s) => `${family}.${s}`).join(", ")}`;
    if (GPU_SIZES[family]) return `${family} has no size ${size}; allowed: ${Object.keys(GPU_SIZES[family]).map((s) => `${family}.${s}`).join(", ")}`;
    const burstable = Object.keys(BURSTABLE).filter((t) => t.startsWith(`${family}.`));
    if (burstable.length > 0) return `${family} has no size ${size}; allowed: ${burstable.join(", ")}`;
    return `not in envstack's instance catalogue; allowed families: ${[...Object.keys(FAMILIES), ...GPU_FAMILIES, ...new Set(Object.keys(BURSTABLE).map((t) => t.split(".")[0]))].join(", ")}`;
}

/** Every known instance type, built once. */
export const INSTANCE_TYPES = buildTable();

/** Looks an instance type up; `undefined` when it is not in the table. */
export function instanceTypeInfo(type: string): InstanceTypeInfo | undefined {
    return INSTANCE_TYPES[type];
}

/** `family.size`, e.g. `m7i.large`, `m7i-flex.xlarge`, `c7gn.16xlarge`. */
export const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)?\.[a-z0-9]+$/;

/**
 * The CPU architecture of an instance type: from the table, else from the family name
 * (Graviton families carry a `g` after the generation digit: m7g, c7gn, r8gd, t4g).
 */
export function architectureOf(type: string): Architecture {
    const known = INSTANCE_TYPES[type];
    if (known) return known.arch;
    const family = type.split(".")[0].split("-")[0];
    return /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) ? "arm64" : "x86_64";
}
