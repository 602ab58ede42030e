import { PGVECTOR_SINCE, POSTGRES_VERSIONS } from "../modules/database/contract";
import { referenceTo, resources, synthStack, synthStackFile } from "./support/synth";

const body = (block: Record<string, any>) => Object.fromEntries(Object.entries(block).filter(([k]) => k !== "depends_on" && k !== "lifecycle"));

describe("IBM Cloud database", () => {
  const prod = synthStack("ibm", "prod");
  const dev = synthStack("ibm", "dev");
  const dr = synthStack("ibm", "dr");
  const deployment = (tf: typeof prod.tf) => resources(tf, "ibm_database")[0];

  test("prod: Databases for PostgreSQL 16 on private endpoints, the node subnets allowlisted, disk and backups with the root key, three members, protected", () => {
    const key = referenceTo(prod.tf, "ibm_kms_key", () => true, "crn");
    expect(body(deployment(prod.tf))).toEqual({
      name: "siros-prod-pg",
      service: "databases-for-postgresql",
      plan: "standard",
      location: "eu-de",
      resource_group_id: referenceTo(prod.tf, "ibm_resource_group", () => true),
      version: "16",
      service_endpoints: "private",
      key_protect_key: key,
      backup_encryption_key_crn: key,
      deletion_protection: true,
      allowlist: (prod.tf.output.kubernetes_node_subnet_cidrs.value as string[]).map((address, i) => ({ address, description: `cluster nodes ${i + 1}` })),
      group: [{ group_id: "member", members: { allocation_count: 3 }, memory: { allocation_mb: 16384 }, disk: { allocation_mb: 262144 }, host_flavor: { id: "multitenant" } }],
      tags: ["project:siros", "owner:platform-team", "cost-center:cc-platform", "managed-by:cdktf", "environment:prod"],
    });
    expect(deployment(prod.tf).lifecycle).toEqual({ prevent_destroy: true });
    expect(deployment(prod.tf)).not.toHaveProperty("adminpassword");
  });

  test("the service may read the root key before the deployment is created", () => {
    const policy = Object.entries(prod.tf.resource.ibm_iam_authorization_policy).find(([, b]) => b.source_service_name === "databases-for-postgresql")!;
    expect(policy[1]).toMatchObject({ target_service_name: "kms", roles: ["Reader"] });
    expect(deployment(prod.tf).depends_on).toContain(`ibm_iam_authorization_policy.${policy[0]}`);
  });

  test("dev: two members (the service's minimum), the smallest memory, deletable", () => {
    expect(deployment(dev.tf).group[0]).toMatchObject({ members: { allocation_count: 2 }, memory: { allocation_mb: 4096 }, disk: { allocation_mb: 32768 } });
    expect(deployment(dev.tf).deletion_protection).toBe(false);
    expect(deployment(dev.tf)).not.toHaveProperty("lifecycle");
  });

  test("dr: a read replica of prod's deployment, read through remote state, in dr's region", () => {
    expect(deployment(dr.tf)).toMatchObject({ remote_leader_id: "${data.terraform_remote_state.primary.outputs.database_id}", location: "eu-gb", deletion_protection: true });
    expect(deployment(dr.tf).group[0]).not.toHaveProperty("members");
  });

  test("the credentials output names the secret group, not a password", () => {
    expect(prod.tf.output.database_credentials_secret_id.value).toMatch(/^\$\{ibm_sm_secret_group\.keys_secret-database-admin_[A-F0-9]+\.secret_group_id\}$/);
    expect(prod.tf.output).not.toHaveProperty("database_port");
  });

  test("fails if an offered engine version has no pgvector on IBM Cloud Databases (IBM documents it from 15)", () => {
    expect(PGVECTOR_SINCE.ibm).toBe(15);
    expect(POSTGRES_VERSIONS.filter((v) => Number(v) < PGVECTOR_SINCE.ibm)).toEqual([]);
    expect(deployment(prod.tf).version).toBe("16");
  });

  test("fails if staging's unprotected deployment is not said to be so: the deletion-protection rule is suppressed there with the reason, and only there", () => {
    const suppressions = (environment: "staging" | "prod" | "dr") => deployment(synthStackFile("ibm", environment))["//"]?.siros?.suppressions ?? [];
    expect(suppressions("staging")).toEqual([
      { rule: "SIROS-IBM-ICD-4", reason: "deletion protection is off by this environment's database.deletionProtection setting (a declared knob; prod and dr keep it): this environment is rebuilt, not restored" },
    ]);
    expect(suppressions("prod")).toEqual([]);
    expect(suppressions("dr")).toEqual([]);
  });
});
