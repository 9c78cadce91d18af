import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { renderPolicyDocument } from "../plan/policyDocument";
import { evaluate } from "./guardrails";

/** Provider functions a program calls, answered offline as the provider would. */
describe("the offline engine's provider functions", () => {
    it("renders aws.iam.getPolicyDocument as the provider does: principals, conditions, policy variables", () => {
        const { json } = renderPolicyDocument({
            statements: [
                {
                    actions: ["sts:AssumeRole"],
                    principals: [
                        { type: "Service", identifiers: ["firehose.amazonaws.com"] },
                        { type: "AWS", identifiers: ["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"] },
                    ],
                    conditions: [
                        { test: "StringEquals", variable: "aws:SourceAccount", values: ["111122223333"] },
                        { test: "StringLike", variable: "s3:prefix", values: ["home/&{aws:username}/"] },
                    ],
                },
                { sid: "Everyone", effect: "Deny", notActions: ["s3:GetObject"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }] },
            ],
        });
        expect(JSON.parse(json)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: "sts:AssumeRole",
                    Principal: { Service: "firehose.amazonaws.com", AWS: ["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"] },
                    Condition: { StringEquals: { "aws:SourceAccount": "111122223333" }, StringLike: { "s3:prefix": "home/${aws:username}/" } },
                },
                { Sid: "Everyone", Effect: "Deny", NotAction: "s3:GetObject", Resource: "*", Principal: "*" },
            ],
        });
    });

    it("merges source and override documents by Sid, as the provider's documented examples do", () => {
        const doc = (sid: string | undefined, action: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ ...(sid ? { Sid: sid } : {}), Effect: "Allow", Action: action, Resource: "*" }] });
        const merged = renderPolicyDocument({ sourcePolicyDocuments: [doc("OverridePlaceholder", "ec2:DescribeAccountAttributes")], overridePolicyDocuments: [doc("OverridePlaceholder", "s3:GetObject")] });
        expect(JSON.parse(merged.json).Statement).to.deep.equal([{ Sid: "OverridePlaceholder", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }]);
        const given = renderPolicyDocument({ sourcePolicyDocuments: [doc(undefined, "ec2:*"), doc("SidToOverride", "s3:*")], statements: [{ sid: "SidToOverride", actions: ["s3:*"], resources: ["arn:aws:s3:::somebucket"] }] });
        expect(JSON.parse(given.json).Statement.map((s: { Action: string; Resource: string }) => `${s.Action} ${s.Resource}`)).to.deep.equal(["ec2:* *", "s3:* arn:aws:s3:::somebucket"]);
    });

    it("evasion: a public queue policy and an admin policy built with getPolicyDocument are read, not seen as empty", async () => {
        const report = await evaluate(() => {
            const queue = new aws.sqs.Queue("jobs", { kmsMasterKeyId: "alias/team-key" });
            const open = aws.iam.getPolicyDocumentOutput({
                statements: [{ actions: ["sqs:SendMessage"], resources: [queue.arn], principals: [{ type: "AWS", identifiers: ["*"] }] }],
            });
            new aws.sqs.QueuePolicy("jobs-open", { queueUrl: queue.url, policy: open.json });
            const admin = aws.iam.getPolicyDocumentOutput({ statements: [{ actions: ["*"], resources: ["*"] }] });
            new aws.iam.Policy("everything", { policy: admin.json });
        });
        const found = report.violations.map((v) => `${v.policy} ${v.name}`);
        expect(found).to.include.members(["resource-policy-no-public-principal jobs-open", "iam-no-admin-access everything"]);
    });

    it("evasion: an AWS-managed admin policy looked up by name is the AWS-managed policy", async () => {
        const report = await evaluate(() => {
            const role = new aws.iam.Role("app", { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }] }) });
            const admin = aws.iam.getPolicyOutput({ name: "AdministratorAccess" });
            new aws.iam.RolePolicyAttachment("app-admin", { role: role.name, policyArn: admin.arn });
        }, { only: "iam-no-admin-access" });
        expect(report.violations.map((v) => v.name)).to.deep.equal(["app-admin"]);
        expect(report.violations[0].message).to.include("AdministratorAccess");
    });
});
