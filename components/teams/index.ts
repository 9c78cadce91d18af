export { Team, TeamArgs } from "./team";
export { createNetworkGuard, NETWORK_GUARD_NAME } from "./admission";
export { ENVIRONMENT_LABEL, EGRESS_LABEL, GUARDED_LABEL } from "./manifests";
