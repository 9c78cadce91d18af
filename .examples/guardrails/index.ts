// guardrails/index.ts
import { PolicyPack } from "@pulumi/policy";
import { encryptionPolicies, quotaPolicies } from "envstack/policy";

// The encryption and quota guardrails, with this team's own enforcement.
new PolicyPack("search-guardrails", {
    enforcementLevel: "mandatory",
    policies: [...encryptionPolicies, ...quotaPolicies],
});
