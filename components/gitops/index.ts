export { ArgoCd, ArgoCdArgs } from "./argoCd";
export { TeamGitOps, TeamGitOpsArgs } from "./teamGitOps";
