export { Karpenter, KarpenterArgs, CONTROLLER_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT } from "./karpenter";
export { INTERRUPTION_RULES, InterruptionRule } from "./interruption";
export { controllerPolicies, ControllerPolicyContext, ControllerPolicyName } from "./iam";
