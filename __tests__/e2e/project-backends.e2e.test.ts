import { DEFAULT_STATE_SETTINGS, LOCKING_MODES, type LockingMode } from "../../backends/settings";
import { useStateServers } from "./support/e2e";
import { eachLimited, synthProject, writeProbe, type SynthesizedStack } from "./support/project";
import { describeRun, lockFileKey, lockItemId, terraform } from "./support/workspace";

const { bucket, lockTable, dr } = DEFAULT_STATE_SETTINGS;
// The project's default bucket and table names at both sites, so the backend is exercised as
// synthesized; only the endpoints point at the local servers (both sites on the same ones).
const e2e = useStateServers("project-backends", { buckets: [bucket, dr.bucket], tables: [lockTable, dr.lockTable] });

const PARALLEL = 2;

function synthAll(mode: LockingMode): Promise<SynthesizedStack[]> {
  const { workspace, servers } = e2e();
  return synthProject(workspace, mode, {
    SIROS_STATE_LOCKING: mode,
    SIROS_STATE_ENDPOINT: servers.s3Endpoint,
    SIROS_STATE_DYNAMODB_ENDPOINT: servers.dynamodbEndpoint,
  });
}

describe.each(LOCKING_MODES)("the project's stacks, locking mode %s", (mode) => {
  test("every synthesized stack's backend block is accepted by terraform init and plan, and leaves no lock", async () => {
    const { workspace, servers } = e2e();
    const stacks = await synthAll(mode);
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
    // Each plan took its stack's lock, at its own site, and gave it back.
    for (const site of [{ bucket, lockTable }, dr]) {
      const keys = stacks.filter((s) => s.json.terraform.backend.s3.bucket === site.bucket).map((s) => s.json.terraform.backend.s3.key as string);
      expect(keys.length).toBeGreaterThan(0);
      expect((await servers.tableItems(site.lockTable)).filter((item) => keys.some((key) => item === lockItemId(site.bucket, key)))).toEqual([]);
      expect((await servers.objectKeys(site.bucket)).filter((key) => keys.some((k) => key === lockFileKey(k)))).toEqual([]);
    }
  });
});
