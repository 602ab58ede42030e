/**
 * Every capability the parity report reads, with one extractor per cloud. A module adds its
 * capability here (see README, "Add a module's parity"): a folder of extractors under
 * parity/extractors/<capability>/, one entry below, its gaps in parity/gaps.ts, fixtures.
 */
import type { Capability, Property } from "./model";
import { awsNetwork } from "./extractors/network/aws";
import { azureNetwork } from "./extractors/network/azure";
import { gcpNetwork } from "./extractors/network/gcp";
import { ibmNetwork } from "./extractors/network/ibm";
import { ociNetwork } from "./extractors/network/oci";
import { awsKeys } from "./extractors/keys/aws";
import { azureKeys } from "./extractors/keys/azure";
import { gcpKeys } from "./extractors/keys/gcp";
import { ibmKeys } from "./extractors/keys/ibm";
import { ociKeys } from "./extractors/keys/oci";
import { awsKubernetes } from "./extractors/kubernetes/aws";
import { azureKubernetes } from "./extractors/kubernetes/azure";
import { gcpKubernetes } from "./extractors/kubernetes/gcp";
import { ibmKubernetes } from "./extractors/kubernetes/ibm";
import { ociKubernetes } from "./extractors/kubernetes/oci";
import { MANAGED_CONTROL_PLANE_LOGS, PLATFORM_LOGS } from "./extractors/kubernetes/shared";
import { stateBackend } from "./extractors/state/backend";
import { ALARM_IDS } from "../modules/observability/contract";
import { awsObservability } from "./extractors/observability/aws";
import { azureObservability } from "./extractors/observability/azure";
import { gcpObservability } from "./extractors/observability/gcp";
import { ibmObservability } from "./extractors/observability/ibm";
import { ociObservability } from "./extractors/observability/oci";
import { targetList } from "./extractors/observability/shared";

export const NETWORK: Capability = {
  id: "network",
  title: "Network",
  properties: [
    { id: "zones", label: "zones", knob: "*.zones", expected: (env, cloud) => env[cloud].zones },
    { id: "nat", label: "NAT", knob: "network.natStrategy", expected: (env) => env.network.natStrategy },
    { id: "flowLogs", label: "flow logs (all traffic)" },
    { id: "flowLogRetentionDays", label: "flow-log retention (days)", knob: "network.flowLogRetentionDays", expected: (env) => env.network.flowLogRetentionDays },
    { id: "flowLogsEncrypted", label: "flow logs encrypted with" },
    { id: "privateNoPublicIp", label: "private subnets: no public IPs" },
    { id: "publicIngress", label: "open to the internet" },
    { id: "defaultDeny", label: "default deny" },
  ],
  extractors: { aws: awsNetwork, azure: azureNetwork, gcp: gcpNetwork, oci: ociNetwork, ibm: ibmNetwork },
};

/** The environment's key and secret store (modules/keys). */
export const KEYS: Capability = {
  id: "keys",
  title: "Keys",
  properties: [
    { id: "customerManagedKey", label: "customer-managed key" },
    { id: "rotationDays", label: "rotation (days)", knob: "keys.rotationDays", expected: (env) => env.keys.rotationDays },
    { id: "protection", label: "protection", knob: "keys.protection", expected: (env) => env.keys.protection },
    { id: "deletionProtection", label: "deletion protection", knob: "keys.deletionProtection", expected: (env) => env.keys.deletionProtection },
    { id: "secretStorePrivate", label: "secret store private only" },
  ],
  extractors: { aws: awsKeys, azure: azureKeys, gcp: gcpKeys, oci: ociKeys, ibm: ibmKeys },
};

