export { ArgoCd, ArgoCdArgs } from "./argoCd";
