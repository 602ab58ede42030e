import { ObjectstorageBucket } from "../.gen/providers/oci/objectstorage-bucket";
import { OciStorage } from "../modules/storage/oci";
import { synthModule } from "./support/module-stack";
import { countOf, referenceTo, resources, synthStack, type TerraformJson } from "./support/synth";

const prod = synthStack("oci", "prod");
const staging = synthStack("oci", "staging");
const dev = synthStack("oci", "dev");
const dr = synthStack("oci", "dr");

const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaexampleexampleexample";
const bucket = (tf: TerraformJson, role: string) => resources(tf, "oci_objectstorage_bucket").find((b) => b.freeform_tags.purpose === role)!;
const ref = (tf: TerraformJson, role: string, attribute = "name") => referenceTo(tf, "oci_objectstorage_bucket", (b) => b.freeform_tags.purpose === role, attribute);
const namespace = (tf: TerraformJson) => `\${data.oci_objectstorage_namespace.${Object.keys(tf.data!.oci_objectstorage_namespace)[0]}.namespace}`;
const lifecycleOf = (tf: TerraformJson, role: string) => resources(tf, "oci_objectstorage_object_lifecycle_policy").find((p) => p.bucket === ref(tf, role))!;
const rule = (name: string, action: string, target: string, days: number) => ({ name, action, target, time_amount: String(days), time_unit: "DAYS", is_enabled: true });

/** A storage module alone, granted as `grant` says. */
function grantedModule(grant: (storage: OciStorage) => void): TerraformJson {
  return synthModule((scope) =>
    grant(
      new OciStorage(scope, "storage", {
        name: "siros-test",
        region: "eu-frankfurt-1",
        keyId: "ocid1.key.oc1..k",
        compartmentId: COMPARTMENT,
        identityProvider: undefined as never,
        buckets: { assets: { noncurrentVersionDays: 30, incompleteUploadDays: 7 }, backups: { noncurrentVersionDays: 30, incompleteUploadDays: 7 } },
      }),
    ),
  ).tf;
}

