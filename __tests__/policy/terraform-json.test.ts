import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lineOf, loadOutputFolder, OutputFolderError, referencesIn, StackIndex } from "../../policy/terraform-json";
import { documentOf } from "./fixtures/support";

const STACK = new StackIndex(
  "aws-prod",
  documentOf({
    "aws_s3_bucket.state": { bucket: "state" },
    "aws_kms_key.key": { enable_key_rotation: true },
    "aws_kms_alias.alias": { name: "alias/state", target_key_id: "${aws_kms_key.key.key_id}" },
    "aws_s3_bucket_server_side_encryption_configuration.sse": {
      bucket: "${aws_s3_bucket.state.id}",
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.key.arn}" } }],
    },
    "aws_s3_bucket_policy.tls": { bucket: "${aws_s3_bucket.state.bucket}", policy: "{\"Resource\":\"${aws_s3_bucket.state.arn}/*\"}" },
    "aws_iam_role_policy.p": { policy: "${jsonencode({a = data.aws_caller_identity.me.account_id})}" },
    "data.aws_caller_identity.me": {},
  }),
);
const block = (address: string) => STACK.get(address)!;

describe("the Terraform JSON index", () => {
  it("indexes resources and data sources by Terraform address", () => {
    expect(STACK.all().map((b) => b.address)).toEqual([
      "aws_s3_bucket.state",
      "aws_kms_key.key",
      "aws_kms_alias.alias",
      "aws_s3_bucket_server_side_encryption_configuration.sse",
      "aws_s3_bucket_policy.tls",
      "aws_iam_role_policy.p",
      "data.aws_caller_identity.me",
    ]);
    expect(STACK.ofType("aws_kms_key").map((b) => b.name)).toEqual(["key"]);
    expect(STACK.dataOfType("aws_caller_identity").map((b) => b.address)).toEqual(["data.aws_caller_identity.me"]);
  });

  it("resolves references between blocks, with the attribute path they are made from", () => {
    expect(STACK.referencesFrom(block("aws_s3_bucket_server_side_encryption_configuration.sse")).map((r) => [r.from, r.target.address, r.attribute])).toEqual([
      ["bucket", "aws_s3_bucket.state", "id"],
      ["rule[0].apply_server_side_encryption_by_default.kms_master_key_id", "aws_kms_key.key", "arn"],
    ]);
    expect(STACK.referencedBy(block("aws_kms_alias.alias"), "target_key_id")?.address).toBe("aws_kms_key.key");
    expect(STACK.referencesFrom(block("aws_iam_role_policy.p")).map((r) => r.target.address)).toEqual(["data.aws_caller_identity.me"]);
  });

  it("finds the blocks of a type that reference a block, through any or one attribute", () => {
    const bucket = block("aws_s3_bucket.state");
    expect(STACK.referencing(bucket, "aws_s3_bucket_policy").map((b) => b.address)).toEqual(["aws_s3_bucket_policy.tls"]);
    expect(STACK.referencing(bucket, "aws_s3_bucket_policy", "bucket").map((b) => b.address)).toEqual(["aws_s3_bucket_policy.tls"]);
    expect(STACK.referencing(bucket, "aws_s3_bucket_policy", "policy").map((b) => b.address)).toEqual(["aws_s3_bucket_policy.tls"]);
    expect(STACK.referencing(bucket, "aws_s3_bucket_policy", "bucke")).toEqual([]);
    expect(STACK.referencing(block("aws_kms_key.key"), "aws_s3_bucket_server_side_encryption_configuration", "rule").map((b) => b.name)).toEqual(["sse"]);
  });

  it("reads references inside expressions, skipping variables, locals and functions", () => {
    expect(referencesIn("${element(data.aws_availability_zones.zones.names, 0)}-${var.x}-${local.y}-${aws_vpc.main.id}")).toEqual([
      { address: "data.aws_availability_zones.zones", attribute: "names" },
      { address: "aws_vpc.main", attribute: "id" },
    ]);
    expect(referencesIn("no expression aws_vpc.main.id")).toEqual([]);
    expect(STACK.resolve("${aws_kms_key.key.arn}")?.address).toBe("aws_kms_key.key");
    expect(STACK.resolve("${aws_kms_key.other.arn}")).toBeUndefined();
  });

  it("locates a block's line in its file", () => {
    const source = JSON.stringify(documentOf({ "aws_vpc.a": {}, "aws_vpc.b": {} }), null, 2);
    const index = new StackIndex("x", JSON.parse(source));
    expect(lineOf(source, index.get("aws_vpc.b")!)).toBe(source.split("\n").findIndex((l) => l.includes('"b"')) + 1);
  });
});

describe("loading an output folder", () => {
  const folder = () => mkdtempSync(join(tmpdir(), "siros-out-"));
  const writeStack = (dir: string, id: string, content = JSON.stringify(documentOf({ "aws_vpc.v": {} }))) => {
    mkdirSync(join(dir, "stacks", id), { recursive: true });
    writeFileSync(join(dir, "stacks", id, "cdk.tf.json"), content);
  };

  it("reads the stacks the manifest lists, sorted by id", () => {
    const dir = folder();
    writeStack(dir, "b-prod");
    writeStack(dir, "a-dev");
    writeStack(dir, "unlisted");
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ stacks: { "b-prod": { synthesizedStackPath: "stacks/b-prod/cdk.tf.json" }, "a-dev": { synthesizedStackPath: "stacks/a-dev/cdk.tf.json" } } }));
    expect(loadOutputFolder(dir).map((s) => [s.id, s.file])).toEqual([
      ["a-dev", join("stacks", "a-dev", "cdk.tf.json")],
      ["b-prod", join("stacks", "b-prod", "cdk.tf.json")],
    ]);
  });

  it("reads every stacks/*/cdk.tf.json without a manifest (output of other tools)", () => {
    const dir = folder();
    writeStack(dir, "x");
    expect(loadOutputFolder(dir).map((s) => s.id)).toEqual(["x"]);
  });

  it("fails if the folder does not exist", () => {
    expect(() => loadOutputFolder("/nonexistent/out")).toThrow(new OutputFolderError("/nonexistent/out: no such folder (run `npm run synth` first, or pass --dir with a cdktf output folder)"));
  });

  it("fails if the folder holds no stack", () => {
    const dir = folder();
    expect(() => loadOutputFolder(dir)).toThrow(`${dir}: no stacks found (neither manifest.json nor stacks/*/cdk.tf.json)`);
  });

  it("fails if a stack is not Terraform JSON", () => {
    const dir = folder();
    writeStack(dir, "x", "[1]");
    expect(() => loadOutputFolder(dir)).toThrow(`${join(dir, "stacks", "x", "cdk.tf.json")}: not a Terraform JSON object`);
  });
});
