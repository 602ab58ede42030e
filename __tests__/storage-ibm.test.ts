import { IbmStorage } from "../modules/storage/ibm";
import { synthModule } from "./support/module-stack";
import { countOf, referenceTo, resources, synthStack, type TerraformJson } from "./support/synth";

const prod = synthStack("ibm", "prod");
const staging = synthStack("ibm", "staging");
const dev = synthStack("ibm", "dev");
const dr = synthStack("ibm", "dr");

const bucketRef = (tf: TerraformJson, role: string, attribute = "crn") =>
  referenceTo(tf, "ibm_cos_bucket", (b) => new RegExp(`-${role}-\\$\\{`).test(b.bucket_name), attribute);
const bucket = (tf: TerraformJson, role: string) => resources(tf, "ibm_cos_bucket").find((b) => new RegExp(`-${role}-\\$\\{`).test(b.bucket_name))!;
const onBucket = (tf: TerraformJson, type: string, role: string) => resources(tf, type).find((r) => r.bucket_crn === bucketRef(tf, role))!;
const instance = (tf: TerraformJson) => referenceTo(tf, "ibm_resource_instance", (r) => r.service === "cloud-object-storage" && String(r.name).endsWith("-object-storage"), "guid");

const PROPS = {
  name: "siros-test",
  region: "eu-de",
  keyId: "crn:v1:bluemix:public:kms:eu-de:a/0123:guid:key:id",
  resourceGroupId: "0123456789abcdef0123456789abcdef",
  buckets: { assets: { noncurrentVersionDays: 30, incompleteUploadDays: 7 }, backups: { noncurrentVersionDays: 30, incompleteUploadDays: 7 } },
};

