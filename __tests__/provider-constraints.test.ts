import { Testing } from "cdktf";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { replicatedStatePrefixes, resolveBootstrapSettings, resolveStateSettings } from "../backends/settings";
import { StateBootstrapStack } from "../backends/state-bootstrap";
import { CLOUDS, ENVIRONMENTS, loadEnvironments } from "../environments";
import { SHARED_DEFAULTS } from "../environments/defaults";
import { CONSTRAINTS_DIR, checkStack, constraintFiguresTable, formatFinding, loadConstraints, type ConstraintFile, type StackJson } from "../providers/constraints";
import { globalNameFindings, nameCoverageFindings } from "../providers/constraints-names";
import { synthStack } from "./support/synth";

const recorded = loadConstraints();

/** Every stack `npm run synth` and `npm run bootstrap:synth` write, by id. */
function synthesizeAll(): Record<string, StackJson> {
  const stacks: Record<string, StackJson> = {};
  for (const cloud of CLOUDS) for (const environment of ENVIRONMENTS) stacks[`${cloud}-${environment}`] = synthStack(cloud, environment).tf as StackJson;
  stacks["state-bootstrap"] = synthBootstrap({});
  // Server access logging adds a resource only when a log bucket is named.
  stacks["state-bootstrap-access-logs"] = synthBootstrap({ SIROS_STATE_ACCESS_LOG_BUCKET: "siros-access-logs" });
  return stacks;
}

/** The state bootstrap stack as `npm run bootstrap:synth` builds it from these variables. */
function synthBootstrap(env: Record<string, string>): StackJson {
  const app = Testing.app({ stackTraces: false });
  const bootstrap = new StateBootstrapStack(app, {
    settings: resolveStateSettings(env),
    ...resolveBootstrapSettings(env),
    replicatedPrefixes: replicatedStatePrefixes(Object.values(loadEnvironments())),
    project: SHARED_DEFAULTS.project,
    tags: { ...SHARED_DEFAULTS.tags, environment: "shared" },
  });
  return JSON.parse(Testing.synth(bootstrap)) as StackJson;
}

const stacks = synthesizeAll();

function findingsOf(stack: string, tf: StackJson): string[] {
  return checkStack(stack, tf, recorded).map(formatFinding);
}

/** Findings of a modified copy of `stack` that the stack as synthesized does not have. */
function injected(stack: string, tf: StackJson): string[] {
  const before = new Set(findingsOf(stack, stacks[stack]));
  return findingsOf(stack, tf).filter((finding) => !before.has(finding));
}

function allFindings(): string[] {
  return Object.entries(stacks)
    .flatMap(([stack, tf]) => [...findingsOf(stack, tf), ...nameCoverageFindings(stack, tf, recorded), ...globalNameFindings(stack, tf)])
    .sort();
}

/** A deep copy of one synthesized stack, to inject a defect into. */
function copyOf(stack: string): StackJson & { resource: Record<string, Record<string, Record<string, any>>> } {
  return JSON.parse(JSON.stringify(stacks[stack]));
}

function firstBlock(tf: ReturnType<typeof copyOf>, type: string): [string, Record<string, any>] {
  const [name, body] = Object.entries(tf.resource[type])[0];
  return [`${type}.${name}`, body];
}