describe("Oracle Cloud object storage", () => {
  test("buckets in the environment's compartment: no public access, the environment's key, object events, Standard tier", () => {
    const compartment = referenceTo(prod.tf, "oci_identity_compartment", () => true);
    for (const role of ["assets", "backups"]) {
      expect(prod.json).toHaveResourceWithProperties(ObjectstorageBucket, {
        compartment_id: compartment,
        namespace: namespace(prod.tf),
        name: `siros-prod-${role}`,
        access_type: "NoPublicAccess",
        kms_key_id: referenceTo(prod.tf, "oci_kms_key", () => true),
        object_events_enabled: true,
        storage_tier: "Standard",
        auto_tiering: "Disabled",
        lifecycle: { prevent_destroy: true },
      });
    }
  });

  test("assets are versioned; locked backups carry a 35-day retention rule and no versioning; dev's backups are versioned and unlocked", () => {
    expect(bucket(prod.tf, "assets").versioning).toBe("Enabled");
    expect(bucket(prod.tf, "backups")).toMatchObject({ versioning: "Disabled", retention_rules: [{ display_name: "backup-lock", duration: { time_amount: "35", time_unit: "DAYS" } }] });
    expect(bucket(staging.tf, "backups").retention_rules).toEqual([{ display_name: "backup-lock", duration: { time_amount: "35", time_unit: "DAYS" } }]);
    expect(bucket(dev.tf, "backups").versioning).toBe("Enabled");
    expect(bucket(dev.tf, "backups")).not.toHaveProperty("retention_rules");
    expect(bucket(dev.tf, "backups")).not.toHaveProperty("lifecycle");
  });

  test("lifecycle policies (whole rule lists), after Object Storage may manage the compartment's objects", () => {
    expect(lifecycleOf(prod.tf, "assets").rules).toEqual([
      rule("expire-noncurrent-versions", "DELETE", "previous-object-versions", 90),
      rule("abort-incomplete-uploads", "ABORT", "multipart-uploads", 7),
    ]);
    expect(lifecycleOf(prod.tf, "backups").rules).toEqual([rule("abort-incomplete-uploads", "ABORT", "multipart-uploads", 7), rule("move-to-infrequent-access", "INFREQUENT_ACCESS", "objects", 30)]);
    expect(lifecycleOf(dev.tf, "backups").rules).toEqual([
      rule("expire-noncurrent-versions", "DELETE", "previous-object-versions", 7),
      rule("abort-incomplete-uploads", "ABORT", "multipart-uploads", 7),
      rule("move-to-infrequent-access", "INFREQUENT_ACCESS", "objects", 30),
    ]);
    const compartment = referenceTo(prod.tf, "oci_identity_compartment", () => true);
    const service = Object.entries(prod.tf.resource.oci_identity_policy).find(([, p]) => p.name === "siros-prod-storage-object-storage-service")!;
    expect(service[1]).toMatchObject({ provider: "oci.home", statements: [`Allow service objectstorage-eu-frankfurt-1 to manage object-family in compartment id ${compartment}`] });
    expect(lifecycleOf(prod.tf, "assets").depends_on).toEqual([`oci_identity_policy.${service[0]}`]);
  });

  test("the key may be used by the regional Object Storage service", () => {
    const key = referenceTo(prod.tf, "oci_kms_key", () => true);
    expect(resources(prod.tf, "oci_identity_policy").flatMap((p) => p.statements)).toContain(
      `Allow service objectstorage-eu-frankfurt-1 to use keys in compartment id ${referenceTo(prod.tf, "oci_identity_compartment", () => true)} where target.key.id = '${key}'`,
    );
  });

  test("dr writes the replication policy on prod's bucket from prod's region, into its replica bucket, and lets prod's service write there", () => {
    expect(dr.tf.provider.oci.find((p) => p.alias === "primary")).toMatchObject({ region: "eu-frankfurt-1" });
    expect(resources(dr.tf, "oci_objectstorage_replication_policy")).toEqual([
      expect.objectContaining({
        provider: "oci.primary",
        namespace: namespace(dr.tf),
        bucket: "${data.terraform_remote_state.primary.outputs.storage_backups_name}",
        name: "backups-to-uk-london-1",
        destination_region_name: "uk-london-1",
        destination_bucket_name: ref(dr.tf, "backups-replica"),
      }),
    ]);
    const compartment = referenceTo(dr.tf, "oci_identity_compartment", () => true);
    expect(resources(dr.tf, "oci_identity_policy").find((p) => p.name === "siros-dr-storage-replication-service")!.statements).toEqual([
      `Allow service objectstorage-eu-frankfurt-1 to manage object-family in compartment id ${compartment}`,
    ]);
    expect(countOf(prod.tf, "oci_objectstorage_replication_policy")).toBe(0);
  });

  test("the cluster's backup job (siros/backup) writes backups: a policy for that workload on that bucket only, the workload's condition on both statements", () => {
    const compartment = referenceTo(prod.tf, "oci_identity_compartment", () => true);
    const cluster = referenceTo(prod.tf, "oci_containerengine_cluster", () => true);
    const workload = `ALL {request.principal.type = 'workload', request.principal.namespace = 'siros', request.principal.service_account = 'backup', request.principal.cluster_id = '${cluster}'}`;
    expect(resources(prod.tf, "oci_identity_policy").find((p) => p.name === "siros-prod-storage-backups-write-0")!.statements).toEqual([
      `Allow any-user to manage objects in compartment id ${compartment} where all {target.bucket.name = '${ref(prod.tf, "backups")}', any {request.permission = 'OBJECT_INSPECT', request.permission = 'OBJECT_READ', request.permission = 'OBJECT_CREATE'}, ${workload}}`,
      `Allow any-user to read buckets in compartment id ${compartment} where all {target.bucket.name = '${ref(prod.tf, "backups")}', ${workload}}`,
    ]);
  });

  test("exports name and endpoint per purpose", () => {
    expect(prod.tf.output.storage_backups_name.value).toBe(ref(prod.tf, "backups"));
    expect(prod.tf.output.storage_backups_url.value).toBe(`https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/${namespace(prod.tf)}/b/${ref(prod.tf, "backups")}/o`);
  });

  test("grants are policies on one bucket with the access's permissions only, and the workload's condition", () => {
    const tf = grantedModule((storage) => storage.grantWrite("backups", { principal: "any-user", condition: "ALL {request.principal.type = 'workload'}" }));
    expect(resources(tf, "oci_identity_policy").find((p) => p.name === "siros-test-storage-backups-write-0")!.statements).toEqual([
      `Allow any-user to manage objects in compartment id ${COMPARTMENT} where all {target.bucket.name = '${ref(tf, "backups")}', any {request.permission = 'OBJECT_INSPECT', request.permission = 'OBJECT_READ', request.permission = 'OBJECT_CREATE'}, ALL {request.principal.type = 'workload'}}`,
      `Allow any-user to read buckets in compartment id ${COMPARTMENT} where all {target.bucket.name = '${ref(tf, "backups")}', ALL {request.principal.type = 'workload'}}`,
    ]);
  });

  test("a grantee without a condition (a group or dynamic group) is named alone on the bucket", () => {
    const tf = grantedModule((storage) => storage.grantRead("assets", { principal: "group edge-readers" }));
    expect(resources(tf, "oci_identity_policy").find((p) => p.name === "siros-test-storage-assets-read-0")!.statements).toEqual([
      `Allow group edge-readers to manage objects in compartment id ${COMPARTMENT} where all {target.bucket.name = '${ref(tf, "assets")}', any {request.permission = 'OBJECT_INSPECT', request.permission = 'OBJECT_READ'}}`,
      `Allow group edge-readers to read buckets in compartment id ${COMPARTMENT} where target.bucket.name = '${ref(tf, "assets")}'`,
    ]);
  });
});