describe("IBM Cloud object storage", () => {
  test("an Object Storage instance in the environment's resource group, authorized on the Key Protect instance alone", () => {
    expect(resources(prod.tf, "ibm_resource_instance").find((r) => r.name === "siros-prod-object-storage")).toMatchObject({
      service: "cloud-object-storage",
      plan: "standard",
      location: "global",
      resource_group_id: referenceTo(prod.tf, "ibm_resource_group", () => true),
      lifecycle: { prevent_destroy: true },
    });
    expect(resources(prod.tf, "ibm_iam_authorization_policy").find((p) => p.source_resource_instance_id === instance(prod.tf))).toMatchObject({
      source_service_name: "cloud-object-storage",
      target_service_name: "kms",
      target_resource_instance_id: `\${element(split(":", ${referenceTo(prod.tf, "ibm_kms_key", () => true, "crn").slice(2, -1)}), 7)}`,
      roles: ["Reader"],
    });
  });

  test("buckets: Key Protect root key, versioning, force_delete off, activity tracking and metrics, protected in prod", () => {
    for (const role of ["assets", "backups"]) {
      expect(bucket(prod.tf, role)).toMatchObject({
        resource_instance_id: referenceTo(prod.tf, "ibm_resource_instance", (r) => r.name === "siros-prod-object-storage"),
        region_location: "eu-de",
        kms_key_crn: referenceTo(prod.tf, "ibm_kms_key", () => true, "crn"),
        force_delete: false,
        object_versioning: { enable: true },
        activity_tracking: { management_events: true, read_data_events: true, write_data_events: true },
        metrics_monitoring: { usage_metrics_enabled: true, request_metrics_enabled: true },
        lifecycle: { prevent_destroy: true },
      });
    }
    expect([bucket(prod.tf, "assets").storage_class, bucket(prod.tf, "backups").storage_class]).toEqual(["standard", "smart"]);
  });

  test("lifecycle configurations expire noncurrent versions and abort uploads (whole rule lists)", () => {
    const rules = (days: number) => [
      {
        rule_id: "expire-noncurrent-versions",
        status: "enable",
        filter: { prefix: "" },
        noncurrent_version_expiration: { noncurrent_days: days },
        abort_incomplete_multipart_upload: { days_after_initiation: 7 },
      },
    ];
    expect(onBucket(prod.tf, "ibm_cos_bucket_lifecycle_configuration", "backups").lifecycle_rule).toEqual(rules(90));
    expect(onBucket(dev.tf, "ibm_cos_bucket_lifecycle_configuration", "assets").lifecycle_rule).toEqual(rules(7));
  });

  test("backups carry object lock: compliance in prod, governance in staging, none in dev", () => {
    expect(bucket(prod.tf, "backups").object_lock).toBe(true);
    expect(onBucket(prod.tf, "ibm_cos_bucket_object_lock_configuration", "backups").object_lock_configuration).toEqual({
      object_lock_enabled: "Enabled",
      object_lock_rule: { default_retention: { mode: "COMPLIANCE", days: 35 } },
    });
    expect(resources(staging.tf, "ibm_cos_bucket_object_lock_configuration").map((l) => l.object_lock_configuration.object_lock_rule.default_retention.mode)).toEqual(["GOVERNANCE"]);
    expect(countOf(dev.tf, "ibm_cos_bucket_object_lock_configuration")).toBe(0);
    expect(bucket(dev.tf, "backups")).not.toHaveProperty("object_lock");
    expect(bucket(dev.tf, "backups")).not.toHaveProperty("lifecycle");
  });

  test("dr replicates prod's backups bucket into its replica bucket, with prod's instance authorized to write", () => {
    const [rule] = resources(dr.tf, "ibm_cos_bucket_replication_rule");
    expect(rule).toMatchObject({ bucket_crn: "${data.terraform_remote_state.primary.outputs.storage_backups_id}", bucket_location: "eu-de" });
    expect(rule.replication_rule).toEqual([
      { rule_id: "replicate-backups-to-siros-dr", enable: true, priority: 1, prefix: "", deletemarker_replication_status: true, destination_bucket_crn: bucketRef(dr.tf, "backups-replica") },
    ]);
    const writer = Object.entries(dr.tf.resource.ibm_iam_authorization_policy).find(([, p]) => p.roles[0] === "Writer" && p.target_service_name === "cloud-object-storage" && p.source_service_name === "cloud-object-storage")!;
    expect(writer[1]).toMatchObject({
      source_service_name: "cloud-object-storage",
      source_resource_instance_id: '${element(split(":", data.terraform_remote_state.primary.outputs.storage_backups_id), 7)}',
      target_service_name: "cloud-object-storage",
      target_resource_instance_id: instance(dr.tf),
    });
    expect(rule.depends_on).toEqual([`ibm_iam_authorization_policy.${writer[0]}`]);
    expect(countOf(prod.tf, "ibm_cos_bucket_replication_rule")).toBe(0);
  });

  test("exports name, CRN and private endpoint per purpose", () => {
    expect(prod.tf.output.storage_backups_id.value).toBe(bucketRef(prod.tf, "backups"));
    expect(prod.tf.output.storage_backups_url.value).toBe(`https://${bucketRef(prod.tf, "backups", "s3_endpoint_private")}/${bucketRef(prod.tf, "backups", "bucket_name")}`);
  });

  test("the cluster's backup job (siros/backup) writes backups through its trusted profile: Object Reader and Object Writer on that bucket only", () => {
    const profile = referenceTo(prod.tf, "ibm_iam_trusted_profile", (p) => String(p.name).endsWith("-siros-backup"), "iam_id");
    expect(resources(prod.tf, "ibm_iam_trusted_profile_policy")).toEqual([
      expect.objectContaining({
        iam_id: profile,
        roles: ["Object Reader", "Object Writer"],
        resource_attributes: [
          { name: "serviceName", value: "cloud-object-storage" },
          { name: "serviceInstance", value: instance(prod.tf) },
          { name: "resourceType", value: "bucket" },
          { name: "resource", value: bucketRef(prod.tf, "backups", "bucket_name") },
        ],
      }),
    ]);
  });

  test("grants are trusted-profile policies on one bucket, readers never write, once per access and profile", () => {
    const { tf } = synthModule((scope) => {
      const storage = new IbmStorage(scope, "storage", PROPS);
      storage.grantRead("assets", { principal: "iam-Profile-edge" });
      storage.grantRead("assets", { principal: "iam-Profile-edge" });
      storage.grantWrite("backups", { principal: "iam-Profile-backup" });
    });
    const bucketName = (role: string) => referenceTo(tf, "ibm_cos_bucket", (b) => String(b.bucket_name).includes(`-${role}-`), "bucket_name");
    expect(resources(tf, "ibm_iam_trusted_profile_policy").map(({ iam_id, roles, resource_attributes }) => ({ iam_id, roles, resource: resource_attributes[3] }))).toEqual([
      { iam_id: "iam-Profile-edge", roles: ["Object Reader"], resource: { name: "resource", value: bucketName("assets") } },
      { iam_id: "iam-Profile-backup", roles: ["Object Reader", "Object Writer"], resource: { name: "resource", value: bucketName("backups") } },
    ]);
  });

  test("fails if a grant names a purpose the contract does not know", () => {
    expect(() => synthModule((scope) => new IbmStorage(scope, "storage", PROPS).grantWrite("logs" as never, { principal: "iam-Profile-1234" }))).toThrow(
      'storage (ibm): "logs" is not a bucket purpose; valid: "assets", "backups"',
    );
  });
});
