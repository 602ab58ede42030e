import { DEFAULT_STATE_SETTINGS, DR_STATE_ENV_VARS, STATE_ENV_VARS, resolveStateSettings } from "../backends/settings";
import { CLOUDS, ConfigError, ENVIRONMENTS, type EnvironmentName } from "../environments";
import { environments, synthStack } from "./support/synth";

/** Where each environment's state lives: dr at the dr site, in another region than prod's. */
const PRIMARY_SITE = { bucket: "siros-terraform-state", region: "eu-west-1", dynamodb_table: "siros-terraform-locks" };
const DR_SITE = { bucket: "siros-terraform-state-dr", region: "eu-central-1", dynamodb_table: "siros-terraform-locks-dr" };
const SITE_OF: Record<EnvironmentName, typeof PRIMARY_SITE> = { dev: PRIMARY_SITE, staging: PRIMARY_SITE, prod: PRIMARY_SITE, dr: DR_SITE };

describe("S3 remote state of every stack", () => {
  const backends = CLOUDS.flatMap((cloud) =>
    ENVIRONMENTS.map((env) => ({ cloud, env, s3: synthStack(cloud, env).tf.terraform.backend.s3 })),
  );

  test.each(backends.map((b) => [`${b.cloud}-${b.env}`, b] as const))(
    "%s keeps encrypted, DynamoDB-locked state at its own key, at its environment's site",
    (_id, { cloud, env, s3 }) => {
      const { bucket, region, dynamodb_table } = SITE_OF[env];
      expect(s3).toEqual({ bucket, key: `siros/${env}/${cloud}/terraform.tfstate`, region, encrypt: true, dynamodb_table });
    },
  );

  test("dr's state, lock and region are none of prod's", () => {
    for (const cloud of CLOUDS) {
      const prod = backends.find((b) => b.cloud === cloud && b.env === "prod")!.s3;
      const dr = backends.find((b) => b.cloud === cloud && b.env === "dr")!.s3;
      expect([dr.bucket, dr.region, dr.dynamodb_table]).toEqual([DR_SITE.bucket, DR_SITE.region, DR_SITE.dynamodb_table]);
      expect(dr.region).not.toBe(prod.region);
      expect(dr.bucket).not.toBe(prod.bucket);
      expect(environments.prod.aws.region).toBe(prod.region);
    }
  });

  test("no two stacks share a state key", () => {
    const keys = backends.map((b) => b.s3.key);
    expect(new Set(keys).size).toBe(CLOUDS.length * ENVIRONMENTS.length);
  });
});

describe("state settings", () => {
  test("defaults apply when no variable is set", () => {
    expect(resolveStateSettings({})).toEqual(DEFAULT_STATE_SETTINGS);
  });

  test("defaults: the dr site is its own bucket and table in eu-central-1", () => {
    expect(resolveStateSettings({}).dr).toEqual({ bucket: "siros-terraform-state-dr", lockTable: "siros-terraform-locks-dr", region: "eu-central-1" });
  });

  test("environment variables override the dr site's bucket, table, region and endpoints for dr only", () => {
    const settings = resolveStateSettings({
      SIROS_STATE_DR_BUCKET: "acme-state-dr",
      SIROS_STATE_DR_LOCK_TABLE: "acme-locks-dr",
      SIROS_STATE_DR_REGION: "us-west-2",
      SIROS_STATE_DR_ENDPOINT: "http://127.0.0.1:5569",
      SIROS_STATE_DR_DYNAMODB_ENDPOINT: "http://127.0.0.1:5567",
    });
    expect(synthStack("oci", "dr", settings).tf.terraform.backend.s3).toMatchObject({
      bucket: "acme-state-dr",
      dynamodb_table: "acme-locks-dr",
      region: "us-west-2",
      endpoints: { s3: "http://127.0.0.1:5569", dynamodb: "http://127.0.0.1:5567" },
      use_path_style: true,
    });
    expect(synthStack("oci", "prod", settings).tf.terraform.backend.s3).toEqual({
      bucket: "siros-terraform-state",
      key: "siros/prod/oci/terraform.tfstate",
      region: "eu-west-1",
      encrypt: true,
      dynamodb_table: "siros-terraform-locks",
    });
  });

  test("the dr site reaches the primary's endpoints unless it names its own", () => {
    const settings = resolveStateSettings({ SIROS_STATE_ENDPOINT: "http://127.0.0.1:4569", SIROS_STATE_DYNAMODB_ENDPOINT: "http://127.0.0.1:4567" });
    expect(synthStack("aws", "dr", settings).tf.terraform.backend.s3.endpoints).toEqual({ s3: "http://127.0.0.1:4569", dynamodb: "http://127.0.0.1:4567" });
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

  // dr's lock lives at its own site in every mode: its table in its region, or a lock file in its bucket.
  test.each([
    ["dynamodb", { dynamodb_table: "siros-terraform-locks-dr" }, ["use_lockfile"]],
    ["lockfile", { bucket: "siros-terraform-state-dr", use_lockfile: true }, ["dynamodb_table"]],
    ["both", { dynamodb_table: "siros-terraform-locks-dr", use_lockfile: true }, []],
  ] as const)("locking mode %s locks dr's state at the dr site", (locking, present, absent) => {
    const s3 = synthStack("azure", "dr", resolveStateSettings({ SIROS_STATE_LOCKING: locking })).tf.terraform.backend.s3;
    expect(s3).toMatchObject({ ...present, region: "eu-central-1" });
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

  test.each([
    ["bucket", "Siros_DR", "is not a valid S3 bucket name"],
    ["lockTable", "x", "is not a valid DynamoDB table name"],
    ["region", "eu-central-9", "is not a region of AWS; valid: af-south-1"],
    ["s3Endpoint", "localhost:5569", "is not an http(s) URL"],
    ["dynamodbEndpoint", "ftp://127.0.0.1", "is not an http(s) URL"],
  ] as const)("fails if the dr state %s is %s", (key, value, problem) => {
    const variable = DR_STATE_ENV_VARS[key];
    expect(() => resolveStateSettings({ [variable]: value })).toThrow(ConfigError);
    expect(() => resolveStateSettings({ [variable]: value })).toThrow(`${variable} (dr state ${key}): "${value}" ${problem}`);
  });

  test("fails if the dr site is in the primary's region", () => {
    expect(() => resolveStateSettings({ SIROS_STATE_DR_REGION: "eu-west-1" })).toThrow(
      `SIROS_STATE_DR_REGION (dr state region): "eu-west-1" is the primary state region (SIROS_STATE_REGION); dr's state must survive the loss of that region: choose another AWS region, e.g. eu-central-1`,
    );
    expect(() => resolveStateSettings({ SIROS_STATE_REGION: "eu-central-1" })).toThrow(
      `SIROS_STATE_DR_REGION (dr state region): "eu-central-1" is the primary state region (SIROS_STATE_REGION); dr's state must survive the loss of that region: choose another AWS region, e.g. eu-west-1`,
    );
  });

  test("fails if the dr site shares the primary's bucket", () => {
    expect(() => resolveStateSettings({ SIROS_STATE_DR_BUCKET: "siros-terraform-state" })).toThrow(
      `SIROS_STATE_DR_BUCKET (dr state bucket): "siros-terraform-state" is also the primary state bucket (SIROS_STATE_BUCKET); the dr site needs a bucket of its own in its own region`,
    );
  });
});
