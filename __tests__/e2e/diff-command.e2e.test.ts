import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DiffSummary } from "../../tools/diff/report";
import { inputVariable, MISSING_BUCKET } from "./fixture/names";
import { BUCKET, LOCK_TABLE, useStateServers } from "./support/e2e";
import { run, start, waitFor, type RunResult } from "./support/processes";
import { CDKTF, cdktf, describeRun, ROOT, stateEnv, writeFixtureApp } from "./support/workspace";

const e2e = useStateServers("diff-command");
let work: string;
let reports: string;

function fixtureEnv(extra: Record<string, string> = {}) {
  return { ...stateEnv(e2e().servers, { bucket: BUCKET, table: LOCK_TABLE }), FIXTURE_PROJECT: "diff", ...extra };
}

/** Re-synthesizes the fixture as `npm run diff` expects to find it. */
async function synth(extra: Record<string, string> = {}): Promise<void> {
  const result = await cdktf(e2e().workspace, work, ["synth"], fixtureEnv(extra));
  if (result.code !== 0) throw new Error(describeRun("cdktf synth", result));
}

interface DiffRun extends RunResult {
  readonly summary: DiffSummary;
  readonly markdown: string;
}

/** `npm run diff` as a user runs it, on the fixture's synth output. */
async function diff(name: string, args: readonly string[] = [], env: Record<string, string> = {}): Promise<DiffRun> {
  const json = join(reports, `${name}.json`);
  const markdown = join(reports, `${name}.md`);
  const result = await run("npm", ["run", "diff", "--", "--outdir", join(work, "cdktf.out"), "--json", json, "--markdown", markdown, ...args], {
    cwd: ROOT,
    env: e2e().workspace.env(env),
    timeoutMs: 180_000,
  });
  let summary: DiffSummary;
  try {
    summary = JSON.parse(readFileSync(json, "utf8"));
  } catch {
    throw new Error(describeRun("npm run diff (no JSON summary)", result));
  }
  return { ...result, summary, markdown: readFileSync(markdown, "utf8") };
}

const statusById = (summary: DiffSummary) => Object.fromEntries(summary.stacks.map((s) => [s.id, s.status]));
const stackOf = (summary: DiffSummary, id: string) => summary.stacks.find((s) => s.id === id)!;

beforeAll(async () => {
  const { workspace } = e2e();
  work = writeFixtureApp(workspace.dir("work"));
  reports = workspace.dir("reports");
  const deploy = await cdktf(workspace, work, ["deploy", "aws-dev", "aws-prod", "gcp-dev", "state-bootstrap", "--auto-approve"], fixtureEnv());
  if (deploy.code !== 0) throw new Error(describeRun("cdktf deploy", deploy));
});

test("reports every stack as no changes after a deploy and exits 0, planning aws-prod after its dependency aws-dev", async () => {
  const result = await diff("clean");
  expect(result.code).toBe(0);
  expect(result.summary.exitCode).toBe(0);
  expect(result.summary.matrix).toEqual({
    clouds: ["aws", "gcp"],
    environments: ["dev", "prod"],
    cells: { aws: { dev: "no-changes", prod: "no-changes" }, gcp: { dev: "no-changes" } },
  });
  expect(result.summary.other).toEqual(["state-bootstrap"]);
  expect(stackOf(result.summary, "state-bootstrap").status).toBe("no-changes");
  // The printed matrix: a row per cloud, a column per environment, "-" where no stack is.
  expect(result.output).toMatch(/^\s+dev\s+prod\s*$/m);
  expect(result.output).toMatch(/^aws\s+no changes\s+no changes\s*$/m);
  expect(result.output).toMatch(/^gcp\s+no changes\s+-\s*$/m);
  expect(result.output).toMatch(/^other stacks:\n  state-bootstrap: no changes$/m);
  expect(result.markdown).toContain("| **aws** | no changes | no changes |");
  expect(result.markdown).toContain("Other stacks: `state-bootstrap` no changes");
  expect(result.markdown).toContain("### Terraform diff: no changes");
  const [dev, prod] = [stackOf(result.summary, "aws-dev"), stackOf(result.summary, "aws-prod")];
  expect(prod.dependencies).toEqual(["aws-dev"]);
  expect(Date.parse(prod.startedAt)).toBeGreaterThanOrEqual(Date.parse(dev.finishedAt));
});

test("exits 2 when an input changed, marking only that stack's cell as changes", async () => {
  await synth({ [inputVariable("gcp-dev")]: "drifted" });
  const result = await diff("changed");
  expect(result.code).toBe(2);
  expect(statusById(result.summary)).toEqual({ "aws-dev": "no-changes", "aws-prod": "no-changes", "gcp-dev": "changes", "state-bootstrap": "no-changes" });
  expect(result.summary.matrix.cells.gcp).toEqual({ dev: "changes" });
  const gcp = stackOf(result.summary, "gcp-dev");
  expect(gcp.summary).toBe("Plan: 0 to add, 1 to change, 0 to destroy.");
  expect(gcp.actions).toEqual(["terraform_data.marker will be updated in-place"]);
  expect(result.output).toMatch(/^gcp\s+changes\s+-\s*$/m);
  expect(result.markdown).toContain("| **gcp** | **changes** | — |");
  expect(result.markdown).toContain("- `terraform_data.marker will be updated in-place`");
});

