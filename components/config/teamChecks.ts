import { partitionOf, REGION_PATTERN, ROLE_ARN_PATTERN } from "../shared/aws";
import { RESERVED_NAMESPACES } from "../shared/naming";
import { formatBytes, parseQuantity } from "../shared/quantity";
import type { Problems } from "./errors";
import { iamAction } from "./iamActions";
import { gpuCapacity } from "./gpuChecks";
import { instanceTypeInfo } from "./instanceTypes";
import { teamAllowance } from "./teamPresets";
import type { TeamConfig } from "./types";
import { TEAM_SIZES } from "./types";

/**
 * Checks of team entries. Like the other checks they read raw input defensively (the schema
 * reports wrong types), so every problem of every team is reported in one go.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const CLUSTER_ROLE = /^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/;
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const ARN = /^arn:(aws|aws-cn|aws-us-gov):[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;
const CPU_FIELDS = { requests: "requestsCpu", limits: "limitsCpu" } as const;
const MEMORY_FIELDS = { requests: "requestsMemory", limits: "limitsMemory" } as const;

/** What a team's entry is checked against. */
export interface TeamContext {
    region?: string;
    /** Cluster admin roles: a team role may not be one (one access entry per principal). */
    adminRoleArns?: string[];
    /** StorageClasses a team may be granted storage in; undefined when unknown. */
    storageClasses?: string[];
    /** What the team's resources are named after (`<environment>-<team>`), for IAM's name limit; undefined when unknown. */
    resourcePrefix?: string;
}

/** Every team entry, names unique, roles unique, and the sum of requests within the ceiling. */
export function checkTeams(root: Obj, problems: Problems): void {
    const teams = list(root.teams);
    const cluster = obj(root.cluster);
    const context: TeamContext = {
        region: str(root.region),
        adminRoleArns: list(cluster.adminRoleArns).filter((a): a is string => typeof a === "string"),
        storageClasses: storageClassNames(obj(root.storage)),
    };
    const seenNames = new Map<string, number>();
    const seenRoles = new Map<string, number>();
    teams.forEach((raw, i) => {
        const path = `teams[${i}]`;
        const team = obj(raw);
        checkTeam(path, team, { ...context, resourcePrefix: `${str(root.name) ?? ""}-${str(team.name) ?? ""}` }, problems);
        const name = str(team.name);
        if (name !== undefined && seenNames.has(name)) problems.bad(`${path}.name`, name, `allowed: a name no other team has; teams[${seenNames.get(name)}] is already ${name}`);
        else if (name !== undefined) seenNames.set(name, i);
        const role = str(team.roleArn);
        if (role !== undefined && seenRoles.has(role)) {
            problems.bad(`${path}.roleArn`, role, `allowed: a role no other team has (EKS keeps one access entry per role); teams[${seenRoles.get(role)}] already uses it`);
        } else if (role !== undefined) seenRoles.set(role, i);
    });
    checkOvercommit(root, teams, problems);
}

/** The StorageClasses an environment's storage config creates. */
export function storageClassNames(storage: Obj): string[] {
    const extra = list(storage.extraClasses).map((c) => str(obj(c).name)).filter((n): n is string => n !== undefined);
    return ["gp3", ...extra, ...(obj(storage.efs).enabled === false ? [] : ["efs"])];
}

/** One team entry on its own: name, role, quota, limits, extra rights and service accounts. */
export function checkTeam(path: string, team: Obj, context: TeamContext, problems: Problems): void {
    const name = str(team.name);
    if (name !== undefined) {
        if (!DNS_LABEL.test(name)) problems.bad(`${path}.name`, name, "allowed: a DNS-1123 label (lowercase letters, digits and '-', 1 to 63 characters, starting and ending alphanumeric)");
        else if (RESERVED_NAMESPACES.includes(name) || name.startsWith("kube-")) {
            problems.bad(`${path}.name`, name, `allowed: any name but ${RESERVED_NAMESPACES.join(", ")} or kube-*, which Kubernetes and envstack use`);
        }
    }
    checkRole(`${path}.roleArn`, team.roleArn, context, problems);
    if (team.egress === "restricted" && list(team.serviceAccounts).length > 0) {
        problems.bad(`${path}.egress`, team.egress, "allowed: open for a team with serviceAccounts; restricted egress reaches only DNS and the namespace, not the Pod Identity agent or AWS APIs");
    }
    const size = str(team.size) ?? "small";
    if (!(TEAM_SIZES as readonly string[]).includes(size)) return; // the schema reports it; there is no preset to check against
    const quota = obj(team.quota);
    const limits = obj(team.limits);
    const allowance = teamAllowance({ size: size as TeamConfig["size"], quota: stringsOnly(quota), limits: stringsOnly(limits) });
    const merged = { quota: { ...allowance.quota } as Obj, limits: { ...allowance.limits } as Obj };
    checkQuantities(`${path}.quota`, quota, ["requestsCpu", "limitsCpu", "requestsMemory", "limitsMemory", "requestsStorage"], problems);
    checkQuantities(`${path}.limits`, limits, ["defaultCpu", "defaultMemory", "defaultRequestCpu", "defaultRequestMemory", "maxCpu", "maxMemory"], problems);
    checkStorageByClass(`${path}.quota.storageByClass`, quota.storageByClass, context.storageClasses, problems);
    for (const fields of [CPU_FIELDS, MEMORY_FIELDS]) {
        const requests = quantity(merged.quota[fields.requests]);
        const limit = quantity(merged.quota[fields.limits]);
        if (requests !== undefined && limit !== undefined && requests > limit) {
            const at = fields.requests in quota ? fields.requests : fields.limits;
            problems.bad(`${path}.quota.${at}`, merged.quota[at], `allowed: quota.${fields.requests} (${merged.quota[fields.requests]}) at most quota.${fields.limits} (${merged.quota[fields.limits]})`);
        }
    }
    checkLimitOrder(path, merged, "Cpu", limits, problems);
    checkLimitOrder(path, merged, "Memory", limits, problems);
    checkClusterRoles(`${path}.clusterRoles`, team.clusterRoles, problems);
    checkServiceAccounts(`${path}.serviceAccounts`, team.serviceAccounts, context.resourcePrefix, problems);
}

