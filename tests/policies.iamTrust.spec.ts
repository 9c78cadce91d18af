import * as aws from "@pulumi/aws";
import { scopedPodIdentityTrust, serviceTrust } from "../components/shared/iam";
import { evaluate, expectViolations } from "./guardrails";

const ACCOUNT = "111122223333";
const scope = { accountId: ACCOUNT, region: "eu-west-1", clusterName: "acme-dev", namespace: "payments", serviceAccount: "ledger" };

/** A policy document of these statements, as JSON. */
const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
/** A role trusting EC2, the usual carrier of identity policies here. */
const ec2Trust = JSON.stringify(serviceTrust("ec2.amazonaws.com"));

describe("IAM trust guardrails", () => {
    describe("iam-pod-identity-trust-scoped", () => {
        const P = "iam-pod-identity-trust-scoped";
        const role = (name: string, condition?: object) =>
            new aws.iam.Role(name, {
                assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"], ...(condition ? { Condition: condition } : {}) }),
            });
        const why = "(a wildcard, IfExists or ForAllValues condition does not pin): any Pod Identity association could hand the role to other pods";
        const ALL = "aws:SourceAccount, aws:RequestTag/eks-cluster-arn (or eks-cluster-name), aws:RequestTag/kubernetes-namespace, aws:RequestTag/kubernetes-service-account";

        it("passes envstack's scopedPodIdentityTrust and the cluster-name variant; flags a bare pods.eks trust", async () => {
            const report = await evaluate(() => {
                new aws.iam.Role("scoped", { assumeRolePolicy: JSON.stringify(scopedPodIdentityTrust(scope)) });
                role("by-cluster-name", {
                    StringEquals: { "aws:SourceAccount": ACCOUNT, "aws:RequestTag/eks-cluster-name": "acme-dev" },
                    StringLike: { "aws:RequestTag/kubernetes-namespace": "payments", "aws:RequestTag/kubernetes-service-account": "ledger-*" },
                });
                role("bare");
                new aws.iam.Role("ec2", { assumeRolePolicy: ec2Trust });
            }, { only: P });
            expectViolations(report, P, [`bare: assumeRolePolicy: Statement[0] trusts pods.eks.amazonaws.com without pinning ${ALL} ${why}`]);
        });

        it("evasion: Pod Identity through Principal \"*\" or NotPrincipal narrowed by aws:SourceAccount, and lists of short wildcards that together match every name", async () => {
            const any = [..."abcdefghijklmnopqrstuvwxyz0123456789"].map((c) => `*${c}*`);
            const prefixes = [..."abcdefghijklmnopqrstuvwxyz0123456789"].map((c) => `${c}*`);
            const star = (name: string, statement: object) => new aws.iam.Role(name, { assumeRolePolicy: doc({ Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], ...statement }) });
            const report = await evaluate(() => {
                star("star-source-account", { Principal: "*", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } });
                star("not-principal", { NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } });
                star("star-principal-arn", { Principal: { AWS: "*" }, Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/deployer` } } });
                role("letter-lists", {
                    StringEquals: { "aws:SourceAccount": ACCOUNT },
                    StringLike: { "aws:RequestTag/eks-cluster-name": any, "aws:RequestTag/kubernetes-namespace": prefixes, "aws:RequestTag/kubernetes-service-account": any },
                });
                role("namespace-star", {
                    StringEquals: { "aws:SourceAccount": ACCOUNT, "aws:RequestTag/eks-cluster-name": "prod" },
                    StringLike: { "aws:RequestTag/kubernetes-namespace": "*", "aws:RequestTag/kubernetes-service-account": "app" },
                });
            }, { only: P });
            const tags = "aws:RequestTag/eks-cluster-arn (or eks-cluster-name), aws:RequestTag/kubernetes-namespace, aws:RequestTag/kubernetes-service-account";
            expectViolations(report, P, [
                `star-source-account: assumeRolePolicy: Statement[0] trusts pods.eks.amazonaws.com (through Principal "*") without pinning ${tags} ${why}`,
                `not-principal: assumeRolePolicy: Statement[0] trusts pods.eks.amazonaws.com (through NotPrincipal) without pinning ${tags} ${why}`,
                `letter-lists: assumeRolePolicy: Statement[0] trusts pods.eks.amazonaws.com without pinning ${tags} ${why}`,
                `namespace-star: assumeRolePolicy: Statement[0] trusts pods.eks.amazonaws.com without pinning aws:RequestTag/kubernetes-namespace ${why}`,
            ]);
        });

        it("evasion: only aws:SourceAccount, wildcard tag values, IfExists, and the same trust through Cloud Control", async () => {
            const report = await evaluate(() => {
                role("account-only", { StringEquals: { "aws:SourceAccount": ACCOUNT } });
                role("wildcards", {
                    StringEquals: { "aws:SourceAccount": ACCOUNT },
                    StringLike: { "aws:RequestTag/eks-cluster-arn": `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/*`, "aws:RequestTag/kubernetes-namespace": "*", "aws:RequestTag/kubernetes-service-account": "*" },
                });
                role("if-exists", {
                    StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT, "aws:RequestTag/eks-cluster-name": "acme-dev", "aws:RequestTag/kubernetes-namespace": "payments", "aws:RequestTag/kubernetes-service-account": "ledger" },
                });
                new aws.cloudcontrol.Resource("cc-role", {
                    typeName: "AWS::IAM::Role",
                    desiredState: JSON.stringify({ AssumeRolePolicyDocument: { Statement: [{ Effect: "Allow", Principal: { Service: ["pods.eks.amazonaws.com"] }, Action: "sts:*" }] } }),
                });
            }, { only: P });
            expectViolations(report, P, [
                `account-only: assumeRolePolicy: Statement[0] trusts pods.eks.amazonaws.com without pinning aws:RequestTag/eks-cluster-arn (or eks-cluster-name), aws:RequestTag/kubernetes-namespace, aws:RequestTag/kubernetes-service-account ${why}`,
                `wildcards: assumeRolePolicy: Statement[0] trusts pods.eks.amazonaws.com without pinning aws:RequestTag/eks-cluster-arn (or eks-cluster-name), aws:RequestTag/kubernetes-namespace, aws:RequestTag/kubernetes-service-account ${why}`,
                `if-exists: assumeRolePolicy: Statement[0] trusts pods.eks.amazonaws.com without pinning ${ALL} ${why}`,
                `cc-role: desiredState.AssumeRolePolicyDocument: Statement[0] trusts pods.eks.amazonaws.com without pinning ${ALL} ${why}`,
            ]);
        });

        it("evasion: tag conditions whose values are policy variables of the tags they test", async () => {
            const report = await evaluate(() => {
                role("self-variable", {
                    StringEquals: {
                        "aws:SourceAccount": ACCOUNT,
                        "aws:RequestTag/eks-cluster-name": "prod",
                        "aws:RequestTag/kubernetes-namespace": "${aws:RequestTag/kubernetes-namespace}",
                        "aws:RequestTag/kubernetes-service-account": "ledger-${aws:RequestTag/kubernetes-service-account}",
                    },
                });
            }, { only: P });
            expectViolations(report, P, [`self-variable: assumeRolePolicy: Statement[0] trusts pods.eks.amazonaws.com without pinning aws:RequestTag/kubernetes-namespace, aws:RequestTag/kubernetes-service-account ${why}`]);
        });
    });

    describe("iam-trust-not-public", () => {
        const P = "iam-trust-not-public";
        const trust = (name: string, statement: object) => new aws.iam.Role(name, { assumeRolePolicy: doc({ Effect: "Allow", ...statement }) });
        const github = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
        const eksOidc = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;

        it("passes account, service and scoped OIDC trust; flags Principal \"*\"", async () => {
            const report = await evaluate(() => {
                trust("account", { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/platform-admin` }, Action: "sts:AssumeRole" });
                trust("service", { Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
                trust("org", { Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } });
                trust("github-repo", {
                    Principal: { Federated: github },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/app:*" } },
                });
                trust("anyone", { Principal: "*", Action: "sts:AssumeRole" });
            }, { only: P });
            expectViolations(report, P, ['anyone: assumeRolePolicy: Statement[0] lets anyone (Principal "*") sts:AssumeRole with no condition on who']);
        });

        it("evasion: {AWS: [\"*\"]} with sts:*, a TLS-only condition, OIDC with only aud or a wildcard owner, and Cloud Control", async () => {
            const report = await evaluate(() => {
                trust("aws-list", { Principal: { AWS: ["*"] }, Action: "sts:*" });
                trust("tls-only", { Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:SecureTransport": "true" } } });
                trust("github-aud-only", { Principal: { Federated: github }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } } });
                trust("github-any-repo", { Principal: { Federated: github }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } } });
                trust("eks-any-namespace", {
                    Principal: { Federated: eksOidc },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringLike: { "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:*:default" } },
                });
                new aws.cloudcontrol.Resource("cc-role", { typeName: "AWS::IAM::Role", desiredState: JSON.stringify({ AssumeRolePolicyDocument: { Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }] } }) });
            }, { only: P });
            expectViolations(report, P, [
                'aws-list: assumeRolePolicy: Statement[0] lets anyone (Principal "*") sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML with no condition on who',
                'tls-only: assumeRolePolicy: Statement[0] lets anyone (Principal "*") sts:AssumeRole with no condition on who',
                "github-aud-only: assumeRolePolicy: Statement[0] lets any identity of token.actions.githubusercontent.com assume the role: no token.actions.githubusercontent.com:sub condition",
                'github-any-repo: assumeRolePolicy: Statement[0] lets any identity of token.actions.githubusercontent.com assume the role: token.actions.githubusercontent.com:sub ["repo:*"] names no single owner',
                'eks-any-namespace: assumeRolePolicy: Statement[0] lets any identity of oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE assume the role: oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub ["system:serviceaccount:*:default"] names no single owner',
                'cc-role: desiredState.AssumeRolePolicyDocument: Statement[0] lets anyone (Principal "*") sts:AssumeRole with no condition on who',
            ]);
        });

        it("evasion: OIDC subjects that name no owner in their provider's format (Terraform Cloud, GitLab, GitHub), Cognito guests, and a trust policy that cannot be read", async () => {
            const oidc = (name: string, provider: string, condition: object) =>
                trust(name, { Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${provider}` }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition });
            const cognito = (name: string, condition: object) => trust(name, { Principal: { Federated: "cognito-identity.amazonaws.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition });
            const pool = { "cognito-identity.amazonaws.com:aud": "eu-west-1:0f8a7b6c-1234-4d5e-8f90-abcdef012345" };
            const report = await evaluate(() => {
                oidc("tfc-any-org", "app.terraform.io", { StringLike: { "app.terraform.io:sub": "organization:*:project:*:workspace:*:run_phase:*" } });
                oidc("tfc-org", "app.terraform.io", { StringLike: { "app.terraform.io:sub": "organization:acme:project:*:workspace:*:run_phase:*" } });
                oidc("gitlab-any-group", "gitlab.com", { StringLike: { "gitlab.com:sub": "project_path:*/app:ref_type:branch:ref:main" } });
                oidc("github-any-owner", "token.actions.githubusercontent.com", { StringLike: { "token.actions.githubusercontent.com:sub": "repository_owner:*" } });
                oidc("github-any-repo", "token.actions.githubusercontent.com", { StringLike: { "token.actions.githubusercontent.com:sub": ["repo:*/*:ref:refs/heads/main"] } });
                cognito("cognito-guest", { StringEquals: pool, "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "unauthenticated" } });
                cognito("cognito-any-amr", { StringEquals: pool });
                cognito("cognito-authenticated", { StringEquals: pool, "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" } });
                new aws.iam.Role("unreadable", { assumeRolePolicy: "Allow everyone" });
            }, { only: P });
            const guests = 'lets unauthenticated (guest) identities of cognito-identity.amazonaws.com assume the role: require ForAnyValue:StringLike cognito-identity.amazonaws.com:amr "authenticated"';
            const noOwner = (name: string, provider: string, sub: string) =>
                `${name}: assumeRolePolicy: Statement[0] lets any identity of ${provider} assume the role: ${provider}:sub ${JSON.stringify([sub])} names no single owner`;
            expectViolations(report, P, [
                noOwner("tfc-any-org", "app.terraform.io", "organization:*:project:*:workspace:*:run_phase:*"),
                noOwner("gitlab-any-group", "gitlab.com", "project_path:*/app:ref_type:branch:ref:main"),
                noOwner("github-any-owner", "token.actions.githubusercontent.com", "repository_owner:*"),
                noOwner("github-any-repo", "token.actions.githubusercontent.com", "repo:*/*:ref:refs/heads/main"),
                `cognito-guest: assumeRolePolicy: Statement[0] ${guests}`,
                `cognito-any-amr: assumeRolePolicy: Statement[0] ${guests}`,
                "unreadable: assumeRolePolicy is not JSON: the guardrails cannot tell what it allows; give a JSON policy document with a Statement",
            ]);
        });

        it("with trustedAccounts set, trust in another account is reported", async () => {
            const build = () => trust("partner", { Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" });
            expectViolations(await evaluate(build, { only: P }), P, []);
            expectViolations(await evaluate(build, { only: P, config: { [P]: { trustedAccounts: [ACCOUNT] } } }), P, [
                "partner: assumeRolePolicy: Statement[0] trusts account(s) 999999999999, not among trustedAccounts",
            ]);
        });

        it("evasion: an OIDC subject whose owner is a policy variable", async () => {
            const report = await evaluate(() => {
                trust("github-variable", {
                    Principal: { Federated: github },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringEquals: { "token.actions.githubusercontent.com:sub": "repo:${token.actions.githubusercontent.com:repository_owner}/app:ref:refs/heads/main" } },
                });
            }, { only: P });
            expectViolations(report, P, [
                'github-variable: assumeRolePolicy: Statement[0] lets any identity of token.actions.githubusercontent.com assume the role: token.actions.githubusercontent.com:sub ["repo:${token.actions.githubusercontent.com:repository_owner}/app:ref:refs/heads/main"] names no single owner',
            ]);
        });
    });
});
