import * as pulumi from "@pulumi/pulumi";

/**
 * A resource registered by its type token alone, as AWS Native (`aws-native:iam:Role`, ...)
 * registers them: the guardrails must read such resources without the package installed here.
 */
export class Native extends pulumi.CustomResource {
    constructor(type: string, name: string, props: pulumi.Inputs) {
        super(type, name, props);
    }
}
