/**
 * The CrossGuard pack, for `pulumi preview --policy-pack policy`. The policies live in
 * ./policies so that tests and the offline plan can use them; only this file constructs the
 * PolicyPack, because constructing it starts the analyzer's gRPC server.
 */
import { PolicyPack } from "@pulumi/policy";
import { guardrails, PACK } from "./policies";

new PolicyPack(PACK.name, {
    policies: guardrails,
    enforcementLevel: PACK.enforcementLevel,
    description: PACK.description,
});
