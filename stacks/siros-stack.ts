import { TerraformElement, TerraformOutput, TerraformStack, Token } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import { deepMerge } from "cdktf/lib/util";
import type { Construct } from "constructs";
import { readStackOutputs } from "../backends/remote-state";
import { useS3StateBackend } from "../backends/s3-backend";
import { stateKey, stateSiteOf, type StateSettings } from "../backends/settings";
import type { CloudName, EnvironmentConfig } from "../environments/types";
import type { Edge } from "../modules/edge/contract";
import type { Keys } from "../modules/keys/contract";
import type { Database, PrimaryDatabase } from "../modules/database/contract";
import type { Kubernetes } from "../modules/kubernetes/contract";
import type { Network } from "../modules/network/contract";
import type { Observability, ObservabilityProps, ObservedResources } from "../modules/observability/contract";
import { BUCKET_PURPOSES, type BucketProps, type BucketPurpose, type PrimaryBucket, type Storage, type StorageProps } from "../modules/storage/contract";
import { CLOUD_IMPLEMENTATIONS, type CloudImplementation } from "./clouds";
import { stackId } from "./selection";

export interface SirosStackProps {
  readonly cloud: CloudName;
  readonly environment: EnvironmentConfig;
  readonly state: StateSettings;
  /** The environment named by `environment.replicaOf`, whose outputs this stack reads. */
  readonly primary?: EnvironmentConfig;
  /** The environment that replicates this one (its region receives backup copies where a cloud copies them). */
  readonly replica?: EnvironmentConfig;
}

/**
 * The one composition: every cloud's stack gets the same modules, in the same order,
 * from the same environment data. Only the implementations differ.
 */
export class SirosStack extends TerraformStack {
  readonly keys: Keys;
  readonly network: Network;
  readonly kubernetes: Kubernetes;
  readonly storage: Storage;
  readonly edge: Edge;
  readonly database: Database;
  readonly observability: Observability;
  readonly cloud: CloudName;
  readonly environment: EnvironmentConfig;

