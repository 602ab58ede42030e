import { DATABASE_GAPS } from "../modules/database/gaps";
import { referenceTo, resources, synthStack } from "./support/synth";

const body = (block: Record<string, any>) => Object.fromEntries(Object.entries(block).filter(([k]) => k !== "depends_on" && k !== "lifecycle"));
const tags = { project: "siros", owner: "platform-team", "cost-center": "cc-platform", "managed-by": "cdktf", environment: "prod" };

describe("OCI database", () => {
  const prod = synthStack("oci", "prod");
  const dev = synthStack("oci", "dev");
  const dbSystem = (tf: typeof prod.tf) => resources(tf, "oci_psql_db_system")[0];

  test("prod: two instances on regionally durable storage in the private subnet, the password from the Vault, backups copied to dr's region", () => {
    const compartment = referenceTo(prod.tf, "oci_identity_compartment", () => true);
    expect(body(dbSystem(prod.tf))).toEqual({
      compartment_id: compartment,
      display_name: "siros-prod-pg",
      description: "PostgreSQL 16 with pgvector for siros-prod",
      db_version: "16",
      shape: "PostgreSQL.VM.Standard.E5.Flex",
      instance_ocpu_count: 4,
      instance_memory_size_in_gbs: 64,
      instance_count: 2,
      config_id: referenceTo(prod.tf, "oci_psql_configuration", () => true),
      network_details: { subnet_id: referenceTo(prod.tf, "oci_core_subnet", (b) => b.display_name === "siros-prod-private"), nsg_ids: [referenceTo(prod.tf, "oci_core_network_security_group", (b) => b.display_name === "siros-prod-pg")] },
      storage_details: { is_regionally_durable: true, system_type: "OCI_OPTIMIZED_STORAGE" },
      credentials: { username: "siros_admin", password_details: { password_type: "VAULT_SECRET", secret_id: referenceTo(prod.tf, "oci_vault_secret", (b) => b.secret_name === "siros-prod-database-admin"), secret_version: "1" } },
      management_policy: {
        maintenance_window_start: "sun 03:00",
        backup_policy: { kind: "DAILY", backup_start: "01:00", retention_days: 35, copy_policy: { compartment_id: compartment, regions: ["uk-london-1"], retention_period: 35 } },
      },
      freeform_tags: tags,
    });
    expect(dbSystem(prod.tf).lifecycle).toEqual({ prevent_destroy: true });
  });

  test("the configuration allowlists the vector extension for the same shape and version", () => {
    expect(body(resources(prod.tf, "oci_psql_configuration")[0])).toEqual({
      compartment_id: referenceTo(prod.tf, "oci_identity_compartment", () => true),
      display_name: "siros-prod-pg-config",
      description: "pgvector allowlisted for siros-prod-pg",
      db_version: "16",
      shape: "PostgreSQL.VM.Standard.E5.Flex",
      is_flexible: true,
      instance_ocpu_count: 4,
      instance_memory_size_in_gbs: 64,
      db_configuration_overrides: { items: [{ config_key: "oci.allowed_extensions", overriden_config_value: "vector" }] },
      freeform_tags: tags,
    });
  });

  test("the vault generates the administrator's password; no password is written", () => {
    const secret = resources(prod.tf, "oci_vault_secret").find((b) => b.secret_name === "siros-prod-database-admin")!;
    expect(secret.enable_auto_generation).toBe(true);
    expect(secret).not.toHaveProperty("secret_content");
  });

  test("the NSG admits PostgreSQL only from the cluster nodes' NSGs", () => {
    const nsg = referenceTo(prod.tf, "oci_core_network_security_group", (b) => b.display_name === "siros-prod-pg");
    const rules = resources(prod.tf, "oci_core_network_security_group_security_rule").filter((r) => r.network_security_group_id === nsg);
    expect(rules).toEqual(
      (prod.tf.output.kubernetes_node_security_group_ids.value as string[]).map((source) => ({
        network_security_group_id: nsg,
        direction: "INGRESS",
        protocol: "6",
        source,
        source_type: "NETWORK_SECURITY_GROUP",
        stateless: false,
        description: "PostgreSQL from the cluster's nodes",
        tcp_options: { destination_port_range: { min: 5432, max: 5432 } },
      })),
    );
  });

  test("fails if the db system cannot read its administrator's secret: IAM lets db systems read that one secret and nothing else, from the home region, before creation", () => {
    const compartment = referenceTo(prod.tf, "oci_identity_compartment", () => true);
    const secret = referenceTo(prod.tf, "oci_vault_secret", (b) => b.secret_name === "siros-prod-database-admin");
    const policies = resources(prod.tf, "oci_identity_policy").filter((p) => p.name === "siros-prod-pg-secret-reader");
    const keyPolicy = resources(prod.tf, "oci_identity_policy").find((p) => String(p.name).startsWith("siros-prod-key-users"))!;
    expect(policies.map(body)).toEqual([
      {
        provider: keyPolicy.provider,
        compartment_id: compartment,
        name: "siros-prod-pg-secret-reader",
        description: "Lets siros-prod-pg's db system read its administrator's password and no other secret",
        statements: [`Allow any-user to read secret-bundles in compartment id ${compartment} where ALL {request.principal.type = 'postgresqldbsystem', target.secret.id = '${secret}'}`],
        freeform_tags: tags,
      },
    ]);
    expect(keyPolicy.provider).toMatch(/^oci\./);
    const policyAddress = referenceTo(prod.tf, "oci_identity_policy", (p) => p.name === "siros-prod-pg-secret-reader").replace(/^\$\{(.*)\.id\}$/, "$1");
    expect(dbSystem(prod.tf).depends_on).toEqual([policyAddress]);
  });

  test("dev: one instance, a week of backups, no copy, deletable", () => {
    expect(dbSystem(dev.tf)).toMatchObject({ instance_count: 1, instance_ocpu_count: 2, instance_memory_size_in_gbs: 32 });
    expect(dbSystem(dev.tf).management_policy.backup_policy).toEqual({ kind: "DAILY", backup_start: "01:00", retention_days: 7 });
    expect(dbSystem(dev.tf)).not.toHaveProperty("lifecycle");
  });

  test("no customer-managed key at 8.28.0: declared as a gap, not faked", () => {
    expect(DATABASE_GAPS.ociCustomerManagedKey.cloud).toBe("oci");
    expect(JSON.stringify(dbSystem(prod.tf))).not.toMatch(/kms|key_id/);
  });
});
