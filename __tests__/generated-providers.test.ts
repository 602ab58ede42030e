import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS } from "../environments";
import { IbmKeys } from "../modules/keys/ibm";
import { OciKeys } from "../modules/keys/oci";
import { GENERATED_PROVIDERS, staleBindings } from "../tools/bindings";
import { synthModule } from "./support/module-stack";
import { synthStack, type TerraformJson } from "./support/synth";

const root = join(__dirname, "..");
const readJson = (...path: string[]) => JSON.parse(readFileSync(join(root, ...path), "utf8"));

interface SchemaBlock {
  attributes?: Record<string, { required?: boolean; optional?: boolean; computed?: boolean }>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock; min_items?: number }>;
}

// Terraform's own types (terraform.io/builtin/terraform) are not the provider's to describe.
const BUILT_IN_TYPES = new Set(["terraform_remote_state", "terraform_data"]);
const META_ARGUMENTS = new Set(["//", "alias", "depends_on", "count", "for_each", "provider", "lifecycle", "provisioner", "connection"]);

/** Problems with one synthesized block against its schema: unknown, computed-only or missing required settings. */
function conformance(path: string, written: Record<string, unknown>, schema: SchemaBlock): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(written)) {
    if (META_ARGUMENTS.has(key)) continue;
    const attribute = schema.attributes?.[key];
    const nested = schema.block_types?.[key];
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required) problems.push(`${path}.${key} is computed-only`);
    } else if (nested) {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => problems.push(...conformance(`${path}.${key}[${i}]`, item as Record<string, unknown>, nested.block)));
    } else {
      problems.push(`${path}.${key} is not in the schema`);
    }
  }
  for (const [key, attribute] of Object.entries(schema.attributes ?? {})) {
    if (attribute.required && !(key in written)) problems.push(`${path}.${key} is required but not set`);
  }
  for (const [key, nested] of Object.entries(schema.block_types ?? {})) {
    if ((nested.min_items ?? 0) > 0 && !(key in written)) problems.push(`${path}.${key} needs at least ${nested.min_items} block(s)`);
  }
  return problems;
}

