/** The three report formats of `npm run check`: text for people, JSON for tools, SARIF for code scanning. */
import { isAbsolute, join, relative } from "node:path";
import { isFailing, SUPPRESSION_RULE_ID, type CheckRun, type Finding } from "./engine";
import type { Level, Rule } from "./rule";
import { lineOf, type LoadedStack } from "./terraform-json";

export const FORMATS = ["text", "json", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportContext {
  readonly run: CheckRun;
  readonly failLevel: Level;
  /** The output folder as given (`--dir`), for file locations. */
  readonly dir: string;
  readonly loaded: readonly LoadedStack[];
}

export interface Summary {
  readonly stacks: number;
  readonly rules: number;
  readonly errors: number;
  readonly warnings: number;
  readonly suppressed: number;
  readonly failing: number;
}

export function summarize({ run, failLevel }: ReportContext): Summary {
  const all = run.stacks.flatMap((s) => s.findings);
  const open = all.filter((f) => f.suppressedBecause === undefined);
  return {
    stacks: run.stacks.length,
    rules: run.rules.length,
    errors: open.filter((f) => f.level === "error").length,
    warnings: open.filter((f) => f.level === "warning").length,
    suppressed: all.length - open.length,
    failing: all.filter((f) => isFailing(f, failLevel)).length,
  };
}

export function render(format: Format, context: ReportContext): string {
  switch (format) {
    case "text":
      return renderText(context);
    case "json":
      return `${JSON.stringify(renderJson(context), null, 2)}\n`;
    case "sarif":
      return `${JSON.stringify(renderSarif(context), null, 2)}\n`;
  }
}

/** Grouped by stack: each open finding with its rule, address, why and how to fix; then suppressions with their reasons. */
export function renderText(context: ReportContext): string {
  const { run } = context;
  const titles = new Map(run.rules.map((r) => [r.id, r.title] as const));
  const lines: string[] = [];
  for (const stack of run.stacks) {
    const open = stack.findings.filter((f) => f.suppressedBecause === undefined);
    const counts = `${count(open, "error")} error(s), ${count(open, "warning")} warning(s), ${stack.suppressions.length} suppression(s)`;
    lines.push(`${stack.stack} (${stack.pack} pack): ${counts}`);
    for (const finding of open) {
      lines.push(`  ${finding.level.toUpperCase().padEnd(7)} ${finding.ruleId} ${finding.address}`);
      lines.push(`          ${titles.get(finding.ruleId) ?? "Suppressions must name a rule and give a reason"}`);
      lines.push(`          why: ${finding.message}`);
      lines.push(`          fix: ${finding.fix}`);
    }
    for (const s of stack.suppressions) {
      const note = !s.inPack ? ` (not in the ${stack.pack} pack)` : s.used ? "" : " (the rule passes here: the suppression is unused)";
      lines.push(`  SUPPRESSED ${s.ruleId} ${s.address}${note}`);
      lines.push(`          reason: ${s.reason}`);
    }
  }
  const summary = summarize(context);
  lines.push("");
  lines.push(
    `${summary.stacks} stack(s), ${summary.rules} rules: ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.suppressed} suppressed finding(s)` +
      (summary.failing > 0 ? ` — FAILED (${summary.failing} at level ${context.failLevel} or above)` : " — passed"),
  );
  return `${lines.join("\n")}\n`;
}

export function renderJson(context: ReportContext) {
  const { run, failLevel } = context;
  return {
    tool: "siros-policy",
    failLevel,
    summary: summarize(context),
    stacks: run.stacks.map((stack) => ({
      stack: stack.stack,
      file: join(context.dir, stack.file),
      pack: stack.pack,
      findings: stack.findings.map((f) => ({ rule: f.ruleId, level: f.level, address: f.address, message: f.message, fix: f.fix, ...(f.suppressedBecause !== undefined ? { suppressed: f.suppressedBecause } : {}) })),
      suppressions: stack.suppressions.map((s) => ({ rule: s.ruleId, address: s.address, reason: s.reason, used: s.used, inPack: s.inPack })),
    })),
    rules: run.rules.map(ruleSummary),
  };
}

function ruleSummary(rule: Rule) {
  return { id: rule.id, checkov: rule.checkov ?? null, level: rule.level, pack: rule.pack, cloud: rule.cloud, resourceTypes: rule.resourceTypes, title: rule.title, docs: rule.docs };
}

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const SUPPRESSION_RULE = {
  id: SUPPRESSION_RULE_ID,
  title: "Suppressions must name a rule that checks the resource and give a reason of at least 10 characters",
  fix: "Name an existing rule that checks this resource type and give the reason (suppress(resource, ruleId, reason)).",
};

/** SARIF 2.1.0: one run, every rule as a reportingDescriptor, suppressed findings with their justification. */
export function renderSarif(context: ReportContext) {
  const { run } = context;
  const descriptors = [
    ...run.rules.map((rule) => ({
      id: rule.id,
      name: rule.id.replace(/-/g, ""),
      shortDescription: { text: rule.title },
      fullDescription: { text: rule.rationale },
      helpUri: rule.docs,
      help: { text: `${rule.rationale}\nFix: ${rule.fix}\nDocumentation: ${rule.docs}` },
      defaultConfiguration: { level: rule.level },
      properties: { tags: [rule.cloud, rule.pack, ...(rule.checkov ? [rule.checkov] : [])], ...(rule.checkov ? { checkov: rule.checkov } : {}) },
    })),
    {
      id: SUPPRESSION_RULE.id,
      name: "SIROSSUPPRESSION",
      shortDescription: { text: SUPPRESSION_RULE.title },
      help: { text: SUPPRESSION_RULE.fix },
      defaultConfiguration: { level: "error" as Level },
    },
  ];
  const indexOf = new Map(descriptors.map((d, i) => [d.id, i] as const));
  const sources = new Map(context.loaded.map((s) => [s.id, s] as const));
  const results = run.stacks.flatMap((stack) =>
    stack.findings.map((finding) => {
      const loaded = sources.get(stack.stack);
      const block = loaded?.index.get(finding.address);
      const line = loaded && block ? lineOf(loaded.source, block) : 1;
      return {
        ruleId: finding.ruleId,
        ruleIndex: indexOf.get(finding.ruleId) ?? 0,
        level: finding.level,
        message: { text: `${finding.address} (${stack.stack}): ${finding.message}. Fix: ${finding.fix}` },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: toUri(context.dir, stack.file) }, region: { startLine: line } },
            logicalLocations: [{ fullyQualifiedName: `${stack.stack}/${finding.address}`, kind: "resource" }],
          },
        ],
        partialFingerprints: { "siros/v1": `${finding.ruleId}:${stack.stack}:${finding.address}` },
        ...(finding.suppressedBecause !== undefined ? { suppressions: [{ kind: "inSource", justification: finding.suppressedBecause }] } : {}),
      };
    }),
  );
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0" as const,
    runs: [{ tool: { driver: { name: "siros-policy", rules: descriptors } }, results }],
  };
}

/** A relative, forward-slash URI from the repository root (the working directory), as code scanning expects. */
function toUri(dir: string, file: string): string {
  const full = join(dir, file);
  const path = isAbsolute(full) ? relative(process.cwd(), full) : full;
  return path.split("\\").join("/").split("/").map(encodeURIComponent).join("/");
}

function count(findings: readonly Finding[], level: Level): number {
  return findings.filter((f) => f.level === level).length;
}
