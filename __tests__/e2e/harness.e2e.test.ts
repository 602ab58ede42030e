import { PutObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUCKET, LOCK_TABLE, useStateServers } from "./support/e2e";
import { processTree, start, stopAll, waitFor } from "./support/processes";
import { terraformProblem } from "./support/terraform-cli";
import { CDKTF, stateEnv, writeFixtureApp } from "./support/workspace";

// The suite's own machinery: if any of this were wrong, the other files could pass for the wrong reason.
const e2e = useStateServers("harness");

describe("the local S3 server", () => {
  const put = (key: string, body: string) =>
    e2e().servers.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, IfNoneMatch: "*" }));
  const statusOf = (outcome: PromiseSettledResult<unknown>) =>
    outcome.status === "fulfilled" ? 200 : (outcome.reason as S3ServiceException).$metadata.httpStatusCode;

  test("refuses a conditional write (If-None-Match: *) to an existing key with 412, as S3 does", async () => {
    await put("conditional/one", "first");
    const second = await Promise.allSettled([put("conditional/one", "second")]);
    expect(statusOf(second[0])).toBe(412);
    expect((second[0] as PromiseRejectedResult).reason.name).toBe("PreconditionFailed");
    expect(await e2e().servers.objectText(BUCKET, "conditional/one")).toBe("first");
  });

  test("lets exactly one of many concurrent conditional writes to a key win", async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => put("conditional/race", `writer ${i}`)));
    expect(outcomes.map(statusOf).sort()).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
  });
});

describe("stopping processes", () => {
  test("ends cdktf and the Terraform it started in a session of its own", async () => {
    const { workspace, servers } = e2e();
    const hold = workspace.dir("hold");
    const deploy = start(CDKTF, ["deploy", "aws-dev", "--auto-approve"], {
      cwd: writeFixtureApp(workspace.dir("work")),
      env: workspace.env({ ...stateEnv(servers, { bucket: BUCKET, table: LOCK_TABLE }), FIXTURE_PROJECT: "stop", FIXTURE_HOLD_DIR: hold }),
      timeoutMs: 180_000,
    });
    await waitFor("the apply to reach its provisioner", () => existsSync(join(hold, "started")), 120_000);
    const tree = await processTree(deploy.pid);
    // cdktf itself, Terraform (in another session) and the provisioner's shell at least.
    expect(new Set(tree.map((p) => p.pgid)).size).toBeGreaterThan(1);

    await stopAll();
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor("every process of the run to end", () => tree.every((p) => !alive(p.pid)), 10_000);
    expect((await deploy.done).code).not.toBe(0);
  });
});

describe("the Terraform CLI check", () => {
  test("fails if no terraform is on PATH, saying how to install it", async () => {
    const problem = await terraformProblem({ PATH: e2e().workspace.dir("empty-path") });
    expect(problem).toContain("could not run `terraform`");
    expect(problem).toContain("Install Terraform 1.10 or later");
  });

  test("fails if terraform is older than 1.10", async () => {
    const bin = e2e().workspace.dir("old-terraform");
    writeFileSync(join(bin, "terraform"), `#!/bin/sh\necho '{"terraform_version":"1.9.8"}'\n`);
    chmodSync(join(bin, "terraform"), 0o755);
    const problem = await terraformProblem({ PATH: `${bin}:/usr/bin:/bin` });
    expect(problem).toContain("needs Terraform 1.10.0 or later; `terraform` on PATH is 1.9.8");
  });

  test("accepts the terraform on PATH", async () => {
    expect(await terraformProblem()).toBeUndefined();
  });
});