describe("provider constraints", () => {
  test("every block of every stack satisfies its provider's validators", () => {
    expect(allFindings()).toEqual([]);
  });

  test("fails if an IBM ACL rule uses protocol \"all\"", () => {
    const tf = copyOf("ibm-prod");
    tf.resource.ibm_is_network_acl["network_public-acl_92426DA8"].rules[1].protocol = "all";
    expect(injected("ibm-prod", tf)).toEqual([
      `ibm-prod: ibm_is_network_acl.network_public-acl_92426DA8: rules[1].protocol = "all": not accepted; IBM-Cloud/ibm 2.5.0 accepts one of "tcp", "udp", "icmp", "ah", "any", "esp", "gre", "icmp_tcp_udp", … (251 values) (ibm/service/vpc/resource_ibm_is_network_acl.go at v2.5.0)`,
    ]);
  });

  test("fails if a port is outside the provider's range", () => {
    const tf = copyOf("ibm-prod");
    const [address, acl] = firstBlock(tf, "ibm_is_network_acl");
    const index = acl.rules.findIndex((rule: Record<string, unknown>) => rule.port_max !== undefined);
    acl.rules[index].port_max = 70000;
    expect(injected("ibm-prod", tf)).toEqual([
      `ibm-prod: ${address}: rules[${index}].port_max = 70000: not accepted; IBM-Cloud/ibm 2.5.0 accepts a number in [1, 65535] (ibm/service/vpc/resource_ibm_is_network_acl.go at v2.5.0)`,
    ]);
  });

  test("fails if a log retention is not one CloudWatch accepts", () => {
    const tf = copyOf("aws-prod");
    const [address, group] = firstBlock(tf, "aws_cloudwatch_log_group");
    group.retention_in_days = 200;
    expect(injected("aws-prod", tf)).toEqual([
      `aws-prod: ${address}: retention_in_days = 200: not accepted; hashicorp/aws 6.25.0 accepts one of 0, 1, 3, 5, 7, 14, 30, 60, … (23 values) (internal/service/logs/group.go at v6.25.0)`,
    ]);
  });

  test("fails if two conflicting attributes are set", () => {
    const tf = copyOf("ibm-prod");
    const [address, bucket] = firstBlock(tf, "ibm_cos_bucket");
    bucket.key_protect = bucket.kms_key_crn;
    expect(injected("ibm-prod", tf)).toEqual([
      `ibm-prod: ${address}: key_protect = ${JSON.stringify(bucket.kms_key_crn)}: not recorded for resource.ibm_cos_bucket in ibm/network.json: read its validators at v2.5.0 and add it`,
      `ibm-prod: ${address}: kms_key_crn, key_protect: conflict: at most one of kms_key_crn, key_protect may be set; IBM-Cloud/ibm 2.5.0, ConflictsWith on kms_key_crn (ibm/service/cos/resource_ibm_cos_bucket.go at v2.5.0)`,
    ]);
  });

  test("fails if a firewall rule sets both allow and deny (exactly one of)", () => {
    const tf = copyOf("gcp-prod");
    const [address, firewall] = Object.entries(tf.resource.google_compute_firewall).find(([, body]) => body.allow)!;
    firewall.deny = [{ protocol: "all" }];
    expect(injected("gcp-prod", tf)).toEqual([
      `gcp-prod: google_compute_firewall.${address}: allow, deny: exactly one of allow, deny must be set, 2 are; hashicorp/google 6.50.0, ExactlyOneOf on allow and deny (google/services/compute/resource_compute_firewall.go at v6.50.0)`,
    ]);
  });

  test("fails if a stack sets an attribute no file records", () => {
    const tf = copyOf("oci-dev");
    const [address, vcn] = firstBlock(tf, "oci_core_vcn");
    vcn.is_ipv6enabled = true;
    expect(injected("oci-dev", tf)).toEqual([
      `oci-dev: ${address}: is_ipv6enabled = true: not recorded for resource.oci_core_vcn in oci/network.json: read its validators at v8.28.0 and add it`,
    ]);
  });

  test("fails if a stack uses a type no file records", () => {
    const tf = copyOf("oci-dev");
    tf.resource.oci_core_drg = { hub: { compartment_id: "x" } };
    expect(injected("oci-dev", tf)).toEqual(["oci-dev: oci_core_drg.hub: (type): resource.oci_core_drg is recorded in no constraint file"]);
  });

  test("fails if a name breaks the provider's pattern", () => {
    const tf = copyOf("azure-prod");
    const [address, account] = firstBlock(tf, "azurerm_storage_account");
    account.name = "Siros-Prod-FlowLogs";
    expect(injected("azure-prod", tf)).toEqual([
      `azure-prod: ${address}: name = "Siros-Prod-FlowLogs": not accepted; hashicorp/azurerm 4.55.0 accepts matching /[a-z0-9]{3,24}/ (internal/services/storage/validate/storage_account_name.go at v4.55.0)`,
    ]);
  });

  test("fails if an IBM name is longer than the provider allows", () => {
    const tf = copyOf("ibm-dev");
    const [address, vpc] = firstBlock(tf, "ibm_is_vpc");
    vpc.name = `siros-${"x".repeat(60)}`;
    expect(injected("ibm-dev", tf)).toEqual([
      `ibm-dev: ${address}: name = ${JSON.stringify(vpc.name)}: not accepted; IBM-Cloud/ibm 2.5.0 accepts matching /^([a-z]|[a-z][-a-z0-9]*[a-z0-9])$/, 1 to 63 characters (ibm/service/vpc/resource_ibm_is_vpc.go at v2.5.0)`,
    ]);
  });

  test("fails if a block exceeds the provider's item limit", () => {
    const tf = copyOf("oci-dev");
    const [address, subnet] = firstBlock(tf, "oci_core_subnet");
    subnet.security_list_ids = ["a", "b", "c", "d", "e", "f"];
    expect(injected("oci-dev", tf)).toEqual([
      `oci-dev: ${address}: security_list_ids = ["a","b","c","d","e","f"]: 6 items; oracle/oci 8.28.0 accepts 0 to 5 items (internal/service/core/core_subnet_resource.go at v8.28.0)`,
    ]);
  });

  test("skips values known only at plan time but still applies presence rules", () => {
    const tf = copyOf("ibm-dev");
    const [, acl] = firstBlock(tf, "ibm_is_network_acl");
    acl.rules[1].protocol = "${var.protocol}";
    expect(injected("ibm-dev", tf)).toEqual([]);
  });

  test("fails if a globally unique name has no random suffix", () => {
    const tf = copyOf("azure-prod");
    const [address, account] = firstBlock(tf, "azurerm_storage_account");
    account.name = "sirosprodflowlogs";
    expect(globalNameFindings("azure-prod", tf)).toEqual([
      `azure-prod: ${address}: name = "sirosprodflowlogs": globally unique across all customers of the cloud; needs a random suffix (\${random_id.<name>.hex}, globalName() in modules/shared/global-name.ts)`,
    ]);
    account.name = "sirosprodflowlogs${random_id.flow-log-storage-name.hex}";
    expect(globalNameFindings("azure-prod", tf)).toEqual([]);
  });

  test("fails if a resource name has no recorded length/charset limit", () => {
    const tf = copyOf("ibm-dev");
    const stripped = new Map(recorded);
    const vpc = stripped.get("resource.ibm_is_vpc")!;
    stripped.set("resource.ibm_is_vpc", { ...vpc, attributes: { ...vpc.attributes, name: {} } });
    const [address] = firstBlock(tf, "ibm_is_vpc");
    const before = new Set(nameCoverageFindings("ibm-dev", tf, recorded));
    expect(nameCoverageFindings("ibm-dev", tf, stripped).filter((finding) => !before.has(finding))).toEqual([
      `ibm-dev: ${address}: name: a resource name without a recorded length/charset limit in ibm/network.json: record the provider's limit (pattern, maxLength) or a note saying where the limit is enforced`,
    ]);
  });
});

