import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { CLOUDS, ENVIRONMENTS, type CloudName } from "../environments";
import { AwsKeys } from "../modules/keys/aws";
import { AzureKeys } from "../modules/keys/azure";
import { writeOnlyValue, type Keys } from "../modules/keys/contract";
import { GcpKeys } from "../modules/keys/gcp";
import { IbmKeys } from "../modules/keys/ibm";
import { OciKeys } from "../modules/keys/oci";
import { synthModule } from "./support/module-stack";
import { synthStack, type TerraformJson } from "./support/synth";

/** Attributes that carry a secret value on some provider: they may only hold a Terraform reference. */
const SECRET_ATTRIBUTES = new Set([
  "value",
  "value_wo",
  "secret_string",
  "secret_string_wo",
  "secret_binary",
  "secret_data",
  "secret_data_wo",
  "payload",
  "content",
  "password",
  "admin_password",
  "administrator_login_password",
  "client_secret",
  "client_app_secret",
  "private_key",
  "passphrase",
  "password_wo",
  "administrator_password_wo",
  "adminpassword",
]);
/**
 * Blocks whose `value` is a Kubernetes label, taint or add-on setting, or an IAM policy's resource
 * attribute, never a secret (node pool taints and labels, OKE add-on configuration, IBM access
 * policies' `resource_attributes` such as serviceName = cloud-object-storage). Only the block's own `value` is exempt: the
 * text patterns below still apply, and a secret attribute anywhere else is still found.
 */
const KEY_VALUE_BLOCKS = new Set(["taint", "initial_node_labels", "configurations", "parameter", "database_flags", "resource_attributes"]);
/** Resources whose top-level `value` is a server setting (PostgreSQL server parameters), never a secret. */
const SETTING_TYPES = new Set(["azurerm_postgresql_flexible_server_configuration"]);
/**
 * OCI marks `password_type` sensitive although it only names where the password comes from;
 * VAULT_SECRET (a Vault secret's OCID) is safe, PLAIN_TEXT would put the password in the configuration.
 */
const SAFE_LABELS: Readonly<Record<string, string>> = { password_type: "VAULT_SECRET" };
/** Text that is a secret wherever it appears. */
const SECRET_PATTERNS = [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, /\bAKIA[0-9A-Z]{16}\b/, /\bAIza[0-9A-Za-z_-]{35}\b/, /\bpassword\s*[=:]\s*\S+/i];
const REFERENCE = /^\$\{[^}]+\}$/;

type Schema = { block: { attributes?: Record<string, { sensitive?: boolean }>; block_types?: Record<string, Schema> } };
const excerptSchemas = (cloud: "oci" | "ibm"): Record<string, Schema> => {
  const excerpt = JSON.parse(readFileSync(join(__dirname, "..", "providers", "schemas", `${cloud}.json`), "utf8"));
  return Object.values(excerpt.provider_schemas as Record<string, { resource_schemas: Record<string, Schema> }>)[0].resource_schemas;
};
const SENSITIVE = { oci: excerptSchemas("oci"), ibm: excerptSchemas("ibm") };

/** Every place in a synthesized stack where a secret value would be, with the offending value. */
function secretValues(tf: TerraformJson, cloud: CloudName): string[] {
  const found: string[] = [];
  // `names`: whether attribute names count (not in outputs, whose `value` is the output itself).
  const visit = (path: string, value: unknown, schema?: Schema["block"], names = true, block = "") => {
    if (typeof value === "string") {
      if (SECRET_PATTERNS.some((p) => p.test(value))) found.push(`${path}: text that looks like a secret`);
      return;
    }
    if (Array.isArray(value)) return value.forEach((item, i) => visit(`${path}[${i}]`, item, schema, names, block));
    if (typeof value !== "object" || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      const sensitive = schema?.attributes?.[key]?.sensitive === true;
      const labelValue = (key === "value" && (KEY_VALUE_BLOCKS.has(block) || (block === "" && SETTING_TYPES.has(path.split(".")[0]))) && !sensitive) || SAFE_LABELS[key] === child;
      // A dynamic block's `content` is the block's shape (e.g. a backend per instance group), not a value.
      // An alert policy's documentation `content` is the text its notifications carry, not a value.
      const dynamicContent = key === "content" && (/\.dynamic\.[^.]+$/.test(path) || /^google_monitoring_alert_policy\.[^.]+\.documentation$/.test(path));
      if (names && !labelValue && !dynamicContent && (SECRET_ATTRIBUTES.has(key) || sensitive) && !(typeof child === "string" && REFERENCE.test(child))) {
        found.push(`${path}.${key} = ${JSON.stringify(child)}`);
      }
      visit(`${path}.${key}`, child, schema?.block_types?.[key]?.block, names, key);
    }
  };
  for (const [type, blocks] of Object.entries(tf.resource ?? {})) {
    const schema = cloud === "oci" || cloud === "ibm" ? SENSITIVE[cloud][type]?.block : undefined;
    for (const [name, block] of Object.entries(blocks)) visit(`${type}.${name}`, block, schema);
  }
  visit("provider", tf.provider);
  visit("output", tf.output, undefined, false);
  visit("variable", (tf as unknown as { variable?: unknown }).variable, undefined, false);
  return found;
}

