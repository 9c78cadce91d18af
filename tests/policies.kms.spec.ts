import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { evaluate, expectViolations } from "./guardrails";

describe("KMS guardrails", () => {
    describe("kms-key-rotation", () => {
        it("passes rotating symmetric keys; flags static ones; asymmetric keys are not applicable", async () => {
            const report = await evaluate(() => {
                new aws.kms.Key("rotating", { enableKeyRotation: true });
                new aws.kms.Key("static", {});
                new aws.kms.Key("signing", { customerMasterKeySpec: "ECC_NIST_P256", keyUsage: "SIGN_VERIFY" });
            }, { only: "kms-key-rotation" });
            expectViolations(report, "kms-key-rotation", ["static: key rotation is off: set enableKeyRotation: true"]);
            expect(report.notApplicable.map((n) => n.reason)).to.deep.equal(["ECC_NIST_P256 keys cannot rotate automatically"]);
        });

        it("evasion: rotation on, but once every seven years; the maximum is config", async () => {
            const build = () => {
                new aws.kms.Key("yearly", { enableKeyRotation: true, rotationPeriodInDays: 365 });
                new aws.kms.Key("seven-years", { enableKeyRotation: true, rotationPeriodInDays: 2560 });
            };
            expectViolations(await evaluate(build, { only: "kms-key-rotation" }), "kms-key-rotation", ["seven-years: rotationPeriodInDays is 2560; at most 365 is allowed here"]);
            const strict = await evaluate(build, { only: "kms-key-rotation", config: { "kms-key-rotation": { maxRotationPeriodInDays: 180 } } });
            expectViolations(strict, "kms-key-rotation", ["yearly: rotationPeriodInDays is 365; at most 180 is allowed here", "seven-years: rotationPeriodInDays is 2560; at most 180 is allowed here"]);
        });

        it("evasion: a symmetric key spelt out explicitly, or kept in a custom key store, where KMS cannot rotate it", async () => {
            const report = await evaluate(() => {
                new aws.kms.Key("explicit", { customerMasterKeySpec: "SYMMETRIC_DEFAULT", keyUsage: "ENCRYPT_DECRYPT", enableKeyRotation: false });
                new aws.kms.Key("hsm", { customKeyStoreId: "cks-1234567890abcdef0", enableKeyRotation: true });
            }, { only: "kms-key-rotation" });
            expectViolations(report, "kms-key-rotation", ["explicit: key rotation is off: set enableKeyRotation: true", "hsm: the key is in a custom key store, where KMS cannot rotate it: use a standard key"]);
        });

        it("evasion: rotation on as the string \"true\" but the period as the string \"2560\", which the provider converts", async () => {
            const report = await evaluate(() => {
                new aws.kms.Key("slow", { enableKeyRotation: "true" as never, rotationPeriodInDays: "2560" as never });
                new aws.kms.Key("off", { enableKeyRotation: "false" as never });
            }, { only: "kms-key-rotation" });
            expectViolations(report, "kms-key-rotation", ["slow: rotationPeriodInDays is 2560; at most 365 is allowed here", "off: key rotation is off: set enableKeyRotation: true"]);
        });
    });

    describe("kms-imported-key-material", () => {
        const IMPORTED = "its key material is imported: KMS cannot rotate it, and everything it encrypts is lost if the material expires or is deleted without a copy kept";
        it("passes keys with KMS's own material; flags imported material", async () => {
            const report = await evaluate(() => {
                new aws.kms.Key("generated", { enableKeyRotation: true });
                new aws.kms.ExternalKey("imported", { keyMaterialBase64: Buffer.alloc(32).toString("base64") });
            }, { only: "kms-imported-key-material" });
            expectViolations(report, "kms-imported-key-material", [`imported: ${IMPORTED}`]);
        });

        it("evasion: a multi-Region replica of an imported key, and a key in an external key store", async () => {
            const report = await evaluate(() => {
                new aws.kms.ReplicaExternalKey("replica", { primaryKeyArn: "arn:aws:kms:us-east-1:111122223333:key/mrk-1234" });
                new aws.kms.Key("xks", { customKeyStoreId: "cks-1234567890abcdef0", xksKeyId: "external-key-1" });
            }, { only: "kms-imported-key-material" });
            expectViolations(report, "kms-imported-key-material", [
                `replica: ${IMPORTED}`,
                "xks: its key material is in an external key store, outside AWS: KMS can neither rotate nor guarantee it",
            ]);
        });
    });
});
