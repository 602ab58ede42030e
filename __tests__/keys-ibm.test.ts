import { KmsKey } from "../.gen/providers/ibm/kms-key";
import { KmsKeyPolicies } from "../.gen/providers/ibm/kms-key-policies";
import { KmsKeyRings } from "../.gen/providers/ibm/kms-key-rings";
import { TerraformVariable } from "cdktf";
import { writeOnlyValue } from "../modules/keys/contract";
import { IbmKeys } from "../modules/keys/ibm";
import { synthModule } from "./support/module-stack";
import { referenceTo, resources, synthStack } from "./support/synth";

const GROUP = "0123456789abcdef0123456789abcdef";

describe("IBM Cloud keys", () => {
  const prod = synthStack("ibm", "prod");
  const dev = synthStack("ibm", "dev");
  const instance = (tf: typeof prod.tf, service: string) => resources(tf, "ibm_resource_instance").find((i) => i.service === service)!;

  test("is a private-only Key Protect instance with a key ring and a root key in it", () => {
    expect(instance(prod.tf, "kms")).toMatchObject({
      name: "siros-prod-kms",
      plan: "tiered-pricing",
      location: "eu-de",
      resource_group_id: referenceTo(prod.tf, "ibm_resource_group", () => true),
      parameters: { allowed_network: "private-only" },
      lifecycle: { prevent_destroy: true },
    });
    const guid = referenceTo(prod.tf, "ibm_resource_instance", (i) => i.service === "kms", "guid");
    expect(prod.json).toHaveResourceWithProperties(KmsKeyRings, { instance_id: guid, key_ring_id: "siros-prod", endpoint_type: "private" });
    expect(prod.json).toHaveResourceWithProperties(KmsKey, {
      instance_id: guid,
      key_name: "siros-prod",
      key_ring_id: referenceTo(prod.tf, "ibm_kms_key_rings", () => true, "key_ring_id"),
      standard_key: false,
      force_delete: false,
      endpoint_type: "private",
      lifecycle: { prevent_destroy: true },
    });
  });

  test("the root key rotates every 3 months; deleting it in prod takes two people", () => {
    expect(prod.json).toHaveResourceWithProperties(KmsKeyPolicies, {
      key_id: referenceTo(prod.tf, "ibm_kms_key", () => true, "key_id"),
      endpoint_type: "private",
      rotation: [{ enabled: true, interval_month: 3 }],
      dual_auth_delete: [{ enabled: true }],
    });
    expect(resources(dev.tf, "ibm_kms_key_policies")[0].dual_auth_delete).toEqual([{ enabled: false }]);
    expect(resources(dev.tf, "ibm_kms_key")[0]).not.toHaveProperty("lifecycle");
  });

  test("Secrets Manager is private-only, encrypted with the root key, created after its authorization to read it", () => {
    const manager = instance(prod.tf, "secrets-manager");
    expect(manager).toMatchObject({
      plan: "standard",
      service_endpoints: "private",
      parameters: {
        allowed_network: "private-only",
        kms_instance: referenceTo(prod.tf, "ibm_resource_instance", (i) => i.service === "kms", "guid"),
        kms_key: referenceTo(prod.tf, "ibm_kms_key", () => true, "crn"),
      },
      lifecycle: { prevent_destroy: true },
    });
    const authorization = referenceTo(prod.tf, "ibm_iam_authorization_policy", (p) => p.source_service_name === "secrets-manager", "id").replace(/^\$\{(.*)\.id\}$/, "$1");
    expect(manager.depends_on).toEqual([authorization]);
    expect(resources(prod.tf, "ibm_iam_authorization_policy").find((p) => p.source_service_name === "secrets-manager")).toMatchObject({
      source_resource_group_id: referenceTo(prod.tf, "ibm_resource_group", () => true),
      target_service_name: "kms",
      target_resource_instance_id: referenceTo(prod.tf, "ibm_resource_instance", (i) => i.service === "kms", "guid"),
      roles: ["Reader"],
    });
  });

  test("exports the root key's CRN and the Secrets Manager instance's CRN", () => {
    expect(prod.tf.output.key_id.value).toBe(referenceTo(prod.tf, "ibm_kms_key", () => true, "crn"));
    expect(prod.tf.output.secret_store_id.value).toBe(referenceTo(prod.tf, "ibm_resource_instance", (i) => i.service === "secrets-manager", "crn"));
  });

  test("grants are Reader authorizations on this Key Protect instance, each source once; secrets get a group", () => {
    const { tf } = synthModule((scope) => {
      const keys = new IbmKeys(scope, "keys", { name: "siros-test", region: "eu-de", resourceGroupId: GROUP });
      keys.grant({ service: "object-storage" });
      keys.grant({ service: "secrets" });
      keys.grant({ principal: "databases-for-postgresql" });
      keys.addSecret("db", { name: "db-password", description: "Database password" });
    });
    const guid = referenceTo(tf, "ibm_resource_instance", (i) => i.service === "kms", "guid");
    const authorizations = resources(tf, "ibm_iam_authorization_policy").map((p) => [p.source_service_name, p.target_resource_instance_id, p.roles]);
    expect(authorizations.sort()).toEqual([
      ["cloud-object-storage", guid, ["Reader"]],
      ["databases-for-postgresql", guid, ["Reader"]],
      ["secrets-manager", guid, ["Reader"]],
    ]);
    expect(resources(tf, "ibm_sm_secret_group")).toEqual([
      {
        instance_id: referenceTo(tf, "ibm_resource_instance", (i) => i.service === "secrets-manager", "guid"),
        region: "eu-de",
        endpoint_type: "private",
        name: "siros-test-db-password",
        description: "Database password",
      },
    ]);
  });

  test("fails if logs are granted", () => {
    expect(() => synthModule((scope) => new IbmKeys(scope, "keys", { name: "t", region: "eu-de", resourceGroupId: GROUP }).grant({ service: "logs" }))).toThrow(
      `keys (ibm): grant({ service: "logs" }) is not supported: IBM VPC flow logs are written to Cloud Object Storage; no logging service encrypts with the key itself. Instead: grant({ service: "object-storage" })`,
    );
  });

  test("fails if a secret comes with a value", () => {
    expect(() =>
      synthModule((scope) => {
        const value = new TerraformVariable(scope, "v", { type: "string", sensitive: true });
        new IbmKeys(scope, "keys", { name: "t", region: "eu-de", resourceGroupId: GROUP }).addSecret("x", { name: "x", description: "x", value: writeOnlyValue(value.stringValue) });
      }),
    ).toThrow(`keys (ibm): addSecret creating the secret itself (secret "x" with a value) is not supported: every IBM Secrets Manager secret type needs its payload at creation and none is write-only at 2.5.0`);
  });
});
