import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suppress } from "../../modules/shared/suppress";
import { runCheck } from "../../policy/check";
import { exitCodeOf, packFor, runChecks } from "../../policy/engine";
import { parseOptions } from "../../policy/options";
import { RULES } from "../../policy/rules";
import { loadOutputFolder, type TerraformJsonDocument } from "../../policy/terraform-json";
import { BUCKET_ADDRESS, UNVERSIONED_BUCKET } from "./fixtures/aws";
import { documentOf, without, type Blocks } from "./fixtures/support";
import { sarifValidator } from "./sarif-schema";

/** An output folder holding one stack per entry. */
function outputFolder(stacks: Record<string, TerraformJsonDocument>): string {
  const dir = mkdtempSync(join(tmpdir(), "siros-check-"));
  for (const [id, document] of Object.entries(stacks)) {
    mkdirSync(join(dir, "stacks", id), { recursive: true });
    writeFileSync(join(dir, "stacks", id, "cdk.tf.json"), JSON.stringify(document, null, 2));
  }
  return dir;
}

/** `blocks` with suppressions written under the bucket's `"//"`, as suppress() writes them. */
function withSuppressions(blocks: Blocks, address: string, suppressions: unknown): Blocks {
  return { ...blocks, [address]: { ...blocks[address], "//": { metadata: { path: "x/bucket" }, siros: { suppressions } } } };
}

const run = (blocks: Blocks, id = "aws-prod") => runChecks(loadOutputFolder(outputFolder({ [id]: documentOf(blocks) })), RULES);
const open = (r: ReturnType<typeof run>) => r.stacks.flatMap((s) => s.findings.filter((f) => f.suppressedBecause === undefined).map((f) => `${f.ruleId} ${f.address}: ${f.message}`));

describe("packs", () => {
  it.each([
    ["aws-dev", "baseline"],
    ["gcp-staging", "production"],
    ["oci-prod", "production"],
    ["ibm-dr", "production"],
    ["state-bootstrap", "production"],
    ["someone-elses-stack", "baseline"],
  ])("gives %s the %s pack", (id, pack) => expect(packFor(id)).toBe(pack));

  it("applies production rules to production stacks only", () => {
    const blocks = without(UNVERSIONED_BUCKET, "aws_s3_bucket_logging.logging");
    expect(open(run(blocks, "aws-dev"))).toEqual([`SIROS-AWS-S3-3 ${BUCKET_ADDRESS}: no aws_s3_bucket_versioning with status Enabled`]);
    expect(open(run(blocks, "aws-prod"))).toEqual([
      `SIROS-AWS-S3-3 ${BUCKET_ADDRESS}: no aws_s3_bucket_versioning with status Enabled`,
      `SIROS-AWS-S3-7 ${BUCKET_ADDRESS}: no server access logging`,
    ]);
  });
});

