import { CLOUD_CATALOG, regionNames } from "./catalog";
import { cidrsOverlap, isPrivateRange, parseCidr, type Ipv4Cidr } from "../lib/cidr";
import { MAX_ZONES } from "../lib/zones";
import { KEY_PROTECTIONS } from "../modules/keys/contract";
import { checkStorageSettings } from "./validate-storage";
import { checkEdgeSettings } from "./validate-edge";
import { checkDatabaseSettings } from "./validate-database";
import { checkObservabilitySettings } from "./validate-observability";
import { NODE_SIZES } from "../modules/kubernetes/contract";
import { commonKubernetesVersions, KUBERNETES_VERSIONS, NODE_COUNT } from "../modules/kubernetes/contract";
import {
  CLOUDS,
  REQUIRED_TAGS,
  type CloudName,
  type EnvironmentConfig,
  type IngressRule,
} from "./types";

/**
 * Validation rules, each a small named check that reports problems in one form:
 * environment, field, the bad value, and what would be valid.
 */
type Report = (field: string, problem: string) => void;

export const MIN_HA_ZONES = 3;
export const NETWORK_PREFIX = { min: 16, max: 20 } as const;
/**
 * Retention periods every cloud's log service accepts: CloudWatch Logs takes a fixed list,
 * OCI Logging 30-day steps up to 180; these are the values in both.
 */
export const RETENTION_DAYS = [30, 60, 90, 120, 150, 180] as const;
// Google labels are the strictest tag format of the clouds; tags that pass here are valid everywhere.
const TAG_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const TAG_VALUE = /^[a-z0-9_-]{1,63}$/;
const PROJECT_NAME = /^[a-z][a-z0-9-]{1,19}$/;
const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const AWS_ACCOUNT_ID = /^\d{12}$/;
const AZURE_SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OCI_COMPARTMENT_OCID = /^ocid1\.(tenancy|compartment)\.oc1\.\.[a-z0-9]{20,}$/;
const IBM_RESOURCE_GROUP_ID = /^[0-9a-f]{32}$/;
// Azure's naming rules for network watchers and resource groups (the provider checks only the latter).
const AZURE_NETWORK_WATCHER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;
const AZURE_RESOURCE_GROUP_NAME = /^[-\w._()]{0,89}[-\w_()]$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

const show = (value: unknown): string => (value === undefined ? "nothing" : JSON.stringify(value));

/** Checks every environment; returns the problems found, empty when all is well. */
export function validateEnvironments(configs: readonly EnvironmentConfig[]): string[] {
  const problems: string[] = [];
  for (const config of configs) {
    const report: Report = (field, problem) =>
      problems.push(`environment "${config.name}", field ${field}: ${problem}`);
    checkProject(config, report);
    checkNetworkSettings(config, report);
    checkKeySettings(config, configs, report);
    checkStorageSettings(config, configs, report);
    checkEdgeSettings(config, report);
    checkKubernetesSettings(config, report);
    checkDatabaseSettings(config, configs, report);
    checkObservabilitySettings(config, report);
    checkTags(config, report);
    checkStateAccess(config, report);
    for (const cloud of CLOUDS) checkPlacement(config, cloud, report);
  }
  problems.push(...overlappingRanges(configs), ...replicaProblems(configs));
  return problems;
}

function checkProject(config: EnvironmentConfig, report: Report): void {
  if (typeof config.project !== "string" || !PROJECT_NAME.test(config.project)) {
    report("project", `${show(config.project)} is not a valid project name; use 2 to 20 lowercase letters, digits or hyphens, starting with a letter`);
  }
}

function checkNetworkSettings(config: EnvironmentConfig, report: Report): void {
  const { natStrategy, flowLogRetentionDays, publicIngress } = config.network;
  if (natStrategy !== "single" && natStrategy !== "per-zone") {
    report("network.natStrategy", `${show(natStrategy)} is not a NAT strategy; valid: "single", "per-zone"`);
  } else if (config.highAvailability && natStrategy !== "per-zone") {
    report("network.natStrategy", `${show(natStrategy)} is not allowed in a high-availability environment; use "per-zone" so that losing one zone does not cut egress for the others`);
  }
  if (!(RETENTION_DAYS as readonly number[]).includes(flowLogRetentionDays)) {
    report("network.flowLogRetentionDays", `${show(flowLogRetentionDays)} is not a supported retention; valid: ${RETENTION_DAYS.join(", ")}`);
  }
  (publicIngress ?? []).forEach((rule, i) => checkIngressRule(rule, `network.publicIngress[${i}]`, report));
}

