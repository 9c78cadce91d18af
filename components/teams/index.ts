export { Team, TeamArgs } from "./team";
export { TeamNetworkGuard, TeamNetworkGuardArgs, NETWORK_GUARD_NAME } from "./admission";
export { ENVIRONMENT_LABEL, EGRESS_LABEL, GUARDED_LABEL } from "./manifests";
