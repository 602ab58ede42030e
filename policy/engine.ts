/**
 * Runs rules over loaded stacks: picks each stack's pack from its environment, applies the
 * rules to every resource of their types, and matches findings with the suppressions the
 * resources carry. A malformed suppression is itself a finding.
 */
import { MIN_REASON_LENGTH, SUPPRESSIONS_KEY } from "../modules/shared/suppress";
import type { Level, PackName, Rule } from "./rule";
import type { Block, LoadedStack } from "./terraform-json";

/** The id under which problems with suppressions themselves are reported. */
export const SUPPRESSION_RULE_ID = "SIROS-SUPPRESSION";

/** Environments whose stacks get the production pack (their stack ids end in `-<env>`). */
export const PRODUCTION_ENVIRONMENTS: readonly string[] = ["prod", "staging", "dr"];
/** Stacks that are not per environment but hold production data: the state backend. */
export const PRODUCTION_STACKS: readonly string[] = ["state-bootstrap"];

export type PackSelection = "auto" | PackName;

export interface Finding {
  readonly ruleId: string;
  readonly level: Level;
  readonly stack: string;
  readonly address: string;
  /** Why it fails, for this resource. */
  readonly message: string;
  readonly fix: string;
  /** Set when the resource suppresses the rule: the reason it gives. */
  readonly suppressedBecause?: string;
}

export interface StackResult {
  readonly stack: string;
  readonly file: string;
  readonly pack: PackName;
  /** Every finding, suppressed or not, in rule then address order. */
  readonly findings: readonly Finding[];
  /**
   * Every suppression the stack carries: `used` when it matched a finding; `inPack` false when
   * its rule is not in the stack's pack (a production rule suppressed in a module every
   * environment uses), so that it is not unused there.
   */
  readonly suppressions: readonly { readonly ruleId: string; readonly address: string; readonly reason: string; readonly used: boolean; readonly inPack: boolean }[];
}

export interface CheckRun {
  readonly stacks: readonly StackResult[];
  readonly rules: readonly Rule[];
}

/** The pack a stack gets: production for prod/staging/dr (and the state bootstrap), baseline otherwise. */
export function packFor(stackId: string, selection: PackSelection = "auto"): PackName {
  if (selection !== "auto") return selection;
  const environment = stackId.slice(stackId.lastIndexOf("-") + 1);
  return PRODUCTION_ENVIRONMENTS.includes(environment) || PRODUCTION_STACKS.includes(stackId) ? "production" : "baseline";
}

/** The rules a pack applies: baseline's in every pack, production's only in production. */
export function rulesOf(pack: PackName, rules: readonly Rule[]): Rule[] {
  return rules.filter((rule) => rule.pack === "baseline" || pack === "production");
}

export function runChecks(stacks: readonly LoadedStack[], rules: readonly Rule[], selection: PackSelection = "auto"): CheckRun {
  assertUniqueIds(rules);
  return { rules, stacks: stacks.map((stack) => checkStack(stack, rules, selection)) };
}

function checkStack(stack: LoadedStack, allRules: readonly Rule[], selection: PackSelection): StackResult {
  const pack = packFor(stack.id, selection);
  const rules = rulesOf(pack, allRules);
  const known = new Map(allRules.map((rule) => [rule.id, rule] as const));
  const findings: Finding[] = [];
  const suppressions: { ruleId: string; address: string; reason: string; used: boolean; inPack: boolean }[] = [];
  const inPack = new Set(rules.map((rule) => rule.id));

  for (const block of stack.index.all()) {
    if (block.mode !== "resource") continue;
    const { valid, problems } = readSuppressions(block, known);
    findings.push(...problems.map((message) => suppressionProblem(stack.id, block, message)));
    const byRule = new Map(valid.map((s) => [s.rule, s.reason] as const));
    const used = new Set<string>();
    for (const rule of rules) {
      if (!rule.resourceTypes.includes(block.type)) continue;
      for (const message of asList(rule.check(block, stack.index))) {
        const reason = byRule.get(rule.id);
        if (reason !== undefined) used.add(rule.id);
        findings.push({ ruleId: rule.id, level: rule.level, stack: stack.id, address: block.address, message, fix: rule.fix, suppressedBecause: reason });
      }
    }
    for (const { rule, reason } of valid) suppressions.push({ ruleId: rule, address: block.address, reason, used: used.has(rule), inPack: inPack.has(rule) });
  }
  findings.sort((a, b) => compare(a.ruleId, b.ruleId) || compare(a.address, b.address));
  return { stack: stack.id, file: stack.file, pack, findings, suppressions };
}

interface ValidSuppression {
  readonly rule: string;
  readonly reason: string;
}

/** The suppressions a block carries under `"//"`, and what is wrong with the others. */
export function readSuppressions(block: Block, known: ReadonlyMap<string, Rule>): { valid: ValidSuppression[]; problems: string[] } {
  const meta = (block.values["//"] as Record<string, unknown> | undefined)?.[SUPPRESSIONS_KEY] as { suppressions?: unknown } | undefined;
  if (meta === undefined) return { valid: [], problems: [] };
  const list = meta.suppressions;
  if (!Array.isArray(list)) return { valid: [], problems: [`"//".${SUPPRESSIONS_KEY}.suppressions must be a list of { rule, reason }`] };
  const valid: ValidSuppression[] = [];
  const problems: string[] = [];
  list.forEach((entry: unknown, i) => {
    const problem = suppressionProblemOf(entry, `suppression ${i + 1}`, block, known);
    if (problem) problems.push(problem);
    else valid.push({ rule: (entry as ValidSuppression).rule, reason: (entry as ValidSuppression).reason.trim() });
  });
  return { valid, problems };
}

function suppressionProblemOf(entry: unknown, where: string, block: Block, known: ReadonlyMap<string, Rule>): string | undefined {
  const { rule, reason } = (entry ?? {}) as { rule?: unknown; reason?: unknown };
  if (typeof rule !== "string") return `${where} names no rule (expected { rule, reason })`;
  const definition = known.get(rule);
  if (!definition) return `${where} names unknown rule ${rule}`;
  if (!definition.resourceTypes.includes(block.type)) return `${where}: rule ${rule} does not apply to ${block.type} (it checks ${definition.resourceTypes.join(", ")})`;
  if (typeof reason !== "string" || reason.trim().length < MIN_REASON_LENGTH) {
    return `${where} of ${rule} needs a reason of at least ${MIN_REASON_LENGTH} characters, got ${JSON.stringify(reason ?? null)}`;
  }
  return undefined;
}

function suppressionProblem(stack: string, block: Block, message: string): Finding {
  return {
    ruleId: SUPPRESSION_RULE_ID,
    level: "error",
    stack,
    address: block.address,
    message,
    fix: "Name an existing rule that checks this resource type and give the reason (suppress(resource, ruleId, reason)).",
  };
}

/** True when a finding fails the run at `failLevel` (warnings fail only at `warning`). */
export function isFailing(finding: Finding, failLevel: Level): boolean {
  return finding.suppressedBecause === undefined && (finding.level === "error" || failLevel === "warning");
}

export function exitCodeOf(run: CheckRun, failLevel: Level): 0 | 1 {
  return run.stacks.some((s) => s.findings.some((f) => isFailing(f, failLevel))) ? 1 : 0;
}

function assertUniqueIds(rules: readonly Rule[]): void {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new Error(`duplicate rule id ${rule.id}`);
    seen.add(rule.id);
  }
}

function asList(result: string | readonly string[] | undefined): readonly string[] {
  return result === undefined ? [] : typeof result === "string" ? [result] : result;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