function checkRole(path: string, value: unknown, context: TeamContext, problems: Problems): void {
    const arn = str(value);
    if (arn === undefined) return;
    const match = ROLE_ARN_PATTERN.exec(arn);
    if (!match) problems.bad(path, arn, "allowed: an IAM role ARN like arn:aws:iam::123456789012:role/payments-developers");
    else if (context.region && REGION_PATTERN.test(context.region) && match[1] !== partitionOf(context.region)) {
        problems.bad(path, arn, `allowed: a role in partition ${partitionOf(context.region)} (the region's partition)`);
    } else if (context.adminRoleArns?.includes(arn)) {
        problems.bad(path, arn, "allowed: a role that is not a cluster admin (cluster.adminRoleArns); EKS keeps one access entry per role");
    }
}

function checkQuantities(path: string, values: Obj, fields: string[], problems: Problems): void {
    for (const field of fields) {
        const value = values[field];
        if (value === undefined) continue;
        const parsed = quantity(value);
        if (parsed === undefined || parsed < 0) problems.bad(`${path}.${field}`, value, "allowed: a Kubernetes quantity like 500m, 4 or 16Gi (binary suffixes Ki Mi Gi Ti; decimal k M G T)");
    }
}

function checkStorageByClass(path: string, value: unknown, classes: string[] | undefined, problems: Problems): void {
    for (const [name, size] of Object.entries(obj(value))) {
        if (classes !== undefined && !classes.includes(name)) {
            problems.bad(`${path}.${name}`, size, `the environment has no StorageClass ${name}; allowed classes: ${classes.join(", ")}`);
        } else if ((quantity(size) ?? -1) < 0) {
            problems.bad(`${path}.${name}`, size, "allowed: a storage quantity like 200Gi or 1Ti");
        }
    }
}

/** The API server refuses a LimitRange whose default request exceeds its default limit, or a default over the max. */
function checkLimitOrder(path: string, merged: { quota: Obj; limits: Obj }, resource: "Cpu" | "Memory", own: Obj, problems: Problems): void {
    const chain = [`defaultRequest${resource}`, `default${resource}`, `max${resource}`];
    for (let i = 0; i + 1 < chain.length; i++) {
        const low = quantity(merged.limits[chain[i]]);
        const high = quantity(merged.limits[chain[i + 1]]);
        if (low === undefined || high === undefined || low <= high) continue;
        // Name the field the team set; if it set both or neither, the higher one.
        const field = chain[i + 1] in own || !(chain[i] in own) ? chain[i + 1] : chain[i];
        const other = field === chain[i] ? chain[i + 1] : chain[i];
        const relation = field === chain[i] ? "at most" : "at least";
        problems.bad(`${path}.limits.${field}`, merged.limits[field], `allowed: ${relation} limits.${other} (${merged.limits[other]})`);
    }
    const max = quantity(merged.limits[`max${resource}`]);
    const ceiling = quantity(merged.quota[`limits${resource}`]);
    if (max !== undefined && ceiling !== undefined && max > ceiling) {
        problems.bad(`${path}.limits.max${resource}`, merged.limits[`max${resource}`], `allowed: at most quota.limits${resource} (${merged.quota[`limits${resource}`]}); a larger container could never start`);
    }
}

