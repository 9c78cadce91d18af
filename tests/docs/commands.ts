import { parse as parseShell } from "shell-quote";
import type { Command } from "./markdown";

/**
 * The flags of the command-line tools the docs show but no test can run here (no Pulumi CLI, no
 * AWS account, no cluster), for the versions envstack documents. A documented command with a
 * subcommand or flag not listed fails the docs test. Sources: the Pulumi CLI reference
 * (pulumi.com/docs/iac/cli/commands), the AWS CLI v2 reference, kubectl's reference.
 */
export const PULUMI_FLAGS: Record<string, string[]> = {
    login: ["--local", "--cloud-url"],
    "stack init": ["--secrets-provider", "--copy-config-from", "--stack", "-s"],
    "stack rm": ["--preserve-config", "--force", "--yes", "--stack", "-s"],
    preview: ["--stack", "-s", "--policy-pack", "--policy-pack-config", "--diff", "--refresh"],
    up: ["--stack", "-s", "--policy-pack", "--policy-pack-config", "--diff", "--yes", "-y", "--refresh", "--skip-preview"],
    destroy: ["--stack", "-s", "--yes", "-y", "--exclude-protected", "--refresh", "--remove"],
    "state unprotect": ["--all", "--stack", "-s", "--yes", "-y"],
};

export const AWS_FLAGS: Record<string, string[]> = {
    "sts get-caller-identity": [],
    "iam create-policy": ["--policy-name", "--policy-document"],
    "iam create-open-id-connect-provider": ["--url", "--client-id-list"],
    "iam create-role": ["--role-name", "--assume-role-policy-document"],
    "iam attach-role-policy": ["--role-name", "--policy-arn"],
    "iam create-service-linked-role": ["--aws-service-name"],
    "kms create-key": ["--region", "--description"],
    "kms enable-key-rotation": ["--region", "--key-id"],
    "kms create-alias": ["--region", "--alias-name", "--target-key-id"],
    "s3api create-bucket": ["--bucket", "--region", "--create-bucket-configuration"],
    "s3api put-bucket-versioning": ["--bucket", "--versioning-configuration"],
    "s3api put-public-access-block": ["--bucket", "--public-access-block-configuration"],
    "s3api put-bucket-encryption": ["--bucket", "--server-side-encryption-configuration"],
    "eks update-kubeconfig": ["--name", "--region", "--role-arn"],
    "secretsmanager create-secret": ["--name", "--kms-key-id", "--secret-string", "--region"],
    "ssm put-parameter": ["--name", "--type", "--key-id", "--value", "--region"],
};

export const KUBECTL_FLAGS: Record<string, string[]> = {
    get: ["-n", "--namespace", "--all-namespaces", "-A", "-o", "--field-selector"],
    "port-forward": ["-n", "--namespace"],
};

/** A command split into words: `<placeholders>` kept as words, a `> file` redirect split off. */
export interface Words {
    words: string[];
    redirect?: string;
}

/** Splits a command as the shell would (quotes, no expansion); `<stack>` and the like stay words. */
export function words(command: Command | string): Words {
    // `<placeholders>` stay words; a command substitution `$(...)` stands for one word.
    const text = (typeof command === "string" ? command : command.text).replace(/<([\w-]+)>/g, "__PLACEHOLDER_$1__").replace(/\$\([^)]*\)/g, "__SUBSTITUTION__");
    const tokens = parseShell(text, (name) => `$${name}`);
    const out: string[] = [];
    let redirect: string | undefined;
    for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i];
        if (typeof t === "string") out.push(t.replace(/__PLACEHOLDER_([\w-]+)__/g, "<$1>"));
        else if ("op" in t && t.op === ">" && typeof tokens[i + 1] === "string") redirect = tokens[++i] as string;
        else throw new Error(`cannot read "${text}": shell syntax the docs test does not follow (${JSON.stringify(t)})`);
    }
    return { words: out, ...(redirect ? { redirect } : {}) };
}

/** The subcommand (the longest key of `table` the words start with) and the flags with their values. */
export function subcommand(table: Record<string, string[]>, args: string[]): { name: string; flags: Map<string, string | true>; positional: string[] } {
    const name = Object.keys(table)
        .filter((k) => k.split(" ").every((w, i) => args[i] === w))
        .sort((a, b) => b.split(" ").length - a.split(" ").length)[0];
    if (name === undefined) throw new Error(`unknown subcommand "${args.slice(0, 2).join(" ")}"; known: ${Object.keys(table).join(", ")}`);
    const rest = args.slice(name.split(" ").length);
    const flags = new Map<string, string | true>();
    const positional: string[] = [];
    for (let i = 0; i < rest.length; i++) {
        const word = rest[i];
        if (!word.startsWith("-")) {
            positional.push(word);
            continue;
        }
        const [flag, inline] = word.split(/=(.*)/s, 2);
        if (!table[name].includes(flag)) throw new Error(`"${name}" has no flag ${flag}; it takes ${table[name].join(", ") || "none"}`);
        const takesValue = rest[i + 1] !== undefined && !rest[i + 1].startsWith("-") && !BOOLEAN_FLAGS.includes(flag);
        flags.set(flag, inline ?? (takesValue ? rest[++i] : true));
    }
    return { name, flags, positional };
}

const BOOLEAN_FLAGS = ["--local", "--diff", "--yes", "-y", "--all", "--preserve-config", "--force", "--all-namespaces", "-A", "--exclude-protected", "--remove", "--skip-preview"];
