import type { PlanResult, PlanStatus } from "../tools/diff/plan";
import { renderJson, renderMarkdown, renderText, summarize } from "../tools/diff/report";
import { planInOrder } from "../tools/diff/schedule";
import type { SynthesizedStack } from "../tools/diff/stacks";

const stack = (id: string, ...dependencies: string[]): SynthesizedStack => ({ id, directory: `/out/stacks/${id}`, dependencies });
const result = (status: PlanStatus, summary: string, extra: Partial<PlanResult> = {}): PlanResult => ({
  status,
  summary,
  actions: [],
  startedAt: "2026-01-01T00:00:00.000Z",
  finishedAt: "2026-01-01T00:00:01.000Z",
  durationMs: 1000,
  ...extra,
});

describe("planInOrder", () => {
  test("plans each stack after its dependencies, never more than `parallel` at once", async () => {
    const events: string[] = [];
    let running = 0;
    let most = 0;
    const results = await planInOrder([stack("aws-dr", "aws-prod"), stack("aws-prod"), stack("gcp-dev"), stack("gcp-prod")], 2, async (s) => {
      running++;
      most = Math.max(most, running);
      events.push(`start ${s.id}`);
      await new Promise((r) => setTimeout(r, 20));
      events.push(`end ${s.id}`);
      running--;
      return result("no-changes", "No changes.");
    });
    expect(most).toBe(2);
    expect(events.indexOf("start aws-dr")).toBeGreaterThan(events.indexOf("end aws-prod"));
    expect([...results.keys()].sort()).toEqual(["aws-dr", "aws-prod", "gcp-dev", "gcp-prod"]);
  });

  test("does not plan what depends, directly or not, on a failed stack", async () => {
    const planned: string[] = [];
    const results = await planInOrder([stack("a"), stack("b", "a"), stack("c", "b"), stack("d")], 1, async (s) => {
      planned.push(s.id);
      return s.id === "a" ? result("error", "terraform plan failed (exit 1): boom") : result("no-changes", "No changes.");
    });
    expect(planned).toEqual(["a", "d"]);
    expect(results.get("b")).toMatchObject({ status: "error", skipped: true, summary: "not planned: its dependency a ended in error" });
    expect(results.get("c")).toMatchObject({ status: "error", skipped: true, summary: "not planned: its dependency b ended in error" });
  });

  test("does not wait for a dependency outside the selection", async () => {
    const results = await planInOrder([stack("aws-dr", "aws-prod")], 1, async () => result("changes", "Plan: 1 to add, 0 to change, 0 to destroy."));
    expect(results.get("aws-dr")).toMatchObject({ status: "changes" });
  });

  test("fails if stacks depend on each other in a cycle: they are reported, not planned, and the rest is planned", async () => {
    const planned: string[] = [];
    const results = await planInOrder([stack("x", "y"), stack("y", "z"), stack("z", "x"), stack("free")], 2, async (s) => {
      planned.push(s.id);
      return result("no-changes", "No changes.");
    });
    expect(planned).toEqual(["free"]);
    expect(Object.fromEntries([...results].map(([id, r]) => [id, [r.status, r.summary]]))).toEqual({
      free: ["no-changes", "No changes."],
      x: ["error", "not planned: dependency cycle (waits on y)"],
      y: ["error", "not planned: dependency cycle (waits on z)"],
      z: ["error", "not planned: dependency cycle (waits on x)"],
    });
  });

  test("a plan that throws counts as an error of that stack", async () => {
    const results = await planInOrder([stack("a")], 1, async () => {
      throw new Error("spawn EACCES");
    });
    expect(results.get("a")).toMatchObject({ status: "error", skipped: false, summary: "failed to run: Error: spawn EACCES" });
  });
});

describe("the report", () => {
  const stacks = [stack("aws-dev"), stack("aws-prod"), stack("gcp-prod"), stack("state-bootstrap")];
  const results = new Map<string, PlanResult>([
    ["aws-dev", result("changes", "Plan: 0 to add, 1 to change, 0 to destroy.", { actions: ["terraform_data.marker will be updated in-place"] })],
    ["aws-prod", result("no-changes", "No changes.")],
    ["gcp-prod", result("error", "terraform plan timed out after 60 s; interrupted; Terraform exited on its own, releasing any lock it held", { error: "Error: context canceled" })],
    ["state-bootstrap", result("no-changes", "No changes.")],
  ]);
  const summary = summarize(stacks, results);

  test("summarizes: exit 1 on any error, counts, the cloud x environment matrix, other stacks", () => {
    expect(summary).toMatchObject({
      exitCode: 1,
      result: "error",
      counts: { "no-changes": 2, changes: 1, error: 1 },
      matrix: { clouds: ["aws", "gcp"], environments: ["dev", "prod"], cells: { aws: { dev: "changes", prod: "no-changes" }, gcp: { prod: "error" } } },
      other: ["state-bootstrap"],
    });
    expect(summarize([stack("aws-dev")], new Map([["aws-dev", result("changes", "Plan: 1 to add")]])).exitCode).toBe(2);
    expect(summarize([stack("aws-dev")], new Map([["aws-dev", result("no-changes", "No changes.")]])).exitCode).toBe(0);
  });

  test("renders the terminal text with the timed-out stack's reason", () => {
    expect(renderText(summary)).toBe(
      [
        "      dev       prod",
        "aws   changes   no changes",
        "gcp   -         error",
        "",
        "other stacks:",
        "  state-bootstrap: no changes",
        "",
        "aws-dev: changes: Plan: 0 to add, 1 to change, 0 to destroy.",
        "    terraform_data.marker will be updated in-place",
        "gcp-prod: error: terraform plan timed out after 60 s; interrupted; Terraform exited on its own, releasing any lock it held",
        "",
        "4 stacks: 2 no changes, 1 changes, 1 error (exit 1)",
      ].join("\n"),
    );
  });

  test("renders the pull-request comment", () => {
    expect(renderMarkdown(summary)).toBe(
      [
        "<!-- siros-diff -->",
        "### Terraform diff: 1 stack failed, changes in 1 stack",
        "",
        "| | dev | prod |",
        "| --- | --- | --- |",
        "| **aws** | **changes** | no changes |",
        "| **gcp** | — | **error** |",
        "",
        "Other stacks: `state-bootstrap` no changes",
        "",
        "<details><summary><code>aws-dev</code>: changes — Plan: 0 to add, 1 to change, 0 to destroy.</summary>",
        "",
        "- `terraform_data.marker will be updated in-place`",
        "",
        "</details>",
        "",
        "<details><summary><code>gcp-prod</code>: error — terraform plan timed out after 60 s; interrupted; Terraform exited on its own, releasing any lock it held</summary>",
        "",
        "```text",
        "Error: context canceled",
        "```",
        "",
        "</details>",
        "",
        "4 stacks: 2 no changes, 1 changes, 1 error (exit 1)",
        "",
      ].join("\n"),
    );
  });

  test("renders JSON that round-trips the summary", () => {
    expect(JSON.parse(renderJson(summary))).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(renderJson(summary).endsWith("}\n")).toBe(true);
  });
});
