import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { flag, isOn } from "./flags";
import { Declared, idOf, shown } from "./declared";
import { amiDevices, deviceRole, ROOT_DEVICES, ROOT_FROM_AMI } from "./ebsDisks";
import { EBS_SERVICE_TYPES as S } from "./ebsServices";
import { COMPUTE_TYPES as C } from "./instanceChoices";
import { eachKnown, known } from "./preview";
import { list, Props, T } from "./support";

/**
 * The EBS judgments only the whole program can make: a template, launch configuration or EMR
 * security configuration a resource names must be declared here to be judged; a node group's
 * template must declare every volume of the AMI type it boots; a volume made from a snapshot is as
 * encrypted as the snapshot.
 */

type StackReport = (message: string, urn: string) => void;

const SNAPSHOT = "aws:ebs/snapshot:Snapshot";
const SNAPSHOT_COPY = "aws:ebs/snapshotCopy:SnapshotCopy";
const SNAPSHOT_IMPORT = "aws:ebs/snapshotImport:SnapshotImport";
const SNAPSHOTS = [SNAPSHOT, SNAPSHOT_COPY, SNAPSHOT_IMPORT];
const TEMPLATES = [T.launchTemplate, C.nativeLaunchTemplate];
const NODE_GROUPS = [T.eksNodeGroup, T.managedNodeGroupComponent];

/** A reference to a launch template, however the resource spells it. */
interface TemplateRef {
    where: string;
    read: () => unknown;
}

function templateRef(where: string, spec: Props | undefined): TemplateRef[] {
    if (!spec) return [];
    return [{ where, read: () => spec.id ?? spec.launchTemplateId ?? spec.name ?? spec.launchTemplateName }];
}

/** The launch templates an instance, Spot request or fleet, Auto Scaling group or Batch environment launches from. */
function templateRefs(type: string, p: Props): TemplateRef[] {
    switch (type) {
        case T.instance:
        case C.spotInstanceRequest:
            return templateRef("launchTemplate", p.launchTemplate);
        case T.autoscalingGroup: {
            const mixed = p.mixedInstancesPolicy?.launchTemplate;
            return [
                ...templateRef("launchTemplate", p.launchTemplate),
                ...templateRef("mixedInstancesPolicy.launchTemplate", mixed?.launchTemplateSpecification),
                ...list<Props>(mixed?.overrides).flatMap((o, i) => templateRef(`mixedInstancesPolicy.launchTemplate.overrides[${i}]`, o?.launchTemplateSpecification)),
            ];
        }
        case C.spotFleetRequest:
        case C.fleet:
            return list<Props>(p.launchTemplateConfigs).flatMap((c, i) => templateRef(`launchTemplateConfigs[${i}]`, c?.launchTemplateSpecification));
        case S.batchComputeEnvironment:
            return templateRef("computeResources.launchTemplate", p.computeResources?.launchTemplate);
        default:
            return [];
    }
}

const LAUNCHERS = [T.instance, C.spotInstanceRequest, T.autoscalingGroup, C.spotFleetRequest, C.fleet, S.batchComputeEnvironment];

function declaredTemplates(resources: PolicyResource[]): Declared {
    return new Declared(resources, TEMPLATES, (r) => [idOf(r), known(() => r.props.name), known(() => r.props.launchTemplateId), known(() => r.props.launchTemplateName)]);
}

function undeclared(what: string, read: () => unknown): string {
    return `${what} ${shown(read, "(not known yet)")} is not declared in this program, so the encryption of the volumes it launches cannot be judged: declare it here`;
}

/** The templates `r` launches from that this program declares; reports the ones it does not. */
function launchedTemplates(r: PolicyResource, refs: TemplateRef[], templates: Declared, report: StackReport): PolicyResource[] {
    const found: PolicyResource[] = [];
    for (const ref of refs) {
        const resolved = templates.resolve(r, ref.read);
        if (resolved === "undeclared") report(`${ref.where}: ${undeclared("the launch template", ref.read)}`, r.urn);
        else if (resolved !== "unknown") found.push(...resolved);
    }
    return found;
}

/** Whether a snapshot is encrypted: its own output, else its source's; undefined when the program cannot tell. */
function snapshotEncrypted(s: PolicyResource, volumes: Declared, snapshots: Declared, depth = 0): boolean | undefined {
    if (depth > 4) return undefined;
    const own = flag(known(() => s.props.encrypted));
    if (own !== undefined || s.type === SNAPSHOT_IMPORT) return own ?? false;
    if (s.type === SNAPSHOT_COPY && isOn(known(() => s.props.kmsKeyId))) return true;
    const source = s.type === SNAPSHOT ? volumes.resolve(s, () => s.props.volumeId) : snapshots.resolve(s, () => s.props.sourceSnapshotId);
    if (typeof source === "string") return undefined;
    return source.every((d) => (d.type === T.ebsVolume ? volumeEncrypted(d, volumes, snapshots, depth + 1) : snapshotEncrypted(d, volumes, snapshots, depth + 1)) === true);
}

