/** Each keys extractor on a small hand-written stack: the whole profile, and what breaks it. */
import { awsKeys } from "../../parity/extractors/keys/aws";
import { azureKeys } from "../../parity/extractors/keys/azure";
import { gcpKeys } from "../../parity/extractors/keys/gcp";
import { ibmKeys } from "../../parity/extractors/keys/ibm";
import { ociKeys } from "../../parity/extractors/keys/oci";
import type { Profile } from "../../parity/model";
import { index } from "./support";

const values = (profile: Profile) => Object.fromEntries(Object.entries(profile).map(([k, o]) => [k, o.value]));
const protect = { lifecycle: { prevent_destroy: true } };

describe("AWS keys extractor", () => {
  test("reads the KMS key's rotation period and prevent_destroy; KMS material is always in HSMs", () => {
    const profile = awsKeys(index({ aws_kms_key: { key: { key_usage: "ENCRYPT_DECRYPT", enable_key_rotation: true, rotation_period_in_days: 90, ...protect } } }));
    expect(values(profile)).toEqual({ customerManagedKey: true, rotationDays: 90, protection: "hsm", deletionProtection: true, secretStorePrivate: "public endpoint" });
    expect(profile.rotationDays.addresses).toEqual(["aws_kms_key.key"]);
  });

  test("sees rotation off, KMS's yearly default, and no key at all", () => {
    expect(values(awsKeys(index({ aws_kms_key: { key: { enable_key_rotation: false } } })))).toMatchObject({ rotationDays: "none", deletionProtection: false });
    expect(values(awsKeys(index({ aws_kms_key: { key: { enable_key_rotation: true } } })))).toMatchObject({ rotationDays: 365 });
    expect(values(awsKeys(index({})))).toMatchObject({ customerManagedKey: false, rotationDays: null, protection: null });
  });
});

const azure = (keyType: string, publicAccess: boolean) => ({
  azurerm_key_vault: { vault: { public_network_access_enabled: publicAccess, network_acls: { default_action: "Deny" }, ...protect } },
  azurerm_key_vault_key: { key: { key_vault_id: "${azurerm_key_vault.vault.id}", key_type: keyType, rotation_policy: { automatic: { time_after_creation: "P90D" } }, ...protect } },
});

describe("Azure keys extractor", () => {
  test("reads the key type, the rotation policy, the vault's network access and protection", () => {
    expect(values(azureKeys(index(azure("RSA-HSM", false))))).toEqual({ customerManagedKey: true, rotationDays: 90, protection: "hsm", deletionProtection: true, secretStorePrivate: true });
  });

  test("sees a software key and a vault open to public networks", () => {
    expect(values(azureKeys(index(azure("RSA", true))))).toMatchObject({ protection: "software", secretStorePrivate: false });
  });
});

describe("Google Cloud keys extractor", () => {
  const gcp = (level?: string) => ({
    google_kms_key_ring: { ring: protect },
    google_kms_crypto_key: { key: { key_ring: "${google_kms_key_ring.ring.id}", rotation_period: "7776000s", version_template: level ? { protection_level: level } : undefined, ...protect } },
  });

  test("reads the rotation period in days, the protection level, key and ring protection", () => {
    expect(values(gcpKeys(index(gcp("HSM"))))).toEqual({ customerManagedKey: true, rotationDays: 90, protection: "hsm", deletionProtection: true, secretStorePrivate: "public endpoint" });
  });

  test("a key without a version template is a software key", () => {
    expect(values(gcpKeys(index(gcp())))).toMatchObject({ protection: "software" });
  });
});

describe("Oracle Cloud keys extractor", () => {
  const oci = (rotating: boolean) => ({
    oci_kms_vault: { vault: { vault_type: "VIRTUAL_PRIVATE", ...protect } },
    oci_kms_key: { key: { management_endpoint: "${oci_kms_vault.vault.management_endpoint}", protection_mode: "HSM", is_auto_rotation_enabled: rotating, auto_key_rotation_details: { rotation_interval_in_days: 90 }, ...protect } },
  });

  test("reads automatic rotation, the protection mode, key and vault protection", () => {
    expect(values(ociKeys(index(oci(true))))).toEqual({ customerManagedKey: true, rotationDays: 90, protection: "hsm", deletionProtection: true, secretStorePrivate: "public endpoint" });
  });

  test("sees no rotation when automatic rotation is off", () => {
    expect(values(ociKeys(index(oci(false))))).toMatchObject({ rotationDays: "none" });
  });
});

describe("IBM Cloud keys extractor", () => {
  const ibm = (network: string) => ({
    ibm_resource_instance: {
      kms: { service: "kms", ...protect },
      secrets: { service: "secrets-manager", service_endpoints: "private", parameters: { allowed_network: network } },
    },
    ibm_kms_key: { root: { standard_key: false, instance_id: "${ibm_resource_instance.kms.guid}", ...protect } },
    ibm_kms_key_policies: { policies: { key_id: "${ibm_kms_key.root.key_id}", rotation: [{ enabled: true, interval_month: 3 }] } },
  });

  test("reads the root key's rotation in months as days, Key Protect's protection, Secrets Manager's network", () => {
    expect(values(ibmKeys(index(ibm("private-only"))))).toEqual({ customerManagedKey: true, rotationDays: 90, protection: "hsm", deletionProtection: true, secretStorePrivate: true });
  });

  test("sees a secret store reachable from public networks", () => {
    expect(values(ibmKeys(index(ibm("public-and-private"))))).toMatchObject({ secretStorePrivate: false });
  });
});