function checkClusterRoles(path: string, value: unknown, problems: Problems): void {
    const roles = list(value);
    roles.forEach((role, i) => {
        if (typeof role !== "string") return;
        if (!CLUSTER_ROLE.test(role)) problems.bad(`${path}[${i}]`, role, "allowed: a ClusterRole name like view or admin");
        else if (role === "cluster-admin" || role.startsWith("system:")) {
            problems.bad(`${path}[${i}]`, role, "allowed: a namespaced role like view or admin; cluster-admin and system:* roles would let the team out of its namespace");
        } else if (roles.indexOf(role) !== i) problems.bad(`${path}[${i}]`, role, "allowed: each role once; this one is a duplicate");
    });
}

/** IAM role names: 64 characters, of which Pulumi's random suffix takes 8. */
const ROLE_NAME_ROOM = 64 - 8;

/** An ARN that names every resource of its service: nothing but wildcards after the account (`arn:aws:s3:::*`). */
const everyResource = (arn: string) => /^arn:[^:]*:[^:]*:[^:]*:[^:]*:[*?]*$/.test(arn);

function checkServiceAccounts(path: string, value: unknown, resourcePrefix: string | undefined, problems: Problems): void {
    const accounts = list(value);
    const names = accounts.map((a) => str(obj(a).name));
    accounts.forEach((raw, i) => {
        const account = obj(raw);
        const name = str(account.name);
        if (name !== undefined && !DNS_LABEL.test(name)) problems.bad(`${path}[${i}].name`, name, "allowed: a DNS-1123 label like ledger-reader");
        else if (name !== undefined && names.indexOf(name) !== i) problems.bad(`${path}[${i}].name`, name, "allowed: each service account once; this one is a duplicate");
        else if (name !== undefined && resourcePrefix !== undefined && resourcePrefix.length + 1 + name.length > ROLE_NAME_ROOM) {
            problems.bad(`${path}[${i}].name`, name, `allowed: at most ${ROLE_NAME_ROOM - 1 - resourcePrefix.length} characters here: its IAM role is named "${resourcePrefix}-${name}" plus an 8-character suffix, and IAM allows 64`);
        }
        list(account.statements).forEach((statement, j) => {
            const at = `${path}[${i}].statements[${j}]`;
            const scoped: string[] = [];
            list(obj(statement).actions).forEach((action, k) => {
                if (typeof action !== "string") return;
                if (action.includes("*") || action.includes("?")) {
                    problems.bad(`${at}.actions[${k}]`, action, "allowed: explicit actions like s3:GetObject; wildcards grant whatever the service adds later");
                    return;
                }
                if (!IAM_ACTION.test(action)) {
                    problems.bad(`${at}.actions[${k}]`, action, "allowed: an IAM action like s3:GetObject");
                    return;
                }
                const known = iamAction(action);
                if (!known.known) {
                    const service = action.split(":")[0];
                    problems.bad(`${at}.actions[${k}]`, action, known.service ? `allowed: an action ${service} has (AWS's Service Authorization Reference lists none by that name)` : `allowed: an action of an AWS service; there is no service "${service}"`);
                } else if (known.resourceLevel) scoped.push(known.name);
            });
            list(obj(statement).resources).forEach((resource, k) => {
                if (typeof resource === "string" && resource !== "*" && !ARN.test(resource)) {
                    problems.bad(`${at}.resources[${k}]`, resource, "allowed: an ARN like arn:aws:s3:::ledger-exports/payments/*, or * for actions without resource-level permissions");
                } else if (typeof resource === "string" && (resource === "*" || everyResource(resource)) && scoped.length > 0) {
                    problems.bad(`${at}.resources[${k}]`, resource, `allowed: the ARNs ${scoped.join(", ")} may act on; ${scoped.length > 1 ? "they support" : "it supports"} resource-level permissions, so * would grant every one in the account (keep * for actions without, in a statement of their own)`);
                }
            });
        });
    });
}

/** The most CPU and memory team pods can be scheduled on. */
export interface CapacityCeiling {
    /** vCPUs. */
    cpu: number;
    /** Memory in bytes. */
    memoryBytes: number;
    /** What the ceiling is made of, for messages. */
    sources: string[];
}

