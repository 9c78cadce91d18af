export { Network, NetworkArgs, SubnetRoleTags, subnetRoleTags } from "./network";
