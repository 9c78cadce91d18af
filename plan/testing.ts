/**
 * For a team's own unit tests: run Pulumi code under envstack's mock engine (the one the offline
 * plan uses, which returns what envstack's components read from EKS and the VPC) and get back
 * everything it registered.
 *
 * @packageDocumentation
 * @module envstack/testing
 */
import * as pulumi from "@pulumi/pulumi";
import { MockEngine, RecordedResource } from "./engine";

/** Where the mocked resources live. */
export interface RecordOptions {
    /** Region in ARNs and ids (default eu-west-1). */
    region?: string;
    /** Account in ARNs (default 111122223333). */
    accountId?: string;
    /** Project name in URNs (default envstack). */
    project?: string;
    /** Stack name in URNs (default test). */
    stack?: string;
}

/** Runs `build` under a fresh mock engine and returns every resource it registered, once all registrations are done. */
export async function recordResources(build: () => unknown, options: RecordOptions = {}): Promise<RecordedResource[]> {
    pulumi.runtime.setAllConfig({});
    const engine = new MockEngine({ region: options.region ?? "eu-west-1", accountId: options.accountId ?? "111122223333" }, options.project ?? "envstack", options.stack ?? "test");
    await engine.install();
    await build();
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return engine.resources;
}

export { MockEngine, RecordedResource } from "./engine";
export { CloudContext } from "./outputs";
export { runPlan, PlanOptions, PlanResult, PlanFailure } from "./run";