describe("suppressions", () => {
  it("suppress a finding with its reason, which every format shows", () => {
    const reason = "Versioning is handled by the backup vault for this bucket";
    const dir = outputFolder({ "aws-prod": documentOf(withSuppressions(UNVERSIONED_BUCKET, BUCKET_ADDRESS, [{ rule: "SIROS-AWS-S3-3", reason }])) });
    const text = runCheck(["--dir", dir]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(`  SUPPRESSED SIROS-AWS-S3-3 ${BUCKET_ADDRESS}\n          reason: ${reason}\n`);
    const json = JSON.parse(runCheck(["--dir", dir, "--format", "json"]).stdout);
    expect(json.stacks[0].findings).toEqual([
      { rule: "SIROS-AWS-S3-3", level: "error", address: BUCKET_ADDRESS, message: "no aws_s3_bucket_versioning with status Enabled", fix: expect.any(String), suppressed: reason },
    ]);
    const sarif = JSON.parse(runCheck(["--dir", dir, "--format", "sarif"]).stdout);
    expect(sarif.runs[0].results[0].suppressions).toEqual([{ kind: "inSource", justification: reason }]);
  });

  it.each([
    [[{ rule: "SIROS-AWS-S3-3", reason: "too short" }], 'suppression 1 of SIROS-AWS-S3-3 needs a reason of at least 10 characters, got "too short"'],
    [[{ rule: "SIROS-AWS-S3-3" }], "suppression 1 of SIROS-AWS-S3-3 needs a reason of at least 10 characters, got null"],
    [[{ rule: "SIROS-AWS-S3-99", reason: "a reason long enough" }], "suppression 1 names unknown rule SIROS-AWS-S3-99"],
    [[{ rule: "SIROS-AWS-DDB-1", reason: "a reason long enough" }], "suppression 1: rule SIROS-AWS-DDB-1 does not apply to aws_s3_bucket (it checks aws_dynamodb_table)"],
    [[{ reason: "a reason long enough" }], "suppression 1 names no rule (expected { rule, reason })"],
    ["SIROS-AWS-S3-3", '"//".siros.suppressions must be a list of { rule, reason }'],
  ])("fails if a suppression is malformed: %j", (suppressions, message) => {
    const result = run(withSuppressions(UNVERSIONED_BUCKET, BUCKET_ADDRESS, suppressions));
    expect(open(result)).toContain(`SIROS-SUPPRESSION ${BUCKET_ADDRESS}: ${message}`);
    expect(exitCodeOf(result, "error")).toBe(1);
  });

  it("reports a suppression of a rule that passes as unused", () => {
    const result = run(withSuppressions(UNVERSIONED_BUCKET, BUCKET_ADDRESS, [{ rule: "SIROS-AWS-S3-1", reason: "kept from an older layout" }]));
    expect(result.stacks[0].suppressions).toEqual([{ ruleId: "SIROS-AWS-S3-1", address: BUCKET_ADDRESS, reason: "kept from an older layout", used: false, inPack: true }]);
  });

  it("does not call a suppression of a production rule unused in a baseline stack", () => {
    const blocks = withSuppressions(without(UNVERSIONED_BUCKET, "aws_s3_bucket_logging.logging"), BUCKET_ADDRESS, [{ rule: "SIROS-AWS-S3-7", reason: "access logs go to the organisation trail" }]);
    expect(run(blocks, "aws-dev").stacks[0].suppressions).toEqual([{ ruleId: "SIROS-AWS-S3-7", address: BUCKET_ADDRESS, reason: "access logs go to the organisation trail", used: false, inPack: false }]);
    expect(run(blocks, "aws-prod").stacks[0].suppressions).toEqual([{ ruleId: "SIROS-AWS-S3-7", address: BUCKET_ADDRESS, reason: "access logs go to the organisation trail", used: true, inPack: true }]);
  });

  it("travel with the resource in the synthesized JSON, beside cdktf's metadata, one entry per rule", () => {
    const app = Testing.app({ stackTraces: false });
    const stack = new TerraformStack(app, "aws-prod");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const bucket = new S3Bucket(stack, "bucket", { bucket: "b" });
    suppress(bucket, "SIROS-AWS-S3-3", "first reason, replaced below");
    suppress(bucket, "SIROS-AWS-S3-1", "The public access block is account-wide here");
    suppress(bucket, "SIROS-AWS-S3-3", "Versioning is handled by the backup vault");
    app.synth();
    const [loaded] = loadOutputFolder(app.outdir);
    expect(loaded.index.ofType("aws_s3_bucket")[0].values["//"]).toEqual({
      metadata: { path: "aws-prod/bucket", uniqueId: "bucket" },
      siros: {
        suppressions: [
          { rule: "SIROS-AWS-S3-1", reason: "The public access block is account-wide here" },
          { rule: "SIROS-AWS-S3-3", reason: "Versioning is handled by the backup vault" },
        ],
      },
    });
  });

  it("fails if suppress() gets a short reason or a malformed rule id", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const bucket = new S3Bucket(stack, "bucket", {});
    expect(() => suppress(bucket, "SIROS-AWS-S3-3", " n/a ")).toThrow('suppress(s/bucket, SIROS-AWS-S3-3): the reason must say why in at least 10 characters, got " n/a "');
    expect(() => suppress(bucket, "CKV_AWS_21", "a reason long enough")).toThrow('suppress(s/bucket): rule "CKV_AWS_21" is not a rule id (SIROS-<CLOUD>-<SERVICE>-<n>, e.g. SIROS-AWS-S3-1)');
  });
});

