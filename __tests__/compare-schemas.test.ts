import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareSchemaFiles, compareSchemas, type SchemaComparison, type SchemasJson } from "../tools/schemas/compare";

const root = join(__dirname, "..");
const read = (name: string): SchemasJson => JSON.parse(readFileSync(join(root, "providers", "schemas", `${name}.json`), "utf8"));
/** The provider's address as Terraform keys its schema (host/namespace/type), read from the excerpt. */
const addressOf = (name: string): string => Object.keys(read(name).provider_schemas)[0];
const OCI = addressOf("oci");
const IBM = addressOf("ibm");
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

/** A file holding only some of the OCI resources and no provider block, like a second transcription. */
const partial = (resources: string[], change: (schema: any) => void = () => {}) => {
  const whole = provider(change).provider_schemas[OCI] as any;
  const resource_schemas = Object.fromEntries(resources.map((type) => [type, whole.resource_schemas[type]]));
  return { format_version: "1.0", provider_schemas: { [OCI]: { resource_schemas } } } as SchemasJson;
};
/** Every type of an excerpt as the comparison names it, in its order, but those of `except`. */
const excerptTypes = (name: "oci" | "ibm", except: string[] = []) => {
  const address = name === "oci" ? OCI : IBM;
  const excerpt = read(name).provider_schemas[address];
  return [
    `provider ${address}`,
    ...Object.keys(excerpt.resource_schemas ?? {}).map((type) => `resource ${type}`),
    ...Object.keys(excerpt.data_source_schemas ?? {}).map((type) => `data ${type}`),
  ].filter((type) => !except.includes(type));
};
const ociTypes = (except: string[] = []) => excerptTypes("oci", except);
const heldBy = (comparison: SchemaComparison, by: "both" | "excerpt" | "other") => comparison.types.filter((t) => t.heldBy === by).map((t) => t.type);

describe("a file holding only some of the types", () => {
  test("the types both files hold are compared, the types one file holds are reported as such", () => {
    const other = partial(["oci_core_vcn", "oci_core_security_list"], (s) => (securityList(s).attributes.vcn_id.computed = true)) as any;
    other.provider_schemas[OCI].resource_schemas.oci_streaming_stream = { block: { attributes: { name: { type: "string", required: true } } } };
    const comparison = compareSchemaFiles(read("oci"), other, "file");
    expect(comparison.missingProviders).toEqual([]);
    expect(comparison.types.filter((t) => t.heldBy === "both")).toEqual([
      { type: "resource oci_core_security_list", heldBy: "both", differences: ["resource oci_core_security_list: attribute vcn_id: computed: excerpt false, file true"] },
      { type: "resource oci_core_vcn", heldBy: "both", differences: [] },
    ]);
    expect(heldBy(comparison, "excerpt")).toEqual(ociTypes(["resource oci_core_security_list", "resource oci_core_vcn"]));
    expect(heldBy(comparison, "other")).toEqual(["resource oci_streaming_stream"]);
  });

  test("either side may be the partial one", () => {
    const comparison = compareSchemaFiles(partial(["oci_core_vcn"]), read("oci"));
    expect(comparison.types.filter((t) => t.heldBy !== "other")).toEqual([{ type: "resource oci_core_vcn", heldBy: "both", differences: [] }]);
    expect(heldBy(comparison, "other")).toEqual(ociTypes(["resource oci_core_vcn"]));
  });

  test("fails if compared as the whole provider: the missing provider block and types are differences, not a crash", () => {
    expect(compareSchemas(read("oci"), partial(["oci_core_vcn"]))).toEqual([
      `provider ${OCI}: no provider block in the provider's schema (a file holding only some types? compare it with --partial)`,
      ...ociTypes([`provider ${OCI}`, "resource oci_core_vcn"]).map((type) => `${type}: not in the provider's schema`),
    ]);
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

  test("--partial: compares the types both files hold, lists the others, exit 0 when they agree and 1 with every difference", () => {
    const work = mkdtempSync(join(tmpdir(), "siros-schemas-"));
    try {
      const [oci, ibm] = [join(work, "obs-oci.json"), join(work, "obs-ibm.json")];
      const extra = (file: any) => {
        file.provider_schemas[OCI].resource_schemas.oci_streaming_stream = { block: { attributes: { name: { type: "string", required: true } } } };
        return file;
      };
      writeFileSync(oci, JSON.stringify(extra(partial(["oci_core_vcn"]))));
      writeFileSync(ibm, JSON.stringify(read("ibm")));
      const onlyInExcerpt = ociTypes(["resource oci_core_vcn"]);
      const same = cli(["--partial", "--oci", oci, "--ibm", ibm]);
      const ibmCount = excerptTypes("ibm").length;
      expect([same.status, same.stderr, same.stdout]).toEqual([
        0,
        "",
        `oci: 1 type(s) in both files, no difference.\n  only in the excerpt (${onlyInExcerpt.length}): ${onlyInExcerpt.join(", ")}\n  only in ${oci} (1): resource oci_streaming_stream\n` +
          `ibm: ${ibmCount} type(s) in both files, no difference.\n`,
      ]);
      writeFileSync(oci, JSON.stringify(extra(partial(["oci_core_vcn", "oci_core_security_list"], (s) => delete securityList(s).attributes.state))));
      const differs = cli(["--partial", "--oci", oci, "--ibm", ibm]);
      const notCompared = ociTypes(["resource oci_core_vcn", "resource oci_core_security_list"]);
      expect([differs.status, differs.stderr, differs.stdout]).toEqual([
        1,
        "",
        "oci: 2 type(s) in both files, 1 difference(s):\n  resource oci_core_security_list: attribute state: in the excerpt, not in the file\n" +
          `  only in the excerpt (${notCompared.length}): ${notCompared.join(", ")}\n  only in ${oci} (1): resource oci_streaming_stream\n` +
          `ibm: ${ibmCount} type(s) in both files, no difference.\n`,
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("fails without --partial if a file holds only some types: its missing provider block and types are differences, not a crash", () => {
    const work = mkdtempSync(join(tmpdir(), "siros-schemas-"));
    try {
      const [oci, ibm] = [join(work, "obs-oci.json"), join(work, "ibm.json")];
      writeFileSync(oci, JSON.stringify(partial(["oci_core_vcn"])));
      writeFileSync(ibm, JSON.stringify(read("ibm")));
      const run = cli(["--oci", oci, "--ibm", ibm]);
      const differences = compareSchemas(read("oci"), partial(["oci_core_vcn"]));
      expect([run.status, run.stderr, run.stdout]).toEqual([
        1,
        "",
        `oci: ${differences.length} difference(s):\n  ${differences.join("\n  ")}\nibm: the excerpt matches the provider.\n`,
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("fails if a provider's file is not named", () => {
    const run = cli(["--oci", "oci.json"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("schemas:compare: --ibm: name the provider schema file\nUsage: npm run schemas:compare -- [--partial] --oci FILE --ibm FILE");
  });
});