  constructor(scope: Construct, { cloud, environment, state, primary, replica }: SirosStackProps) {
    super(scope, stackId(cloud, environment.name));
    this.cloud = cloud;
    this.environment = environment;
    // Widened once here so the composition below stays one code path for every cloud.
    const implementation = CLOUD_IMPLEMENTATIONS[cloud] as CloudImplementation<CloudName>;
    const placement = environment[cloud];

    useS3StateBackend(this, {
      settings: state,
      site: stateSiteOf(environment),
      key: stateKey(environment.project, environment.name, cloud),
      access: environment.state,
    });
    implementation.provider(this, environment);
    const name = `${environment.project}-${environment.name}`;
    // OCI's compartment and IBM's resource group: created once, used by every module below.
    const shared = implementation.scope(this, environment, placement);

    // First, so that every later module can encrypt with the environment's key.
    const keys = implementation.keys(
      this,
      "keys",
      {
        name,
        region: placement.region,
        rotationDays: environment.keys.rotationDays,
        deletionWindowDays: environment.keys.deletionWindowDays,
        protection: environment.keys.protection,
        deletionProtection: environment.keys.deletionProtection,
        tags: environment.tags,
      },
      shared,
    );
    this.keys = keys;

    const network = implementation.network(
      this,
      "network",
      {
        name,
        region: placement.region,
        cidr: placement.cidr,
        zones: placement.zones,
        natStrategy: environment.network.natStrategy,
        flowLogs: { enabled: true, retentionDays: environment.network.flowLogRetentionDays },
        publicIngress: environment.network.publicIngress,
        tags: environment.tags,
      },
      shared,
      keys,
    );
    this.network = network;

    // After the network (its private subnets) and the keys (its secrets and volumes).
    const cluster = environment.kubernetes;
    this.kubernetes = implementation.kubernetes(
      this,
      "kubernetes",
      {
        name,
        region: placement.region,
        version: cluster.version,
        zones: placement.zones,
        nodePools: { system: cluster.systemPool, workload: cluster.workloadPool },
        apiAccess: { allowedCidrs: cluster.apiAllowedCidrs },
        logRetentionDays: cluster.logRetentionDays,
        deletionProtection: cluster.deletionProtection,
        tags: environment.tags,
      },
      shared,
      keys,
      network,
    );
    // A replica reads its primary's outputs (network, database, buckets) through remote state.
    const primaryOutputs = primary ? this.readPrimary(cloud, primary, state) : undefined;
    const primaryDatabase = primaryOutputs && primary ? primaryDatabaseOf(primaryOutputs, `${primary.project}-${primary.name}`, primary[cloud]) : undefined;

    // After the cluster: only its nodes may connect.
    const db = environment.database;
    this.database = implementation.database(
      this,
      "database",
      {
        name,
        region: placement.region,
        engineVersion: db.engineVersion,
        size: db.size,
        storageGb: db.storageGb,
        highAvailability: db.highAvailability,
        backupRetentionDays: db.backupRetentionDays,
        deletionProtection: db.deletionProtection,
        maintenanceWindow: db.maintenanceWindow,
        privateSubnetIds: network.outputs.privateSubnetIds,
        networkId: network.outputs.networkId,
        clientAccess: this.kubernetes.outputs.nodeAccess,
        replicaOf: primaryDatabase,
        backupCopyRegions: replica ? [replica[cloud].region] : [],
        replicaNetworkCidrs: replica ? [replica[cloud].cidr] : [],
        tags: environment.tags,
      },
      shared,
      keys,
      network,
    );

    // After the cluster, whose backup job writes the backups bucket.
    this.storage = implementation.storage(
      this,
      "storage",
      storageProps(name, placement.region, keys.outputs.keyId, environment, primaryOutputs && primary ? { outputs: primaryOutputs, primary, region: primary[cloud].region } : undefined),
      shared,
      keys,
      environment,
      this.kubernetes,
      network,
    );

    // Last: the public entry point, in front of the cluster's ingress.
    this.edge = implementation.edge(
      this,
      "edge",
      {
        name,
        region: placement.region,
        networkId: network.outputs.networkId,
        publicSubnetIds: network.outputs.publicSubnetIds,
        cluster: { ingress: this.kubernetes.outputs.ingress, nodeAccess: this.kubernetes.outputs.nodeAccess },
        domains: environment.edge.domains,
        minTlsVersion: environment.edge.minTlsVersion,
        wafMode: environment.edge.wafMode,
        logRetentionDays: environment.edge.logRetentionDays,
        deletionProtection: environment.edge.deletionProtection,
        tags: environment.tags,
      },
      shared,
      keys,
      network,
    );

    // After the edge: alarms on the database, the edge, the cluster and the NAT built above.
    this.observability = implementation.observability(
      this,
      "observability",
      observabilityProps(name, placement.region, environment, {
        database: { outputs: this.database.outputs, size: db.size, storageGb: db.storageGb, replica: primaryDatabase !== undefined },
        edge: this.edge.outputs,
        cluster: { outputs: this.kubernetes.outputs, workloadPoolMaxNodes: cluster.workloadPool.maxNodes, systemPoolMaxNodes: cluster.systemPool.maxNodes },
        network: network.outputs,
      }),
      shared,
      keys,
      environment,
      this.kubernetes,
    );
    this.exportOutputs();
  }

