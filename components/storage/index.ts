export { Storage, StorageArgs } from "./storage";
export { StaticVolume, StaticVolumeArgs } from "./staticVolume";