/** The CPU and memory teams can be scheduled on: general node groups at max size plus Karpenter's limits. */
export function capacityCeiling(config: object): CapacityCeiling {
    const root = config as Obj;
    let cpu = 0;
    let memoryGiB = 0;
    const sources: string[] = [];
    for (const raw of list(obj(root.cluster).nodeGroups)) {
        const group = obj(raw);
        // Tainted groups (like the system group) are not where team pods land.
        const tainted = list(group.taints).some((t) => ["NO_SCHEDULE", "NO_EXECUTE"].includes(String(obj(t).effect)));
        const max = typeof group.maxSize === "number" ? group.maxSize : 0;
        const infos = list(group.instanceTypes).map((t) => instanceTypeInfo(String(t)));
        if (tainted || max === 0 || infos.length === 0 || infos.some((i) => i === undefined)) continue;
        const vcpu = Math.max(...infos.map((i) => i!.vcpu));
        const mem = Math.max(...infos.map((i) => i!.memoryGiB));
        cpu += vcpu * max;
        memoryGiB += mem * max;
        sources.push(`node group ${String(group.name)} (${max} x ${vcpu} vCPU)`);
    }
    const karpenter = obj(root.karpenter);
    if (karpenter.enabled === true && typeof karpenter.maxCpu === "number" && typeof karpenter.maxMemoryGiB === "number") {
        cpu += karpenter.maxCpu;
        memoryGiB += karpenter.maxMemoryGiB;
        sources.push(`Karpenter (${karpenter.maxCpu} vCPU)`);
    }
    return { cpu, memoryBytes: memoryGiB * 2 ** 30, sources };
}

function checkOvercommit(root: Obj, teams: unknown[], problems: Problems): void {
    const factor = typeof root.teamOvercommitFactor === "number" && root.teamOvercommitFactor > 0 ? root.teamOvercommitFactor : undefined;
    if (teams.length === 0 || factor === undefined) return;
    const requests = teams.map((raw) => {
        const team = obj(raw);
        const size = (TEAM_SIZES as readonly unknown[]).includes(team.size ?? "small") ? ((team.size ?? "small") as TeamConfig["size"]) : "small";
        const { quota } = teamAllowance({ size, quota: stringsOnly(obj(team.quota)) });
        return { name: String(team.name), cpu: quantity(quota.requestsCpu) ?? 0, memory: quantity(quota.requestsMemory) ?? 0, gpus: typeof quota.gpus === "number" ? quota.gpus : 0 };
    });
    checkGpuGrants(root, requests, factor, problems);
    const ceiling = capacityCeiling(root);
    const where = ceiling.sources.length > 0 ? ceiling.sources.join(" + ") : "no general node group and Karpenter off";
    const resources = [
        { key: "cpu" as const, label: "CPU", total: ceiling.cpu, show: (v: number) => `${round(v)}`, fix: "quota.requestsCpu, or raise karpenter.maxCpu" },
        { key: "memory" as const, label: "memory", total: ceiling.memoryBytes, show: (v: number) => formatBytes(Math.round(v)), fix: "quota.requestsMemory, or raise karpenter.maxMemoryGiB" },
    ];
    for (const r of resources) {
        const sum = requests.reduce((s, t) => s + t[r.key], 0);
        const allowed = r.total * factor;
        if (sum <= allowed) continue;
        const largest = [...requests].sort((a, b) => b[r.key] - a[r.key]);
        const named = largest.slice(0, 20).map((t) => `${t.name} (${r.show(t[r.key])})`).join(", ");
        const more = largest.length > 20 ? ` and ${largest.length - 20} more` : "";
        problems.add(
            "teams",
            `the teams' ${r.label} requests add up to ${r.show(sum)}, over the ceiling of ${r.show(r.total)} (${where}) x teamOvercommitFactor ${factor} = ${r.show(allowed)}; ` +
                `teams: ${named}${more}; lower their ${r.fix}, or raise teamOvercommitFactor`,
        );
    }
}

/** The teams' GPU grants fit the GPUs the environment can run (x the over-commit factor): a grant with no GPU capacity is refused. */
function checkGpuGrants(root: Obj, requests: { name: string; gpus: number }[], factor: number, problems: Problems): void {
    const granted = requests.filter((t) => t.gpus > 0);
    if (granted.length === 0) return;
    const sum = granted.reduce((n, t) => n + t.gpus, 0);
    const { gpus, sources } = gpuCapacity(root);
    if (sum <= gpus * factor) return;
    const where = sources.length > 0 ? sources.join(" + ") : "no GPU pool or GPU node group";
    problems.add(
        "teams",
        `the teams' GPU grants add up to ${sum}, over the ${gpus} GPUs of ${where} x teamOvercommitFactor ${factor} = ${round(gpus * factor)}; ` +
            `teams: ${granted.map((t) => `${t.name} (${t.gpus})`).join(", ")}; lower their quota.gpus, or raise karpenter.gpu.maxGpus`,
    );
}

const quantity = (v: unknown): number | undefined => (typeof v === "string" || typeof v === "number" ? parseQuantity(v) : undefined);
const round = (v: number) => Math.round(v * 1000) / 1000;

/** Only the string and number overrides of a raw quota or limits object, so bad types fall back to the preset. */
function stringsOnly(values: Obj): Record<string, never> {
    return Object.fromEntries(Object.entries(values).filter(([k, v]) => (typeof v === "string" || typeof v === "number" ? true : k === "storageByClass" && isObj(v)))) as Record<string, never>;
}
