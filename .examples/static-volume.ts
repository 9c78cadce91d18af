// static-volume.ts
import { StaticVolume } from "envstack";
import { cluster, config } from "./platform";

new StaticVolume(
    "reports",
    {
        name: "reports",
        namespace: "analytics",
        accessMode: "ReadWriteMany",
        capacity: "1Ti",
        efs: { fileSystemId: "fs-0123456789abcdef0", accessPointId: "fsap-0123456789abcdef0" },
        availabilityZones: config.network.availabilityZones,
        protect: true,
    },
    { provider: cluster.provider },
);
