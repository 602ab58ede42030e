import { BUCKET, LOCK_TABLE, markerInput, parseState, useStateServers } from "./support/e2e";
import { inputVariable } from "./fixture/names";
import { cdktf, describeRun, stateEnv, writeFixtureApp } from "./support/workspace";

const e2e = useStateServers("state");

/** Env for a fixture run whose state keys start with `project`. */
function fixtureEnv(project: string, extra: Record<string, string> = {}) {
  const { servers } = e2e();
  return { ...stateEnv(servers, { bucket: BUCKET, table: LOCK_TABLE }), FIXTURE_PROJECT: project, ...extra };
}

async function readState(key: string) {
  return parseState(await e2e().servers.objectText(BUCKET, key));
}

describe("one deployed stack", () => {
  const project = "single";
  const key = `${project}/dev/aws/terraform.tfstate`;
  let work: string;

  beforeAll(async () => {
    const { workspace } = e2e();
    work = writeFixtureApp(workspace.dir("single"));
    const deploy = await cdktf(workspace, work, ["deploy", "aws-dev", "--auto-approve"], fixtureEnv(project));
    if (deploy.code !== 0) throw new Error(describeRun("cdktf deploy aws-dev", deploy));
  });

  test("cdktf deploy writes valid state JSON holding the resource at <project>/<env>/<cloud>/terraform.tfstate", async () => {
    const { servers } = e2e();
    expect(await servers.objectKeys(BUCKET, `${project}/`)).toEqual([key]);
    const state = await readState(key);
    expect(state.terraform_version).toMatch(/^1\.\d+\.\d+/);
    expect(state.resources.map((r) => `${r.type}.${r.name}`)).toEqual(["terraform_data.marker"]);
    expect(markerInput(state)).toEqual({ stack: "aws-dev", value: "initial" });
  });

  test("cdktf diff afterwards reports no changes", async () => {
    const diff = await cdktf(e2e().workspace, work, ["diff", "aws-dev"], fixtureEnv(project));
    expect(diff.code).toBe(0);
    expect(diff.output).toContain("No changes. Your infrastructure matches the configuration.");
    expect(diff.output).not.toMatch(/Plan: \d+ to add/);
  });

  test("cdktf diff reports a changed input, and leaves the state as it was", async () => {
    const before = await readState(key);
    const diff = await cdktf(e2e().workspace, work, ["diff", "aws-dev"], fixtureEnv(project, { [inputVariable("aws-dev")]: "changed" }));
    expect(diff.code).toBe(0);
    expect(diff.output).toMatch(/value\s*=\s*"initial"\s*->\s*"changed"/);
    expect(diff.output).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
    expect(diff.output).not.toContain("No changes.");
    const after = await readState(key);
    expect(after.serial).toBe(before.serial);
    expect(markerInput(after)?.value).toBe("initial");
  });
});

describe("two stacks deployed side by side", () => {
  const project = "pair";
  const keys = { "aws-dev": `${project}/dev/aws/terraform.tfstate`, "gcp-dev": `${project}/dev/gcp/terraform.tfstate` };

  test("write two different keys and never touch each other's state", async () => {
    const { workspace, servers } = e2e();
    const work = writeFixtureApp(workspace.dir("pair"));
    // One cdktf run deploys both stacks concurrently.
    const both = await cdktf(workspace, work, ["deploy", "aws-dev", "gcp-dev", "--auto-approve"], fixtureEnv(project));
    expect(both.code).toBe(0);
    expect(await servers.objectKeys(BUCKET, `${project}/`)).toEqual([keys["aws-dev"], keys["gcp-dev"]].sort());
    expect(markerInput(await readState(keys["aws-dev"]))).toEqual({ stack: "aws-dev", value: "initial" });
    expect(markerInput(await readState(keys["gcp-dev"]))).toEqual({ stack: "gcp-dev", value: "initial" });

    const awsBefore = await servers.objectText(BUCKET, keys["aws-dev"]);
    const gcpBefore = await readState(keys["gcp-dev"]);
    const gcpOnly = await cdktf(workspace, work, ["deploy", "gcp-dev", "--auto-approve"], fixtureEnv(project, { [inputVariable("gcp-dev")]: "second" }));
    expect(gcpOnly.code).toBe(0);
    const gcpAfter = await readState(keys["gcp-dev"]);
    expect(markerInput(gcpAfter)).toEqual({ stack: "gcp-dev", value: "second" });
    expect(gcpAfter.serial).toBeGreaterThan(gcpBefore.serial);
    expect(gcpAfter.lineage).toBe(gcpBefore.lineage);
    expect(await servers.objectText(BUCKET, keys["aws-dev"])).toBe(awsBefore);
  });
});
