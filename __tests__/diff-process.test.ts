import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lockIdIn, planStack, type PlanSettings } from "../tools/diff/plan";
import { runProcess, STREAM_GRACE_MS } from "../tools/diff/process";

const root = join(__dirname, "..");
const FAKE = join(__dirname, "support", "fake-terraform.js");
let work: string;
let lock: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "siros-diff-test-"));
  lock = join(work, "lock");
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const env = (plan: string, extra: Record<string, string> = {}) => ({ ...process.env, FAKE_TF_PLAN: plan, FAKE_TF_LOCK: join(work, "lock"), ...extra });
const fakePlan = (plan: string, settings: Partial<Parameters<typeof runProcess>[2]> = {}) =>
  runProcess(process.execPath, [FAKE, "plan"], { cwd: work, env: env(plan), deadline: Date.now() + 60_000, graceMs: 10_000, ...settings });
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
};

describe("stopping Terraform", () => {
  test("on its deadline it first interrupts, and Terraform releases its lock and exits within the grace", async () => {
    const started = Date.now();
    const outcome = await fakePlan("hang", { deadline: Date.now() + 1000 });
    expect(outcome).toMatchObject({ timedOut: true, interrupted: false, killed: false, code: 1 });
    expect(outcome.output).toContain("Interrupt received. Gracefully shutting down...");
    expect(outcome.output).toContain("Releasing state lock");
    expect(existsSync(lock)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("kills the process group only when Terraform is still running after the grace", async () => {
    const started = Date.now();
    const outcome = await fakePlan("stubborn", { deadline: Date.now() + 500, graceMs: 1500 });
    expect(outcome).toMatchObject({ timedOut: true, killed: true, code: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - started).toBeLessThan(2000 + STREAM_GRACE_MS + 3000);
    expect(existsSync(lock)).toBe(true);
  });

  test("aborting `stop` interrupts as Ctrl-C would; aborting `kill` kills at once", async () => {
    const stop = new AbortController();
    const interrupted = fakePlan("hang", { stop: stop.signal });
    await until(() => existsSync(lock));
    stop.abort();
    expect(await interrupted).toMatchObject({ timedOut: false, interrupted: true, killed: false });
    expect(existsSync(lock)).toBe(false);

    const stubbornStop = new AbortController();
    const kill = new AbortController();
    const started = Date.now();
    const killed = fakePlan("stubborn", { stop: stubbornStop.signal, kill: kill.signal, graceMs: 60_000 });
    await until(() => existsSync(lock));
    stubbornStop.abort();
    kill.abort();
    expect(await killed).toMatchObject({ interrupted: true, killed: true });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test("ends on exit plus a short grace even when a grandchild keeps the output open", async () => {
    const pidFile = join(work, "grandchild.pid");
    const started = Date.now();
    const outcome = await runProcess(process.execPath, [FAKE, "plan"], {
      cwd: work,
      env: env("grandchild", { FAKE_TF_GRANDCHILD: pidFile }),
      deadline: Date.now() + 60_000,
      graceMs: 10_000,
    });
    try {
      expect(outcome).toMatchObject({ code: 0, timedOut: false, killed: false });
      expect(outcome.output).toContain("No changes.");
      expect(Date.now() - started).toBeLessThan(STREAM_GRACE_MS + 4000);
    } finally {
      process.kill(Number(readFileSync(pidFile, "utf8")), "SIGKILL");
    }
  });
});

describe("planStack", () => {
  const settings = (plan: string, extra: Partial<PlanSettings> = {}): PlanSettings => ({
    terraform: FAKE,
    lockTimeout: "1m30s",
    timeoutMs: 1000,
    killGraceMs: 1000,
    env: env(plan),
    ...extra,
  });
  const stack = () => ({ id: "aws-dev", directory: work, dependencies: [] });

  test("a timed-out plan says it timed out and that Terraform released its lock", async () => {
    const result = await planStack(stack(), settings("hang"));
    expect(result.status).toBe("error");
    expect(result.summary).toBe("terraform plan timed out after 1 s; interrupted; Terraform exited on its own, releasing any lock it held");
    expect(existsSync(lock)).toBe(false);
  });

  test("a plan killed after the grace says its lock may remain, with the lock ID from Terraform's log", async () => {
    const id = "2b6a7c1e-0000-4000-8000-00000000abcd";
    const result = await planStack(stack(), settings("stubborn", { env: env("stubborn", { FAKE_TF_LOCK_ID: id }) }));
    expect(result.summary).toBe("terraform plan timed out after 1 s; killed: it did not exit within 1 s of its interrupt, so its state lock may remain");
    expect(result.error).toContain(
      `The state lock of aws-dev may remain (lock ID ${id}). Once no other Terraform run uses this state, release it with\n  terraform -chdir=${work} force-unlock ${id}`,
    );
  });

  test("without a lock ID (the user's own TF_LOG settings), says where to find it", async () => {
    const result = await planStack(stack(), settings("stubborn", { env: env("stubborn", { TF_LOG: "ERROR", FAKE_TF_LOCK_ID: "x" }) }));
    expect(result.error).toContain(
      `The state lock of aws-dev may remain. Once no other Terraform run uses this state, release it with\n  terraform -chdir=${work} force-unlock <ID>\nwhere <ID> is the "ID:" under "Lock Info:" in the error of the next plan of aws-dev.`,
    );
  });

  test("runs init, then plan with -lock-timeout, or with -lock=false under --no-lock", async () => {
    const argsFile = join(work, "args");
    const commands = async (extra: Partial<PlanSettings>) => {
      rmSync(argsFile, { force: true });
      const result = await planStack(stack(), settings("no-changes", { timeoutMs: 60_000, env: env("no-changes", { FAKE_TF_ARGS: argsFile }), ...extra }));
      expect(result).toMatchObject({ status: "no-changes", summary: "No changes." });
      return readFileSync(argsFile, "utf8").trim().split("\n");
    };
    expect(await commands({})).toEqual(["init -input=false -reconfigure -no-color", "plan -detailed-exitcode -input=false -lock-timeout=1m30s -no-color"]);
    expect(await commands({ noLock: true })).toEqual(["init -input=false -reconfigure -no-color", "plan -detailed-exitcode -input=false -lock=false -no-color"]);
  });
});

describe("npm run diff stopped by SIGTERM (a cancelled CI job)", () => {
  test("interrupts the running plan, which releases its lock; reports the stop and exits 1", async () => {
    const outdir = join(work, "cdktf.out");
    for (const id of ["aws-dev", "aws-prod"]) mkdirSync(join(outdir, "stacks", id), { recursive: true });
    writeFileSync(
      join(outdir, "manifest.json"),
      JSON.stringify({ stacks: { "aws-dev": { workingDirectory: "stacks/aws-dev" }, "aws-prod": { workingDirectory: "stacks/aws-prod", dependencies: ["aws-dev"] } } }),
    );
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SIROS_")));
    const diff = spawn(process.execPath, ["--import", "tsx", "tools/diff.ts", "--outdir", outdir, "--json", join(work, "diff.json"), "--kill-grace", "20"], {
      cwd: root,
      env: { ...inherited, TERRAFORM_BINARY_NAME: FAKE, FAKE_TF_PLAN: "hang", FAKE_TF_LOCK: lock },
    });
    let stdout = "";
    let stderr = "";
    diff.stdout.on("data", (c: Buffer) => (stdout += c));
    diff.stderr.on("data", (c: Buffer) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => diff.on("close", resolve));
    await until(() => existsSync(lock));
    diff.kill("SIGTERM");
    expect(await exited).toBe(1);
    expect(existsSync(lock)).toBe(false);
    expect(stderr).toContain("diff: SIGTERM received: interrupting running Terraform processes");
    expect(stdout).toContain("aws-dev: error: terraform plan stopped by a signal to npm run diff; interrupted; Terraform exited on its own, releasing any lock it held");
    expect(stdout).toContain("aws-prod: error: not planned: its dependency aws-dev ended in error");
    const report = JSON.parse(readFileSync(join(work, "diff.json"), "utf8"));
    expect(report.exitCode).toBe(1);
    expect(report.counts).toEqual({ "no-changes": 0, changes: 0, error: 2 });
  }, 60_000);
});

describe("lockIdIn", () => {
  test("reads the last lock ID from Terraform's log or a Lock Info block", () => {
    const log = "…backend-s3: Attempting to lock remote state (DynamoDB only)...: tf_backend.lock.id=11111111-2222-3333-4444-555555555555 tf_backend.operation=Lock";
    expect(lockIdIn(log)).toBe("11111111-2222-3333-4444-555555555555");
    expect(lockIdIn("│ Lock Info:\n│   ID:        aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n│   Path:      b/k")).toBe("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    expect(lockIdIn("no lock here")).toBeUndefined();
  });
});