  /**
   * cdktf's prepare pass resolves every element of the stack once more, before synthesis, only to
   * find references to another stack's constructs and turn them into remote-state reads. A Siros
   * stack never refers to another stack's constructs (a replica reads its primary's outputs through
   * its own remote-state data source, `readPrimary`), so that pass found nothing and cost a third of
   * the synth time. The backend check it also makes is kept. `stack-references.test.ts` fails if any
   * stack refers to a block that is not its own, and `project-stacks.test.ts` holds the output to what
   * `Testing.synth` (which never prepares) returns.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }

  /**
   * cdktf 0.21's `toTerraform`, without its last step. cdktf resolves each block, merges the results,
   * then resolves the merged whole once more: a walk over about 2 MB of values in which no token is
   * left (each block's resolution resolves the tokens within tokens too) and whose only effect is to
   * drop `undefined` values, which the JSON writer drops as well. That walk was about a tenth of
   * the synth. Stack-level overrides (`addOverride` on the stack, e.g. the ephemeral passwords) are
   * merged in as they are, so a stack whose overrides need resolving (a token of any kind, an
   * undefined in a list) keeps cdktf's whole method.
   * `stack-synthesis.test.ts` holds every project stack's output to cdktf's own method's, value for
   * value and byte for byte.
   */
  override toTerraform(): any {
    const internals = this as unknown as { readonly cdktfVersion: unknown; readonly rawOverrides: object };
    if (needsResolution(internals.rawOverrides)) return super.toTerraform();
    const elements = terraformElements(this);
    const overridden = Object.keys(internals.rawOverrides);
    // cdktf's keys in cdktf's order; `cloud` stays where cdktf puts it, and goes if nothing set it.
    const metadata: Record<string, unknown> = {
      version: internals.cdktfVersion,
      stackName: this.node.id,
      backend: "local",
      cloud: undefined,
      ...(overridden.length > 0 ? { overrides: { stack: overridden } } : {}),
    };
    for (const meta of elements.map((element) => resolve(this, element.toMetadata()))) deepMerge(metadata, meta);
    if (metadata.cloud === undefined) delete metadata.cloud;
    const outputs = {};
    for (const element of elements) {
      if (!TerraformOutput.isTerraformOutput(element)) continue;
      const path = element.node.path.split("/").reduceRight<object>(
        (inner, part) => (Object.keys(inner).length === 0 ? { [part]: element.friendlyUniqueId } : { [part]: inner }),
        {},
      );
      deepMerge(outputs, path);
    }
    const tf = { "//": { metadata, outputs } };
    for (const fragment of elements.map((element) => resolve(this, element.toTerraform()))) deepMerge(tf, fragment);
    deepMerge(tf, internals.rawOverrides);
    return tf;
  }

  /**
   * A replica reads its primary's network and database through remote state, for replication to build on:
   * from the replica of the primary's state at its own (dr) site, with its own role, so it
   * needs neither the primary's region nor the primary's credentials.
   */
  private readPrimary(cloud: CloudName, primary: EnvironmentConfig, state: StateSettings): PrimaryOutputs {
    const outputs = readStackOutputs(this, "primary", {
      settings: state,
      site: stateSiteOf(this.environment),
      key: stateKey(primary.project, primary.name, cloud),
      access: this.environment.state,
    });
    new TerraformOutput(this, "primary_network_id", { value: outputs.getString("network_id"), description: `Network of ${stackId(cloud, primary.name)}` });
    new TerraformOutput(this, "primary_network_cidr", { value: outputs.getString("network_cidr"), description: `Range of ${stackId(cloud, primary.name)}` });
    return outputs;
  }

