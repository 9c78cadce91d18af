import { expect } from "chai";
import { planStack } from "./harness";

describe("platform add-ons per tier, from the real stack files", () => {
    it("runs the load balancer controller and metrics-server in dev; all four in staging and prod, ExternalDNS only where zones are configured", async () => {
        const components = async (stack: string) =>
            (await planStack(stack)).registered.all
                .filter((r) => ["LoadBalancerController", "ExternalDns", "ExternalSecrets", "MetricsServer"].includes(r.type.replace("envstack:index:", "")))
                .map((r) => r.type.replace("envstack:index:", ""))
                .sort();
        expect(await components("dev")).to.deep.equal(["LoadBalancerController", "MetricsServer"]);
        // staging's stack file names no zone, prod's names one.
        expect(await components("staging")).to.deep.equal(["ExternalSecrets", "LoadBalancerController", "MetricsServer"]);
        expect(await components("prod")).to.deep.equal(["ExternalDns", "ExternalSecrets", "LoadBalancerController", "MetricsServer"]);
    });
});