describe("npm run check", () => {
  const failing = () => outputFolder({ "aws-prod": documentOf(UNVERSIONED_BUCKET) });

  it("exits 1 on an unsuppressed error and reports it by stack with rule, address, why and how to fix", () => {
    const outcome = runCheck(["--dir", failing()]);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toContain(
      [
        "aws-prod (production pack): 1 error(s), 0 warning(s), 0 suppression(s)",
        `  ERROR   SIROS-AWS-S3-3 ${BUCKET_ADDRESS}`,
        "          S3 buckets have versioning enabled",
        "          why: no aws_s3_bucket_versioning with status Enabled",
        '          fix: Add an aws_s3_bucket_versioning for the bucket with versioning_configuration.status "Enabled".',
      ].join("\n"),
    );
    expect(outcome.stdout).toMatch(/1 stack\(s\), \d+ rules: 1 error\(s\), 0 warning\(s\), 0 suppressed finding\(s\) — FAILED \(1 at level error or above\)\n$/);
  });

  it("exits 0 on warnings, and 1 with --level warning", () => {
    const dir = outputFolder({ "aws-prod": documentOf({ "aws_security_group.unused": { description: "x", vpc_id: "vpc-1" } }) });
    expect(runCheck(["--dir", dir]).exitCode).toBe(0);
    expect(runCheck(["--dir", dir, "--level", "warning"]).exitCode).toBe(1);
  });

  it("applies the pack --pack names to every stack", () => {
    const dir = outputFolder({ "aws-dev": documentOf({ ...UNVERSIONED_BUCKET, [BUCKET_ADDRESS]: { bucket: "state", force_destroy: true } }) });
    const rulesFound = (argv: string[]) => JSON.parse(runCheck(["--dir", dir, "--format", "json", ...argv]).stdout).stacks[0].findings.map((f: { rule: string }) => f.rule);
    expect(rulesFound([])).toEqual(["SIROS-AWS-S3-3"]);
    expect(rulesFound(["--pack", "production"])).toEqual(["SIROS-AWS-S3-3", "SIROS-AWS-S3-8"]);
    expect(rulesFound(["--pack", "baseline"])).toEqual(["SIROS-AWS-S3-3"]);
  });

  it("writes the report to --output and says where", () => {
    const output = join(mkdtempSync(join(tmpdir(), "siros-report-")), "reports", "policy.json");
    const outcome = runCheck(["--dir", failing(), "--format", "json", "--output", output]);
    expect(outcome).toEqual({ exitCode: 1, stdout: "", stderr: `check: json report written to ${output} (failed)\n` });
    expect(JSON.parse(readFileSync(output, "utf8")).summary).toEqual({ stacks: 1, rules: RULES.length, errors: 1, warnings: 0, suppressed: 0, failing: 1 });
  });

  it("writes SARIF 2.1.0 that the official schema accepts, with every rule and the finding's location", () => {
    const dir = failing();
    const sarif = JSON.parse(runCheck(["--dir", dir, "--format", "sarif"]).stdout);
    const validate = sarifValidator();
    expect([validate(sarif), validate.errors ?? []]).toEqual([true, []]);
    expect(validate({ ...sarif, version: "2.0.0" })).toBe(false);
    const driver = sarif.runs[0].tool.driver;
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual([...RULES.map((r) => r.id), "SIROS-SUPPRESSION"]);
    const result = sarif.runs[0].results[0];
    expect(result.ruleId).toBe("SIROS-AWS-S3-3");
    expect(driver.rules[result.ruleIndex].id).toBe("SIROS-AWS-S3-3");
    const source = readFileSync(join(dir, "stacks", "aws-prod", "cdk.tf.json"), "utf8").split("\n");
    expect(source[result.locations[0].physicalLocation.region.startLine - 1]).toContain('"state"');
    expect(result.locations[0].logicalLocations).toEqual([{ fullyQualifiedName: `aws-prod/${BUCKET_ADDRESS}`, kind: "resource" }]);
  });

  it.each([
    [["--format", "xml"], 'check: --format: "xml" is not one of text, json, sarif'],
    [["--level", "info"], 'check: --level: "info" is not one of error, warning'],
    [["--pack", "strict"], 'check: --pack: "strict" is not one of auto, baseline, production'],
    [["--dir", ""], "check: --dir needs a value"],
    [["--colour"], "check: Unknown option '--colour'"],
    [["cdktf.out"], "check: Unexpected argument 'cdktf.out'"],
    [["--dir"], "check: Option '--dir <value>' argument missing"],
  ])("fails with exit 2 if the options are %j", (argv, message) => {
    const outcome = runCheck(argv);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr.split("\n")[0]).toContain(message);
    expect(outcome.stderr).toContain('Run "npm run check -- --help" for the options.');
  });

  it("fails with exit 2 if the folder cannot be read", () => {
    expect(runCheck(["--dir", "/nonexistent/out"])).toEqual({
      exitCode: 2,
      stdout: "",
      stderr: "check: /nonexistent/out: no such folder (run `npm run synth` first, or pass --dir with a cdktf output folder)\n",
    });
  });

  it("defaults to cdktf.out, text, error level and the automatic pack", () => {
    expect(parseOptions([])).toEqual({ help: false, rulesTable: false, dir: "cdktf.out", format: "text", output: undefined, level: "error", pack: "auto" });
  });

  it("prints its help", () => {
    expect(runCheck(["--help"]).stdout).toContain("Usage: npm run check -- [options]");
  });
});
