import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { ConfigError, EnvironmentConfig, resolveEnvironmentConfig } from "../components";
import { register, validInput } from "./harness";

/**
 * The table-driven bad-input specs' shared parts: a valid set of arguments for each component,
 * built on resources the test creates first, and the assertion every row makes.
 */

/** One bad input: what changes, and what the error must say about it. */
export interface BadInput<A> {
    /** What is wrong, as the test title says it. */
    what: string;
    /** Makes the valid arguments (or config) bad. */
    change: (valid: A) => void;
    /** The argument path or config key named. */
    path: string;
    /** The bad value as the message shows it. */
    shows: string;
    /** What the message says is allowed. */
    allows: string;
}

/** What components are built on: a Kubernetes provider and two resources standing for the cluster and its nodes. */
export interface Context {
    provider: k8s.Provider;
    cluster: k8s.core.v1.Namespace;
    nodes: k8s.core.v1.Namespace;
    config: EnvironmentConfig;
}

export const CONTEXT_NAMES = ["ctx", "ctx-cluster", "ctx-nodes"];

export function context(): Context {
    const provider = new k8s.Provider("ctx", { kubeconfig: "{}" });
    return {
        provider,
        cluster: new k8s.core.v1.Namespace("ctx-cluster", {}, { provider }),
        nodes: new k8s.core.v1.Namespace("ctx-nodes", {}, { provider }),
        config: resolveEnvironmentConfig(validInput("dev")),
    };
}

export const KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/0b3a6c1e-1f1e-4f8e-9a55-0c2d3e4f5a6b";
export const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"];
export const WHERE = { clusterName: "acme-dev", accountId: "111122223333", region: "eu-west-1" };

/** A deep copy that keeps resources as they are. */
export function copy<T>(value: T): T {
    if (Array.isArray(value)) return value.map(copy) as T;
    if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) as T;
}

/**
 * Builds a component from its valid arguments with one thing made bad, and asserts it throws a
 * ConfigError naming the path, the value and what is allowed, before registering anything.
 */
export async function expectRefused<A>(build: (ctx: Context, args: A) => void, valid: (ctx: Context) => A, row: BadInput<A>): Promise<void> {
    let thrown: unknown;
    const registered = await register(() => {
        const ctx = context();
        const args = copy(valid(ctx));
        row.change(args);
        try {
            build(ctx, args);
        } catch (err) {
            thrown = err;
        }
    });
    expect(thrown, "no error").to.be.instanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems;
    const at = problems.filter((p) => p.path === row.path).map((p) => p.message);
    expect(at, `problems at ${row.path}: ${JSON.stringify(problems, null, 1)}`).to.have.length.greaterThan(0);
    expect(at.join(" | ")).to.include(row.shows).and.to.include(row.allows);
    expect(registered.all.map((r) => r.name).filter((n) => !CONTEXT_NAMES.includes(n))).to.deep.equal([]);
}

/** The valid arguments themselves build: a table's rows fail for their change alone. */
export async function expectBuilt<A>(build: (ctx: Context, args: A) => void, valid: (ctx: Context) => A): Promise<void> {
    const registered = await register(() => {
        const ctx = context();
        build(ctx, valid(ctx));
    });
    expect(registered.all.length).to.be.greaterThan(CONTEXT_NAMES.length);
}

/** One row of a table. */
export const row = <A>(what: string, change: (a: A) => void, path: string, shows: string, allows: string): BadInput<A> => ({ what, change, path, shows, allows });

/** A component's valid arguments, how it is built, and the bad inputs it must refuse. */
export interface Table<A> {
    name: string;
    valid: (ctx: Context) => A;
    build: (ctx: Context, args: A) => void;
    rows: BadInput<A>[];
}

/** A test that the valid arguments build, then one test per row. */
export function describeTables(title: string, tables: Table<any>[]): void {
    describe(title, () => {
        for (const table of tables) {
            describe(table.name, () => {
                it("builds from the valid arguments every row starts from", () => expectBuilt(table.build, table.valid));
                for (const r of table.rows) it(`refuses ${r.what}, naming ${r.path || "(root)"}`, () => expectRefused(table.build, table.valid, r));
            });
        }
    });
}
