import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_STATE_SETTINGS, LOCKING_MODES } from "../../backends/settings";
import { useStateServers } from "./support/e2e";
import { run } from "./support/processes";
import { ROOT, describeRun, lockFileKey, lockItemId, terraform } from "./support/workspace";

const { bucket, lockTable } = DEFAULT_STATE_SETTINGS;
// The project's default bucket and table names, so the backend is exercised as synthesized;
// only the endpoints point at the local servers.
const e2e = useStateServers("project-backends", { buckets: [bucket], tables: [lockTable] });

const PARALLEL = 2;

/** Runs `task` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: limit }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  }));
}

describe.each(LOCKING_MODES)("the project's stacks, locking mode %s", (mode) => {
  test("every synthesized stack's backend block is accepted by terraform init and plan, and leaves no lock", async () => {
    const { workspace, servers } = e2e();
    const out = join(workspace.dir(`synth-${mode}`), "cdktf.out");
    // The project's real synth command, through npm and the cdktf CLI.
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
    const stacks = readdirSync(join(out, "stacks")).sort();
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(stacks);
    expect(stacks.length).toBeGreaterThan(0);

    const accepted: string[] = [];
    const failures: string[] = [];
    await eachLimited(stacks, PARALLEL, async (id) => {
      const synthesized = JSON.parse(readFileSync(join(out, "stacks", id, "cdk.tf.json"), "utf8"));
      const backend = synthesized.terraform.backend;
      expect(backend.s3.endpoints).toEqual({ s3: servers.s3Endpoint, dynamodb: servers.dynamodbEndpoint });
      // The cloud providers cannot be downloaded here; the backend block is what is under test.
      const probe = workspace.dir(`probe-${mode}`, id);
      writeFileSync(join(probe, "main.tf.json"), JSON.stringify({ terraform: { backend }, resource: { terraform_data: { probe: { input: id } } } }, null, 2));
      const init = await terraform(workspace, probe, ["init", "-input=false"]);
      if (init.code !== 0) return void failures.push(describeRun(`${id}: terraform init`, init));
      const plan = await terraform(workspace, probe, ["plan", "-input=false", "-lock-timeout=30s"]);
      if (plan.code !== 0 || !plan.output.includes("Plan: 1 to add, 0 to change, 0 to destroy.")) {
        return void failures.push(describeRun(`${id}: terraform plan`, plan));
      }
      accepted.push(id);
    });

    expect(failures).toEqual([]);
    expect(accepted.sort()).toEqual(stacks);
    // Each plan took the stack's lock and gave it back.
    const keys = stacks.map((id) => JSON.parse(readFileSync(join(out, "stacks", id, "cdk.tf.json"), "utf8")).terraform.backend.s3.key as string);
    expect((await servers.tableItems(lockTable)).filter((item) => keys.some((key) => item === lockItemId(bucket, key)))).toEqual([]);
    expect((await servers.objectKeys(bucket)).filter((key) => keys.some((k) => key === lockFileKey(k)))).toEqual([]);
  });
});
