/** Names and labels of team namespaces and of the objects envstack owns in them. */

/** The namespace label naming the environment. */
export const ENVIRONMENT_LABEL = "envstack.io/environment";
/** The namespace label saying whether egress is `open` or `restricted`. */
export const EGRESS_LABEL = "envstack.io/egress";
/** The namespace label saying whether the team's load balancers may be `public` or must be `internal`. */
export const INGRESS_LABEL = "envstack.io/ingress";
/** Marks the objects envstack owns in a team namespace; the admission guard keeps members off them. */
export const GUARDED_LABEL = "envstack.io/guarded";
/** The admission policy (and binding) that guards team namespaces' NetworkPolicies. */
export const NETWORK_GUARD_NAME = "envstack-team-network-guard";
/** The admission policy (and binding) that keeps team Services and Ingresses off NodePorts and, unless public, internal. */
export const EXPOSURE_GUARD_NAME = "envstack-team-exposure-guard";
/** The admission policy (and binding) that keeps team monitors and rules inside their namespace. */
export const MONITORING_GUARD_NAME = "envstack-team-monitoring-guard";
