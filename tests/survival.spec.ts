import { expect } from "chai";
import { planStack } from "./harness";

/** What each tier keeps when `pulumi destroy` runs, as docs/components.md states it. */
describe("what survives a destroy, per tier", () => {
    const expected = {
        dev: { deletionProtection: false, protected: false, logsRetained: false },
        staging: { deletionProtection: true, protected: false, logsRetained: false },
        prod: { deletionProtection: true, protected: true, logsRetained: true },
    };
    for (const [stack, want] of Object.entries(expected)) {
        it(`${stack}: cluster deletion protection ${want.deletionProtection}, data protected ${want.protected}, audit logs kept ${want.logsRetained}`, async () => {
            const r = (await planStack(stack)).registered;
            expect(r.one("eks:index:Cluster").inputs.deletionProtection).to.equal(want.deletionProtection);
            for (const type of ["aws:kms/key:Key", "aws:efs/fileSystem:FileSystem"]) expect(r.one(type).protect, type).to.equal(want.protected);
            // The control-plane and flow logs are audit evidence in prod: a destroy leaves them, still encrypted with the (protected) key.
            const groups = r.ofType("aws:cloudwatch/logGroup:LogGroup");
            const audit = groups.filter((g) => /\/cluster$|\/flow-logs$/.test(String(g.inputs.name)));
            expect(audit.map((g) => String(g.inputs.name)).sort()).to.deep.equal([`/aws/eks/acme-${stack}/cluster`, `/aws/vpc/acme-${stack}/flow-logs`]);
            for (const g of audit) expect(g.retainOnDelete, String(g.inputs.name)).to.equal(want.logsRetained);
            for (const g of groups.filter((x) => !audit.includes(x))) expect(g.retainOnDelete, String(g.inputs.name)).to.equal(false);
        });
    }
});
