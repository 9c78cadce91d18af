export { LoadBalancerController, LoadBalancerControllerArgs, LOAD_BALANCER_CONTROLLER_NAMESPACE, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT, ALB_INGRESS_CLASS } from "./loadBalancerController";
