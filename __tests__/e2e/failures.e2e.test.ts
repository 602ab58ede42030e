import { createServer } from "node:net";
import { MISSING_BUCKET } from "./fixture/names";
import { BUCKET, LOCK_TABLE, useStateServers } from "./support/e2e";
import type { RunResult } from "./support/processes";
import { cdktf, stateEnv, writeFixtureApp } from "./support/workspace";

const e2e = useStateServers("failures");

// Terraform's S3 backend retries a refused connection (max_retries, 5 attempts by default)
// with back-off; past this bound the run counts as hanging. AWS_MAX_ATTEMPTS does not
// shorten it: the backend's own setting wins.
const BOUND_MS = 90_000;

/** A loopback port that nothing listens on: bound by the OS, then released. */
function closedLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject).listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("a backend that cannot be used", () => {
  let missingBucket: RunResult;
  let unreachable: RunResult;
  let port: number;

  // Both failing deploys run at once; each test below reads one of them.
  beforeAll(async () => {
    const { workspace, servers } = e2e();
    port = await closedLoopbackPort();
    const base = { ...stateEnv(servers, { bucket: BUCKET, table: LOCK_TABLE }), FIXTURE_PROJECT: "failures" };
    const closed = `http://127.0.0.1:${port}`;
    [missingBucket, unreachable] = await Promise.all([
      cdktf(workspace, writeFixtureApp(workspace.dir("missing-bucket")), ["deploy", "aws-dev", "--auto-approve"], {
        ...base,
        FIXTURE_MISSING_BUCKET: "aws-dev",
      }),
      cdktf(workspace, writeFixtureApp(workspace.dir("unreachable")), ["deploy", "aws-dev", "--auto-approve"], {
        ...stateEnv(servers, { bucket: BUCKET, table: LOCK_TABLE, s3Endpoint: closed, dynamodbEndpoint: closed }),
        FIXTURE_PROJECT: "failures",
      }),
    ]);
  }, 2 * BOUND_MS);

  test("fails if the bucket does not exist, surfacing Terraform's error quickly", async () => {
    expect(missingBucket.timedOut).toBe(false);
    expect(missingBucket.code).not.toBe(0);
    expect(missingBucket.output).toContain(`S3 bucket "${MISSING_BUCKET}" does not exist`);
    expect(missingBucket.durationMs).toBeLessThan(BOUND_MS);
    expect(await e2e().servers.objectKeys(BUCKET, "failures/")).toEqual([]);
  });

  test("fails if the endpoint is a closed port, surfacing Terraform's error within the bound", () => {
    expect(unreachable.timedOut).toBe(false);
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.output).toContain(`dial tcp 127.0.0.1:${port}: connect: connection refused`);
    expect(unreachable.output).toMatch(/exceeded maximum number of attempts/);
    expect(unreachable.durationMs).toBeLessThan(BOUND_MS);
  });
});
