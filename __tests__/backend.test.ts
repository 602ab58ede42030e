import { DEFAULT_STATE_SETTINGS, STATE_ENV_VARS, resolveStateSettings } from "../backends/settings";
import { CLOUDS, ConfigError, ENVIRONMENTS } from "../environments";
import { environments, synthStack } from "./support/synth";

describe("S3 remote state of every stack", () => {
  const backends = CLOUDS.flatMap((cloud) =>
    ENVIRONMENTS.map((env) => ({ cloud, env, s3: synthStack(cloud, env).tf.terraform.backend.s3 })),
  );

  test.each(backends.map((b) => [`${b.cloud}-${b.env}`, b] as const))(
    "%s keeps encrypted, DynamoDB-locked state at its own key",
    (_id, { cloud, env, s3 }) => {
      expect(s3).toEqual({
        bucket: "siros-terraform-state",
        key: `siros/${env}/${cloud}/terraform.tfstate`,
        region: "eu-west-1",
        encrypt: true,
        dynamodb_table: "siros-terraform-locks",
      });
    },
  );

  test("no two stacks share a state key", () => {
    const keys = backends.map((b) => b.s3.key);
    expect(new Set(keys).size).toBe(CLOUDS.length * ENVIRONMENTS.length);
  });
});

describe("state settings", () => {
  test("defaults apply when no variable is set", () => {
    expect(resolveStateSettings({})).toEqual(DEFAULT_STATE_SETTINGS);
  });

  test("environment variables override bucket, table, region and endpoints", () => {
    const settings = resolveStateSettings({
      SIROS_STATE_BUCKET: "acme-state",
      SIROS_STATE_LOCK_TABLE: "acme-locks",
      SIROS_STATE_REGION: "us-east-2",
      SIROS_STATE_ENDPOINT: "http://127.0.0.1:4569",
      SIROS_STATE_DYNAMODB_ENDPOINT: "http://127.0.0.1:4567",
    });
    const s3 = synthStack("aws", "dev", settings).tf.terraform.backend.s3;
    expect(s3).toMatchObject({
      bucket: "acme-state",
      dynamodb_table: "acme-locks",
      region: "us-east-2",
      endpoints: { s3: "http://127.0.0.1:4569", dynamodb: "http://127.0.0.1:4567" },
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
    });
  });

  test("an environment's role is assumed through the assume_role block, never top-level role_arn", () => {
    const prod = { ...environments.prod, state: { roleArn: "arn:aws:iam::123456789012:role/siros-state", kmsKeyId: "alias/siros-state" } };
    const s3 = synthStack("gcp", prod).tf.terraform.backend.s3;
    expect(s3.assume_role).toEqual({ role_arn: "arn:aws:iam::123456789012:role/siros-state", session_name: "siros-terraform" });
    expect(s3.kms_key_id).toBe("alias/siros-state");
    expect(s3).not.toHaveProperty("role_arn");
  });

  test.each([
    ["dynamodb", { dynamodb_table: "siros-terraform-locks" }, ["use_lockfile"]],
    ["lockfile", { use_lockfile: true }, ["dynamodb_table"]],
    ["both", { dynamodb_table: "siros-terraform-locks", use_lockfile: true }, []],
  ] as const)("locking mode %s writes the matching backend settings", (locking, present, absent) => {
    const s3 = synthStack("aws", "dev", resolveStateSettings({ SIROS_STATE_LOCKING: locking })).tf.terraform.backend.s3;
    expect(s3).toMatchObject(present);
    for (const key of absent) expect(s3).not.toHaveProperty(key);
  });

  test.each([
    ["bucket", "Siros_State", "is not a valid S3 bucket name"],
    ["lockTable", "x", "is not a valid DynamoDB table name"],
    ["region", "eu-west-9", "is not a region of AWS; valid: af-south-1"],
    ["locking", "consul", "is not a locking mode; valid: dynamodb, lockfile, both"],
    ["s3Endpoint", "localhost:4569", "is not an http(s) URL"],
  ] as const)("fails if the state %s is %s", (key, value, problem) => {
    const variable = STATE_ENV_VARS[key];
    expect(() => resolveStateSettings({ [variable]: value })).toThrow(ConfigError);
    expect(() => resolveStateSettings({ [variable]: value })).toThrow(`${variable} (state ${key}): "${value}" ${problem}`);
  });
});
