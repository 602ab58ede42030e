import { GcpStorage } from "../modules/storage/gcp";
import { synthModule } from "./support/module-stack";
import { countOf, referenceTo, resources, synthStack, type TerraformJson } from "./support/synth";

const prod = synthStack("gcp", "prod");
const staging = synthStack("gcp", "staging");
const dev = synthStack("gcp", "dev");
const dr = synthStack("gcp", "dr");

const bucket = (tf: TerraformJson, role: string) => resources(tf, "google_storage_bucket").find((b) => b.labels.purpose === role)!;
const ref = (tf: TerraformJson, role: string, attribute = "name") => referenceTo(tf, "google_storage_bucket", (b) => b.labels.purpose === role, attribute);

const expireAndAbort = (days: number) => [
  { action: { type: "Delete" }, condition: { days_since_noncurrent_time: days, with_state: "ARCHIVED" } },
  { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
];

describe("Google Cloud object storage", () => {
  test("buckets with uniform access, public access prevention, the environment's key, soft delete, protected in prod", () => {
    for (const role of ["assets", "backups"]) {
      expect(bucket(prod.tf, role)).toMatchObject({
        project: "siros-prod",
        location: "EUROPE-WEST1",
        storage_class: "STANDARD",
        uniform_bucket_level_access: true,
        public_access_prevention: "enforced",
        force_destroy: false,
        encryption: { default_kms_key_name: referenceTo(prod.tf, "google_kms_crypto_key", () => true) },
        soft_delete_policy: { retention_duration_seconds: 604800 },
        lifecycle: { prevent_destroy: true },
      });
      expect(bucket(prod.tf, role).name).toMatch(new RegExp(`^siros-prod-${role}-\\$\\{random_id\\.[^}]+\\.hex\\}$`));
    }
  });

  test("buckets are created after the storage service agent may use the key", () => {
    const grant = Object.entries(prod.tf.resource.google_kms_crypto_key_iam_member).find(([, m]) => String(m.member).includes("google_storage_project_service_account"))!;
    for (const role of ["assets", "backups"]) expect(bucket(prod.tf, role).depends_on).toContain(`google_kms_crypto_key_iam_member.${grant[0]}`);
  });

  test("assets are versioned; locked backups keep a retention policy instead (locked in prod, unlocked in staging)", () => {
    expect(bucket(prod.tf, "assets").versioning).toEqual({ enabled: true });
    expect(bucket(prod.tf, "backups").versioning).toEqual({ enabled: false });
    expect(bucket(prod.tf, "backups").retention_policy).toEqual({ retention_period: 35 * 86400, is_locked: true });
    expect(bucket(staging.tf, "backups").retention_policy).toEqual({ retention_period: 35 * 86400, is_locked: false });
    expect(bucket(dev.tf, "backups").versioning).toEqual({ enabled: true });
    expect(bucket(dev.tf, "backups")).not.toHaveProperty("retention_policy");
    expect(bucket(dev.tf, "backups")).not.toHaveProperty("lifecycle");
  });

  test("lifecycle rules: noncurrent versions deleted, uploads aborted, backups to Nearline (whole lists)", () => {
    expect(bucket(prod.tf, "assets").lifecycle_rule).toEqual(expireAndAbort(90));
    expect(bucket(prod.tf, "backups").lifecycle_rule).toEqual([
      ...expireAndAbort(90),
      { action: { type: "SetStorageClass", storage_class: "NEARLINE" }, condition: { age: 30, matches_storage_class: ["STANDARD"] } },
    ]);
    expect(bucket(dev.tf, "assets").lifecycle_rule).toEqual(expireAndAbort(7));
  });

  test("dr replicates prod's backups with a Storage Transfer Service replication job into its replica bucket", () => {
    expect(bucket(dr.tf, "backups-replica")).toMatchObject({ project: "siros-dr", location: "EUROPE-WEST4", retention_policy: { is_locked: true } });
    const [job] = resources(dr.tf, "google_storage_transfer_job");
    expect(job).toMatchObject({
      project: "siros-dr",
      replication_spec: {
        gcs_data_source: { bucket_name: "${data.terraform_remote_state.primary.outputs.storage_backups_name}" },
        gcs_data_sink: { bucket_name: ref(dr.tf, "backups-replica") },
        transfer_options: { overwrite_when: "DIFFERENT" },
      },
    });
    const agent = `serviceAccount:\${data.google_storage_transfer_project_service_account.${Object.keys(dr.tf.data!.google_storage_transfer_project_service_account)[0]}.email}`;
    expect(resources(dr.tf, "google_storage_bucket_iam_member").filter((m) => m.member === agent).map(({ bucket: b, role, member }) => ({ bucket: b, role, member }))).toEqual([
      { bucket: "${data.terraform_remote_state.primary.outputs.storage_backups_name}", role: "roles/storage.legacyBucketReader", member: agent },
      { bucket: "${data.terraform_remote_state.primary.outputs.storage_backups_name}", role: "roles/storage.objectViewer", member: agent },
      { bucket: ref(dr.tf, "backups-replica"), role: "roles/storage.legacyBucketWriter", member: agent },
      { bucket: ref(dr.tf, "backups-replica"), role: "roles/storage.objectViewer", member: agent },
    ]);
    expect(resources(dr.tf, "google_project_service").map((s) => s.service)).toContain("storagetransfer.googleapis.com");
    expect(countOf(prod.tf, "google_storage_transfer_job")).toBe(0);
  });

  test("the cluster's backup job (siros/backup) reads and creates backups through its workload identity", () => {
    const member = referenceTo(prod.tf, "google_service_account", (a) => String(a.account_id).includes("backup"), "member");
    expect(resources(prod.tf, "google_storage_bucket_iam_member").map(({ bucket: b, role, member: m }) => ({ bucket: b, role, member: m }))).toEqual([
      { bucket: ref(prod.tf, "backups"), role: "roles/storage.objectViewer", member },
      { bucket: ref(prod.tf, "backups"), role: "roles/storage.objectCreator", member },
    ]);
  });

  test("exports name and HTTPS endpoint per purpose", () => {
    expect(prod.tf.output.storage_assets_name.value).toBe(ref(prod.tf, "assets"));
    expect(prod.tf.output.storage_assets_url.value).toBe(`https://storage.googleapis.com/${ref(prod.tf, "assets")}`);
  });

  test("grants: object viewer to read, viewer and creator (never admin) to write, on the bucket only", () => {
    const { tf } = synthModule((scope) => {
      const storage = new GcpStorage(scope, "storage", {
        name: "siros-test",
        region: "europe-west1",
        project: "siros-test",
        keyId: "k",
        keyGrant: { fqn: "x" } as never,
        buckets: { assets: { noncurrentVersionDays: 30, incompleteUploadDays: 7 }, backups: { noncurrentVersionDays: 30, incompleteUploadDays: 7 } },
      });
      storage.grantRead("assets", { principal: "serviceAccount:edge@siros-test.iam.gserviceaccount.com" });
      storage.grantWrite("backups", { principal: "serviceAccount:backup@siros-test.iam.gserviceaccount.com" });
      storage.grantWrite("backups", { principal: "serviceAccount:backup@siros-test.iam.gserviceaccount.com" });
    });
    expect(resources(tf, "google_storage_bucket_iam_member").map(({ bucket: b, role, member }) => ({ bucket: b, role, member }))).toEqual([
      { bucket: ref(tf, "assets"), role: "roles/storage.objectViewer", member: "serviceAccount:edge@siros-test.iam.gserviceaccount.com" },
      { bucket: ref(tf, "backups"), role: "roles/storage.objectViewer", member: "serviceAccount:backup@siros-test.iam.gserviceaccount.com" },
      { bucket: ref(tf, "backups"), role: "roles/storage.objectCreator", member: "serviceAccount:backup@siros-test.iam.gserviceaccount.com" },
    ]);
  });
});
