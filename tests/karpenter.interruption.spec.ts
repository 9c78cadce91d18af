import { expect } from "chai";
import { json, planStack } from "./harness";
import { simulate } from "./iam";

/** Who may write to the interruption queue, proven by simulating its registered policy. */
describe("Karpenter interruption queue policy, simulated", () => {
    let queueArn: string;
    let queuePolicy: object;
    let ruleArns: string[];
    const account = "777788889999";
    const otherRule = `arn:aws:events:eu-west-1:${account}:rule/someone-elses-rule`;
    const send = (principal: string, context: Record<string, string>) =>
        simulate([], { action: "sqs:SendMessage", resource: queueArn, principal, resourcePolicy: queuePolicy, context: { "aws:SecureTransport": "true", ...context } });

    before(async () => {
        const r = (await planStack("prod")).registered;
        const queue = r.one("aws:sqs/queue:Queue");
        queueArn = queue.outputs.arn as string;
        queuePolicy = json(r.one("aws:sqs/queuePolicy:QueuePolicy").inputs.policy);
        ruleArns = r.ofType("aws:cloudwatch/eventRule:EventRule").filter((rule) => rule.parent === queue.urn).map((rule) => rule.outputs.arn as string);
        expect(ruleArns).to.have.length(5);
    });

    it("lets EventBridge send for each of the environment's five rules", async () => {
        for (const arn of ruleArns) expect(await send("events.amazonaws.com", { "aws:SourceArn": arn }), arn).to.equal("Allowed");
    });

    it("denies EventBridge for any other rule, or with no source rule", async () => {
        expect(await send("events.amazonaws.com", { "aws:SourceArn": otherRule })).to.equal("ImplicitlyDenied");
        expect(await send("events.amazonaws.com", {})).to.equal("ImplicitlyDenied");
    });

    it("denies the SQS service principal, which no part of the environment needs", async () => {
        expect(await send("sqs.amazonaws.com", { "aws:SourceArn": ruleArns[0] })).to.equal("ImplicitlyDenied");
        expect(await send("sqs.amazonaws.com", {})).to.equal("ImplicitlyDenied");
    });

    it("denies everything without TLS, even from one of the rules", async () => {
        expect(await send("events.amazonaws.com", { "aws:SourceArn": ruleArns[0], "aws:SecureTransport": "false" })).to.equal("ExplicitlyDenied");
    });
});
