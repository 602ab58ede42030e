import { KmsCryptoKey } from "@cdktf/provider-google/lib/kms-crypto-key";
import { KmsKeyRing } from "@cdktf/provider-google/lib/kms-key-ring";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { TerraformVariable } from "cdktf";
import { writeOnlyValue } from "../modules/keys/contract";
import { GcpKeys } from "../modules/keys/gcp";
import { synthModule } from "./support/module-stack";
import { countOf, referenceTo, resources, synthStack } from "./support/synth";

const ENCRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

describe("Google Cloud keys", () => {
  const prod = synthStack("gcp", "prod");
  const dev = synthStack("gcp", "dev");

  test("is a regional key ring and an HSM key rotating every 90 days, destroyed only after 30 days", () => {
    expect(prod.json).toHaveResourceWithProperties(KmsKeyRing, { name: "siros-prod", location: "europe-west1", project: "siros-prod", lifecycle: { prevent_destroy: true } });
    expect(prod.json).toHaveResourceWithProperties(KmsCryptoKey, {
      name: "siros-prod",
      purpose: "ENCRYPT_DECRYPT",
      rotation_period: "7776000s",
      destroy_scheduled_duration: "2592000s",
      version_template: { algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION", protection_level: "HSM" },
      lifecycle: { prevent_destroy: true },
    });
  });

  test("the Cloud KMS and Secret Manager APIs are enabled first, and left on when destroyed", () => {
    const apis = Object.entries(prod.tf.resource.google_project_service);
    const api = (service: string) => `google_project_service.${apis.find(([, a]) => a.service === service)![0]}`;
    expect(apis.map(([, a]) => a).filter((a) => a.service === "cloudkms.googleapis.com" || a.service === "secretmanager.googleapis.com")).toEqual([
      { project: "siros-prod", service: "cloudkms.googleapis.com", disable_on_destroy: false, disable_dependent_services: false },
      { project: "siros-prod", service: "secretmanager.googleapis.com", disable_on_destroy: false, disable_dependent_services: false },
    ]);
    expect(resources(prod.tf, "google_kms_key_ring")[0].depends_on).toEqual([api("cloudkms.googleapis.com")]);
    // The logging agent's address is read only once the Cloud Logging API is on.
    expect(Object.values(prod.tf.data!.google_logging_project_cmek_settings)[0].depends_on).toEqual([api("logging.googleapis.com")]);
  });

    test("dev uses a software key, destroyed after a week, without prevent_destroy", () => {
    const [key] = resources(dev.tf, "google_kms_crypto_key");
    expect(key).toMatchObject({ version_template: { protection_level: "SOFTWARE" }, destroy_scheduled_duration: "604800s" });
    expect(key).not.toHaveProperty("lifecycle");
    expect(resources(dev.tf, "google_kms_key_ring")[0]).not.toHaveProperty("lifecycle");
  });

  test("Secret Manager's service agent may encrypt and decrypt with this key only", () => {
    const key = referenceTo(prod.tf, "google_kms_crypto_key", () => true);
    const project = Object.keys(prod.tf.data!.google_project).find((name) => name.startsWith("keys_"))!;
    expect(resources(prod.tf, "google_kms_crypto_key_iam_member")).toContainEqual({
      crypto_key_id: key,
      role: ENCRYPTER,
      member: `serviceAccount:service-\${data.google_project.${project}.number}@gcp-sa-secretmanager.iam.gserviceaccount.com`,
    });
    for (const binding of resources(prod.tf, "google_kms_crypto_key_iam_member")) expect(binding).toMatchObject({ crypto_key_id: key, role: ENCRYPTER });
  });

  test("the flow-log bucket is encrypted with the key, once Cloud Logging's service account may use it", () => {
    for (const { tf } of [prod, dev]) {
      const settings = Object.keys(tf.data!.google_logging_project_cmek_settings)[0];
      const binding = Object.entries(tf.resource.google_kms_crypto_key_iam_member).find(([, m]) => m.member.includes("google_logging_project_cmek_settings"))!;
      expect(binding[1]).toEqual({
        crypto_key_id: referenceTo(tf, "google_kms_crypto_key", () => true),
        role: ENCRYPTER,
        member: `serviceAccount:\${data.google_logging_project_cmek_settings.${settings}.service_account_id}`,
      });
      const [bucket] = resources(tf, "google_logging_project_bucket_config");
      expect(bucket.cmek_settings).toEqual({ kms_key_name: referenceTo(tf, "google_kms_crypto_key", () => true) });
      expect(bucket.depends_on).toEqual([expect.stringMatching(/^google_project_service\..*logginggoogleapiscom/), `google_kms_crypto_key_iam_member.${binding[0]}`]);
      expect(bucket.location).toBe(resources(tf, "google_kms_key_ring")[0].location);
    }
  });

  test("exports the crypto key id and the secret name prefix", () => {
    expect(prod.tf.output.key_id.value).toBe(referenceTo(prod.tf, "google_kms_crypto_key", () => true));
    expect(prod.tf.output.secret_store_id.value).toBe("projects/siros-prod/secrets/siros-prod-");
  });

  test("secrets replicate only to the region, encrypted with the key, after the agent's grant; values only write-only", () => {
    const { json, tf } = synthModule((scope) => {
      const keys = new GcpKeys(scope, "keys", { name: "siros-test", region: "europe-west1", project: "siros-test" });
      keys.addSecret("empty", { name: "api-token", description: "API token" });
      const value = new TerraformVariable(scope, "token", { type: "string", sensitive: true });
      keys.addSecret("valued", { name: "db-password", description: "DB", value: writeOnlyValue(value.stringValue, 3) });
    });
    expect(json).toHaveResourceWithProperties(SecretManagerSecret, {
      secret_id: "siros-test-api-token",
      replication: {
        user_managed: { replicas: [{ location: "europe-west1", customer_managed_encryption: { kms_key_name: referenceTo(tf, "google_kms_crypto_key", () => true) } }] },
      },
      depends_on: [expect.stringMatching(/^google_project_service\..*secretmanagergoogleapiscom/), expect.stringContaining("google_kms_crypto_key_iam_member.keys_key-user-0_")],
    });
    expect(resources(tf, "google_secret_manager_secret_version")).toEqual([
      { secret: referenceTo(tf, "google_secret_manager_secret", (s) => s.secret_id === "siros-test-db-password"), secret_data_wo: "${var.token}", secret_data_wo_version: 3 },
    ]);
  });

  test("grants the service agents of Cloud Logging and Cloud Storage, and principals, each once", () => {
    const { tf } = synthModule((scope) => {
      const keys = new GcpKeys(scope, "keys", { name: "siros-test", region: "europe-west1", project: "siros-test", principals: ["group:platform@example.com"] });
      keys.grant({ service: "logs" });
      keys.grant({ service: "logs" });
      keys.grant({ service: "object-storage" });
      keys.grant({ principal: "group:platform@example.com" });
    });
    const members = resources(tf, "google_kms_crypto_key_iam_member").map((m) => m.member);
    expect(members).toHaveLength(4);
    expect(members).toContain("group:platform@example.com");
    expect(members).toContain(`serviceAccount:\${data.google_logging_project_cmek_settings.${Object.keys(tf.data!.google_logging_project_cmek_settings)[0]}.service_account_id}`);
    expect(members).toContain(`serviceAccount:\${data.google_storage_project_service_account.${Object.keys(tf.data!.google_storage_project_service_account)[0]}.email_address}`);
    expect(countOf(tf, "google_kms_crypto_key")).toBe(1);
  });
});