describe.each(GENERATED_PROVIDERS)("%s stacks against their schema excerpt", (cloud) => {
  const excerpt = readJson("providers", "schemas", `${cloud}.json`);
  const [address] = Object.keys(excerpt.provider_schemas);
  const schema = excerpt.provider_schemas[address];
  const stacks: [string, TerraformJson][] = ENVIRONMENTS.map((env) => [`${cloud}-${env}`, synthStack(cloud, env).tf]);
  // The keys module with a grant and a secret: types no stack writes until a later module calls them.
  const keysModule = synthModule((scope) => {
    const keys =
      cloud === "oci"
        ? new OciKeys(scope, "keys", { name: "siros-test", region: "eu-frankfurt-1", compartmentId: "ocid1.compartment.oc1..aaaaaaaaexample", principals: ["group admins"] })
        : new IbmKeys(scope, "keys", { name: "siros-test", region: "eu-de", resourceGroupId: "0123456789abcdef0123456789abcdef", principals: ["databases-for-postgresql"] });
    keys.grant({ service: "object-storage" });
    keys.addSecret("db", { name: "db-password", description: "Database password" });
  }).tf;

  test.each(stacks)("%s writes only writable attributes the schema knows, and every required one", (_id, tf) => {
    const problems: string[] = [];
    const check = (kind: "resource" | "data", schemas: Record<string, { block: SchemaBlock }>) => {
      for (const [type, blocks] of Object.entries(tf[kind] ?? {})) {
        // Built-in types and other providers' types (random_id of a global name) are not this excerpt's to describe.
        if (BUILT_IN_TYPES.has(type) || !type.startsWith(`${cloud}_`)) continue;
        if (!schemas[type]) {
          problems.push(`${kind} ${type} is not in the excerpt`);
          continue;
        }
        for (const [name, block] of Object.entries(blocks)) problems.push(...conformance(`${type}.${name}`, block, schemas[type].block));
      }
    };
    check("resource", schema.resource_schemas);
    check("data", schema.data_source_schemas);
    for (const block of tf.provider[cloud]) problems.push(...conformance(`provider.${cloud}`, block, schema.provider.block));
    expect(problems).toEqual([]);
    expect(Object.keys(tf.resource).length).toBeGreaterThan(5);
  });

  // Types the stacks write only once a later module grants or adds a secret: checked on the keys module itself.
  test("the keys module's grants and secrets write only what the excerpt knows, and every required attribute", () => {
    const tf = keysModule;
    const types = Object.keys(tf.resource).sort();
    expect(types).toEqual(
      cloud === "oci"
        ? ["oci_identity_policy", "oci_kms_key", "oci_kms_vault", "oci_vault_secret"]
        : ["ibm_iam_authorization_policy", "ibm_kms_key", "ibm_kms_key_policies", "ibm_kms_key_rings", "ibm_resource_instance", "ibm_sm_secret_group"],
    );
    const problems = Object.entries(tf.resource).flatMap(([type, blocks]) =>
      Object.entries(blocks).flatMap(([name, block]) => conformance(`${type}.${name}`, block, schema.resource_schemas[type].block)),
    );
    expect(problems).toEqual([]);
  });

  test("the stacks pin the excerpt's provider version", () => {
    const [, tf] = stacks[0];
    expect(tf.terraform.required_providers[cloud]).toEqual({ source: address, version: excerpt.provider_versions[address] });
  });

  test("every resource of the excerpt records the source file and version it was read from", () => {
    const provenance = readJson("providers", "schemas", `${cloud}.provenance.json`);
    expect(provenance.version).toBe(excerpt.provider_versions[address]);
    const entries = [
      ...Object.keys(schema.resource_schemas).map((type) => [`resource ${type}`, provenance.resources[type]]),
      ...Object.keys(schema.data_source_schemas).map((type) => [`data ${type}`, provenance.data_sources[type]]),
    ];
    // The release tag, never a branch: a branch moves, and the excerpt must match the pinned release.
    const tag = `v${excerpt.provider_versions[address]}`;
    expect(provenance.provider_block).toMatchObject({ ref: tag });
    for (const [what, entry] of entries) {
      expect({ what, file: entry?.file, ref: entry?.ref }).toEqual({ what, file: expect.stringMatching(/\.go$/), ref: tag });
    }
    // And nothing recorded for a type the excerpt does not hold.
    expect(Object.keys(provenance.resources).sort()).toEqual(Object.keys(schema.resource_schemas).sort());
    expect(Object.keys(provenance.data_sources).sort()).toEqual(Object.keys(schema.data_source_schemas).sort());
  });

  test("the excerpt holds exactly the resources and data sources the stacks (and the keys module's grants and secrets) use", () => {
    const everything: TerraformJson[] = [...stacks.map(([, tf]) => tf), keysModule];
    const used = (kind: "resource" | "data") => [...new Set(everything.flatMap((tf) => Object.keys(tf[kind] ?? {})))].filter((t) => t.startsWith(`${cloud}_`)).sort();
    expect(Object.keys(schema.resource_schemas).sort()).toEqual(used("resource"));
    expect(Object.keys(schema.data_source_schemas).sort()).toEqual(used("data"));
  });
});

describe("provider versions", () => {
  const cdktf = readJson("cdktf.json");
  const pinned = Object.fromEntries(
    (cdktf.terraformProviders as string[]).map((p) => {
      const [source, version] = p.split("@");
      return [source.toLowerCase(), version];
    }),
  );

  test.each([
    ["hashicorp/aws", "@cdktf/provider-aws"],
    ["hashicorp/azurerm", "@cdktf/provider-azurerm"],
    ["hashicorp/google", "@cdktf/provider-google"],
    ["hashicorp/random", "@cdktf/provider-random"],
  ])("cdktf.json pins %s at the version its prebuilt package was built from", (source, pkg) => {
    const built = readJson("node_modules", ...pkg.split("/"), "package.json").cdktf.provider.version;
    expect(pinned[source]).toBe(built);
  });

  test.each(GENERATED_PROVIDERS)("cdktf.json pins %s at its schema excerpt's version", (name) => {
    const excerpt = readJson("providers", "schemas", `${name}.json`);
    const [address, version] = Object.entries(excerpt.provider_versions as Record<string, string>)[0];
    expect(pinned[address.replace(/^[^/]+\//, "")]).toBe(version);
  });
});

test("the generated bindings in .gen are up to date with the schema excerpts", async () => {
  expect(await staleBindings()).toEqual([]);
}, 60_000);