/**
 * Key rotation periods every cloud accepts: AWS from 90 days, OCI up to 365, IBM Key Protect
 * in whole months up to 12; a multiple of 30 from 90 to 360 satisfies all of them.
 */
export const KEY_ROTATION_DAYS = { min: 90, max: 360, step: 30 } as const;
/** Recovery windows every cloud accepts: AWS KMS 7-30 days, Azure soft delete 7-90, Google 1-120. */
export const KEY_DELETION_WINDOW_DAYS = { min: 7, max: 30 } as const;

function checkKeySettings(config: EnvironmentConfig, configs: readonly EnvironmentConfig[], report: Report): void {
  const { rotationDays, deletionWindowDays, protection, deletionProtection } = config.keys ?? ({} as Partial<EnvironmentConfig["keys"]>);
  const { min, max, step } = KEY_ROTATION_DAYS;
  if (!Number.isInteger(rotationDays) || rotationDays! < min || rotationDays! > max || rotationDays! % step !== 0) {
    report("keys.rotationDays", `${show(rotationDays)} is not a rotation period every cloud accepts; use a multiple of ${step} from ${min} to ${max} days`);
  }
  const window = KEY_DELETION_WINDOW_DAYS;
  if (!Number.isInteger(deletionWindowDays) || deletionWindowDays! < window.min || deletionWindowDays! > window.max) {
    report("keys.deletionWindowDays", `${show(deletionWindowDays)} is out of range; use a whole number of days from ${window.min} to ${window.max}`);
  }
  if (!(KEY_PROTECTIONS as readonly unknown[]).includes(protection)) {
    report("keys.protection", `${show(protection)} is not a key protection; valid: ${KEY_PROTECTIONS.map((p) => JSON.stringify(p)).join(", ")}`);
  } else if (config.highAvailability && protection !== "hsm") {
    report("keys.protection", `${show(protection)} is not allowed in a high-availability environment; use "hsm" so that what staging tests is what prod runs`);
  }
  if (typeof deletionProtection !== "boolean") {
    report("keys.deletionProtection", `${show(deletionProtection)} is not a boolean; use true or false`);
  } else if (!deletionProtection && (config.replicaOf !== undefined || configs.some((c) => c.replicaOf === config.name))) {
    const role = config.replicaOf !== undefined ? `a replica of "${config.replicaOf}"` : "replicated by another environment";
    report("keys.deletionProtection", `false is not allowed: this environment is ${role}, and losing its key loses its data; use true`);
  }
}

/**
 * The cluster: a version every cloud accepts, node counts every cloud's autoscaler accepts,
 * on-demand capacity and deletion protection where production runs.
 */
