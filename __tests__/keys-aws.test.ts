import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { TerraformVariable } from "cdktf";
import { AwsKeys } from "../modules/keys/aws";
import { writeOnlyValue } from "../modules/keys/contract";
import { synthModule } from "./support/module-stack";
import { countOf, resources, synthStack } from "./support/synth";

const policyOf = (tf: ReturnType<typeof synthStack>["tf"]) => JSON.parse(resources(tf, "aws_kms_key")[0].policy);
const account = (tf: ReturnType<typeof synthStack>["tf"]) => `\${data.aws_caller_identity.${Object.keys(tf.data!.aws_caller_identity).find((k) => k.startsWith("keys_"))}.account_id}`;

describe("AWS keys", () => {
  const prod = synthStack("aws", "prod");
  const dev = synthStack("aws", "dev");
  const dr = synthStack("aws", "dr");

  test("is a symmetric KMS key that rotates every 90 days, with an alias", () => {
    expect(prod.json).toHaveResourceWithProperties(KmsKey, {
      key_usage: "ENCRYPT_DECRYPT",
      customer_master_key_spec: "SYMMETRIC_DEFAULT",
      enable_key_rotation: true,
      rotation_period_in_days: 90,
      deletion_window_in_days: 30,
      multi_region: false,
    });
    expect(prod.json).toHaveResourceWithProperties(KmsAlias, { name: "alias/siros-prod" });
  });

  test("the key policy keeps the account root and lets only the EKS cluster role, Secrets Manager, S3 (the storage module's buckets), this account's log groups and the alert topic's publishers use the key", () => {
    const acct = account(prod.tf);
    const policy = policyOf(prod.tf);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["AccountRootManagesKey", "NamedPrincipalsUseKey", "CloudWatchLogsUseKey", "PublishersUseKeyForEncryptedTopics", "S3UsesKeyForAccount", "SecretsManagerUsesKeyForAccount"]);
    expect(policy.Statement[0]).toEqual({ Sid: "AccountRootManagesKey", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: "kms:*", Resource: "*" });
    // The Kubernetes module's cluster role envelope-encrypts secrets (modules/kubernetes/aws.ts).
    expect(policy.Statement[1]).toEqual({
      Sid: "NamedPrincipalsUseKey",
      Effect: "Allow",
      Principal: { AWS: [expect.stringMatching(/^\$\{aws_iam_role\.kubernetes_cluster-role_[0-9A-F]+\.arn\}$/)] },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
    });
    expect(policy.Statement[2]).toEqual({
      Sid: "CloudWatchLogsUseKey",
      Effect: "Allow",
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${acct}:log-group:*` } },
    });
    // The observability module's alert topic: CloudWatch alarms and Budgets publish to it.
    expect(policy.Statement[3]).toEqual({
      Sid: "PublishersUseKeyForEncryptedTopics",
      Effect: "Allow",
      Principal: { Service: ["budgets.amazonaws.com", "cloudwatch.amazonaws.com"] },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": acct } },
    });
    expect(policy.Statement[4]).toEqual({
      Sid: "S3UsesKeyForAccount",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "kms:CallerAccount": acct, "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
    expect(policy.Statement[5]).toEqual({
      Sid: "SecretsManagerUsesKeyForAccount",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "kms:CallerAccount": acct, "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
    });
  });

  test("prod and dr keys cannot be destroyed by Terraform; dev and staging keys can, dev after a week", () => {
    expect(resources(prod.tf, "aws_kms_key")[0].lifecycle).toEqual({ prevent_destroy: true });
    expect(resources(dr.tf, "aws_kms_key")[0].lifecycle).toEqual({ prevent_destroy: true });
    expect(resources(dev.tf, "aws_kms_key")[0]).not.toHaveProperty("lifecycle");
    expect(resources(synthStack("aws", "staging").tf, "aws_kms_key")[0]).not.toHaveProperty("lifecycle");
    expect(resources(dev.tf, "aws_kms_key")[0].deletion_window_in_days).toBe(7);
  });

  test("dr has its own single-Region key in its own region, not a replica of prod's", () => {
    expect(resources(dr.tf, "aws_kms_key")[0].multi_region).toBe(false);
    expect(countOf(dr.tf, "aws_kms_replica_key")).toBe(0);
    expect(policyOf(dr.tf).Statement[2].Principal).toEqual({ Service: "logs.eu-central-1.amazonaws.com" });
    expect(dr.tf.output.key_id.value).toMatch(/^\$\{aws_kms_key\.keys_key_[0-9A-F]+\.arn\}$/);
  });

  test("the VPC flow-log group is encrypted with the key", () => {
    for (const { tf } of [prod, dev]) {
      const [group] = resources(tf, "aws_cloudwatch_log_group");
      expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\.keys_key_[0-9A-F]+\.arn\}$/);
    }
  });

  test("exports the key's ARN and the secret store's name prefix", () => {
    expect(prod.tf.output.key_id.value).toMatch(/^\$\{aws_kms_key\.keys_key_[0-9A-F]+\.arn\}$/);
    expect(prod.tf.output.secret_store_id.value).toBe(`arn:aws:secretsmanager:eu-west-1:${account(prod.tf)}:secret:siros-prod/`);
  });

  test("secrets are created empty, encrypted with the key; a value only ever goes through the write-only attribute", () => {
    const { json, tf } = synthModule((scope) => {
      const keys = new AwsKeys(scope, "keys", { name: "siros-test", region: "eu-west-1" });
      keys.addSecret("api", { name: "api-token", description: "Token for the API" });
      const ephemeral = new TerraformVariable(scope, "db_password", { type: "string", sensitive: true });
      keys.addSecret("db", { name: "database-admin", description: "Database admin", value: writeOnlyValue(ephemeral.stringValue, 2) });
    });
    expect(json).toHaveResourceWithProperties(SecretsmanagerSecret, {
      name: "siros-test/api-token",
      kms_key_id: "${aws_kms_key.keys_key_1855D61B.arn}",
      recovery_window_in_days: 30,
    });
    const [version] = resources(tf, "aws_secretsmanager_secret_version");
    expect(version).toEqual({ secret_id: expect.stringContaining("aws_secretsmanager_secret.keys_secret-db_"), secret_string_wo: "${var.db_password}", secret_string_wo_version: 2 });
    expect(countOf(tf, "aws_secretsmanager_secret_version")).toBe(1);
  });

  test("grants name roles in the key policy, each once", () => {
    const { tf } = synthModule((scope) => {
      const keys = new AwsKeys(scope, "keys", { name: "siros-test", region: "eu-west-1", principals: ["arn:aws:iam::123456789012:role/app"] });
      keys.grant({ principal: "arn:aws:iam::123456789012:role/app" });
      keys.grant({ principal: "arn:aws:iam::123456789012:role/worker" });
      keys.grant({ service: "object-storage" });
    });
    const statements = JSON.parse(resources(tf, "aws_kms_key")[0].policy).Statement;
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(["AccountRootManagesKey", "NamedPrincipalsUseKey", "S3UsesKeyForAccount", "SecretsManagerUsesKeyForAccount"]);
    expect(statements[1].Principal).toEqual({ AWS: ["arn:aws:iam::123456789012:role/app", "arn:aws:iam::123456789012:role/worker"] });
    expect(statements[2].Condition.StringEquals["kms:ViaService"]).toBe("s3.eu-west-1.amazonaws.com");
  });

  test("fails if a secret value is a literal", () => {
    expect(() => writeOnlyValue("hunter2")).toThrow(
      "writeOnlyValue: a secret value must be a Terraform reference (an ephemeral resource or variable), not a literal; got a 7-character string",
    );
  });

  test("fails if a write-only value's version is not a whole number from 1", () => {
    const { json } = synthModule((scope) => {
      const ephemeral = new TerraformVariable(scope, "v", { type: "string", sensitive: true });
      expect(() => writeOnlyValue(ephemeral.stringValue, 0)).toThrow("writeOnlyValue: version 0 is not a whole number from 1");
      expect(() => writeOnlyValue(ephemeral.stringValue, 1.5)).toThrow("writeOnlyValue: version 1.5 is not a whole number from 1");
    });
    expect(JSON.parse(json).resource).toBeUndefined();
  });

  test("fails if a secret name is not valid on every cloud", () => {
    expect(() =>
      synthModule((scope) => new AwsKeys(scope, "keys", { name: "siros-test", region: "eu-west-1" }).addSecret("x", { name: "Bad_Name", description: "x" })),
    ).toThrow(`keys (aws): secret name "Bad_Name" is not valid on every cloud; use a lowercase letter, then up to 62 lowercase letters, digits or hyphens`);
  });
});
