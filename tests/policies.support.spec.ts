import { expect } from "chai";
import { exposure, internetShare, opensToInternet } from "../components/shared/addresses";
import { allows, anyonePrincipal, statements } from "../policy/policies/iamDocuments";
import { containersOf, kubernetesObjects, kubernetesType, podSpecOf } from "../policy/policies/kubernetes";

/** The pieces every guardrail reasons with: what a resource declares, what CIDRs cover, what a policy document allows. */
describe("guardrail helpers", () => {
    it("see a Kubernetes object however it was declared: typed, patched, or inside a ConfigGroup", () => {
        expect(kubernetesType("kubernetes:apps/v1:DeploymentPatch")).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", patch: true });
        expect(kubernetesType("kubernetes:core/v1:Namespace")).to.deep.equal({ apiVersion: "v1", kind: "Namespace", patch: false });
        expect(kubernetesType("kubernetes:karpenter.sh/v1:NodePool")).to.deep.equal({ apiVersion: "karpenter.sh/v1", kind: "NodePool", patch: false });
        expect(kubernetesType("aws:s3/bucket:Bucket")).to.equal(undefined);
        const group = kubernetesObjects("kubernetes:yaml/v2:ConfigGroup", {
            yaml: "apiVersion: v1\nkind: Namespace\nmetadata: {name: sneaky}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: x}]}}\n",
            objs: [{ apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "np" } }],
        });
        expect(group.map((o) => `${o.via} ${o.kind} ${o.object.metadata.name}`)).to.deep.equal(["ConfigGroup NodePool np", "ConfigGroup Namespace sneaky", "ConfigGroup Pod p"]);
        // A typed list holds its kind (items may leave it out), and a list inside a list is read through.
        const typed = kubernetesObjects("kubernetes:core/v1:PodList", { items: [{ metadata: { name: "a" } }, { kind: "List", items: [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" } }] }] });
        expect(typed.map((o) => `${o.via} ${o.apiVersion} ${o.kind} ${o.object.metadata.name}`)).to.deep.equal(["resource v1 Pod a", "resource apps/v1 Deployment d"]);
        // Parsed once per resource: every policy that asks gets the same objects.
        const props = { yaml: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n" };
        expect(kubernetesObjects("kubernetes:yaml/v2:ConfigGroup", props)).to.equal(kubernetesObjects("kubernetes:yaml/v2:ConfigGroup", props));
    });

    it("find every pod spec and container, CronJobs and init containers included", () => {
        const cron = { spec: { jobTemplate: { spec: { template: { spec: { initContainers: [{ name: "i" }], containers: [{ name: "c" }] } } } } } };
        const spec = podSpecOf("CronJob", cron)!;
        expect(containersOf(spec).map((c) => c.path)).to.deep.equal(["initContainers[0]", "containers[0]"]);
        expect(podSpecOf("ConfigMap", {})).to.equal(undefined);
    });

    it("judge CIDRs together: a split range is as open as the whole", () => {
        expect(opensToInternet(["0.0.0.0/0"], 65536)).to.equal(true);
        expect(opensToInternet(["0.0.0.0/1", "128.0.0.0/1"], 65536)).to.equal(true);
        expect(internetShare(["0.0.0.0/1", "128.0.0.0/1"])).to.equal(1);
        expect(opensToInternet(["203.0.113.0/24", "198.51.100.10/32"], 65536)).to.equal(false);
        // Private space is not the internet, however large.
        expect(exposure(["10.0.0.0/8", "172.16.0.0/12"]).ipv4).to.equal(0n);
        // Many small ranges add up.
        expect(opensToInternet(Array.from({ length: 300 }, (_, i) => `${20 + Math.floor(i / 256)}.${i % 256}.0.0/24`), 65536)).to.equal(true);
        expect(opensToInternet(["::/0"], 65536)).to.equal(true);
        expect(opensToInternet(["2001:db8::/56"], 65536)).to.equal(false);
        expect(opensToInternet(["not-a-cidr"], 65536), "what cannot be read is not trusted").to.equal(true);
    });

    it("read a policy document as what it allows", () => {
        const doc = JSON.stringify({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }, { Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" }] });
        const [notAction, open] = statements(doc);
        expect(allows(notAction, "s3:GetObject")).to.equal(true);
        expect(allows(notAction, "IAM:CreateUser")).to.equal(false);
        expect(anyonePrincipal(open)).to.equal(true);
        expect(anyonePrincipal(statements({ Statement: { Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111122223333:root"] }, Action: "*" } })[0])).to.equal(false);
        expect(statements("not json")).to.deep.equal([]);
    });
});
