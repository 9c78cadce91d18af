export { Team, TeamArgs } from "./team";
export { TeamNetworkGuard, TeamNetworkGuardArgs } from "./guard";
export { ENVIRONMENT_LABEL, EGRESS_LABEL, GUARDED_LABEL, NETWORK_GUARD_NAME } from "./labels";
