/**
 * The cloud gaps the report knows, tied to the property and the value they explain. The
 * reason comes from the module's own declaration (modules/<module>/gaps.ts), so it is said
 * once; this file only says which cell it explains.
 */
import { DATABASE_GAPS, type DatabaseGapId } from "../modules/database/gaps";
import { EDGE_GAPS, type EdgeGapId } from "../modules/edge/gaps";
import { KEYS_GAPS, type KeysGapId } from "../modules/keys/gaps";
import { KUBERNETES_GAPS, type KubernetesGapId } from "../modules/kubernetes/gaps";
import { NETWORK_GAPS, type NetworkGapId } from "../modules/network/gaps";
import { PRIMARY, SERVICE_RETENTION } from "./extractors/database/shared";
import { OBSERVABILITY_GAPS, type ObservabilityGapName } from "../modules/observability/gaps";
import { OWN_KEY_IN_VAULT } from "./extractors/kubernetes/azure";
import { IN_CLUSTER } from "./extractors/kubernetes/shared";
import { NO_WAF, NOT_ATTACHED, PLATFORM_LOGS as EDGE_PLATFORM_LOGS, PROVIDER_TLS } from "./extractors/edge/shared";
import { STORAGE_GAPS, type StorageGapId } from "../modules/storage/gaps";
import { ACTIVITY_TRACKING, LOCKED_AFTER_CREATION, NO_LOGS, OBJECT_EVENTS, SMART_TIER } from "./extractors/storage/shared";
import type { Gap, Value } from "./model";

interface ModuleGap {
  readonly cloud: Gap["cloud"];
  readonly what: string;
  readonly reason: string;
  readonly alternative: string;
}

function fromModule(source: string, gap: ModuleGap, capability: string, property: string, value: Value): Gap {
  return { capability, property, cloud: gap.cloud, value, reason: `${gap.reason}; instead: ${gap.alternative}`, source };
}

const network = (id: NetworkGapId, property: string, value: Value): Gap => fromModule(`modules/network/gaps.ts ${id}`, NETWORK_GAPS[id], "network", property, value);
const keys = (id: KeysGapId, capability: string, property: string, value: Value): Gap => fromModule(`modules/keys/gaps.ts ${id}`, KEYS_GAPS[id], capability, property, value);
const database = (id: DatabaseGapId, property: string, value: Value): Gap => fromModule(`modules/database/gaps.ts ${id}`, DATABASE_GAPS[id], "database", property, value);
const edge = (id: EdgeGapId, property: string, value: Value): Gap => fromModule(`modules/edge/gaps.ts ${id}`, EDGE_GAPS[id], "edge", property, value);
const storage = (id: StorageGapId, property: string, value: Value): Gap => fromModule(`modules/storage/gaps.ts ${id}`, STORAGE_GAPS[id], "storage", property, value);
const kubernetes = (id: KubernetesGapId, property: string, value: Value): Gap => fromModule(`modules/kubernetes/gaps.ts ${id}`, KUBERNETES_GAPS[id], "kubernetes", property, value);
const observability = (id: ObservabilityGapName, property: string, value: Value): Gap =>
  fromModule(`modules/observability/gaps.ts ${id}`, OBSERVABILITY_GAPS[id], "observability", property, value);
/** A gap about an alarm: the cloud has no alarm of that id (null), only the declared alternative. */
const missingAlarm = (id: ObservabilityGapName): Gap => {
  const alarm = (OBSERVABILITY_GAPS[id] as { alarm?: string }).alarm;
  if (!alarm) throw new Error(`${id} declares no alarm`);
  return observability(id, `alarm.${alarm}`, null);
};

export const GAPS: readonly Gap[] = [
  network("gcpRegionalSubnets", "zones", "regional"),
  network("ociRegionalSubnets", "zones", "regional"),
  network("ociRegionalNat", "nat", "regional"),
  network("ibmZonalGateways", "nat", "per-zone"),
  network("gcpInstancePublicIps", "privateNoPublicIp", "per instance"),
  network("ibmInstancePublicIps", "privateNoPublicIp", "per instance"),
  keys("ociLogs", "network", "flowLogsEncrypted", "provider-managed"),
  keys("ociDevRotation", "keys", "rotationDays", "none"),
  keys("awsSoftwareProtection", "keys", "protection", "hsm"),
  keys("ibmSoftwareProtection", "keys", "protection", "hsm"),
  keys("awsPrivateSecretStore", "keys", "secretStorePrivate", "public endpoint"),
  keys("gcpPrivateSecretStore", "keys", "secretStorePrivate", "public endpoint"),
  keys("ociPrivateSecretStore", "keys", "secretStorePrivate", "public endpoint"),
  kubernetes("azureEtcdKey", "secretsEncrypted", OWN_KEY_IN_VAULT),
  ...["systemMinNodes", "systemMaxNodes", "workloadMinNodes", "workloadMaxNodes"].map((property) => kubernetes("ibmPoolLimits", property, IN_CLUSTER)),
  kubernetes("ibmSpot", "workloadSpot", false),
  database("ociCustomerManagedKey", "storageEncrypted", "provider-managed"),
  database("azureReplicaStandby", "highAvailability", false),
  database("ibmReplicaMembers", "highAvailability", false),
  database("ibmBackupRetention", "backupRetentionDays", SERVICE_RETENTION),
  database("gcpCrossProjectReplica", "role", PRIMARY),
  database("ociReplica", "role", PRIMARY),
  edge("ibmTlsPolicy", "tlsFloor", PROVIDER_TLS),
  edge("ibmWaf", "waf", NO_WAF),
  edge("gcpLogRetention", "logRetentionDays", EDGE_PLATFORM_LOGS),
  edge("ibmLogRetention", "logRetentionDays", EDGE_PLATFORM_LOGS),
  edge("azureTargets", "ingressRegistered", NOT_ATTACHED),
  edge("ociTargets", "ingressRegistered", NOT_ATTACHED),
  edge("ibmTargets", "ingressRegistered", NOT_ATTACHED),
  storage("gcpLockedVersioning", "backupsVersioning", false),
  storage("ociLockedVersioning", "backupsVersioning", false),
  storage("azureComplianceLock", "backupsLockMode", LOCKED_AFTER_CREATION),
  storage("ociComplianceLock", "backupsLockMode", "governance"),
  storage("ibmColdClass", "backupsColdAfterDays", SMART_TIER),
  storage("azureAccessLogs", "accessLogs", NO_LOGS),
  storage("gcpAccessLogs", "accessLogs", NO_LOGS),
  storage("ociAccessLogs", "accessLogs", OBJECT_EVENTS),
  storage("ibmAccessLogs", "accessLogs", ACTIVITY_TRACKING),
  observability("azureTopicEncryption", "notificationsEncrypted", false),
  observability("gcpChannelEncryption", "notificationsEncrypted", false),
  observability("ociTopicEncryption", "notificationsEncrypted", false),
  observability("ibmBudget", "budget", null),
  ...(["gcpReplicationLag", "ociReplicationLag"] as const).map(missingAlarm),
  ...(Object.keys(OBSERVABILITY_GAPS) as ObservabilityGapName[]).filter((id) => id.startsWith("ibm") && "alarm" in OBSERVABILITY_GAPS[id]).map(missingAlarm),
];
