import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { eachKnown, known } from "./preview";
import { T } from "./support";

/**
 * Log groups a service creates itself when the program does not declare them: a Lambda function
 * writes to /aws/lambda/<name> (or its loggingConfig.logGroup), which Lambda creates on first
 * write under CloudWatch's own key and with no retention. Such a group must be declared here, so
 * that the log-group guardrails can judge it.
 */

const LAMBDA_FUNCTION = "aws:lambda/function:Function";

/** A resource's physical name: its `name` output, else its id (a function's and a log group's id is the name). */
function nameOf(r: PolicyResource): unknown {
    return known(() => r.props.name) ?? known(() => r.props.id);
}

/** Each function whose log group this program does not declare, with that group's name. */
export function undeclaredLambdaLogGroups(resources: PolicyResource[]): { fn: PolicyResource; group: string }[] {
    const groups = resources.filter((r) => r.type === T.logGroup);
    const names = new Set(groups.map(nameOf).filter((n) => typeof n === "string"));
    // A group named after a function in the same preview has no name yet: it depends on the function.
    const awaited = new Set(groups.filter((g) => typeof nameOf(g) !== "string").flatMap((g) => (g.dependencies ?? []).map((d) => d.urn)));
    const out: { fn: PolicyResource; group: string }[] = [];
    eachKnown(resources, (fn) => {
        if (fn.type !== LAMBDA_FUNCTION) return;
        const custom = fn.props.loggingConfig?.logGroup;
        const name = fn.props.name ?? fn.props.id;
        const group = typeof custom === "string" && custom !== "" ? custom : typeof name === "string" ? `/aws/lambda/${name}` : undefined;
        if (group === undefined || names.has(group)) return;
        if (awaited.has(fn.urn)) return;
        out.push({ fn, group });
    });
    return out;
}

/** Reports, for the log-group guardrails, each function's group the program leaves to Lambda. */
export function lambdaLogGroups(what: string) {
    return (args: StackValidationArgs, report: (message: string, urn: string) => void): void => {
        for (const { fn, group } of undeclaredLambdaLogGroups(args.resources)) {
            report(`the function writes to log group ${group}, which this program does not declare, so Lambda creates it ${what}: declare the log group`, fn.urn);
        }
    };
}