/** Each cloud's keys module with every kind of secret it accepts. */
const WITH_SECRETS: Record<CloudName, (scope: Construct) => Keys> = {
  aws: (scope) => new AwsKeys(scope, "keys", { name: "siros-test", region: "eu-west-1" }),
  azure: (scope) => new AzureKeys(scope, "keys", { name: "siros-test", region: "westeurope" }),
  gcp: (scope) => new GcpKeys(scope, "keys", { name: "siros-test", region: "europe-west1", project: "siros-test" }),
  oci: (scope) => new OciKeys(scope, "keys", { name: "siros-test", region: "eu-frankfurt-1", compartmentId: "ocid1.compartment.oc1..aaaaaaaaexample" }),
  ibm: (scope) => new IbmKeys(scope, "keys", { name: "siros-test", region: "eu-de", resourceGroupId: "0123456789abcdef0123456789abcdef" }),
};
const TAKES_EMPTY: readonly CloudName[] = ["aws", "gcp", "oci", "ibm"];
const TAKES_WRITE_ONLY: readonly CloudName[] = ["aws", "azure", "gcp"];

describe("no secret value in the synthesized output", () => {
  test.each(CLOUDS.flatMap((cloud) => ENVIRONMENTS.map((env) => [cloud, env] as const)))("%s-%s holds no secret value", (cloud, env) => {
    const { tf } = synthStack(cloud, env);
    expect(secretValues(tf, cloud)).toEqual([]);
  });

  test.each(CLOUDS)("%s secrets added through the keys module are empty, generated or write-only", (cloud) => {
    const { tf } = synthModule((scope) => {
      const keys = WITH_SECRETS[cloud](scope);
      if (TAKES_EMPTY.includes(cloud)) keys.addSecret("empty", { name: "api-token", description: "API token" });
      if (TAKES_WRITE_ONLY.includes(cloud)) {
        const ephemeral = new TerraformVariable(scope, "db_password", { type: "string", sensitive: true });
        keys.addSecret("valued", { name: "db-password", description: "Database password", value: writeOnlyValue(ephemeral.stringValue) });
      }
    });
    expect(secretValues(tf, cloud)).toEqual([]);
    // Only write-only attributes ever receive a value; none is a plaintext attribute.
    const written = JSON.stringify(tf.resource);
    for (const plaintext of ['"secret_string":', '"secret_data":', '"value":', '"payload":', '"secret_content":']) expect(written).not.toContain(plaintext);
  });

  test("the scan finds a secret where there is one", () => {
    const tf = { resource: { aws_secretsmanager_secret_version: { v: { secret_string: "hunter2" } }, ibm_kms_key: { k: { payload: "c2VjcmV0" } } } } as unknown as TerraformJson;
    expect(secretValues(tf, "aws")).toEqual(['aws_secretsmanager_secret_version.v.secret_string = "hunter2"', 'ibm_kms_key.k.payload = "c2VjcmV0"']);
    const pem = { resource: { x: { y: { description: "-----BEGIN RSA PRIVATE KEY-----" } } } } as unknown as TerraformJson;
    expect(secretValues(pem, "ibm")).toEqual(["x.y.description: text that looks like a secret"]);
  });

  test("fails if a value outside a taint, label or add-on setting is a literal, even next to one", () => {
    const tf = {
      resource: {
        aws_eks_node_group: { g: { taint: [{ key: "CriticalAddonsOnly", value: "true" }] } },
        azurerm_key_vault_secret: { s: { value: "hunter2" } },
        oci_containerengine_addon: { a: { configurations: [{ key: "authType", value: "password: hunter2" }] } },
      },
    } as unknown as TerraformJson;
    expect(secretValues(tf, "aws")).toEqual([
      'azurerm_key_vault_secret.s.value = "hunter2"',
      "oci_containerengine_addon.a.configurations[0].value: text that looks like a secret",
    ]);
  });
});