function checkKubernetesSettings(config: EnvironmentConfig, report: Report): void {
  const k = config.kubernetes ?? ({} as Partial<EnvironmentConfig["kubernetes"]>);
  const versions = commonKubernetesVersions();
  if (!versions.includes(k.version as string)) {
    const where = CLOUDS.filter((cloud) => !KUBERNETES_VERSIONS[cloud].minors.includes(k.version as string));
    const missing = where.length > 0 && where.length < CLOUDS.length ? ` (not offered on ${where.join(", ")})` : "";
    report("kubernetes.version", `${show(k.version)} is not a Kubernetes version every cloud accepts${missing}; valid: ${versions.map((v) => JSON.stringify(v)).join(", ")}`);
  }
  for (const pool of ["systemPool", "workloadPool"] as const) {
    const settings = k[pool];
    const field = `kubernetes.${pool}`;
    if (settings === undefined) {
      report(field, "missing; set size, minNodes, maxNodes and spot");
      continue;
    }
    if (!(NODE_SIZES as readonly unknown[]).includes(settings.size)) {
      report(`${field}.size`, `${show(settings.size)} is not a node size; valid: ${NODE_SIZES.map((v) => JSON.stringify(v)).join(", ")}`);
    }
    const { min, max } = NODE_COUNT;
    // The system pool runs the cluster's own add-ons: it never scales to nothing.
    const floor = pool === "systemPool" ? 1 : min;
    if (!Number.isInteger(settings.minNodes) || settings.minNodes < floor || settings.minNodes > max) {
      report(`${field}.minNodes`, `${show(settings.minNodes)} is out of range; use a whole number from ${floor} to ${max}`);
    } else if (!Number.isInteger(settings.maxNodes) || settings.maxNodes < Math.max(settings.minNodes, 1) || settings.maxNodes > max) {
      report(`${field}.maxNodes`, `${show(settings.maxNodes)} is out of range; use a whole number from ${Math.max(settings.minNodes, 1)} (minNodes, at least 1) to ${max}`);
    }
    if (typeof settings.spot !== "boolean") {
      report(`${field}.spot`, `${show(settings.spot)} is not a boolean; use true or false`);
    } else if (config.highAvailability && settings.spot) {
      report(`${field}.spot`, `true is not allowed in a high-availability environment; use false (on-demand) so that nodes are not reclaimed`);
    }
    if (config.highAvailability && Number.isInteger(settings.minNodes) && settings.minNodes < MIN_HA_ZONES) {
      report(`${field}.minNodes`, `${show(settings.minNodes)} is too few for a high-availability environment; use at least ${MIN_HA_ZONES}, one node per zone`);
    }
  }
  (k.apiAllowedCidrs ?? []).forEach((cidr, i) => {
    if (typeof cidr !== "string" || !parseCidr(cidr) || parseCidr(cidr)!.prefix === 0) {
      report(`kubernetes.apiAllowedCidrs[${i}]`, `${show(cidr)} is not a valid IPv4 CIDR other than 0.0.0.0/0; use a.b.c.d/n with no host bits set, e.g. "10.200.0.0/24"`);
    }
  });
  if (!(RETENTION_DAYS as readonly unknown[]).includes(k.logRetentionDays)) {
    report("kubernetes.logRetentionDays", `${show(k.logRetentionDays)} is not a supported retention; valid: ${RETENTION_DAYS.join(", ")}`);
  }
  if (typeof k.deletionProtection !== "boolean") {
    report("kubernetes.deletionProtection", `${show(k.deletionProtection)} is not a boolean; use true or false`);
  } else if (!k.deletionProtection && (config.name === "prod" || config.replicaOf !== undefined)) {
    report("kubernetes.deletionProtection", `false is not allowed in ${config.name}; use true`);
  }
}

function checkIngressRule(rule: IngressRule, field: string, report: Report): void {
  if (rule.protocol !== "tcp" && rule.protocol !== "udp") {
    report(`${field}.protocol`, `${show(rule.protocol)} is not supported; valid: "tcp", "udp"`);
  }
  if (!Number.isInteger(rule.port) || rule.port < 1 || rule.port > 65535) {
    report(`${field}.port`, `${show(rule.port)} is not a port; use a whole number from 1 to 65535`);
  }
  if (typeof rule.sourceCidr !== "string" || !parseCidr(rule.sourceCidr)) {
    report(`${field}.sourceCidr`, `${show(rule.sourceCidr)} is not a valid IPv4 CIDR; use a.b.c.d/n with no host bits set, e.g. "0.0.0.0/0"`);
  }
  if (typeof rule.description !== "string" || rule.description.trim() === "") {
    report(`${field}.description`, `${show(rule.description)} is empty; say why the flow is open`);
  }
}

function checkTags(config: EnvironmentConfig, report: Report): void {
  const tags = config.tags ?? {};
  for (const key of REQUIRED_TAGS) {
    if (tags[key] === undefined || tags[key] === "") {
      report(`tags.${key}`, `required tag is missing; every environment needs ${REQUIRED_TAGS.join(", ")}`);
    }
  }
  for (const [key, value] of Object.entries(tags)) {
    if (!TAG_KEY.test(key)) {
      report(`tags`, `key ${show(key)} is not valid on every cloud; use a lowercase letter, then up to 62 lowercase letters, digits, "_" or "-"`);
    }
    if (value !== "" && value !== undefined && !TAG_VALUE.test(value)) {
      report(`tags.${key}`, `${show(value)} is not valid on every cloud; use 1 to 63 lowercase letters, digits, "_" or "-"`);
    }
  }
}

function checkStateAccess(config: EnvironmentConfig, report: Report): void {
  const roleArn = config.state?.roleArn;
  if (roleArn !== undefined && !IAM_ROLE_ARN.test(roleArn)) {
    report("state.roleArn", `${show(roleArn)} is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/<name>`);
  }
}