function volumeEncrypted(v: PolicyResource, volumes: Declared, snapshots: Declared, depth: number): boolean | undefined {
    if (isOn(known(() => v.props.encrypted))) return true;
    if (!known(() => v.props.snapshotId)) return false;
    const source = snapshots.resolve(v, () => v.props.snapshotId);
    return typeof source === "string" ? undefined : source.every((s) => snapshotEncrypted(s, volumes, snapshots, depth + 1) === true);
}

/** A volume made from a snapshot without encrypted: true is as encrypted as the snapshot. */
function judgeRestoredVolume(v: PolicyResource, volumes: Declared, snapshots: Declared, report: StackReport): void {
    if (isOn(v.props.encrypted) || !v.props.snapshotId) return;
    const source = snapshots.resolve(v, () => v.props.snapshotId);
    const name = shown(() => v.props.snapshotId, "(not known yet)");
    if (source === "unknown") return;
    if (source === "undeclared") report(`the volume: made from snapshot ${name}, which this program does not declare, so its encryption cannot be judged: set encrypted: true`, v.urn);
    else if (source.some((s) => snapshotEncrypted(s, volumes, snapshots) !== true)) report(`the volume: made from snapshot ${source[0].name}, which is not encrypted (or not known to be): set encrypted: true`, v.urn);
}

/** ebs-volume-encryption's stack half. */
export function ebsProvenance(args: StackValidationArgs, report: ReportViolation): void {
    const resources = args.resources;
    const templates = declaredTemplates(resources);
    const configurations = new Declared(resources, [C.launchConfiguration], (r) => [idOf(r), known(() => r.props.name)]);
    const emrConfigurations = new Declared(resources, [S.emrSecurityConfiguration], (r) => [known(() => r.props.name), known(() => r.props.id)]);
    const volumes = new Declared(resources, [T.ebsVolume], (r) => [idOf(r)]);
    const snapshots = new Declared(resources, SNAPSHOTS, (r) => [idOf(r)]);
    eachKnown(resources, (r) => {
        if (LAUNCHERS.includes(r.type as never)) launchedTemplates(r, templateRefs(r.type, r.props), templates, report);
        if (r.type === T.autoscalingGroup && r.props.launchConfiguration && configurations.resolve(r, () => r.props.launchConfiguration) === "undeclared") {
            report(`launchConfiguration: ${undeclared("the launch configuration", () => r.props.launchConfiguration)}`, r.urn);
        }
        if (r.type === S.emrCluster && r.props.securityConfiguration && emrConfigurations.resolve(r, () => r.props.securityConfiguration) === "undeclared") {
            report(`securityConfiguration ${shown(() => r.props.securityConfiguration, "")} is not declared in this program, so the encryption of the nodes' disks cannot be judged: declare it here`, r.urn);
        }
        if (r.type === T.ebsVolume) judgeRestoredVolume(r, volumes, snapshots, report);
    });
}

/** The devices a node group's template must declare: its AMI type's, or, with the template's own AMI, none known. */
function nodeGroupDevices(group: Props, template: Props): { family: string; devices: string[] } | undefined {
    const amiType = group.amiType;
    const imageId = template.imageId ?? template.launchTemplateData?.imageId;
    if (imageId && (amiType === undefined || amiType === "CUSTOM")) return undefined;
    const family = typeof amiType === "string" ? amiType : "Amazon Linux (EKS's default AMI type)";
    const devices = amiDevices(amiType ?? "AL2");
    return devices ? { family, devices } : undefined;
}

/** node-volume-encryption's stack half: node groups launch from templates declared here, which declare every volume of the AMI type. */
export function nodeTemplates(args: StackValidationArgs, report: ReportViolation): void {
    const templates = declaredTemplates(args.resources);
    eachKnown(args.resources, (r) => {
        if (!NODE_GROUPS.includes(r.type as never) || !r.props.launchTemplate) return;
        for (const t of launchedTemplates(r, templateRef("launchTemplate", r.props.launchTemplate), templates, report)) {
            const data = t.type === T.launchTemplate ? t.props : (t.props.launchTemplateData ?? {});
            const ami = nodeGroupDevices(r.props, data);
            if (!ami) continue;
            const mappings = list<Props>(data.blockDeviceMappings);
            const declared = new Set(mappings.map((m) => m?.deviceName));
            // Without any root device the template itself is reported; the data volume is still missing here.
            const rootDeclared = mappings.some((m) => m?.ebs && ROOT_DEVICES.has(m.deviceName));
            for (const device of ami.devices.filter((d) => !declared.has(d) && (rootDeclared || !ROOT_DEVICES.has(d)))) {
                report(`launchTemplate ${t.name}: ${device}, ${deviceRole(ami.family, device)} of ${ami.family} nodes, is not declared, so it ${ROOT_FROM_AMI}`, r.urn);
            }
        }
    });
}
