import { DEFAULT_STATE_SETTINGS } from "../../backends/settings";
import { useStateServers } from "./support/e2e";
import { eachLimited, synthProject, writeProbe, type SynthesizedStack } from "./support/project";
import { startStateServers, type StateServers } from "./support/state-servers";
import { describeRun, lockFileKey, lockItemId, terraform } from "./support/workspace";

/**
 * Point of the dr site: with prod's state region gone, every dr stack still initializes,
 * locks, plans and reads prod's last outputs. Two sets of local servers stand for the two
 * regions: the suite's usual pair is the dr region (the dr site's bucket and table), a
 * second pair is the primary region (the primary bucket and table), stopped before dr runs.
 *
 * The local S3 server does not replicate. S3 replication (built by the state bootstrap
 * stack) is simulated by copying prod's state objects, at the same keys, from the primary
 * bucket to the dr bucket, which is what replication delivers.
 */
const { bucket, lockTable, dr } = DEFAULT_STATE_SETTINGS;
const e2e = useStateServers("dr-state", { buckets: [dr.bucket], tables: [dr.lockTable] });
const PARALLEL = 2;

let primaryRegion: StateServers | undefined;
let stacks: SynthesizedStack[] = [];
const byId = (id: string) => stacks.find((s) => s.id === id)!;
const replicas = () => stacks.filter((s) => Object.keys(s.json.data?.terraform_remote_state ?? {}).length > 0);
/** The value each prod output is given in each apply, so that what dr reads can be traced to its writer and its apply. */
const written = (stack: SynthesizedStack, output: string, apply: "first" | "last") => `${stack.id}/${output}/${apply}`;

async function terraformOk(dir: string, id: string, args: string[]): Promise<string> {
  const result = await terraform(e2e().workspace, dir, args);
  if (result.code !== 0) throw new Error(describeRun(`${id}: terraform ${args.join(" ")}`, result));
  return result.output;
}

/** What S3 replication does for the state bootstrap's rule: the same objects at the same keys in the dr bucket. */
async function replicate(from: StateServers, to: StateServers, prefix: string): Promise<string[]> {
  const keys = await from.objectKeys(bucket, prefix);
  for (const key of keys) await to.putObject(dr.bucket, key, await from.objectText(bucket, key));
  return keys;
}

async function refused(endpoint: string): Promise<string> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(5_000) });
    return "answered";
  } catch (error) {
    return String((error as { cause?: { code?: string } }).cause?.code ?? error);
  }
}

beforeAll(async () => {
  const { workspace, servers } = e2e();
  primaryRegion = await startStateServers(workspace.dir("s3rver-primary-region"));
  await primaryRegion.createBucket(bucket);
  await primaryRegion.createLockTable(lockTable);

  // The project's own synth, each site's endpoints on its region's servers.
  stacks = await synthProject(workspace, "dr-state", {
    SIROS_ENVS: "prod,dr",
    SIROS_STATE_ENDPOINT: primaryRegion.s3Endpoint,
    SIROS_STATE_DYNAMODB_ENDPOINT: primaryRegion.dynamodbEndpoint,
    SIROS_STATE_DR_ENDPOINT: servers.s3Endpoint,
    SIROS_STATE_DR_DYNAMODB_ENDPOINT: servers.dynamodbEndpoint,
  });

  // prod writes its outputs to its own bucket, in the primary region, twice; each state
  // version is replicated as it is written, so the replica ends with the last.
  const primaries = [...new Set(replicas().flatMap((r) => r.dependencies))].map(byId);
  for (const apply of ["first", "last"] as const) {
    await eachLimited(primaries, PARALLEL, async (prod) => {
      const outputs = Object.fromEntries(Object.keys(prod.json.output ?? {}).map((o) => [o, { value: written(prod, o, apply) }]));
      const dir = writeProbe(workspace.dir("prod", prod.id), prod, { output: outputs });
      if (apply === "first") await terraformOk(dir, prod.id, ["init", "-input=false"]);
      await terraformOk(dir, prod.id, ["apply", "-input=false", "-auto-approve"]);
    });
    await replicate(primaryRegion, servers, "siros/prod/");
  }
  // The primary region goes down.
  await primaryRegion.stop();
}, 600_000);

