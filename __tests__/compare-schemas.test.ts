import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareSchemas, type SchemasJson } from "../tools/schemas/compare";

const root = join(__dirname, "..");
const OCI = "registry.terraform.io/oracle/oci";
const IBM = "registry.terraform.io/ibm-cloud/ibm";
const read = (name: string): SchemasJson => JSON.parse(readFileSync(join(root, "providers", "schemas", `${name}.json`), "utf8"));
/** A copy of the OCI excerpt standing in for the real provider's output, changed by `change`. */
const provider = (change: (schema: any) => void = () => {}) => {
  const copy = JSON.parse(JSON.stringify(read("oci")));
  change(copy.provider_schemas[OCI]);
  return copy as SchemasJson;
};
const securityList = (schema: any) => schema.resource_schemas.oci_core_security_list.block;

describe("compareSchemas", () => {
  test("finds no difference between an excerpt and a provider that matches it, descriptions aside", () => {
    expect(compareSchemas(read("oci"), provider((s) => (securityList(s).attributes.vcn_id.description = "changed wording")))).toEqual([]);
    expect(compareSchemas(read("ibm"), read("ibm"))).toEqual([]);
  });

  test("nested attribute types are compared without their descriptions", () => {
    const nested = (description: string, type: string) => ({ nesting_mode: "list", attributes: { port: { type, optional: true, description } } });
    const withNested = (description: string, type: string) =>
      provider((s) => (securityList(s).attributes.vcn_id = { nested_type: nested(description, type), required: true }));
    expect(compareSchemas(withNested("one wording", "number"), withNested("another", "number"))).toEqual([]);
    expect(compareSchemas(withNested("one wording", "number"), withNested("one wording", "string"))).toEqual([
      `resource oci_core_security_list: attribute vcn_id: nested_type: excerpt {"nesting_mode":"list","attributes":{"port":{"type":"number","optional":true}}}, provider {"nesting_mode":"list","attributes":{"port":{"type":"string","optional":true}}}`,
    ]);
  });

  test("a real provider with more resources than the excerpt holds is not a difference", () => {
    expect(compareSchemas(read("oci"), provider((s) => (s.resource_schemas.oci_core_instance = { block: { attributes: { id: { type: "string", computed: true } } } })))).toEqual([]);
  });

  test("fails if a flag, a type, an attribute or a nested block differs, anywhere in the tree", () => {
    const changed = provider((s) => {
      const block = securityList(s);
      block.attributes.vcn_id.required = false;
      block.attributes.vcn_id.optional = true;
      block.attributes.freeform_tags.type = ["map", "number"];
      block.attributes.display_name.sensitive = true;
      delete block.attributes.state;
      block.attributes.new_setting = { type: "bool", optional: true };
      const tcp = block.block_types.ingress_security_rules.block.block_types.tcp_options;
      tcp.max_items = 2;
      tcp.block.attributes.max.required = true;
      tcp.block.attributes.max.optional = false;
      block.block_types.ingress_security_rules.nesting_mode = "list";
      delete block.block_types.timeouts;
      delete s.data_source_schemas.oci_core_services;
      s.provider.block.attributes.region.computed = true;
    });
    expect(compareSchemas(read("oci"), changed)).toEqual([
      `provider ${OCI}: attribute region: computed: excerpt false, provider true`,
      "resource oci_core_security_list: attribute display_name: sensitive: excerpt false, provider true",
      `resource oci_core_security_list: attribute freeform_tags: type: excerpt ["map","string"], provider ["map","number"]`,
      "resource oci_core_security_list: attribute new_setting: in the provider, missing from the excerpt",
      "resource oci_core_security_list: attribute state: in the excerpt, not in the provider",
      "resource oci_core_security_list: attribute vcn_id: required: excerpt true, provider false",
      "resource oci_core_security_list: attribute vcn_id: optional: excerpt false, provider true",
      "resource oci_core_security_list: block ingress_security_rules: nesting_mode: excerpt set, provider list",
      "resource oci_core_security_list > ingress_security_rules: block tcp_options: max_items: excerpt 1, provider 2",
      "resource oci_core_security_list > ingress_security_rules > tcp_options: attribute max: required: excerpt false, provider true",
      "resource oci_core_security_list > ingress_security_rules > tcp_options: attribute max: optional: excerpt true, provider false",
      "resource oci_core_security_list: block timeouts: in the excerpt, not in the provider",
      "data oci_core_services: not in the provider's schema",
    ]);
  });

  test("fails if a resource of the excerpt or the provider itself is missing", () => {
    expect(compareSchemas(read("oci"), provider((s) => delete s.resource_schemas.oci_core_vcn))).toEqual(["resource oci_core_vcn: not in the provider's schema"]);
    expect(compareSchemas(read("ibm"), read("oci"))).toEqual([`provider ${IBM}: not in the provider's schema (found: ${OCI})`]);
  });
});

describe("npm run schemas:compare", () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "tools/compare-schemas.ts", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });

  test("exits 0 when both providers match, 1 with every difference when one does not", () => {
    const work = mkdtempSync(join(tmpdir(), "siros-schemas-"));
    try {
      const oci = join(work, "oci.json");
      const ibm = join(work, "ibm.json");
      writeFileSync(oci, JSON.stringify(read("oci")));
      writeFileSync(ibm, JSON.stringify(read("ibm")));
      const same = cli(["--oci", oci, "--ibm", ibm]);
      expect([same.status, same.stdout]).toEqual([0, "oci: the excerpt matches the provider.\nibm: the excerpt matches the provider.\n"]);
      writeFileSync(oci, JSON.stringify(provider((s) => (securityList(s).attributes.vcn_id.computed = true))));
      const differs = cli(["--oci", oci, "--ibm", ibm]);
      expect([differs.status, differs.stdout]).toEqual([
        1,
        "oci: 1 difference(s):\n  resource oci_core_security_list: attribute vcn_id: computed: excerpt false, provider true\nibm: the excerpt matches the provider.\n",
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("fails if a provider's file is not named", () => {
    const run = cli(["--oci", "oci.json"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("schemas:compare: --ibm: name the provider schema file\nUsage: npm run schemas:compare -- --oci FILE --ibm FILE");
  });
});