test("exits 1 when a backend is broken, and does not plan the stacks that depend on it", async () => {
  await synth({ FIXTURE_MISSING_BUCKET: "aws-dev" });
  const result = await diff("broken");
  expect(result.code).toBe(1);
  expect(statusById(result.summary)).toEqual({ "aws-dev": "error", "aws-prod": "error", "gcp-dev": "no-changes", "state-bootstrap": "no-changes" });
  const [dev, prod] = [stackOf(result.summary, "aws-dev"), stackOf(result.summary, "aws-prod")];
  expect(dev.error).toContain(`S3 bucket "${MISSING_BUCKET}" does not exist`);
  expect(dev.skipped).toBeUndefined();
  expect(prod.skipped).toBe(true);
  expect(prod.summary).toBe("not planned: its dependency aws-dev ended in error");
  expect(result.output).toMatch(/^aws\s+error\s+error\s*$/m);
  expect(result.markdown).toContain("### Terraform diff: 2 stacks failed");
  expect(result.markdown).toContain(`S3 bucket "${MISSING_BUCKET}" does not exist`);
});

describe("selecting stacks", () => {
  beforeAll(() => synth());

  test("--stacks plans only the named stacks", async () => {
    const result = await diff("named", ["--stacks", "gcp-dev,aws-dev"]);
    expect(result.code).toBe(0);
    expect(result.summary.stacks.map((s) => s.id)).toEqual(["aws-dev", "gcp-dev"]);
  });

  test("SIROS_CLOUDS and SIROS_ENVS narrow the matrix, one stack at a time with --parallel 1", async () => {
    const result = await diff("narrowed", ["--parallel", "1"], { SIROS_CLOUDS: "aws,gcp", SIROS_ENVS: "dev" });
    expect(result.code).toBe(0);
    expect(result.summary.matrix.cells).toEqual({ aws: { dev: "no-changes" }, gcp: { dev: "no-changes" } });
    expect(result.summary.other).toEqual([]);
    // aws-dev and gcp-dev do not depend on each other: only --parallel 1 keeps them apart.
    const [first, second] = result.summary.stacks.map((s) => [Date.parse(s.startedAt), Date.parse(s.finishedAt)]).sort((a, b) => a[0] - b[0]);
    expect(second[0]).toBeGreaterThanOrEqual(first[1]);
  });

  test("fails if --stacks names a stack the synth output does not hold", async () => {
    const result = await run("npm", ["run", "diff", "--", "--outdir", join(work, "cdktf.out"), "--stacks", "aws-qa"], {
      cwd: ROOT,
      env: e2e().workspace.env(),
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`--stacks: "aws-qa" not in the synth output; available: aws-dev, aws-prod, gcp-dev, state-bootstrap`);
  });

  test("fails if nothing was synthesized, saying to run npm run synth first", async () => {
    const result = await run("npm", ["run", "diff", "--", "--outdir", e2e().workspace.dir("empty")], {
      cwd: ROOT,
      env: e2e().workspace.env(),
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`Run "npm run synth" first`);
  });
});

// Last: the held apply adds a resource to aws-dev's state, which later plans would report.
describe("while another apply holds a stack's lock", () => {
  let release: () => Promise<void>;

  beforeAll(async () => {
    const { workspace } = e2e();
    const hold = workspace.dir("hold");
    const holder = start(CDKTF, ["deploy", "aws-dev", "--auto-approve"], {
      cwd: writeFixtureApp(workspace.dir("holder")),
      env: workspace.env(fixtureEnv({ FIXTURE_HOLD_DIR: hold })),
      timeoutMs: 180_000,
    });
    await waitFor("the holder's apply to take the lock", () => existsSync(join(hold, "started")), 120_000);
    release = async () => {
      writeFileSync(join(hold, "release"), "");
      const result = await holder.done;
      if (result.code !== 0) throw new Error(describeRun("the holding cdktf deploy", result));
    };
  });

  afterAll(() => release?.());

  test("fails if the lock is not released within --lock-timeout, with Terraform's lock error", async () => {
    const result = await diff("locked", ["--stacks", "aws-dev", "--lock-timeout", "2s"]);
    expect(result.code).toBe(1);
    expect(stackOf(result.summary, "aws-dev").error).toContain("Error acquiring the state lock");
  });

  test("fails if a stack takes longer than --timeout, interrupting its Terraform process in time", async () => {
    const result = await diff("timeout", ["--stacks", "aws-dev", "--lock-timeout", "120s", "--timeout", "5"]);
    expect(result.code).toBe(1);
    expect(stackOf(result.summary, "aws-dev").summary).toBe("terraform plan timed out after 5 s; interrupted; Terraform exited on its own, releasing any lock it held");
    // Had the plan not been killed, it would have waited for the lock for two minutes.
    expect(result.durationMs).toBeLessThan(60_000);
  });
});
