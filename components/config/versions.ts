/**
 * The one reviewed map of pinned versions. Nothing is ever looked up at preview time and nothing
 * says "latest": upgrading is a reviewed change to this file, or a stack override
 * (`envstack:versions` in `Pulumi.<stack>.yaml`), which is deep-merged over it.
 *
 * Add-on versions were checked against the EKS user guide's version tables (2026-11); confirm
 * with `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>` before
 * changing them.
 */

/** EKS managed add-ons that envstack installs, by their EKS add-on name. */
export const EKS_ADDONS = [
    "vpc-cni",
    "kube-proxy",
    "coredns",
    "eks-pod-identity-agent",
    "aws-ebs-csi-driver",
    "aws-efs-csi-driver",
    "amazon-cloudwatch-observability",
] as const;
/** One of the EKS managed add-ons. */
export type EksAddonName = (typeof EKS_ADDONS)[number];

/**
 * Which EKS managed add-ons envstack installs. Turning one off means you run that piece yourself
 * (e.g. Cilium instead of the VPC CNI, or a driver from its Helm chart): for the drivers and the
 * CloudWatch agent, envstack still creates their IAM role and Pod Identity association, so a
 * self-managed copy using the same service account works.
 */
export type AddonSwitches = Record<EksAddonName, boolean>;

/** Whether envstack installs `addon`: on unless the switches say `false`. */
export function addonInstalled(switches: Partial<AddonSwitches> | undefined, addon: EksAddonName): boolean {
    return switches?.[addon] !== false;
}

/** Every managed add-on on. */
export const ALL_ADDONS_ON: AddonSwitches = Object.fromEntries(EKS_ADDONS.map((a) => [a, true])) as AddonSwitches;

/** Everything pinned for one Kubernetes minor version. */
export interface KubernetesRelease {
    /** EKS add-on versions, `vX.Y.Z-eksbuild.N`. */
    addons: Record<EksAddonName, string>;
    /** The AL2023 AMI release Karpenter nodes use, `al2023@vYYYYMMDD` (never `@latest`: every release would drift every node). */
    karpenterAmiAlias: string;
    /** The oldest Karpenter that supports this Kubernetes version (upstream compatibility matrix). */
    minKarpenterVersion: string;
}

/** A Helm chart at a pinned version. */
export interface ChartVersion {
    /** The chart reference: an `oci://` URL, or a chart name in `repository`. */
    chart: string;
    /** Exact chart version. */
    version: string;
    /** The chart repository, for charts not in an OCI registry. */
    repository?: string;
}

/** CPU architectures envstack runs nodes on, and the EKS AMI type for each. */
export interface NodeAmiTypes {
    /** AMI type for x86_64 managed node groups. */
    x86_64: string;
    /** AMI type for arm64 (Graviton) managed node groups. */
    arm64: string;
    /** AMI type for NVIDIA GPU node groups: the driver and container toolkit built in (the device plugin is envstack's). */
    nvidia: string;
}

/** The pinned-version map. */
export interface VersionMap {
    /** Supported Kubernetes minor versions; a cluster version must be a key here. */
    kubernetes: Record<string, KubernetesRelease>;
    /** AMI types for managed node groups. AL2023 only: AL2 AMIs ended on 2025-11-26. */
    nodeAmiTypes: NodeAmiTypes;
    /** Container images envstack runs without a chart, by exact tag. */
    images: {
        /** Thanos (query, store gateway, compactor; the sidecar too, through the Prometheus operator). */
        thanos: string;
    };
    /** Helm charts. Karpenter's CRD chart is installed separately at the same version (Helm never upgrades crds/). */
    charts: {
        /** The Karpenter controller chart. */
        karpenter: ChartVersion;
        /** Karpenter's CRDs; must match the controller's version. */
        karpenterCrd: ChartVersion;
        /** Each major re-applies CRDs; the chart's CRD upgrade job does that on upgrade. */
        kubePrometheusStack: ChartVersion;
        /** The resource metrics API, which the Horizontal Pod Autoscaler and `kubectl top` read. */
        metricsServer: ChartVersion;
        /** The AWS Load Balancer Controller; a patch release of {@link LOAD_BALANCER_CONTROLLER_POLICY_RELEASE}, whose IAM policy envstack carries. */
        awsLoadBalancerController: ChartVersion;
        /** ExternalDNS. */
        externalDns: ChartVersion;
        /** The External Secrets Operator, with its CRDs. */
        externalSecrets: ChartVersion;
        /** NVIDIA's device plugin: advertises `nvidia.com/gpu` on GPU nodes. */
        nvidiaDevicePlugin: ChartVersion;
        /** NVIDIA's DCGM exporter: GPU metrics per pod. */
        dcgmExporter: ChartVersion;
        /** Argo CD, with its CRDs. */
        argoCd: ChartVersion;
    };
}

