export { Cluster, ClusterArgs, CONTROL_PLANE_LOG_TYPES, KubeconfigCredentials, accessEntryNames } from "./cluster";
export { NODE_ROLE_POLICIES, SYSTEM_TAINT, NODE_GROUP_LABEL, CAPACITY_LABEL } from "./nodeGroups";
export { ADDON_CONFIGURATION, createAddonWithPodIdentity, IdentityAddon, IdentityAddonArgs } from "./addons";
