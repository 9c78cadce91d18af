export { Network, NetworkArgs, subnetRoleTags } from "./network";