  private exportOutputs(): void {
    const { keyId, secretStoreId } = this.keys.outputs;
    new TerraformOutput(this, "key_id", { value: keyId, description: "The environment's encryption key, as encrypting resources take it" });
    new TerraformOutput(this, "secret_store_id", { value: secretStoreId, description: "The environment's secret store" });
    const { networkId, cidr, publicSubnetIds, privateSubnetIds } = this.network.outputs;
    new TerraformOutput(this, "network_id", { value: networkId, description: "Id of the network" });
    new TerraformOutput(this, "network_cidr", { value: cidr, description: "Address range of the network" });
    new TerraformOutput(this, "public_subnet_ids", { value: publicSubnetIds, description: "Public tier subnets" });
    new TerraformOutput(this, "private_subnet_ids", { value: privateSubnetIds, description: "Private tier subnets" });
    const k8s = this.kubernetes.outputs;
    new TerraformOutput(this, "kubernetes_cluster_name", { value: k8s.clusterName, description: "Name of the Kubernetes cluster" });
    new TerraformOutput(this, "kubernetes_cluster_id", { value: k8s.clusterId, description: "The cloud's id of the Kubernetes cluster" });
    new TerraformOutput(this, "kubernetes_endpoint", { value: k8s.endpoint, description: "Private API server endpoint" });
    new TerraformOutput(this, "kubernetes_oidc_issuer", { value: k8s.oidcIssuer, description: "Service-account token issuer (Google: workload-identity pool)" });
    new TerraformOutput(this, "kubernetes_node_security_group_ids", { value: k8s.nodeAccess.securityGroupIds, description: "Security groups/NSGs on the nodes, for databases and load balancers to admit" });
    new TerraformOutput(this, "kubernetes_node_subnet_cidrs", { value: k8s.nodeAccess.subnetCidrs, description: "Ranges the nodes (and pods' egress) come from" });
    new TerraformOutput(this, "kubernetes_node_network_tags", { value: k8s.nodeAccess.networkTags, description: "Google: network tags on the nodes" });
    new TerraformOutput(this, "kubernetes_ingress_node_port", { value: k8s.ingress.nodePort, description: "NodePort of the ingress controller on every node" });
    new TerraformOutput(this, "kubernetes_ingress_node_groups", { value: k8s.ingress.nodeGroupIds, description: "The workload node pools a load balancer sends to" });
    const { buckets, replicas } = this.storage.outputs;
    for (const purpose of BUCKET_PURPOSES) {
      new TerraformOutput(this, `storage_${purpose}_name`, { value: buckets[purpose].name, description: `Name of the ${purpose} bucket (Azure: storage account)` });
      new TerraformOutput(this, `storage_${purpose}_id`, { value: buckets[purpose].id, description: `Cloud id of the ${purpose} bucket (ARN, account id, name, CRN)` });
      new TerraformOutput(this, `storage_${purpose}_url`, { value: buckets[purpose].url, description: `HTTPS endpoint of the ${purpose} bucket` });
      const replica = replicas[purpose];
      if (!replica) continue;
      new TerraformOutput(this, `storage_${purpose}_replica_name`, { value: replica.name, description: `Name of the bucket receiving the primary's ${purpose}` });
      new TerraformOutput(this, `storage_${purpose}_replica_id`, { value: replica.id, description: `Cloud id of the bucket receiving the primary's ${purpose}` });
      new TerraformOutput(this, `storage_${purpose}_replica_url`, { value: replica.url, description: `HTTPS endpoint of the bucket receiving the primary's ${purpose}` });
    }
    const edge = this.edge.outputs;
    new TerraformOutput(this, "edge_address", { value: edge.address, description: "Public address of the edge (IP, or the load balancer's DNS name): what the domains point at" });
    new TerraformOutput(this, "edge_certificate_validation_records", { value: edge.certificateValidationRecords, description: "DNS records that validate the edge's managed certificate (JSON list; [] where none apply)" });
    new TerraformOutput(this, "edge_identity", { value: edge.identity, description: "The edge's own identity, for grants (Azure: managed identity principal id; empty elsewhere)" });
    new TerraformOutput(this, "edge_backend_id", { value: edge.backendId, description: "Where the cluster's ingress is registered with the edge (target group, backend pool/service/set, pool)" });
    const database = this.database.outputs;
    new TerraformOutput(this, "database_id", { value: database.databaseId, description: "The cloud's id of the PostgreSQL database (what dr replicates)" });
    new TerraformOutput(this, "database_endpoint", { value: database.endpoint, description: "Private endpoint of the PostgreSQL database" });
    if (database.port !== undefined) new TerraformOutput(this, "database_port", { value: database.port, description: "PostgreSQL port" });
    new TerraformOutput(this, "database_name", { value: database.databaseName, description: "The application's database" });
    new TerraformOutput(this, "database_credentials_secret_id", { value: database.credentialsSecretId, description: "Where the administrator's credentials live in the secret store (never the password)" });
    const observability = this.observability.outputs;
    new TerraformOutput(this, "observability_notification_ids", { value: observability.notificationIds, description: "Where alarms and budget notifications go (SNS topic, action group, notification channels, ONS topic, Event Notifications topic)" });
    new TerraformOutput(this, "observability_log_store_ids", { value: observability.logStoreIds, description: "Where the platform's logs are kept and searched (log groups, workspace, log bucket, log group, Cloud Logs instance)" });
    new TerraformOutput(this, "observability_budget_id", { value: observability.budgetId, description: "The environment's monthly budget (empty where the cloud has no budget resource)" });
    new TerraformOutput(this, "observability_alarm_ids", { value: observability.alarms, description: "The alarms built, by the contract's alarm id" });
  }
}

