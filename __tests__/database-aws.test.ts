import { environments, referenceTo, resources, synthStack } from "./support/synth";

const META = ["depends_on", "lifecycle"] as const;
const body = (block: Record<string, any>) => Object.fromEntries(Object.entries(block).filter(([k]) => !(META as readonly string[]).includes(k)));
const tags = (env: string, name: string) => ({ project: "siros", owner: "platform-team", "cost-center": env === "dev" ? "cc-platform-dev" : "cc-platform", "managed-by": "cdktf", environment: env, Name: name });

describe("AWS database", () => {
  const prod = synthStack("aws", "prod");
  const dev = synthStack("aws", "dev");
  const dr = synthStack("aws", "dr");
  const instance = (tf: typeof prod.tf) => resources(tf, "aws_db_instance")[0];

  test("prod: a private, encrypted Multi-AZ RDS PostgreSQL 16 with IAM auth, the managed master password, logs and Performance Insights", () => {
    const key = referenceTo(prod.tf, "aws_kms_key", () => true, "arn");
    expect(body(instance(prod.tf))).toEqual({
      identifier: "siros-prod-pg",
      engine: "postgres",
      engine_version: "16",
      instance_class: "db.r7g.xlarge",
      db_name: "siros",
      username: "siros_admin",
      manage_master_user_password: true,
      master_user_secret_kms_key_id: key,
      storage_type: "gp3",
      allocated_storage: 256,
      max_allocated_storage: 1024,
      monitoring_interval: 60,
      monitoring_role_arn: referenceTo(prod.tf, "aws_iam_role", (r) => r.name === "siros-prod-pg-monitoring", "arn"),
      storage_encrypted: true,
      kms_key_id: key,
      multi_az: true,
      db_subnet_group_name: referenceTo(prod.tf, "aws_db_subnet_group", () => true, "name"),
      vpc_security_group_ids: [referenceTo(prod.tf, "aws_security_group", (b) => b.name === "siros-prod-pg")],
      publicly_accessible: false,
      parameter_group_name: referenceTo(prod.tf, "aws_db_parameter_group", () => true, "name"),
      port: 5432,
      iam_database_authentication_enabled: true,
      backup_retention_period: 35,
      backup_window: "01:00-02:00",
      maintenance_window: "sun:03:00-sun:04:00",
      copy_tags_to_snapshot: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "siros-prod-pg-final",
      performance_insights_enabled: true,
      performance_insights_kms_key_id: key,
      performance_insights_retention_period: 7,
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      auto_minor_version_upgrade: true,
      apply_immediately: false,
      tags: tags("prod", "siros-prod-pg"),
    });
    expect(instance(prod.tf).lifecycle).toEqual({ prevent_destroy: true });
  });

  test("dev: the smallest class, one zone, a week of backups, no deletion protection; the final snapshot is still kept", () => {
    expect(instance(dev.tf)).toMatchObject({ instance_class: "db.t4g.medium", multi_az: false, allocated_storage: 32, backup_retention_period: 7, deletion_protection: false, skip_final_snapshot: false });
    expect(instance(dev.tf)).not.toHaveProperty("lifecycle");
  });

  test("dr: a cross-region read replica of prod's instance, read through remote state, encrypted with dr's own key", () => {
    const replica = instance(dr.tf);
    expect(replica.replicate_source_db).toBe("${data.terraform_remote_state.primary.outputs.database_id}");
    expect(replica.kms_key_id).toBe(referenceTo(dr.tf, "aws_kms_key", () => true, "arn"));
    for (const inherited of ["engine", "engine_version", "db_name", "username", "manage_master_user_password", "allocated_storage"]) expect(replica).not.toHaveProperty(inherited);
    expect(replica).toMatchObject({ multi_az: true, deletion_protection: true, storage_encrypted: true, publicly_accessible: false });
    expect(dr.tf.output.database_credentials_secret_id.value).toBe("${data.terraform_remote_state.primary.outputs.database_credentials_secret_id}");
  });

  test("only the cluster's nodes reach PostgreSQL; the group has no egress", () => {
    const group = resources(prod.tf, "aws_security_group").find((b) => b.name === "siros-prod-pg")!;
    expect(group).not.toHaveProperty("egress");
    const groupRef = referenceTo(prod.tf, "aws_security_group", (b) => b.name === "siros-prod-pg");
    const rules = resources(prod.tf, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === groupRef);
    expect(rules).toEqual([
      {
        security_group_id: groupRef,
        description: "PostgreSQL from the cluster's nodes",
        ip_protocol: "tcp",
        from_port: 5432,
        to_port: 5432,
        referenced_security_group_id: (prod.tf.output.kubernetes_node_security_group_ids.value as string[])[0],
        tags: environments.prod.tags,
      },
    ]);
  });

  test("the parameter group forces TLS and logs connections, DDL and slow queries", () => {
    expect(body(resources(prod.tf, "aws_db_parameter_group")[0])).toEqual({
      name: "siros-prod-pg",
      family: "postgres16",
      description: "TLS only and query logging for siros-prod-pg",
      parameter: [
        { name: "rds.force_ssl", value: "1", apply_method: "pending-reboot" },
        { name: "log_connections", value: "1", apply_method: "pending-reboot" },
        { name: "log_disconnections", value: "1", apply_method: "pending-reboot" },
        { name: "log_statement", value: "ddl", apply_method: "pending-reboot" },
        { name: "log_min_duration_statement", value: "1000", apply_method: "pending-reboot" },
      ],
      tags: tags("prod", "siros-prod-pg"),
    });
  });

  test("fails if Enhanced Monitoring cannot publish: a role only RDS's monitoring service assumes, with AWS's monitoring policy alone, attached before the instance", () => {
    const role = resources(prod.tf, "aws_iam_role").find((r) => r.name === "siros-prod-pg-monitoring")!;
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const roleName = referenceTo(prod.tf, "aws_iam_role", (r) => r.name === "siros-prod-pg-monitoring", "name");
    const attachments = resources(prod.tf, "aws_iam_role_policy_attachment").filter((a) => a.role === roleName);
    expect(attachments.map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]);
    const attachment = referenceTo(prod.tf, "aws_iam_role_policy_attachment", (a) => a.role === roleName).replace(/^\$\{(.*)\.id\}$/, "$1");
    expect(instance(prod.tf).depends_on).toContain(attachment);
    // The dr replica is monitored too.
    expect(instance(synthStack("aws", "dr").tf)).toMatchObject({ monitoring_interval: 60 });
  });

  test("exported logs go to log groups encrypted with the key, kept 90 days", () => {
    const key = referenceTo(prod.tf, "aws_kms_key", () => true, "arn");
    const groups = resources(prod.tf, "aws_cloudwatch_log_group").filter((g) => String(g.name).startsWith("/aws/rds/"));
    expect(groups.map(body)).toEqual(
      ["postgresql", "upgrade"].map((log) => ({ name: `/aws/rds/instance/siros-prod-pg/${log}`, retention_in_days: 90, kms_key_id: key, tags: tags("prod", "siros-prod-pg") })),
    );
  });

  test("stack outputs: endpoint, port, database and the secret's ARN, never a password", () => {
    const outputs = prod.tf.output;
    expect(outputs.database_endpoint.value).toMatch(/^\$\{aws_db_instance\.database_instance_[A-F0-9]+\.address\}$/);
    expect(outputs.database_port.value).toBe(5432);
    expect(outputs.database_name.value).toBe("siros");
    expect(outputs.database_credentials_secret_id.value).toMatch(/^\$\{aws_db_instance\.database_instance_[A-F0-9]+\.master_user_secret\[0\]\.secret_arn\}$/);
  });
});
