import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_STATE_SETTINGS, LOCKING_MODES, type LockingMode } from "../../backends/settings";
import { useStateServers } from "./support/e2e";
import { run } from "./support/processes";
import { ROOT, describeRun, lockFileKey, lockItemId, terraform } from "./support/workspace";

const { bucket, lockTable } = DEFAULT_STATE_SETTINGS;
// The project's default bucket and table names, so the backend is exercised as synthesized;
// only the endpoints point at the local servers.
const e2e = useStateServers("project-backends", { buckets: [bucket], tables: [lockTable] });

const PARALLEL = 2;

interface SynthesizedStack {
  readonly id: string;
  readonly dependencies: readonly string[];
  readonly json: {
    terraform: { backend: { s3: Record<string, any> } };
    data?: { terraform_remote_state?: Record<string, { config: { key: string } }> };
    output?: Record<string, { value: string }>;
  };
}

/** The project's real synth command, through npm and the cdktf CLI, into a temp folder. */
async function synthProject(name: string, mode: LockingMode): Promise<SynthesizedStack[]> {
  const { workspace, servers } = e2e();
  const out = join(workspace.dir(`synth-${name}`), "cdktf.out");
  const synth = await run("npm", ["run", "synth", "--", "--output", out], {
    cwd: ROOT,
    env: workspace.env({
      SIROS_STATE_LOCKING: mode,
      SIROS_STATE_ENDPOINT: servers.s3Endpoint,
      SIROS_STATE_DYNAMODB_ENDPOINT: servers.dynamodbEndpoint,
    }),
    timeoutMs: 180_000,
  });
  if (synth.code !== 0) throw new Error(describeRun("npm run synth", synth));
  // Whatever stacks the project has today: the list comes from the synth output.
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  expect(Object.keys(manifest.stacks).sort()).toEqual(readdirSync(join(out, "stacks")).sort());
  return Object.keys(manifest.stacks)
    .sort()
    .map((id) => ({
      id,
      dependencies: manifest.stacks[id].dependencies,
      json: JSON.parse(readFileSync(join(out, "stacks", id, "cdk.tf.json"), "utf8")),
    }));
}

/**
 * A Terraform configuration with the stack's backend beside built-in resources only: the
 * cloud providers cannot be downloaded here, and the backend is what is under test.
 */
function writeProbe(dir: string, stack: SynthesizedStack, extra: Record<string, unknown> = {}): string {
  const config = { terraform: { backend: stack.json.terraform.backend }, resource: { terraform_data: { probe: { input: stack.id } } }, ...extra };
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
  return dir;
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

describe.each(LOCKING_MODES)("the project's stacks, locking mode %s", (mode) => {
  test("every synthesized stack's backend block is accepted by terraform init and plan, and leaves no lock", async () => {
    const { workspace, servers } = e2e();
    const stacks = await synthProject(mode, mode);
    expect(stacks.length).toBeGreaterThan(0);

    const accepted: string[] = [];
    const failures: string[] = [];
    await eachLimited(stacks, PARALLEL, async (stack) => {
      expect(stack.json.terraform.backend.s3.endpoints).toEqual({ s3: servers.s3Endpoint, dynamodb: servers.dynamodbEndpoint });
      const probe = writeProbe(workspace.dir(`probe-${mode}`, stack.id), stack);
      const init = await terraform(workspace, probe, ["init", "-input=false"]);
      if (init.code !== 0) return void failures.push(describeRun(`${stack.id}: terraform init`, init));
      const plan = await terraform(workspace, probe, ["plan", "-input=false", "-lock-timeout=30s"]);
      if (plan.code !== 0 || !plan.output.includes("Plan: 1 to add, 0 to change, 0 to destroy.")) {
        return void failures.push(describeRun(`${stack.id}: terraform plan`, plan));
      }
      accepted.push(stack.id);
    });

    expect(failures).toEqual([]);
    expect(accepted.sort()).toEqual(stacks.map((s) => s.id));
    // Each plan took its stack's lock and gave it back.
    const keys = stacks.map((s) => s.json.terraform.backend.s3.key as string);
    expect((await servers.tableItems(lockTable)).filter((item) => keys.some((key) => item === lockItemId(bucket, key)))).toEqual([]);
    expect((await servers.objectKeys(bucket)).filter((key) => keys.some((k) => key === lockFileKey(k)))).toEqual([]);
  });
});

describe("the project's replica stacks", () => {
  test("read their primary's outputs through remote state, at the key the primary's backend writes", async () => {
    const { workspace } = e2e();
    const stacks = await synthProject("remote-state", "dynamodb");
    const byKey = new Map(stacks.map((s) => [s.json.terraform.backend.s3.key as string, s]));
    const replicas = stacks.filter((s) => Object.keys(s.json.data?.terraform_remote_state ?? {}).length > 0);
    expect(replicas.length).toBeGreaterThan(0);

    // Each remote state a replica reads must be some stack's backend key, and a dependency.
    const reads = replicas.flatMap((replica) =>
      Object.entries(replica.json.data!.terraform_remote_state!).map(([name, block]) => {
        const primary = byKey.get(block.config.key);
        if (!primary) throw new Error(`${replica.id} reads remote state ${block.config.key}, which no stack's backend writes`);
        expect(replica.dependencies).toContain(primary.id);
        return { replica, name, primary };
      }),
    );

    // Primaries: the backend plus every output the real stack declares, with known values.
    const primaries = [...new Set(reads.map((r) => r.primary))];
    const known = (stack: SynthesizedStack, output: string) => `${stack.id}/${output}`;
    await eachLimited(primaries, PARALLEL, async (primary) => {
      const outputs = Object.fromEntries(Object.keys(primary.json.output ?? {}).map((o) => [o, { value: known(primary, o) }]));
      const dir = writeProbe(workspace.dir("primaries", primary.id), primary, { output: outputs });
      for (const args of [["init", "-input=false"], ["apply", "-input=false", "-auto-approve"]]) {
        const result = await terraform(workspace, dir, args);
        if (result.code !== 0) throw new Error(describeRun(`${primary.id}: terraform ${args[0]}`, result));
      }
    });

    // Replicas: their remote state blocks as synthesized, and the outputs that read them.
    await eachLimited(replicas, PARALLEL, async (replica) => {
      const outputs = Object.fromEntries(Object.entries(replica.json.output ?? {}).filter(([, o]) => String(o.value).includes("data.terraform_remote_state.")));
      expect(Object.keys(outputs).length).toBeGreaterThan(0);
      const dir = writeProbe(workspace.dir("replicas", replica.id), replica, { data: { terraform_remote_state: replica.json.data!.terraform_remote_state }, output: outputs });
      for (const args of [["init", "-input=false"], ["apply", "-input=false", "-auto-approve"]]) {
        const result = await terraform(workspace, dir, args);
        if (result.code !== 0) throw new Error(describeRun(`${replica.id}: terraform ${args[0]}`, result));
      }
      const values = await terraform(workspace, dir, ["output", "-json"]);
      const read = JSON.parse(values.output) as Record<string, { value: string }>;
      for (const [name, output] of Object.entries(outputs)) {
        const [, block, attribute] = /data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)/.exec(output.value)!;
        const primary = reads.find((r) => r.replica === replica && r.name === block)!.primary;
        expect({ replica: replica.id, output: name, value: read[name]?.value }).toEqual({ replica: replica.id, output: name, value: known(primary, attribute) });
      }
    });
  });
});