/** The environment's cluster and its system and workload pools (modules/kubernetes). */
export const KUBERNETES: Capability = {
  id: "kubernetes",
  title: "Kubernetes",
  properties: [
    { id: "version", label: "Kubernetes minor version", knob: "kubernetes.version", expected: (env) => env.kubernetes.version },
    { id: "privateEndpointOnly", label: "private API endpoint only" },
    { id: "secretsEncrypted", label: "secrets encrypted with" },
    { id: "zones", label: "node pool zones", knob: "*.zones", expected: (env, cloud) => env[cloud].zones },
    { id: "systemMinNodes", label: "system pool min nodes", knob: "kubernetes.systemPool.minNodes", expected: (env) => env.kubernetes.systemPool.minNodes },
    { id: "systemMaxNodes", label: "system pool max nodes", knob: "kubernetes.systemPool.maxNodes", expected: (env) => env.kubernetes.systemPool.maxNodes },
    { id: "workloadMinNodes", label: "workload pool min nodes", knob: "kubernetes.workloadPool.minNodes", expected: (env) => env.kubernetes.workloadPool.minNodes },
    { id: "workloadMaxNodes", label: "workload pool max nodes", knob: "kubernetes.workloadPool.maxNodes", expected: (env) => env.kubernetes.workloadPool.maxNodes },
    { id: "workloadSpot", label: "workload pool spot", knob: "kubernetes.workloadPool.spot", expected: (env) => env.kubernetes.workloadPool.spot },
    { id: "deletionProtection", label: "deletion protection", knob: "kubernetes.deletionProtection", expected: (env) => env.kubernetes.deletionProtection },
    {
      id: "logRetentionDays",
      label: "control-plane log retention (days)",
      knob: "kubernetes.logRetentionDays",
      expected: (env, cloud) => (MANAGED_CONTROL_PLANE_LOGS.includes(cloud) ? env.kubernetes.logRetentionDays : PLATFORM_LOGS),
    },
  ],
  extractors: { aws: awsKubernetes, azure: azureKubernetes, gcp: gcpKubernetes, oci: ociKubernetes, ibm: ibmKubernetes },
};

/** dr's state lives at the dr site (a replica of prod keeps its state out of prod's region). */
export const STATE: Capability = {
  id: "state",
  title: "State",
  properties: [
    { id: "backend", label: "backend" },
    { id: "bucket", label: "bucket", knob: "replicaOf" },
    { id: "region", label: "region", knob: "replicaOf" },
    { id: "lock", label: "lock", knob: "replicaOf" },
    { id: "encrypted", label: "encrypted" },
  ],
  extractors: { aws: stateBackend, azure: stateBackend, gcp: stateBackend, oci: stateBackend, ibm: stateBackend },
};

/** The notification path, log retention, alarms and budget of every stack (modules/observability). */
export const OBSERVABILITY: Capability = {
  id: "observability",
  title: "Observability",
  properties: [
    {
      id: "notificationTargets",
      label: "notification targets",
      knob: "observability.notifications.onCallWebhook",
      expected: (env) => targetList(true, env.observability.notifications.onCallWebhook),
    },
    {
      id: "emailRecipients",
      label: "e-mail recipients",
      knob: "observability.notifications.onCall",
      expected: (env) => new Set([...env.observability.notifications.team, ...env.observability.notifications.onCall]).size,
    },
    { id: "notificationsEncrypted", label: "notifications encrypted with the environment's key" },
    { id: "logRetentionDays", label: "log retention (days)", knob: "observability.logRetentionDays", expected: (env) => env.observability.logRetentionDays },
    { id: "recoveryNotifications", label: "told on recovery" },
    { id: "budget", label: "monthly budget", knob: "observability.budget.amount", expected: (env) => env.observability.budget.amount },
    ...ALARM_IDS.map(
      (id): Property =>
        // Only a replica has a replication lag to alarm on.
        id === "database-replication-lag"
          ? { id: `alarm.${id}`, label: `alarm: ${id}`, knob: "replicaOf", expected: (env) => (env.replicaOf ? true : null) }
          : { id: `alarm.${id}`, label: `alarm: ${id}` },
    ),
  ],
  extractors: { aws: awsObservability, azure: azureObservability, gcp: gcpObservability, oci: ociObservability, ibm: ibmObservability },
};

export const CAPABILITIES: readonly Capability[] = [NETWORK, KEYS, KUBERNETES, STATE, OBSERVABILITY];
