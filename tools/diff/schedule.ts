import { notPlanned, type PlanResult } from "./plan";
import type { SynthesizedStack } from "./stacks";

/**
 * Plans `stacks` at most `parallel` at a time, each only after the stacks it depends on
 * (among `stacks`; a dependency outside the selection is not waited for). A stack whose
 * dependency ended in error is not planned: its plan would read state that may be stale.
 */
export async function planInOrder(
  stacks: readonly SynthesizedStack[],
  parallel: number,
  plan: (stack: SynthesizedStack) => Promise<PlanResult>,
  onResult: (id: string, result: PlanResult) => void = () => {},
): Promise<Map<string, PlanResult>> {
  const selected = new Set(stacks.map((s) => s.id));
  const results = new Map<string, PlanResult>();
  const waiting = [...stacks];
  const active = new Set<Promise<void>>();
  const record = (id: string, result: PlanResult) => {
    results.set(id, result);
    onResult(id, result);
  };
  const dependenciesOf = (stack: SynthesizedStack) => stack.dependencies.filter((d) => selected.has(d));

  // Stacks behind a failed dependency are settled without running anything, transitively.
  const skipBehindFailures = () => {
    let skipped = true;
    while (skipped) {
      skipped = false;
      for (const stack of [...waiting]) {
        const failed = dependenciesOf(stack).find((d) => results.get(d)?.status === "error");
        if (!failed) continue;
        waiting.splice(waiting.indexOf(stack), 1);
        record(stack.id, notPlanned(`not planned: its dependency ${failed} ended in error`));
        skipped = true;
      }
    }
  };

  for (;;) {
    skipBehindFailures();
    const ready = waiting.filter((stack) => dependenciesOf(stack).every((d) => results.has(d)));
    for (const stack of ready.slice(0, parallel - active.size)) {
      waiting.splice(waiting.indexOf(stack), 1);
      const task: Promise<void> = plan(stack).then(
        (result) => record(stack.id, result),
        (error: unknown) => record(stack.id, { ...notPlanned(`failed to run: ${String(error)}`), skipped: false }),
      );
      const tracked: Promise<void> = task.finally(() => active.delete(tracked));
      active.add(tracked);
    }
    if (active.size === 0) break;
    await Promise.race(active);
  }
  // Whatever still waits depends, directly or not, on itself.
  for (const stack of waiting) record(stack.id, notPlanned(`not planned: dependency cycle (waits on ${dependenciesOf(stack).join(", ")})`));
  return results;
}
