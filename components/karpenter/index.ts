export { Karpenter, KarpenterArgs, CONTROLLER_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT } from "./karpenter";
export { INTERRUPTION_RULES } from "./interruption";
export { controllerPolicies, ControllerPolicyContext } from "./iam";
