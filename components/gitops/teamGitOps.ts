import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TeamGitOpsConfig } from "../config/types";
import { ARGOCD_NAMESPACE } from "../shared/naming";
import { ARGOCD_WRITERS } from "./argoCd";
import { argoCdWriterBinding, teamApplication, teamProject } from "./projects";

/** One team's place in Argo CD. */
export interface TeamGitOpsArgs {
    /** The team's name, which is its namespace and its project's. */
    team: string;
    /** Its repository; without one, the project exists and admits no source. */
    gitops?: TeamGitOpsConfig;
    /** Sync automatically, pruning and self-healing (dev and staging); prod syncs by hand. */
    automated: boolean;
    /** Provider for the cluster. */
    k8sProvider: k8s.Provider;
    /** Argo CD's release (its CRDs) and the team's namespace. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** A team's AppProject, fenced to its repository and namespace; Argo CD's right to edit that namespace; and its Application when it gave a repository. */
export class TeamGitOps extends pulumi.ComponentResource {
    constructor(name: string, args: TeamGitOpsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("envstack:index:TeamGitOps", name, {}, opts);
        const onCluster = { parent: this, provider: args.k8sProvider, dependsOn: args.dependsOn };
        const writers = new k8s.rbac.v1.RoleBinding(`${name}-writers`, argoCdWriterBinding(args.team, ARGOCD_NAMESPACE, ARGOCD_WRITERS) as k8s.rbac.v1.RoleBindingArgs, onCluster);
        const project = new k8s.apiextensions.CustomResource(`${name}-project`, teamProject(args.team, ARGOCD_NAMESPACE, args.gitops) as unknown as k8s.apiextensions.CustomResourceArgs, onCluster);
        if (args.gitops) {
            new k8s.apiextensions.CustomResource(`${name}-application`, teamApplication(args.team, ARGOCD_NAMESPACE, args.gitops, args.automated) as unknown as k8s.apiextensions.CustomResourceArgs, {
                ...onCluster,
                dependsOn: pulumi.output(args.dependsOn ?? []).apply((d) => [...d, project, writers]),
            });
        }
        this.registerOutputs({});
    }
}