type PrimaryOutputs = ReturnType<typeof readStackOutputs>;

/** What a replica's database needs of its primary's, from the primary's stack outputs. */
function primaryDatabaseOf(outputs: PrimaryOutputs, name: string, placement: { readonly region: string; readonly cidr: string }): PrimaryDatabase {
  return {
    name,
    id: outputs.getString("database_id"),
    region: placement.region,
    credentialsSecretId: outputs.getString("database_credentials_secret_id"),
    networkId: outputs.getString("network_id"),
    networkCidr: placement.cidr,
  };
}

/**
 * The storage module's props from the environment: `assets` versioned with the shared
 * retention; `backups` also moved to the colder class, locked and replicated as the
 * environment says. A replica (dr) receives the primary's replicated buckets, named by the
 * primary's outputs.
 */
export function storageProps(
  name: string,
  region: string,
  keyId: string,
  environment: EnvironmentConfig,
  primary?: { outputs: PrimaryOutputs; primary: EnvironmentConfig; region: string },
): StorageProps {
  const { noncurrentVersionDays, incompleteUploadDays, accessLogDays, backups, deletionProtection } = environment.storage;
  const shared = { noncurrentVersionDays, incompleteUploadDays };
  const buckets: Record<BucketPurpose, BucketProps> = {
    assets: shared,
    backups: {
      ...shared,
      coldAfterDays: backups.coldAfterDays,
      ...(backups.lockDays > 0 ? { lock: { days: backups.lockDays, mode: backups.lockMode } } : {}),
      replicate: backups.replicate,
    },
  };
  const replicaOf: Partial<Record<BucketPurpose, PrimaryBucket>> = {};
  if (primary && primary.primary.storage.backups.replicate) {
    replicaOf.backups = {
      name: primary.outputs.getString("storage_backups_name"),
      id: primary.outputs.getString("storage_backups_id"),
      keyId: primary.outputs.getString("key_id"),
      region: primary.region,
    };
  }
  return { name, region, keyId, buckets, accessLogDays, replicaOf, deletionProtection, tags: environment.tags };
}

/**
 * The observability module's props from the environment: the team's addresses everywhere, the
 * on-call ones (and the webhook) where the environment pages on-call, its thresholds and budget.
 */
export function observabilityProps(name: string, region: string, environment: EnvironmentConfig, observed: ObservedResources): ObservabilityProps {
  const { notifications, logRetentionDays, thresholds, budget } = environment.observability;
  return {
    name,
    region,
    notifications: { emails: [...new Set([...notifications.team, ...notifications.onCall])], onCallWebhook: notifications.onCallWebhook },
    logRetentionDays,
    thresholds,
    budget: { amount: budget.amount, currency: budget.currency, thresholds: budget.thresholds },
    observed,
    tags: environment.tags,
  };
}

/**
 * cdktf's pattern of a number token written into a string (an encoded double, `-1.88e+289`): it
 * also matches ordinary numbers with an exponent, which only costs the shortcut.
 */
const NUMBER_TOKEN_IN_STRING = /[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)/;

/** True when resolving a string could change it: a token of any kind in it. */
const stringNeedsResolution = (text: string): boolean => text.includes("TfToken[") || NUMBER_TOKEN_IN_STRING.test(text);

/**
 * True when resolving `value` could change it or refuse it: a token of any kind anywhere (in a
 * string or a key, a list token among other elements, an encoded number, a resolvable object), an
 * undefined in a list (resolution drops it), a function, or an object other than a plain one or a
 * list (cdktf refuses or converts those).
 */
function needsResolution(value: unknown): boolean {
  if (typeof value === "string") return stringNeedsResolution(value);
  if (typeof value === "function" || Token.isUnresolved(value)) return true;
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.includes(undefined) || value.some(needsResolution);
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return true;
  return Object.keys(value).some(stringNeedsResolution) || Object.values(value).some(needsResolution);
}

/** The stack's elements, depth first in construct order, not descending into nested stacks (as cdktf lists them). */
function terraformElements(node: Construct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) terraformElements(child, into);
  }
  return into;
}
