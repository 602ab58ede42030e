import { GCP_DATABASE_FLAGS } from "../modules/database/gcp";
import { environments, referenceTo, resources, synthStack, synthStackFile } from "./support/synth";

const body = (block: Record<string, any>) => Object.fromEntries(Object.entries(block).filter(([k]) => k !== "depends_on" && k !== "lifecycle"));

describe("Google Cloud database", () => {
  const prod = synthStack("gcp", "prod");
  const dev = synthStack("gcp", "dev");
  const instance = (tf: typeof prod.tf) => resources(tf, "google_sql_database_instance")[0];

  test("prod: Cloud SQL for PostgreSQL 16, private IP only, TLS required, REGIONAL, PITR, CMEK, deletion protection", () => {
    const network = referenceTo(prod.tf, "google_compute_network", () => true);
    expect(body(instance(prod.tf))).toEqual({
      name: "siros-prod-pg",
      project: "siros-prod",
      region: "europe-west1",
      database_version: "POSTGRES_16",
      encryption_key_name: referenceTo(prod.tf, "google_kms_crypto_key", () => true),
      deletion_protection: true,
      settings: {
        tier: "db-custom-4-16384",
        edition: "ENTERPRISE",
        availability_type: "REGIONAL",
        disk_type: "PD_SSD",
        disk_size: 256,
        disk_autoresize: true,
        disk_autoresize_limit: 1024,
        deletion_protection_enabled: true,
        backup_configuration: { enabled: true, point_in_time_recovery_enabled: true, start_time: "01:00", transaction_log_retention_days: 7, backup_retention_settings: { retained_backups: 35, retention_unit: "COUNT" } },
        ip_configuration: { ipv4_enabled: false, private_network: network, ssl_mode: "ENCRYPTED_ONLY" },
        database_flags: Object.entries(GCP_DATABASE_FLAGS).map(([name, value]) => ({ name, value })),
        maintenance_window: { day: 7, hour: 3, update_track: "stable" },
        insights_config: { query_insights_enabled: true, query_string_length: 1024, record_application_tags: false, record_client_address: false },
        user_labels: { project: "siros", owner: "platform-team", "cost-center": "cc-platform", "managed-by": "cdktf", environment: "prod" },
      },
    });
    expect(instance(prod.tf).lifecycle).toEqual({ prevent_destroy: true });
  });

  test("the instance waits for private services access and for the Cloud SQL agent's key grant", () => {
    const dependsOn = instance(prod.tf).depends_on as string[];
    expect(dependsOn).toContain(referenceTo(prod.tf, "google_service_networking_connection", () => true).replace(/^\$\{|\.id\}$/g, ""));
    const grant = Object.entries(prod.tf.resource.google_kms_crypto_key_iam_member).find(([, b]) => String(b.member).includes("gcp-sa-cloud-sql"))!;
    expect(grant[1].member).toMatch(/^serviceAccount:service-\$\{data\.google_project\.database_project_[A-F0-9]+\.number\}@gcp-sa-cloud-sql\.iam\.gserviceaccount\.com$/);
    expect(grant[1].role).toBe("roles/cloudkms.cryptoKeyEncrypterDecrypter");
    expect(dependsOn).toContain(`google_kms_crypto_key_iam_member.${grant[0]}`);
  });

  test("private services access takes a /20 of the environment's own range", () => {
    expect(body(resources(prod.tf, "google_compute_global_address")[0])).toEqual({
      name: "siros-prod-pg-psa",
      project: "siros-prod",
      purpose: "VPC_PEERING",
      address_type: "INTERNAL",
      address: "10.34.192.0",
      prefix_length: 20,
      network: referenceTo(prod.tf, "google_compute_network", () => true),
      description: "Private services access for siros-prod-pg",
      labels: environments.prod.tags,
    });
    expect(resources(prod.tf, "google_service_networking_connection")[0].service).toBe("servicenetworking.googleapis.com");
  });

  test("the administrator's password is generated ephemerally and written only to write-only attributes", () => {
    const user = resources(prod.tf, "google_sql_user")[0];
    expect(body(user)).toEqual({ name: "siros_admin", project: "siros-prod", instance: referenceTo(prod.tf, "google_sql_database_instance", () => true, "name"), type: "BUILT_IN", password_wo: "${ephemeral.random_password.siros_prod_pg_admin_password.result}", password_wo_version: 1 });
    const version = resources(prod.tf, "google_secret_manager_secret_version").find((v) => v.secret_data_wo === user.password_wo);
    expect(version).toBeDefined();
    expect((prod.tf as any).ephemeral.random_password.siros_prod_pg_admin_password).toEqual({ length: 32, special: true, override_special: "-_.~!#%^*", min_lower: 2, min_upper: 2, min_numeric: 2, min_special: 2 });
  });

  test("dev: the smallest tier, one zone, a week of backups, deletable", () => {
    expect(instance(dev.tf).settings).toMatchObject({ tier: "db-custom-1-3840", availability_type: "ZONAL", disk_size: 32, deletion_protection_enabled: false });
    // Transaction logs are kept fewer days than the 7 retained backups.
    expect(instance(dev.tf).settings.backup_configuration).toMatchObject({ transaction_log_retention_days: 6, backup_retention_settings: { retained_backups: 7, retention_unit: "COUNT" } });
    expect(instance(dev.tf).deletion_protection).toBe(false);
    expect(instance(dev.tf)).not.toHaveProperty("lifecycle");
  });

  test("dr: an instance of prod's shape in dr's project and region (no cross-project replica, see gaps)", () => {
    const dr = synthStack("gcp", "dr");
    expect(instance(dr.tf)).toMatchObject({ project: "siros-dr", region: "europe-west4", settings: { availability_type: "REGIONAL", tier: "db-custom-4-16384" } });
    expect(instance(dr.tf)).not.toHaveProperty("master_instance_name");
  });

  test("fails if staging's unprotected instance is not said to be so: the deletion-protection rule is suppressed there with the reason, and only there", () => {
    const suppressions = (environment: "staging" | "prod") => instance(synthStackFile("gcp", environment))["//"]?.siros?.suppressions ?? [];
    expect(suppressions("staging")).toEqual([
      { rule: "SIROS-GCP-SQL-5", reason: "deletion protection is off by this environment's database.deletionProtection setting (a declared knob; prod and dr keep it): this environment is rebuilt, not restored" },
    ]);
    expect(suppressions("prod")).toEqual([]);
  });

  test("fails if the flags scanners expect are missing: IAM authentication, pgAudit of DDL and roles, and the CIS logging flags", () => {
    const flags = Object.fromEntries((instance(prod.tf).settings.database_flags as { name: string; value: string }[]).map((f) => [f.name, f.value]));
    expect(flags).toEqual({
      "cloudsql.iam_authentication": "on",
      "cloudsql.enable_pgaudit": "on",
      "pgaudit.log": "ddl,role",
      log_hostname: "on",
      log_checkpoints: "on",
      log_connections: "on",
      log_disconnections: "on",
      log_lock_waits: "on",
      log_min_error_statement: "error",
      log_min_messages: "warning",
      log_temp_files: "0",
      log_min_duration_statement: "-1",
      log_statement: "ddl",
    });
  });
});
