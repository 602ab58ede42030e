import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LOCKING_MODES, type LockingMode } from "../../backends/settings";
import type { DiffSummary } from "../../tools/diff/report";
import { BUCKET, LOCK_TABLE, useStateServers } from "./support/e2e";
import { delay, start, waitFor } from "./support/processes";
import { cdktf, describeRun, lockFileKey, lockItemId, ROOT, stateEnv, terraform, writeFixtureApp } from "./support/workspace";

/**
 * A plan that times out while it HOLDS the state lock must release it: `npm run diff`
 * interrupts Terraform, which finishes what it is doing, unlocks and exits. The plan hangs
 * in a terraform_remote_state read (of a key whose reads the S3 server holds) after it has
 * taken its own lock; the read is let go only after --timeout has passed, as a slow backend
 * or provider call would end.
 */
const e2e = useStateServers("diff-stop");
const TIMEOUT_S = 25;
const TAKES = { dynamodb: { item: true, file: false }, lockfile: { item: false, file: true }, both: { item: true, file: true } } as const satisfies Record<LockingMode, unknown>;

async function heldLocks(key: string) {
  const { servers } = e2e();
  return {
    item: (await servers.tableItems(LOCK_TABLE)).includes(lockItemId(BUCKET, key)),
    file: (await servers.objectKeys(BUCKET, key)).includes(lockFileKey(key)),
  };
}

describe.each(LOCKING_MODES)("locking mode %s", (mode) => {
  test("a plan that times out while holding the lock leaves no lock behind (DynamoDB item and .tflock)", async () => {
    const { workspace, servers } = e2e();
    const project = `stop-${mode}`;
    const key = `${project}/dev/aws/terraform.tfstate`;
    const slowKey = `slow-${mode}/terraform.tfstate`;
    const env = { ...stateEnv(servers, { bucket: BUCKET, table: LOCK_TABLE, locking: mode }), FIXTURE_PROJECT: project, FIXTURE_SLOW_READ: slowKey };
    const work = writeFixtureApp(workspace.dir(`work-${mode}`));
    const synth = await cdktf(workspace, work, ["synth"], env);
    if (synth.code !== 0) throw new Error(describeRun("cdktf synth", synth));

    // The state the data source reads: it must exist, or the backend answers "not found" from a listing.
    const empty = { version: 4, terraform_version: "1.11.4", serial: 1, lineage: `slow-${mode}`, outputs: {}, resources: [] };
    await servers.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: slowKey, Body: JSON.stringify(empty) }));
    const reads = servers.holdReads(slowKey);
    const json = join(workspace.dir(`reports-${mode}`), "diff.json");
    const started = Date.now();
    const diff = start("npm", ["run", "diff", "--", "--outdir", join(work, "cdktf.out"), "--stacks", "aws-dev", "--timeout", String(TIMEOUT_S), "--kill-grace", "60", "--json", json], {
      cwd: ROOT,
      env: workspace.env(env),
      timeoutMs: 180_000,
    });
    try {
      let ended = false;
      void diff.done.then(() => (ended = true));
      await waitFor("the plan to hang in its read, holding the lock", () => ended || reads.arrived > 0, (TIMEOUT_S - 2) * 1000);
      if (ended) throw new Error(describeRun("npm run diff", await diff.done));
      expect(await heldLocks(key)).toEqual(TAKES[mode]);

      // Past the timeout the plan has been interrupted; only now does its read return.
      await delay(Math.max(0, started + (TIMEOUT_S + 3) * 1000 - Date.now()));
      expect(await heldLocks(key)).toEqual(TAKES[mode]);
    } finally {
      reads.release();
    }
    const result = await diff.done;
    expect(result.code).toBe(1);
    const summary = JSON.parse(readFileSync(json, "utf8")) as DiffSummary;
    expect(summary.stacks.map((s) => [s.id, s.status, s.summary])).toEqual([
      ["aws-dev", "error", `terraform plan timed out after ${TIMEOUT_S} s; interrupted; Terraform exited on its own, releasing any lock it held`],
    ]);
    expect(await heldLocks(key)).toEqual({ item: false, file: false });
  });
});

describe("a plan that must be killed (it does not exit within --kill-grace)", () => {
  test("the report names the lock it may have left, and force-unlock with that ID releases it", async () => {
    const { workspace, servers } = e2e();
    const project = "stop-killed";
    const key = `${project}/dev/aws/terraform.tfstate`;
    const slowKey = "slow-killed/terraform.tfstate";
    const env = { ...stateEnv(servers, { bucket: BUCKET, table: LOCK_TABLE }), FIXTURE_PROJECT: project, FIXTURE_SLOW_READ: slowKey };
    const work = writeFixtureApp(workspace.dir("work-killed"));
    const synth = await cdktf(workspace, work, ["synth"], env);
    if (synth.code !== 0) throw new Error(describeRun("cdktf synth", synth));
    const empty = { version: 4, terraform_version: "1.11.4", serial: 1, lineage: "slow-killed", outputs: {}, resources: [] };
    await servers.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: slowKey, Body: JSON.stringify(empty) }));
    const reads = servers.holdReads(slowKey);
    const json = join(workspace.dir("reports-killed"), "diff.json");
    const diff = start("npm", ["run", "diff", "--", "--outdir", join(work, "cdktf.out"), "--stacks", "aws-dev", "--timeout", String(TIMEOUT_S), "--kill-grace", "1", "--json", json], {
      cwd: ROOT,
      env: workspace.env(env),
      timeoutMs: 180_000,
    });
    let result;
    try {
      result = await diff.done;
    } finally {
      reads.release();
    }
    expect(result.code).toBe(1);
    const [report] = (JSON.parse(readFileSync(json, "utf8")) as DiffSummary).stacks;
    expect(report.summary).toBe(`terraform plan timed out after ${TIMEOUT_S} s; killed: it did not exit within 1 s of its interrupt, so its state lock may remain`);

    // The ID Terraform stored in the lock item is the one the report gives.
    const scan = await servers.dynamodb.send(new ScanCommand({ TableName: LOCK_TABLE, ConsistentRead: true }));
    const item = (scan.Items ?? []).find((i) => i.LockID?.S === lockItemId(BUCKET, key));
    const lockId = JSON.parse(item!.Info!.S!).ID as string;
    const stackDir = join(work, "cdktf.out", "stacks", "aws-dev");
    expect(report.error).toContain(`The state lock of aws-dev may remain (lock ID ${lockId}). Once no other Terraform run uses this state, release it with\n  terraform -chdir=${stackDir} force-unlock ${lockId}`);

    const unlock = await terraform(workspace, stackDir, ["force-unlock", "-force", lockId]);
    expect(unlock.output).toContain("Terraform state has been successfully unlocked!");
    expect(await heldLocks(key)).toEqual({ item: false, file: false });
  });
});