function checkPlacement(config: EnvironmentConfig, cloud: CloudName, report: Report): void {
  const placement = config[cloud];
  const catalog = CLOUD_CATALOG[cloud];
  // Shared defaults may fill in part of a placement (OCI's home region); without a network it is still missing.
  if (placement === undefined || (placement.region === undefined && placement.cidr === undefined && placement.zones === undefined)) {
    report(cloud, `missing; every environment places a network on every cloud (region, cidr, zones)`);
    return;
  }
  const regionZones = catalog.regions[placement.region];
  if (regionZones === undefined) {
    report(`${cloud}.region`, `${show(placement.region)} is not a region of ${catalog.label}${cloud === "azure" ? " with availability zones" : ""}; valid: ${regionNames(cloud).join(", ")}`);
  }
  checkNetworkCidr(placement.cidr, `${cloud}.cidr`, report);
  const maxZones = Math.min(regionZones ?? MAX_ZONES, MAX_ZONES);
  const minZones = config.highAvailability ? MIN_HA_ZONES : 1;
  if (regionZones !== undefined && minZones > maxZones) {
    report(`${cloud}.zones`, `${show(placement.zones)} cannot be met: ${placement.region} has ${regionZones} ${catalog.zoneWord}, fewer than the ${minZones} a high-availability environment needs; choose a region with at least ${minZones}`);
  } else if (!Number.isInteger(placement.zones) || placement.zones < minZones || placement.zones > maxZones) {
    const why = config.highAvailability ? ` (a high-availability environment needs at least ${MIN_HA_ZONES})` : "";
    const where = regionZones === undefined ? "" : `; ${placement.region} has ${regionZones} ${catalog.zoneWord}`;
    report(`${cloud}.zones`, `${show(placement.zones)} is out of range; use a whole number from ${minZones} to ${maxZones}${why}${where}`);
  }
  checkCloudSpecific(config, cloud, report);
}

function checkNetworkCidr(cidr: string, field: string, report: Report): void {
  const problem = networkCidrProblem(cidr);
  if (problem) report(field, `${show(cidr)} ${problem}; expected a private (RFC 1918) range a.b.c.d/n with n from ${NETWORK_PREFIX.min} to ${NETWORK_PREFIX.max} and no host bits set, e.g. "10.2.0.0/16"`);
}

function networkCidrProblem(cidr: string): string | undefined {
  const parsed = typeof cidr === "string" ? parseCidr(cidr) : undefined;
  if (!parsed) return "is not a valid IPv4 CIDR";
  if (parsed.prefix < NETWORK_PREFIX.min || parsed.prefix > NETWORK_PREFIX.max) return `has a /${parsed.prefix} prefix`;
  if (!isPrivateRange(parsed)) return "is not a private range";
  return undefined;
}

function checkCloudSpecific(config: EnvironmentConfig, cloud: CloudName, report: Report): void {
  if (cloud === "gcp" && !GCP_PROJECT_ID.test(config.gcp.project ?? "")) {
    report("gcp.project", `${show(config.gcp.project)} is not a Google Cloud project id; use 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, e.g. "siros-prod"`);
  }
  if (cloud === "aws" && config.aws.accountId !== undefined && !AWS_ACCOUNT_ID.test(config.aws.accountId)) {
    report("aws.accountId", `${show(config.aws.accountId)} is not an AWS account id; expected 12 digits, e.g. "123456789012"`);
  }
  const subscription = config.azure?.subscriptionId;
  if (cloud === "azure" && subscription !== undefined && !AZURE_SUBSCRIPTION_ID.test(subscription)) {
    report("azure.subscriptionId", `${show(subscription)} is not an Azure subscription id; expected a GUID of 8-4-4-4-12 hexadecimal digits, e.g. "00000000-0000-0000-0000-000000000000"`);
  }
  const parent = config.oci?.parentCompartmentId;
  if (cloud === "oci" && parent !== undefined && !OCI_COMPARTMENT_OCID.test(parent)) {
    report("oci.parentCompartmentId", `${show(parent)} is not a tenancy or compartment OCID; expected ocid1.tenancy.oc1..<id> or ocid1.compartment.oc1..<id>`);
  }
  const home = config.oci?.homeRegion;
  if (cloud === "oci" && CLOUD_CATALOG.oci.regions[home] === undefined) {
    report("oci.homeRegion", `${show(home)} is not a region of Oracle Cloud; set the tenancy's home region, the only one where OCI Identity accepts compartment changes; valid: ${regionNames("oci").join(", ")}`);
  }
  const watcher = config.azure?.networkWatcherName;
  if (cloud === "azure" && watcher !== undefined && !AZURE_NETWORK_WATCHER_NAME.test(watcher)) {
    report("azure.networkWatcherName", `${show(watcher)} is not a Network Watcher name; use 1 to 80 letters, digits, "_", "." or "-", starting with a letter or digit and ending with a letter, digit or "_"`);
  }
  const watcherGroup = config.azure?.networkWatcherResourceGroupName;
  if (cloud === "azure" && watcherGroup !== undefined && !AZURE_RESOURCE_GROUP_NAME.test(watcherGroup)) {
    report("azure.networkWatcherResourceGroupName", `${show(watcherGroup)} is not a resource group name; use 1 to 90 letters, digits, "_", "-", ".", "(" or ")", not ending with "."`);
  }
  const group = config.ibm?.resourceGroupId;
  if (cloud === "ibm" && group !== undefined && !IBM_RESOURCE_GROUP_ID.test(group)) {
    report("ibm.resourceGroupId", `${show(group)} is not a resource group id; expected 32 hexadecimal characters`);
  }
}

