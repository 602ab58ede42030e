import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LOCKING_MODES, type LockingMode } from "../../backends/settings";
import { BUCKET, LOCK_TABLE, markerInput, parseState, useStateServers } from "./support/e2e";
import { start, waitFor } from "./support/processes";
import { CDKTF, cdktf, describeRun, lockFileKey, lockItemId, stateEnv, writeFixtureApp } from "./support/workspace";

const e2e = useStateServers("locking");

/** Which lock each mode takes: a DynamoDB item, an S3 lock file beside the state, or both. */
const TAKES = {
  dynamodb: { item: true, file: false, refusal: /ConditionalCheckFailedException/ },
  lockfile: { item: false, file: true, refusal: /PreconditionFailed|StatusCode: 412/ },
  // Terraform takes the lock file first, so the file is what refuses the second apply.
  both: { item: true, file: true, refusal: /PreconditionFailed|StatusCode: 412/ },
} as const satisfies Record<LockingMode, unknown>;

async function heldLocks(key: string) {
  const { servers } = e2e();
  const items = await servers.tableItems(LOCK_TABLE);
  const objects = await servers.objectKeys(BUCKET, key);
  return { item: items.includes(lockItemId(BUCKET, key)), file: objects.includes(lockFileKey(key)) };
}

describe.each(LOCKING_MODES)("locking mode %s", (mode) => {
  const project = `lock-${mode}`;
  const key = `${project}/dev/aws/terraform.tfstate`;

  test("a second apply while the first holds the lock is refused with Terraform's lock error; the lock is gone after the first", async () => {
    const { workspace, servers } = e2e();
    const hold = workspace.dir(`hold-${mode}`);
    const env = { ...stateEnv(servers, { bucket: BUCKET, table: LOCK_TABLE, locking: mode }), FIXTURE_PROJECT: project, FIXTURE_HOLD_DIR: hold };

    const first = start(CDKTF, ["deploy", "aws-dev", "--auto-approve"], {
      cwd: writeFixtureApp(workspace.dir(`first-${mode}`)),
      env: workspace.env(env),
      timeoutMs: 180_000,
    });
    let firstEnded = false;
    void first.done.then(() => (firstEnded = true));
    await waitFor("the first apply to start holding the lock", () => firstEnded || existsSync(join(hold, "started")), 120_000);
    if (firstEnded) throw new Error(describeRun("the first cdktf deploy", await first.done));

    const { item, file, refusal } = TAKES[mode];
    expect(await heldLocks(key)).toEqual({ item, file });

    // Another checkout of the same stack, as a second person would run it.
    const second = await cdktf(workspace, writeFixtureApp(workspace.dir(`second-${mode}`)), ["deploy", "aws-dev", "--auto-approve"], env);
    expect(second.code).not.toBe(0);
    expect(second.output).toContain("Error acquiring the state lock");
    expect(second.output).toMatch(refusal);
    expect(second.output).toContain(`Path:      ${BUCKET}/${key}`);
    // The refused apply must leave the holder's lock alone.
    expect(firstEnded).toBe(false);
    expect(await heldLocks(key)).toEqual({ item, file });

    writeFileSync(join(hold, "release"), "");
    const firstResult = await first.done;
    expect(firstResult.code).toBe(0);
    expect(await heldLocks(key)).toEqual({ item: false, file: false });
    const state = parseState(await servers.objectText(BUCKET, key));
    expect(state.resources.map((r) => r.name).sort()).toEqual(["hold", "marker"]);
    expect(markerInput(state)).toEqual({ stack: "aws-dev", value: "initial" });
  });
});
