import { rmSync } from "node:fs";
import { loadEnvironments } from "../../environments";
import { DIFFERS_FROM_PROD } from "../../environments/shape";
import { buildMatrix } from "../../parity/matrix";
import { parityOf, runParity } from "../../parity/main";
import type { ParityMatrix } from "../../parity/model";
import { GAPS } from "../../parity/gaps";
import { CAPABILITIES } from "../../parity/registry";
import { loadOutputFolder } from "../../policy/terraform-json";
import { blocksOf, copyWith, isNetworkBlock, synthProject } from "./support";

let project: string;
const copies: string[] = [];

beforeAll(() => {
  project = synthProject();
});
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

const drifted = (m: ParityMatrix) => m.cells.filter((c) => c.state === "drift").map((c) => `${c.capability}.${c.property} ${c.stack}`).sort();
const inject = (edits: Parameters<typeof copyWith>[1]) => {
  const dir = copyWith(project, edits);
  copies.push(dir);
  return parityOf(dir);
};

describe("npm run parity over the project's own output", () => {
  test("shows no undeclared drift in any of the 20 stacks", () => {
    const matrix = parityOf(project);
    expect(drifted(matrix)).toEqual([]);
    expect(matrix.environments).toEqual(["dev", "staging", "prod", "dr"]);
    expect(matrix.clouds).toEqual(["aws", "azure", "gcp", "oci", "ibm"]);
    const properties = CAPABILITIES.reduce((n, c) => n + c.properties.length, 0);
    expect(matrix.cells).toHaveLength(properties * 20);
  });

  test("marks dev's cheaper network, keys and cluster, staging's shorter retention, smaller and unprotected key and cluster, and dr's state site as declared", () => {
    const declared = parityOf(project).cells.filter((c) => c.state === "declared").map((c) => `${c.capability}.${c.property} ${c.stack}`);
    expect(declared.sort()).toEqual(
      [
        ...["aws", "azure", "ibm"].map((c) => `network.zones ${c}-dev`),
        ...["aws", "azure", "gcp"].map((c) => `network.nat ${c}-dev`),
        ...["aws", "azure", "gcp", "oci", "ibm"].flatMap((c) => [`network.flowLogRetentionDays ${c}-dev`, `network.flowLogRetentionDays ${c}-staging`]),
        ...["aws", "azure", "gcp", "oci", "ibm"].flatMap((c) => ["bucket", "region", "lock"].map((p) => `state.${p} ${c}-dr`)),
        ...["azure", "gcp", "oci"].map((c) => `keys.protection ${c}-dev`),
        ...["aws", "azure", "gcp", "oci", "ibm"].flatMap((c) => [`keys.deletionProtection ${c}-dev`, `keys.deletionProtection ${c}-staging`]),
        // dev's small cluster with a spot workload pool, staging's smaller maxima; both deletable.
        ...["aws", "azure", "gcp", "oci", "ibm"].map((c) => `kubernetes.zones ${c}-dev`),
        ...["aws", "azure", "gcp", "oci"].flatMap((c) => ["systemMinNodes", "systemMaxNodes", "workloadMinNodes", "workloadMaxNodes", "workloadSpot"].map((p) => `kubernetes.${p} ${c}-dev`)),
        ...["aws", "azure", "gcp", "oci"].flatMap((c) => ["systemMaxNodes", "workloadMaxNodes"].map((p) => `kubernetes.${p} ${c}-staging`)),
        ...["aws", "azure", "gcp", "oci", "ibm"].flatMap((c) => [`kubernetes.deletionProtection ${c}-dev`, `kubernetes.deletionProtection ${c}-staging`]),
        "kubernetes.logRetentionDays aws-dev",
        "kubernetes.logRetentionDays aws-staging",
        // dev's single-zone database, dev's and staging's shorter backups (IBM keeps its own) and deletable databases; dr's replicas.
        ...["aws", "azure", "gcp", "oci", "ibm"].flatMap((c) => [`database.highAvailability ${c}-dev`, `database.deletionProtection ${c}-dev`, `database.deletionProtection ${c}-staging`]),
        ...["aws", "azure", "gcp", "oci"].flatMap((c) => [`database.backupRetentionDays ${c}-dev`, `database.backupRetentionDays ${c}-staging`]),
        ...["aws", "azure", "ibm"].map((c) => `database.role ${c}-dr`),
        // dev's edge only detects and is deletable; dev and staging keep access logs shorter (GCP, IBM: the platform's retention, a gap).
        ...["aws", "azure", "gcp", "oci"].map((c) => `edge.waf ${c}-dev`),
        ...["aws", "azure", "gcp", "oci", "ibm"].map((c) => `edge.deletionProtection ${c}-dev`),
        ...["aws", "azure", "oci"].flatMap((c) => [`edge.logRetentionDays ${c}-dev`, `edge.logRetentionDays ${c}-staging`]),
        // Storage: dev keeps old versions a week and locks nothing; staging's lock is governance; dr receives prod's backups; both deletable.
        ...["aws", "azure", "gcp", "oci", "ibm"].flatMap((c) => ["noncurrentVersionDays", "backupsLockDays", "backupsLockMode", "deletionProtection"].map((p) => `storage.${p} ${c}-dev`)),
        ...["aws", "azure", "gcp", "oci", "ibm"].flatMap((c) => [`storage.backupsLockMode ${c}-staging`, `storage.deletionProtection ${c}-staging`, `storage.receivesReplica ${c}-dr`]),
        // Observability: dev and staging tell the team only, dev keeps a month of logs; budgets are smaller (IBM has none: a gap).
        ...["aws", "azure", "gcp", "oci", "ibm"].flatMap((c) => ["notificationTargets", "emailRecipients"].flatMap((p) => [`observability.${p} ${c}-dev`, `observability.${p} ${c}-staging`])),
        ...["aws", "azure", "gcp", "oci", "ibm"].map((c) => `observability.logRetentionDays ${c}-dev`),
        ...["aws", "azure", "gcp", "oci"].flatMap((c) => [`observability.budget ${c}-dev`, `observability.budget ${c}-staging`]),
        // Only dr's database is a replica (on AWS and Azure; a gap elsewhere).
        ...["aws", "azure"].map((c) => `observability.alarm.database-replication-lag ${c}-dr`),
      ].sort(),
    );
  });

  test("marks the clouds' declared gaps as gaps, naming the module's declaration", () => {
    const gaps = parityOf(project).cells.filter((c) => c.state === "gap");
    expect([...new Set(gaps.map((c) => `${c.capability}.${c.property} ${c.cloud}`))].sort()).toEqual(
      [
        "network.nat ibm", "network.nat oci", "network.privateNoPublicIp gcp", "network.privateNoPublicIp ibm", "network.zones gcp", "network.zones oci",
        "network.flowLogsEncrypted oci", "keys.rotationDays oci", "keys.protection aws", "keys.protection ibm",
        "keys.secretStorePrivate aws", "keys.secretStorePrivate gcp", "keys.secretStorePrivate oci",
        "kubernetes.secretsEncrypted azure", "kubernetes.workloadSpot ibm",
        ...["systemMinNodes", "systemMaxNodes", "workloadMinNodes", "workloadMaxNodes"].map((p) => `kubernetes.${p} ibm`),
        "database.storageEncrypted oci", "database.highAvailability azure", "database.highAvailability ibm", "database.backupRetentionDays ibm", "database.role gcp", "database.role oci",
        "edge.tlsFloor ibm", "edge.waf ibm", "edge.logRetentionDays gcp", "edge.logRetentionDays ibm",
        ...["azure", "oci", "ibm"].map((c) => `edge.ingressRegistered ${c}`),
        "storage.backupsVersioning gcp", "storage.backupsVersioning oci", "storage.backupsLockMode azure", "storage.backupsLockMode oci",
        "storage.backupsColdAfterDays ibm",
        ...["azure", "gcp", "oci", "ibm"].map((c) => `storage.accessLogs ${c}`),
        // Observability: no key on Azure's, Google's and OCI's notification paths; no replica in dr on Google and OCI; IBM has neither metric alarms nor a budget.
        ...["azure", "gcp", "oci"].map((c) => `observability.notificationsEncrypted ${c}`),
        ...["gcp", "oci", "ibm"].map((c) => `observability.alarm.database-replication-lag ${c}`),
        ...["cluster-nodes-not-ready", "cluster-pool-at-max", "database-connections-high", "database-cpu-high", "database-storage-low", "edge-5xx-rate", "edge-unhealthy-backends", "nat-errors"].map((a) => `observability.alarm.${a} ibm`),
        "observability.budget ibm",
      ].sort(),
    );
    // IBM's pools have no spot to lose where the environment asks for none: the gap shows in dev only.
    expect(gaps.filter((c) => c.property === "workloadSpot").map((c) => c.stack)).toEqual(["ibm-dev"]);
    expect(gaps.find((c) => c.property === "secretsEncrypted" && c.stack === "azure-prod")).toMatchObject({
      value: "own key in the environment's vault",
      note: expect.stringContaining("modules/kubernetes/gaps.ts azureEtcdKey"),
    });
    expect(gaps.find((c) => c.property === "nat" && c.cloud === "ibm")).toMatchObject({ environment: "dev", value: "per-zone", note: expect.stringContaining("modules/network/gaps.ts ibmZonalGateways") });
    // A gap explains its value only where that value is not what the environment asks: OCI rotates in prod.
    expect(gaps.filter((c) => c.property === "rotationDays").map((c) => c.stack)).toEqual(["oci-dev"]);
    expect(gaps.filter((c) => c.property === "protection").map((c) => c.stack)).toEqual(["aws-dev", "ibm-dev"]);
    // Read replicas without a standby, and dr instances that replicate nothing, show in dr only.
    expect(gaps.filter((c) => c.capability === "database" && (c.property === "highAvailability" || c.property === "role")).map((c) => c.stack)).toEqual(["azure-dr", "ibm-dr", "gcp-dr", "oci-dr"]);
  });

  test("names the resource each value was read from", () => {
    const retention = parityOf(project).cells.find((c) => c.property === "flowLogRetentionDays" && c.stack === "aws-prod");
    expect(retention).toMatchObject({ value: 180, addresses: [expect.stringMatching(/^aws_cloudwatch_log_group\.network_flow-log-group_/)] });
  });
});