/** The versions envstack is tested with; a stack's `envstack:versions` is deep-merged over them. */
export const DEFAULT_VERSIONS: VersionMap = {
    kubernetes: {
        // Standard support until 2026-12-02: upgrade soon.
        "1.34": {
            addons: {
                "vpc-cni": "v1.22.3-eksbuild.1",
                "kube-proxy": "v1.34.6-eksbuild.2",
                coredns: "v1.13.2-eksbuild.4",
                "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
                "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
                "aws-efs-csi-driver": "v3.4.2-eksbuild.1",
                "amazon-cloudwatch-observability": "v6.6.0-eksbuild.1",
            },
            karpenterAmiAlias: "al2023@v20260903",
            minKarpenterVersion: "1.6.0",
        },
        // Standard support until 2027-03-27.
        "1.35": {
            addons: {
                "vpc-cni": "v1.22.3-eksbuild.1",
                "kube-proxy": "v1.35.3-eksbuild.2",
                coredns: "v1.13.2-eksbuild.4",
                "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
                "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
                "aws-efs-csi-driver": "v3.4.2-eksbuild.1",
                "amazon-cloudwatch-observability": "v6.6.0-eksbuild.1",
            },
            karpenterAmiAlias: "al2023@v20260903",
            minKarpenterVersion: "1.9.0",
        },
    },
    nodeAmiTypes: {
        x86_64: "AL2023_x86_64_STANDARD",
        arm64: "AL2023_ARM_64_STANDARD",
        nvidia: "AL2023_x86_64_NVIDIA",
    },
    images: {
        // Release v0.42.4.
        thanos: "quay.io/thanos/thanos:v0.42.4",
    },
    charts: {
        karpenter: { chart: "oci://public.ecr.aws/karpenter/karpenter", version: "1.14.1" },
        karpenterCrd: { chart: "oci://public.ecr.aws/karpenter/karpenter-crd", version: "1.14.1" },
        kubePrometheusStack: { chart: "kube-prometheus-stack", version: "88.6.5", repository: "https://prometheus-community.github.io/helm-charts" },
        // The chart rather than the EKS community add-on: its version is pinned here like the others, and its values place it on the system nodes.
        metricsServer: { chart: "metrics-server", version: "3.13.1", repository: "https://kubernetes-sigs.github.io/metrics-server/" },
        // Chart 3.5.0 is controller v3.5.0.
        awsLoadBalancerController: { chart: "aws-load-balancer-controller", version: "3.5.0", repository: "https://aws.github.io/eks-charts" },
        // Chart 1.21.1 is ExternalDNS 0.21.0.
        externalDns: { chart: "external-dns", version: "1.21.1", repository: "https://kubernetes-sigs.github.io/external-dns/" },
        // Chart 2.9.0 is the operator v2.9.0, which serves external-secrets.io/v1 only.
        externalSecrets: { chart: "external-secrets", version: "2.9.0", repository: "https://charts.external-secrets.io" },
        nvidiaDevicePlugin: { chart: "nvidia-device-plugin", version: "0.20.0", repository: "https://nvidia.github.io/k8s-device-plugin" },
        dcgmExporter: { chart: "dcgm-exporter", version: "4.8.2", repository: "https://nvidia.github.io/dcgm-exporter/helm-charts" },
        // Chart 10.1.1 is Argo CD v3.4.4.
        argoCd: { chart: "argo-cd", version: "10.1.1", repository: "https://argoproj.github.io/argo-helm" },
    },
};

/**
 * The controller release whose IAM policy `loadBalancerController/iam.ts` carries: a chart of
 * another minor version needs that policy reviewed against upstream's first.
 */
export const LOAD_BALANCER_CONTROLLER_POLICY_RELEASE = "3.5";

/** The shape of an EKS add-on version. */
export const ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
/** A pinned EKS-optimized AL2023 AMI release for Karpenter. */
export const AMI_ALIAS_PATTERN = /^al2023@v\d{8}$/;
/** An exact semantic version, `1.14.1`. */
export const SEMVER_PATTERN = /^\d+\.\d+\.\d+$/;
/** The shape of a Kubernetes minor version key. */
export const KUBERNETES_VERSION_PATTERN = /^1\.\d{2}$/;