interface PlacedRange {
  readonly label: string;
  readonly cidr: Ipv4Cidr;
}

/** Every network of every cloud and environment owns its range, so any two can be peered. */
function overlappingRanges(configs: readonly EnvironmentConfig[]): string[] {
  const ranges: PlacedRange[] = [];
  for (const config of configs) {
    for (const cloud of CLOUDS) {
      // A range already reported as invalid would only add noise here.
      const text = config[cloud]?.cidr;
      const cidr = networkCidrProblem(text) === undefined ? parseCidr(text) : undefined;
      if (cidr) ranges.push({ label: `environment "${config.name}", field ${cloud}.cidr: "${config[cloud].cidr}"`, cidr });
    }
  }
  const problems: string[] = [];
  ranges.forEach((a, i) => {
    for (const b of ranges.slice(i + 1)) {
      if (cidrsOverlap(a.cidr, b.cidr)) {
        problems.push(`${b.label} overlaps ${a.label}; every network needs a range of its own so that any two can be peered`);
      }
    }
  });
  return problems;
}

/** A replica in its primary's region would share the primary's fate in a regional outage. */
function replicaProblems(configs: readonly EnvironmentConfig[]): string[] {
  const problems: string[] = [];
  for (const replica of configs.filter((c) => c.replicaOf !== undefined)) {
    const field = `environment "${replica.name}", field replicaOf`;
    const primary = configs.find((c) => c.name === replica.replicaOf);
    if (!primary || primary === replica) {
      problems.push(`${field}: ${show(replica.replicaOf)} is not another environment; valid: ${configs.filter((c) => c !== replica).map((c) => c.name).join(", ")}`);
      continue;
    }
    if (primary.replicaOf !== undefined) {
      problems.push(`${field}: ${show(replica.replicaOf)} is itself a replica of ${show(primary.replicaOf)}; name the primary environment`);
    }
    // The replica's stack peers its VNet with the primary's and writes the primary's side too,
    // with its own provider: both must be in one subscription.
    const [primarySubscription, replicaSubscription] = [primary.azure?.subscriptionId, replica.azure?.subscriptionId];
    if (primarySubscription && replicaSubscription && primarySubscription !== replicaSubscription) {
      problems.push(
        `environment "${replica.name}", field azure.subscriptionId: ${show(replicaSubscription)} is not ${primary.name}'s subscription (${show(primarySubscription)}); a replica of ${primary.name} peers its network with ${primary.name}'s from one subscription: name ${primary.name}'s`,
      );
    }
    for (const cloud of CLOUDS) {
      if (primary[cloud] && replica[cloud] && primary[cloud].region === replica[cloud].region) {
        problems.push(
          `environment "${replica.name}", field ${cloud}.region: ${show(replica[cloud].region)} is ${primary.name}'s region; a replica of ${primary.name} must use a different ${CLOUD_CATALOG[cloud].label} region`,
        );
      }
    }
  }
  return problems;
}