describe("drift injected into a copy of the output is flagged, and only there", () => {
  test("fails if the flow logs' encryption with the environment's key is removed on one cloud", () => {
    const matrix = inject({ "aws-prod": (doc) => blocksOf(doc, "aws_cloudwatch_log_group").forEach((g) => delete g.kms_key_id) });
    expect(drifted(matrix)).toEqual(["network.flowLogsEncrypted aws-prod"]);
    expect(matrix.cells.find((c) => c.stack === "aws-prod" && c.property === "flowLogsEncrypted")).toMatchObject({ value: "provider-managed", note: "the other clouds of prod have environment key" });
  });

  test("fails if a key loses its deletion protection in dr", () => {
    const matrix = inject({ "gcp-dr": (doc) => blocksOf(doc, "google_kms_crypto_key").forEach((k) => delete k.lifecycle) });
    expect(drifted(matrix)).toEqual(["keys.deletionProtection gcp-dr"]);
  });

  test("fails if one cloud's cluster gets a public API endpoint in prod", () => {
    const matrix = inject({
      "gcp-prod": (doc) => blocksOf(doc, "google_container_cluster").forEach((c) => ((c.private_cluster_config as { enable_private_endpoint: boolean }).enable_private_endpoint = false)),
    });
    expect(drifted(matrix)).toEqual(["kubernetes.privateEndpointOnly gcp-prod"]);
    expect(matrix.cells.find((c) => c.stack === "gcp-prod" && c.property === "privateEndpointOnly")).toMatchObject({
      value: false,
      addresses: [expect.stringMatching(/^google_container_cluster\.kubernetes_cluster_/)],
      note: "the other clouds of prod have yes",
    });
  });

  test("fails if staging's workload pool keeps prod's maximum on one cloud only", () => {
    const matrix = inject({ "azure-staging": (doc) => blocksOf(doc, "azurerm_kubernetes_cluster_node_pool").forEach((p) => (p.max_count = 30)) });
    expect(drifted(matrix)).toEqual(["kubernetes.workloadMaxNodes azure-staging"]);
    expect(matrix.cells.find((c) => c.stack === "azure-staging" && c.property === "workloadMaxNodes")?.note).toBe("expected 9 (staging's kubernetes.workloadPool.maxNodes)");
  });

  test("fails if one cloud's database gets a public address in prod", () => {
    const matrix = inject({ "gcp-prod": (doc) => blocksOf(doc, "google_sql_database_instance").forEach((i) => ((i.settings as { ip_configuration: { ipv4_enabled: boolean } }).ip_configuration.ipv4_enabled = true)) });
    expect(drifted(matrix)).toEqual(["database.privateOnly gcp-prod"]);
    expect(matrix.cells.find((c) => c.stack === "gcp-prod" && c.capability === "database" && c.property === "privateOnly")?.note).toBe("the other clouds of prod have yes");
  });

  test("fails if dr's database stops replicating prod on a cloud that can", () => {
    const matrix = inject({ "aws-dr": (doc) => blocksOf(doc, "aws_db_instance").forEach((i) => delete i.replicate_source_db) });
    expect(drifted(matrix)).toEqual(["database.role aws-dr"]);
  });

  test("fails if prod's backups bucket stops versioning on one cloud", () => {
    const matrix = inject({
      "aws-prod": (doc) => blocksOf(doc, "aws_s3_bucket_versioning").forEach((v) => ((v.versioning_configuration as { status: string }).status = "Suspended")),
    });
    expect(drifted(matrix)).toEqual(["storage.assetsVersioning aws-prod", "storage.backupsVersioning aws-prod"]);
    expect(matrix.cells.find((c) => c.stack === "aws-prod" && c.property === "backupsVersioning")?.note).toBe("the other clouds of prod have yes");
  });

  test("fails if one cloud's backups lock is shorter than the environment's lockDays", () => {
    const matrix = inject({ "ibm-dr": (doc) => blocksOf(doc, "ibm_cos_bucket_object_lock_configuration").forEach((l) => (((l.object_lock_configuration as Record<string, any>).object_lock_rule.default_retention.days = 7))) });
    expect(drifted(matrix)).toEqual(["storage.backupsLockDays ibm-dr"]);
    expect(matrix.cells.find((c) => c.stack === "ibm-dr" && c.property === "backupsLockDays")?.note).toBe("expected 35 (dr's storage.backups.lockDays)");
  });

  test("fails if state encryption is removed on one cloud", () => {
    const matrix = inject({ "azure-prod": (doc) => delete doc.terraform.backend.s3.encrypt });
    expect(drifted(matrix)).toEqual(["state.encrypted azure-prod"]);
    expect(matrix.cells.find((c) => c.stack === "azure-prod" && c.property === "encrypted")?.note).toBe("the other clouds of prod have yes");
  });

  test("fails if flow-log retention is changed in staging only, even on every cloud alike", () => {
    const matrix = inject({
      "aws-staging": (doc) => blocksOf(doc, "aws_cloudwatch_log_group").filter((g) => String(g.name).endsWith("/vpc-flow-logs")).forEach((g) => (g.retention_in_days = 60)),
      "azure-staging": (doc) => blocksOf(doc, "azurerm_network_watcher_flow_log").forEach((f) => ((f.retention_policy as { days: number }).days = 60)),
      "gcp-staging": (doc) => blocksOf(doc, "google_logging_project_bucket_config").filter(isNetworkBlock).forEach((b) => (b.retention_days = 60)),
      "oci-staging": (doc) => blocksOf(doc, "oci_logging_log").filter(isNetworkBlock).forEach((l) => (l.retention_duration = 60)),
      "ibm-staging": (doc) => blocksOf(doc, "ibm_cos_bucket_lifecycle_configuration").filter(isNetworkBlock).forEach((l) => ((l.lifecycle_rule as { expiration: { days: number } }[])[0].expiration.days = 60)),
    });
    expect(drifted(matrix)).toEqual(["aws", "azure", "gcp", "ibm", "oci"].map((c) => `network.flowLogRetentionDays ${c}-staging`));
    expect(matrix.cells.find((c) => c.stack === "oci-staging" && c.property === "flowLogRetentionDays")?.note).toBe("expected 90 (staging's network.flowLogRetentionDays)");
  });

  test("fails if one cloud's edge stops registering the cluster's ingress, or loses the named port its backend service uses", () => {
    const detached = inject({ "aws-prod": (doc) => delete doc.resource.aws_autoscaling_attachment });
    // Two clouds register (the others are gaps): one against one, both cells are named.
    expect(drifted(detached)).toEqual(["edge.ingressRegistered aws-prod", "edge.ingressRegistered gcp-prod"]);
    expect(detached.cells.find((c) => c.stack === "aws-prod" && c.property === "ingressRegistered")?.value).toBe("none");
    const unnamed = inject({ "gcp-dr": (doc) => delete doc.resource.google_compute_instance_group_named_port });
    expect(drifted(unnamed)).toEqual(["edge.backendPort gcp-dr"]);
    expect(unnamed.cells.find((c) => c.stack === "gcp-dr" && c.property === "backendPort")).toMatchObject({ value: "no named port", note: "the other clouds of dr have 30443" });
  });

  test("fails if the WAF only detects in prod on one cloud", () => {
    const matrix = inject({ "azure-prod": (doc) => blocksOf(doc, "azurerm_web_application_firewall_policy").forEach((p) => ((p.policy_settings as { mode: string }).mode = "Detection")) });
    expect(drifted(matrix)).toEqual(["edge.waf azure-prod"]);
    expect(matrix.cells.find((c) => c.stack === "azure-prod" && c.property === "waf")?.note).toBe("expected prevention (prod's edge.wafMode)");
  });

  test("fails if high availability is off in dr (one NAT instead of one per zone)", () => {
    const matrix = inject({
      "aws-dr": (doc) => {
        for (const name of Object.keys(doc.resource.aws_nat_gateway).slice(1)) delete doc.resource.aws_nat_gateway[name];
      },
      "gcp-dr": (doc) => blocksOf(doc, "google_compute_router_nat").forEach((n) => {
        n.nat_ip_allocate_option = "AUTO_ONLY";
        delete n.nat_ips;
      }),
    });
    expect(drifted(matrix)).toEqual(["network.nat aws-dr", "network.nat gcp-dr"]);
  });

  test("fails if a setting that may not differ between environments differs in every cloud of one", () => {
    const matrix = inject(Object.fromEntries(["aws", "azure", "gcp", "oci", "ibm"].map((c) => [`${c}-staging`, (doc: Parameters<Parameters<typeof copyWith>[1][string]>[0]) => (doc.terraform.backend.s3.bucket = "elsewhere")])));
    expect(drifted(matrix)).toEqual(["aws", "azure", "gcp", "ibm", "oci"].map((c) => `state.bucket ${c}-staging`));
    expect(matrix.cells.find((c) => c.stack === "gcp-staging" && c.property === "bucket")?.note).toBe(
      "the other environments have siros-terraform-state and staging does not declare replicaOf to differ",
    );
  });

  test("fails in prod, not elsewhere, if prod alone changes on every cloud", () => {
    const matrix = inject(Object.fromEntries(["aws", "azure", "gcp", "oci", "ibm"].map((c) => [`${c}-prod`, (doc: Parameters<Parameters<typeof copyWith>[1][string]>[0]) => delete doc.terraform.backend.s3.encrypt])));
    expect(drifted(matrix)).toEqual(["aws", "azure", "gcp", "ibm", "oci"].map((c) => `state.encrypted ${c}-prod`));
    expect(matrix.cells.find((c) => c.stack === "oci-prod" && c.property === "encrypted")?.note).toBe("the other environments have yes");
  });

  test("fails if an environment's difference from prod is not declared", () => {
    const { staging, ...others } = DIFFERS_FROM_PROD;
    const matrix = buildMatrix({
      stacks: loadOutputFolder(project),
      environments: loadEnvironments(),
      capabilities: CAPABILITIES,
      gaps: GAPS,
      differsFromProd: { ...others, staging: staging?.filter((k) => k !== "network.flowLogRetentionDays") },
    });
    expect(drifted(matrix)).toEqual(["aws", "azure", "gcp", "ibm", "oci"].map((c) => `network.flowLogRetentionDays ${c}-staging`));
  });

  test("fails if a gap's cloud shows another value than the declared one", () => {
    const matrix = inject({ "oci-prod": (doc) => delete doc.resource.oci_core_nat_gateway });
    expect(drifted(matrix)).toEqual(["network.nat oci-prod"]);
  });

  test("--fail-on-drift exits 1 on drift and names the cells; without it the exit is 0", () => {
    const dir = copyWith(project, { "azure-prod": (doc) => delete doc.terraform.backend.s3.encrypt });
    copies.push(dir);
    const failing = runParity(["--dir", dir, "--fail-on-drift"]);
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toContain("Undeclared drift:\n  state.encrypted azure-prod: no: the other clouds of prod have yes [terraform.backend.s3]");
    expect(runParity(["--dir", dir]).exitCode).toBe(0);
    expect(runParity(["--dir", project, "--fail-on-drift"]).exitCode).toBe(0);
  });
});
