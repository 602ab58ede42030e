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
import { awsDatabase } from "./extractors/database/aws";
import { azureDatabase } from "./extractors/database/azure";
import { gcpDatabase } from "./extractors/database/gcp";
import { ibmDatabase } from "./extractors/database/ibm";
import { ociDatabase } from "./extractors/database/oci";
import { PRIMARY, READ_REPLICA } from "./extractors/database/shared";
import { awsEdge } from "./extractors/edge/aws";
import { azureEdge } from "./extractors/edge/azure";
import { gcpEdge } from "./extractors/edge/gcp";
import { ibmEdge } from "./extractors/edge/ibm";
import { ociEdge } from "./extractors/edge/oci";
import { awsStorage } from "./extractors/storage/aws";
import { azureStorage } from "./extractors/storage/azure";
import { gcpStorage } from "./extractors/storage/gcp";
import { ibmStorage } from "./extractors/storage/ibm";
import { ociStorage } from "./extractors/storage/oci";
import { NO_LOCK } from "./extractors/storage/shared";
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

/** The environment's PostgreSQL with pgvector (modules/database). */
export const DATABASE: Capability = {
  id: "database",
  title: "Database",
  properties: [
    { id: "engineVersion", label: "PostgreSQL major version", knob: "database.engineVersion", expected: (env) => env.database.engineVersion },
    { id: "privateOnly", label: "private endpoint only" },
    { id: "storageEncrypted", label: "storage encrypted with" },
    { id: "highAvailability", label: "standby in another zone", knob: "database.highAvailability", expected: (env) => env.database.highAvailability },
    { id: "backupRetentionDays", label: "backup retention (days)", knob: "database.backupRetentionDays", expected: (env) => env.database.backupRetentionDays },
    { id: "deletionProtection", label: "deletion protection (API where offered, and prevent_destroy)", knob: "database.deletionProtection", expected: (env) => env.database.deletionProtection },
    { id: "pgvector", label: "pgvector available" },
    { id: "role", label: "role", knob: "replicaOf", expected: (env) => (env.replicaOf ? READ_REPLICA : PRIMARY) },
  ],
  extractors: { aws: awsDatabase, azure: azureDatabase, gcp: gcpDatabase, oci: ociDatabase, ibm: ibmDatabase },
};

/** The buckets by purpose (modules/storage): assets and backups, and dr's replica of prod's backups. */
export const STORAGE: Capability = {
  id: "storage",
  title: "Storage",
  properties: [
    { id: "bucketsEncrypted", label: "buckets encrypted with" },
    { id: "publicAccessBlocked", label: "no public access" },
    { id: "assetsVersioning", label: "assets versioned" },
    { id: "backupsVersioning", label: "backups versioned" },
    { id: "noncurrentVersionDays", label: "old versions kept (days)", knob: "storage.noncurrentVersionDays", expected: (env) => env.storage.noncurrentVersionDays },
    { id: "backupsColdAfterDays", label: "backups to a colder class after (days)", knob: "storage.backups.coldAfterDays", expected: (env) => env.storage.backups.coldAfterDays },
    { id: "backupsLockDays", label: "backups locked (days)", knob: "storage.backups.lockDays", expected: (env) => env.storage.backups.lockDays },
    {
      id: "backupsLockMode",
      label: "backups lock mode",
      knob: "storage.backups.lockMode",
      expected: (env) => (env.storage.backups.lockDays > 0 ? env.storage.backups.lockMode : NO_LOCK),
    },
    { id: "backupWriterGranted", label: "backup job may write backups" },
    { id: "receivesReplica", label: "receives the primary's backups", knob: "replicaOf" },
    { id: "accessLogs", label: "data access logged to" },
    { id: "deletionProtection", label: "deletion protection", knob: "storage.deletionProtection", expected: (env) => env.storage.deletionProtection },
  ],
  extractors: { aws: awsStorage, azure: azureStorage, gcp: gcpStorage, oci: ociStorage, ibm: ibmStorage },
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

/** The public entry point: load balancer, TLS, redirect, WAF (modules/edge). */
export const EDGE: Capability = {
  id: "edge",
  title: "Edge",
  properties: [
    { id: "tlsFloor", label: "minimum TLS version", knob: "edge.minTlsVersion", expected: (env) => env.edge.minTlsVersion },
    { id: "httpRedirect", label: "HTTP only redirects to HTTPS" },
    { id: "waf", label: "web application firewall", knob: "edge.wafMode", expected: (env) => env.edge.wafMode },
    { id: "deletionProtection", label: "deletion protection", knob: "edge.deletionProtection", expected: (env) => env.edge.deletionProtection },
    { id: "logRetentionDays", label: "access-log retention (days)", knob: "edge.logRetentionDays", expected: (env) => env.edge.logRetentionDays },
    { id: "backendPort", label: "forwards to port" },
    { id: "ingressRegistered", label: "cluster's ingress registered" },
  ],
  extractors: { aws: awsEdge, azure: azureEdge, gcp: gcpEdge, oci: ociEdge, ibm: ibmEdge },
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

export const CAPABILITIES: readonly Capability[] = [NETWORK, KEYS, KUBERNETES, DATABASE, STORAGE, STATE, EDGE, OBSERVABILITY];