afterAll(() => primaryRegion?.stop());

describe("dr with prod's state region down", () => {
  test("the synthesized dr stacks name only the dr site: their backend and their read of prod", () => {
    const { servers } = e2e();
    expect(replicas().map((r) => r.id)).toEqual(["aws-dr", "azure-dr", "gcp-dr", "ibm-dr", "oci-dr"]);
    for (const replica of replicas()) {
      const site = { bucket: dr.bucket, region: dr.region, endpoints: { s3: servers.s3Endpoint, dynamodb: servers.dynamodbEndpoint } };
      expect(replica.json.terraform.backend.s3).toMatchObject({ ...site, dynamodb_table: dr.lockTable, key: `siros/dr/${replica.id.split("-")[0]}/terraform.tfstate` });
      const prod = byId(replica.dependencies[0]);
      expect(replica.json.data!.terraform_remote_state!.primary.config).toMatchObject({ ...site, key: prod.json.terraform.backend.s3.key });
      // Nothing in the dr stack reaches the primary region's bucket or servers.
      const text = JSON.stringify(replica.json);
      for (const primary of [`"${bucket}"`, `"${lockTable}"`, primaryRegion!.s3Endpoint, primaryRegion!.dynamodbEndpoint]) expect(text).not.toContain(primary);
    }
  });

  test("prod's bucket is unreachable: nothing listens at the primary region's endpoints", async () => {
    expect(await refused(primaryRegion!.s3Endpoint)).toBe("ECONNREFUSED");
    expect(await refused(primaryRegion!.dynamodbEndpoint)).toBe("ECONNREFUSED");
  });

  test("every dr stack inits, plans under its own lock and reads prod's last outputs from the replica", async () => {
    const { workspace, servers } = e2e();
    const read: Record<string, Record<string, string>> = {};
    const expected: Record<string, Record<string, string>> = {};
    await eachLimited(replicas(), PARALLEL, async (replica) => {
      const outputs = Object.fromEntries(Object.entries(replica.json.output ?? {}).filter(([, o]) => String(o.value).includes("data.terraform_remote_state.")));
      const dir = writeProbe(workspace.dir("dr", replica.id), replica, { data: { terraform_remote_state: replica.json.data!.terraform_remote_state }, output: outputs });
      await terraformOk(dir, replica.id, ["init", "-input=false"]);
      const plan = await terraformOk(dir, replica.id, ["plan", "-input=false", "-lock-timeout=30s"]);
      expect(plan).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
      await terraformOk(dir, replica.id, ["apply", "-input=false", "-auto-approve", "-lock-timeout=30s"]);
      const values = JSON.parse(await terraformOk(dir, replica.id, ["output", "-json"])) as Record<string, { value: string }>;
      read[replica.id] = Object.fromEntries(Object.entries(values).map(([name, o]) => [name, o.value]));
      const prod = byId(replica.dependencies[0]);
      expected[replica.id] = Object.fromEntries(
        Object.entries(outputs).map(([name, o]) => [name, written(prod, /\.outputs\.([\w-]+)/.exec(o.value)![1], "last")]),
      );
    });
    expect(read).toEqual(expected);
    expect(Object.keys(read)).toHaveLength(5);

    // dr's state went to the dr bucket, and every lock it took there was given back.
    const keys = replicas().map((r) => r.json.terraform.backend.s3.key as string);
    expect(await servers.objectKeys(dr.bucket, "siros/dr/")).toEqual([...keys].sort());
    expect((await servers.tableItems(dr.lockTable)).filter((item) => keys.some((key) => item === lockItemId(dr.bucket, key)))).toEqual([]);
    expect((await servers.objectKeys(dr.bucket)).filter((key) => keys.some((k) => key === lockFileKey(k)))).toEqual([]);
  });
});
