import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import { expect } from "chai";
import { CONSTRUCTED_COMPONENTS } from "../plan/constructs";
import { AWSX_BUILT_OFFLINE } from "../policy/policies/unverifiable";
import { evaluate, violations } from "./guardrails";
import { recordResources } from "../plan/testing";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-0000-4000-8000-000000000001";

describe("awsx components in the offline plan", () => {
    it("registers a load balancer's and a repository's resources under the component, from its arguments, as awsx does", async () => {
        const resources = await recordResources(() => {
            new awsx.lb.ApplicationLoadBalancer("web", { subnetIds: ["subnet-1", "subnet-2"], listeners: [{ port: 443, protocol: "HTTPS" }, { port: 8080 }] });
            new awsx.lb.NetworkLoadBalancer("tcp", { subnetIds: ["subnet-1"], internal: true });
            new awsx.ecr.Repository("Images", { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }] });
        });
        const under = (component: string) => resources.filter((r) => r.parent?.endsWith(`::${component}`)).map((r) => `${r.type} ${r.name}`).sort();
        expect(under("web")).to.deep.equal([
            "aws:ec2/securityGroup:SecurityGroup web",
            "aws:lb/listener:Listener web-0",
            "aws:lb/listener:Listener web-1",
            "aws:lb/loadBalancer:LoadBalancer web",
            "aws:lb/targetGroup:TargetGroup web",
        ]);
        const lb = resources.find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer" && r.name === "web")!;
        const group = resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === "web")!;
        expect(lb.inputs).to.deep.include({ loadBalancerType: "application", subnets: ["subnet-1", "subnet-2"], securityGroups: [group.id] });
        const listeners = resources.filter((r) => r.type === "aws:lb/listener:Listener" && r.name.startsWith("web-"));
        expect(listeners.map((l) => [l.inputs.port, l.inputs.protocol, l.inputs.loadBalancerArn])).to.deep.equal([[443, "HTTPS", lb.outputs.arn], [8080, "HTTP", lb.outputs.arn]]);
        expect(under("tcp")).to.deep.equal(["aws:lb/listener:Listener tcp-0", "aws:lb/loadBalancer:LoadBalancer tcp", "aws:lb/targetGroup:TargetGroup tcp"]);
        const repository = resources.find((r) => r.type === "aws:ecr/repository:Repository")!;
        expect([repository.name, repository.inputs.encryptionConfigurations]).to.deep.equal(["images", [{ encryptionType: "KMS", kmsKey: KEY }]]);
        expect(CONSTRUCTED_COMPONENTS).to.deep.equal(AWSX_BUILT_OFFLINE);
    });

    it("evasion: SSH opened by an awsx load balancer's default security group, an internet-facing NLB listener on SSH, and an awsx repository under AES256 are judged like declared ones", async () => {
        const report = await evaluate(() => {
            new awsx.lb.ApplicationLoadBalancer("web", {
                subnetIds: ["subnet-1"],
                defaultSecurityGroup: { args: { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] } },
            });
            new awsx.lb.NetworkLoadBalancer("bastion", { subnetIds: ["subnet-1"], listener: { port: 22 } });
            new awsx.ecr.Repository("images", {});
            new aws.ecr.Repository("declared", { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }] });
        });
        const found = (policy: string) => violations(report, policy).join("\n");
        expect(found("security-group-admin-ports")).to.include("web: port 22 admits the internet: 0.0.0.0/0");
        expect(found("security-group-admin-ports")).to.match(/bastion/);
        expect(found("customer-managed-key")).to.match(/^images: /m).and.not.match(/declared/);
    });
});
