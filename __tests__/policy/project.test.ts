import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCheck } from "../../policy/check";
import { runChecks, type CheckRun } from "../../policy/engine";
import { RULES } from "../../policy/rules";
import { loadOutputFolder } from "../../policy/terraform-json";
import { synthOutputFolders } from "../support/output-folder";
import { sarifValidator } from "./sarif-schema";

let folders: ReturnType<typeof synthOutputFolders>;
let runs: { name: string; run: CheckRun }[];

beforeAll(() => {
  folders = synthOutputFolders();
  runs = [
    { name: "project", run: runChecks(loadOutputFolder(folders.project), RULES) },
    { name: "bootstrap", run: runChecks(loadOutputFolder(folders.bootstrap), RULES) },
    { name: "bootstrap with access logs", run: runChecks(loadOutputFolder(folders.bootstrapWithAccessLogs), RULES) },
  ];
});

function openErrors(run: CheckRun, dir: string): { rule: string; path: string }[] {
  const stacks = loadOutputFolder(dir);
  return run.stacks.flatMap((s) =>
    s.findings
      .filter((f) => f.level === "error" && f.suppressedBecause === undefined)
      .map((f) => ({ rule: f.ruleId, path: stacks.find((l) => l.id === s.stack)?.index.get(f.address)?.constructPath ?? f.address })),
  );
}

describe("npm run check over the project's own output", () => {
  it("checks all 20 stacks with the right pack, and the state bootstrap stack with the production pack", () => {
    const project = runs[0].run.stacks;
    expect(project.map((s) => `${s.stack}:${s.pack}`).sort()).toEqual(
      ["aws", "azure", "gcp", "ibm", "oci"].flatMap((c) => ["dev:baseline", "dr:production", "prod:production", "staging:production"].map((e) => `${c}-${e}`)).sort(),
    );
    expect(runs[1].run.stacks.map((s) => `${s.stack}:${s.pack}`)).toEqual(["state-bootstrap:production"]);
  });

  it("has no unsuppressed error", () => {
    const errors = [
      ...openErrors(runs[0].run, folders.project),
      ...openErrors(runs[1].run, folders.bootstrap),
      ...openErrors(runs[2].run, folders.bootstrapWithAccessLogs),
    ];
    expect(errors).toEqual([]);
  });

  it("counts the dr state bucket, the replica of prod's prefix, as replicated", () => {
    for (const { run } of runs.slice(1)) expect(run.stacks[0].findings.filter((f) => f.ruleId === "SIROS-AWS-S3-11")).toEqual([]);
  });

  it("has no suppression that is malformed, unknown or unused", () => {
    for (const { run } of runs) {
      expect(run.stacks.flatMap((s) => s.findings.filter((f) => f.ruleId === "SIROS-SUPPRESSION"))).toEqual([]);
      expect(run.stacks.flatMap((s) => s.suppressions.filter((x) => x.inPack && !x.used))).toEqual([]);
    }
  });

  it("writes a SARIF report of all stacks that the SARIF 2.1.0 schema accepts", () => {
    const sarif = JSON.parse(runCheck(["--dir", folders.project, "--format", "sarif"]).stdout);
    const validate = sarifValidator();
    expect([validate(sarif), validate.errors ?? []]).toEqual([true, []]);
    expect(sarif.runs[0].results.length).toBe(runs[0].run.stacks.reduce((n, s) => n + s.findings.length, 0));
  });

  describe("over a copy with a protection removed", () => {
    let copy: string;
    beforeEach(() => {
      copy = join(mkdtempSync(join(tmpdir(), "siros-check-")), "cdktf.out");
      cpSync(folders.project, copy, { recursive: true });
    });

    it("exits 0 on the copy as synthesized", () => {
      const outcome = runCheck(["--dir", copy]);
      expect(outcome.stdout).toContain("— passed");
      expect(outcome.exitCode).toBe(0);
    });

    it.each([
      ["encryption", "ibm-prod", "ibm_cos_bucket", (v: Record<string, unknown>) => delete v.kms_key_crn, "SIROS-IBM-COS-1"],
      ["private access", "azure-prod", "azurerm_storage_account", (v: Record<string, unknown>) => (v.network_rules = { default_action: "Allow", bypass: ["AzureServices"] }), "SIROS-AZURE-ST-4"],
      ["the default security list's lockdown", "oci-dr", "oci_core_default_security_list", (v: Record<string, unknown>) => (v.ingress_security_rules = [{ protocol: "6", source: "0.0.0.0/0", tcp_options: { min: 22, max: 22 } }]), "SIROS-OCI-NET-1"],
      ["flow logs", "gcp-staging", "google_compute_subnetwork", (v: Record<string, unknown>) => delete v.log_config, "SIROS-GCP-NET-7"],
    ])("fails if %s is removed (%s %s), naming the rule and the address", (_what, stack, type, mutate, rule) => {
      const file = join(copy, "stacks", stack, "cdk.tf.json");
      const document = JSON.parse(readFileSync(file, "utf8"));
      const [name, values] = Object.entries(document.resource[type] as Record<string, Record<string, unknown>>)[0];
      mutate(values);
      writeFileSync(file, JSON.stringify(document, null, 2));
      const outcome = runCheck(["--dir", copy]);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stdout).toContain(`ERROR   ${rule} ${type}.${name}`);
    });

    it("fails if the lock table loses deletion protection in the bootstrap stack", () => {
      const bootstrapCopy = join(mkdtempSync(join(tmpdir(), "siros-check-")), "out");
      cpSync(folders.bootstrap, bootstrapCopy, { recursive: true });
      const file = join(bootstrapCopy, "stacks", "state-bootstrap", "cdk.tf.json");
      const document = JSON.parse(readFileSync(file, "utf8"));
      const [name, table] = Object.entries(document.resource.aws_dynamodb_table as Record<string, Record<string, unknown>>)[0];
      delete table.deletion_protection_enabled;
      writeFileSync(file, JSON.stringify(document));
      const outcome = runCheck(["--dir", bootstrapCopy]);
      expect(outcome.exitCode).toBe(1);
      expect(outcome.stdout).toContain(`ERROR   SIROS-AWS-DDB-3 aws_dynamodb_table.${name}`);
    });
  });
});
