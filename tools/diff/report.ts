import { CLOUDS, ENVIRONMENTS } from "../../environments/types";
import type { PlanResult, PlanStatus } from "./plan";
import { matrixPlace, type SynthesizedStack } from "./stacks";

export interface StackReport extends PlanResult {
  readonly id: string;
  readonly cloud?: string;
  readonly environment?: string;
  readonly dependencies: readonly string[];
}

export interface DiffSummary {
  /** 0 nothing would change, 2 something would change, 1 any error. */
  readonly exitCode: 0 | 1 | 2;
  readonly result: PlanStatus;
  readonly counts: Readonly<Record<PlanStatus, number>>;
  readonly matrix: {
    readonly clouds: readonly string[];
    readonly environments: readonly string[];
    /** cells[cloud][environment]; a stack that was not planned has no cell. */
    readonly cells: Readonly<Record<string, Readonly<Record<string, PlanStatus>>>>;
  };
  /** Stacks whose id is not `<cloud>-<env>`. */
  readonly other: readonly string[];
  readonly stacks: readonly StackReport[];
}

export const CELL_TEXT: Readonly<Record<PlanStatus, string>> = { "no-changes": "no changes", changes: "changes", error: "error" };
const NOT_PLANNED = "-";
/** Marks the pull-request comment, so a workflow can update it rather than add another. */
export const MARKDOWN_MARKER = "<!-- siros-diff -->";

export function summarize(stacks: readonly SynthesizedStack[], results: ReadonlyMap<string, PlanResult>): DiffSummary {
  const reports: StackReport[] = stacks.map((stack) => ({
    id: stack.id,
    ...matrixPlace(stack.id),
    dependencies: stack.dependencies,
    ...results.get(stack.id)!,
  }));
  const counts = { "no-changes": 0, changes: 0, error: 0 };
  for (const report of reports) counts[report.status]++;
  const result: PlanStatus = counts.error > 0 ? "error" : counts.changes > 0 ? "changes" : "no-changes";
  const inMatrix = reports.filter((r) => r.cloud !== undefined);
  const cells: Record<string, Record<string, PlanStatus>> = {};
  for (const report of inMatrix) (cells[report.cloud!] ??= {})[report.environment!] = report.status;
  return {
    exitCode: result === "error" ? 1 : result === "changes" ? 2 : 0,
    result,
    counts,
    matrix: {
      // The project's order (clouds as registered, environments dev to dr), not alphabetical.
      clouds: CLOUDS.filter((c) => inMatrix.some((r) => r.cloud === c)),
      environments: ENVIRONMENTS.filter((e) => inMatrix.some((r) => r.environment === e)),
      cells,
    },
    other: reports.filter((r) => r.cloud === undefined).map((r) => r.id),
    stacks: reports,
  };
}

const cell = (summary: DiffSummary, cloud: string, environment: string): string => {
  const status = summary.matrix.cells[cloud]?.[environment];
  return status ? CELL_TEXT[status] : NOT_PLANNED;
};

const statusOf = (summary: DiffSummary, id: string) => summary.stacks.find((s) => s.id === id)!.status;

function countLine({ counts, stacks, exitCode }: DiffSummary): string {
  return `${stacks.length} stack${stacks.length === 1 ? "" : "s"}: ${counts["no-changes"]} no changes, ${counts.changes} changes, ${counts.error} error${counts.error === 1 ? "" : "s"} (exit ${exitCode})`;
}

/** The terminal report: the matrix, other stacks, then what changed or failed. */
export function renderText(summary: DiffSummary): string {
  const { clouds, environments } = summary.matrix;
  const lines: string[] = [];
  if (clouds.length > 0) {
    const rows = [["", ...environments], ...clouds.map((c) => [c, ...environments.map((e) => cell(summary, c, e))])];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    for (const row of rows) lines.push(row.map((text, i) => text.padEnd(widths[i])).join("   ").trimEnd());
  }
  if (summary.other.length > 0) {
    lines.push("", "other stacks:", ...summary.other.map((id) => `  ${id}: ${CELL_TEXT[statusOf(summary, id)]}`));
  }
  const notable = summary.stacks.filter((s) => s.status !== "no-changes");
  if (notable.length > 0) {
    lines.push("");
    for (const stack of notable) {
      lines.push(`${stack.id}: ${CELL_TEXT[stack.status]}: ${stack.summary}`, ...stack.actions.map((a) => `    ${a}`));
    }
  }
  lines.push("", countLine(summary));
  return lines.join("\n");
}

/** A pull-request comment: headline, the matrix as a table, details per stack that changed or failed. */
export function renderMarkdown(summary: DiffSummary): string {
  const { clouds, environments } = summary.matrix;
  const plural = (n: number) => `${n} stack${n === 1 ? "" : "s"}`;
  const headline =
    [summary.counts.error > 0 ? `${plural(summary.counts.error)} failed` : "", summary.counts.changes > 0 ? `changes in ${plural(summary.counts.changes)}` : ""]
      .filter(Boolean)
      .join(", ") || "no changes";
  const lines = [MARKDOWN_MARKER, `### Terraform diff: ${headline}`, ""];
  const markdownCell = (status: PlanStatus | undefined) => (status === undefined ? "—" : status === "no-changes" ? CELL_TEXT[status] : `**${CELL_TEXT[status]}**`);
  if (clouds.length > 0) {
    lines.push(`| | ${environments.join(" | ")} |`, `| --- |${environments.map(() => " --- |").join("")}`);
    for (const cloud of clouds) {
      lines.push(`| **${cloud}** | ${environments.map((e) => markdownCell(summary.matrix.cells[cloud]?.[e])).join(" | ")} |`);
    }
    lines.push("");
  }
  if (summary.other.length > 0) {
    lines.push(`Other stacks: ${summary.other.map((id) => `\`${id}\` ${markdownCell(statusOf(summary, id))}`).join(", ")}`, "");
  }
  for (const stack of summary.stacks.filter((s) => s.status !== "no-changes")) {
    const title = `<code>${stack.id}</code>: ${CELL_TEXT[stack.status]} — ${escapeHtml(stack.summary)}`;
    if (stack.actions.length === 0 && !stack.error) {
      lines.push(title, "");
      continue;
    }
    lines.push(`<details><summary>${title}</summary>`, "");
    if (stack.actions.length > 0) lines.push(...stack.actions.map((a) => `- \`${a}\``), "");
    if (stack.error) lines.push(...fenced(stack.error), "");
    lines.push("</details>", "");
  }
  lines.push(countLine(summary), "");
  return lines.join("\n");
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function fenced(text: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return [`${fence}text`, text, fence];
}

export function renderJson(summary: DiffSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}