describe("constraint files", () => {
  test("README's coverage table is the one counted from the files", () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    const table = /<!-- constraint-figures:start[^>]*-->\n([\s\S]*?)\n<!-- constraint-figures:end -->/.exec(readme)?.[1];
    expect(table).toBe(constraintFiguresTable(recorded));
  });

  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "constraints-"));
    cpSync(CONSTRAINTS_DIR, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("fails if a type is recorded in two files", () => {
    writeFileSync(
      join(dir, "ibm", "keys.json"),
      JSON.stringify({ provider: "IBM-Cloud/ibm", version: "2.5.0", repository: "IBM-Cloud/terraform-provider-ibm", tag: "v2.5.0", types: { "resource.ibm_is_vpc": { file: "ibm/service/vpc/resource_ibm_is_vpc.go", attributes: {} } } }),
    );
    expect(() => loadConstraints(dir)).toThrow("ibm/network.json: resource.ibm_is_vpc: already recorded in ibm/keys.json (a type belongs to one file)");
  });

  test("fails if an entry has no provenance or an unknown constraint", () => {
    writeFileSync(join(dir, "ibm", "keys.json"), JSON.stringify({ provider: "IBM-Cloud/ibm", version: "2.5.0", repository: "r", tag: "v2.5.0", types: { "resource.ibm_kms_key_rings": { attributes: { key_ring_id: { regex: "x" } } } } }));
    expect(() => loadConstraints(dir)).toThrow(
      'Invalid provider constraints:\n  ibm/keys.json: resource.ibm_kms_key_rings: "file" (where the schema is defined) is missing\n  ibm/keys.json: resource.ibm_kms_key_rings: key_ring_id: unknown constraint "regex"',
    );
  });

  test("every file is 2-space JSON with its types and attributes in sorted order", () => {
    const sorted = (keys: string[]) => [...keys].sort();
    for (const source of new Set([...recorded.values()].map((type) => type.source))) {
      const text = readFileSync(join(CONSTRAINTS_DIR, source), "utf8");
      const file = JSON.parse(text) as ConstraintFile;
      expect(text).toBe(`${JSON.stringify(file, null, 2)}\n`);
      expect(Object.keys(file.types)).toEqual(sorted(Object.keys(file.types)));
      for (const type of Object.values(file.types)) expect(Object.keys(type.attributes)).toEqual(sorted(Object.keys(type.attributes)));
    }
  });
});
