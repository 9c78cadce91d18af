import { expect } from "chai";
import type { PolicyDocument } from "../components/shared/iam";
import { json, planStack } from "./harness";
import { simulate } from "./iam";

/** The controller's permissions as registered (the aws.iam.Policy documents attached to its role), proven by simulation. */
describe("Karpenter controller IAM, simulated", () => {
    let policies: PolicyDocument[];
    let nodeRoleArn: string;
    let queueArn: string;
    let keyArn: string;
    let keyPolicy: object;
    const cluster = "acme-prod";
    const account = "777788889999";
    const instance = (region = "eu-west-1") => `arn:aws:ec2:${region}:${account}:instance/i-0123456789abcdef0`;
    const launchTags = (clusterName = cluster) => ({
        [`aws:RequestTag/kubernetes.io/cluster/${clusterName}`]: "owned",
        "aws:RequestTag/eks:eks-cluster-name": clusterName,
        "aws:RequestTag/karpenter.sh/nodepool": "burst",
    });

    before(async () => {
        const plan = await planStack("prod");
        const r = plan.registered;
        const role = r.one("aws:iam/role:Role", "acme-prod-karpenter-controller");
        const attachedArns = new Set(r.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.parent === role.urn).map((a) => a.inputs.policyArn));
        policies = r.ofType("aws:iam/policy:Policy").filter((p) => attachedArns.has(p.outputs.arn)).map((p) => json(p.inputs.policy));
        nodeRoleArn = r.one("aws:iam/role:Role", "acme-prod-karpenter-node").outputs.arn as string;
        queueArn = r.one("aws:sqs/queue:Queue").outputs.arn as string;
        keyArn = r.one("aws:kms/key:Key").outputs.arn as string;
        keyPolicy = json(r.one("aws:kms/key:Key").inputs.policy);
    });

    it("is split into upstream's policies plus the node-volume key policy, with no '*' action", () => {
        expect(policies).to.have.length(7);
        for (const doc of policies) {
            expect(JSON.stringify(doc).length, "each document fits IAM's 6,144-character limit").to.be.lessThan(6144);
            for (const s of doc.Statement) for (const a of [s.Action].flat()) expect(a).not.to.match(/^(\*|[a-z0-9-]+:\*)$/);
        }
    });

    it("can RunInstances with this cluster's request tags in this region", async () => {
        expect(await simulate(policies, { action: "ec2:RunInstances", resource: instance(), context: launchTags() })).to.equal("Allowed");
        expect(await simulate(policies, { action: "ec2:CreateFleet", resource: `arn:aws:ec2:eu-west-1:${account}:fleet/fleet-0123456789abcdef0`, context: launchTags() })).to.equal("Allowed");
    });

    it("cannot RunInstances without the tags, in another region, or for another cluster's tags", async () => {
        expect(await simulate(policies, { action: "ec2:RunInstances", resource: instance() })).to.equal("ImplicitlyDenied");
        expect(await simulate(policies, { action: "ec2:RunInstances", resource: instance("us-east-1"), context: launchTags() })).to.equal("ImplicitlyDenied");
        expect(await simulate(policies, { action: "ec2:RunInstances", resource: instance(), context: launchTags("acme-staging") })).to.equal("ImplicitlyDenied");
    });

    it("can TerminateInstances only on instances tagged for this cluster and a NodePool", async () => {
        const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: "owned", "aws:ResourceTag/karpenter.sh/nodepool": "burst" };
        expect(await simulate(policies, { action: "ec2:TerminateInstances", resource: instance(), context: owned })).to.equal("Allowed");
        expect(await simulate(policies, { action: "ec2:TerminateInstances", resource: instance(), context: { "aws:ResourceTag/kubernetes.io/cluster/acme-staging": "owned", "aws:ResourceTag/karpenter.sh/nodepool": "burst" } })).to.equal("ImplicitlyDenied");
        expect(await simulate(policies, { action: "ec2:TerminateInstances", resource: instance(), context: { [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: "owned" } })).to.equal("ImplicitlyDenied");
    });

    it("can receive from its interruption queue and no other", async () => {
        expect(await simulate(policies, { action: "sqs:ReceiveMessage", resource: queueArn })).to.equal("Allowed");
        expect(await simulate(policies, { action: "sqs:DeleteMessage", resource: queueArn })).to.equal("Allowed");
        expect(await simulate(policies, { action: "sqs:ReceiveMessage", resource: `arn:aws:sqs:eu-west-1:${account}:some-other-queue` })).to.equal("ImplicitlyDenied");
        expect(await simulate(policies, { action: "sqs:SendMessage", resource: queueArn })).to.equal("ImplicitlyDenied");
        // The queue is encrypted with the environment key: receiving decrypts through SQS, for that queue only.
        // (The simulator does not resolve kms:EncryptionContext:* keys, so the statement is read, not simulated.)
        const decrypt = policies.flatMap((p) => p.Statement).find((s) => s.Sid === "AllowInterruptionQueueDecryption");
        expect(decrypt).to.deep.include({ Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn });
        expect(decrypt?.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "sqs.eu-west-1.amazonaws.com", "kms:EncryptionContext:aws:sqs:arn": queueArn } });
    });

    it("can PassRole only on the node role, and only to EC2", async () => {
        const toEc2 = { "iam:PassedToService": "ec2.amazonaws.com" };
        expect(await simulate(policies, { action: "iam:PassRole", resource: nodeRoleArn, context: toEc2 })).to.equal("Allowed");
        expect(await simulate(policies, { action: "iam:PassRole", resource: `arn:aws:iam::${account}:role/platform-admin`, context: toEc2 })).to.equal("ImplicitlyDenied");
        expect(await simulate(policies, { action: "iam:PassRole", resource: nodeRoleArn, context: { "iam:PassedToService": "lambda.amazonaws.com" } })).to.equal("ImplicitlyDenied");
    });

    it("discovers only in its region, describes only its cluster, and uses only the environment key through EC2", async () => {
        expect(await simulate(policies, { action: "ec2:DescribeInstanceTypes", resource: "*", account, context: { "aws:RequestedRegion": "eu-west-1" } })).to.equal("Allowed");
        expect(await simulate(policies, { action: "ec2:DescribeInstanceTypes", resource: "*", account, context: { "aws:RequestedRegion": "us-east-1" } })).to.equal("ImplicitlyDenied");
        expect(await simulate(policies, { action: "eks:DescribeCluster", resource: `arn:aws:eks:eu-west-1:${account}:cluster/${cluster}` })).to.equal("Allowed");
        expect(await simulate(policies, { action: "eks:DescribeCluster", resource: `arn:aws:eks:eu-west-1:${account}:cluster/acme-staging` })).to.equal("ImplicitlyDenied");
        const viaEc2 = { "kms:ViaService": "ec2.eu-west-1.amazonaws.com" };
        // KMS also needs the key policy to delegate to IAM: use the environment key's registered policy.
        expect(await simulate(policies, { action: "kms:GenerateDataKeyWithoutPlaintext", resource: keyArn, context: viaEc2, resourcePolicy: keyPolicy })).to.equal("Allowed");
        expect(await simulate(policies, { action: "kms:Decrypt", resource: keyArn, context: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" }, resourcePolicy: keyPolicy })).to.equal("ImplicitlyDenied");
        expect(await simulate(policies, { action: "kms:Decrypt", resource: `arn:aws:kms:eu-west-1:${account}:key/00000000-0000-4000-8000-000000000000`, context: viaEc2 })).to.equal("ImplicitlyDenied");
    });
});
