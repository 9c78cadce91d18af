/**
 * envstack: production-grade AWS environments on EKS as Pulumi components.
 *
 * Build a whole environment with `Environment`, or compose the pieces (`EnvironmentKey`,
 * `Network`, `Cluster`, `Storage`, `Team`, ...) on infrastructure you already have.
 *
 * @packageDocumentation
 * @module envstack
 */
export { Environment, EnvironmentArgs } from "./environment";
export * from "./config";
export * from "./encryption";
export * from "./network";
export * from "./cluster";
export * from "./karpenter";
export * from "./storage";
export * from "./observability";
export * from "./teams";
export * from "./metricsServer";
export * from "./loadBalancerController";
export * from "./dns";
export * from "./secrets";
export * from "./gpu";
export * from "./longTermMetrics";
export * from "./gitops";
export * as shared from "./shared";
