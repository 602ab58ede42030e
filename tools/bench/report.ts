import type { BenchRun, Sample } from "./measure";

/**
 * What README promises for `npm run synth` of every stack on a 2-core machine. Memory is the peak
 * resident set GNU time reports (the largest process), as the issue that set the budget measured it;
 * the total of all processes at once is printed beside it.
 */
export const BUDGET = { wayId: "npm-synth", seconds: 1.5, peakMiB: 300 } as const;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface WaySummary {
  readonly id: string;
  readonly label: string;
  readonly command: string;
  readonly stacks: number;
  readonly medianSeconds: number;
  readonly medianCpuSeconds: number;
  readonly medianPeakMiB: number;
  readonly medianTotalMiB: number;
  readonly runs: readonly Sample[];
}

export interface Summary {
  readonly stacks: number;
  readonly rounds: number;
  readonly ways: readonly WaySummary[];
  /** How synth grows with stacks: the app on one environment's stacks vs all of them. */
  readonly growth?: { readonly fromStacks: number; readonly toStacks: number; readonly secondsPerStack: number; readonly mibPerStack: number };
  readonly budget?: { readonly way: string; readonly seconds: number; readonly peakMiB: number; readonly within: boolean };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function summarize(run: BenchRun, rounds: number): Summary {
  const ways: WaySummary[] = run.results.map(({ way, samples }) => ({
    id: way.id,
    label: way.label,
    command: way.command("<outdir>"),
    stacks: samples[0]?.stacks ?? 0,
    medianSeconds: round(median(samples.map((s) => s.seconds)), 3),
    medianCpuSeconds: round(median(samples.map((s) => s.cpuSeconds)), 3),
    medianPeakMiB: round(median(samples.map((s) => s.peakMiB)), 1),
    medianTotalMiB: round(median(samples.map((s) => s.totalMiB)), 1),
    runs: samples.map((s) => ({ seconds: s.seconds, cpuSeconds: s.cpuSeconds, peakMiB: round(s.peakMiB, 1), totalMiB: round(s.totalMiB, 1), stacks: s.stacks })),
  }));
  const byId = new Map(ways.map((way) => [way.id, way]));
  const all = byId.get("app");
  const one = byId.get("app-one-env");
  const growth =
    all && one && all.stacks > one.stacks
      ? {
          fromStacks: one.stacks,
          toStacks: all.stacks,
          secondsPerStack: round((all.medianSeconds - one.medianSeconds) / (all.stacks - one.stacks), 4),
          mibPerStack: round((all.medianPeakMiB - one.medianPeakMiB) / (all.stacks - one.stacks), 2),
        }
      : undefined;
  const measured = byId.get(BUDGET.wayId);
  const budget = measured
    ? {
        way: measured.label,
        seconds: BUDGET.seconds,
        peakMiB: BUDGET.peakMiB,
        within: measured.medianSeconds < BUDGET.seconds && measured.medianPeakMiB < BUDGET.peakMiB,
      }
    : undefined;
  return { stacks: run.stacks, rounds, ways, growth, budget };
}

/** The table a person reads at a glance. */
export function formatTable(summary: Summary): string {
  const labelWidth = Math.max(...summary.ways.map((way) => way.label.length), 3);
  const lines = [
    `Synthesis of ${summary.stacks} stacks: median of ${summary.rounds} alternating round${summary.rounds === 1 ? "" : "s"} after a warm-up`,
    `(cpu = user + system time of all its processes; peak = largest resident set of any one of them;`,
    ` total = largest sum of their resident sets at one moment, sampled every 20 ms)`,
    "",
    `${"way".padEnd(labelWidth)}     wall      cpu      peak     total  stacks  command`,
    ...summary.ways.map(
      (way) =>
        `${way.label.padEnd(labelWidth)}  ${way.medianSeconds.toFixed(2).padStart(5)} s  ${way.medianCpuSeconds.toFixed(2).padStart(5)} s  ${way.medianPeakMiB.toFixed(0).padStart(4)} MiB  ${way.medianTotalMiB.toFixed(0).padStart(4)} MiB  ${String(way.stacks).padStart(6)}  ${way.command}`,
    ),
  ];
  if (summary.growth) {
    const g = summary.growth;
    lines.push(
      "",
      `Growth, the app from ${g.fromStacks} to ${g.toStacks} stacks: ${(g.secondsPerStack * 1000).toFixed(1)} ms and ${g.mibPerStack.toFixed(2)} MiB per stack`,
    );
  }
  if (summary.budget) {
    const b = summary.budget;
    const measured = summary.ways.find((way) => way.id === BUDGET.wayId)!;
    lines.push(
      `Budget, ${b.way} under ${b.seconds} s and ${b.peakMiB} MiB: ${measured.medianSeconds.toFixed(2)} s, ${measured.medianPeakMiB.toFixed(0)} MiB (largest process; ${measured.medianTotalMiB.toFixed(0)} MiB all processes at once), ${b.within ? "within" : "OVER BUDGET"}`,
    );
  }
  return lines.join("\n");
}
