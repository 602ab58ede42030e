/**
 * A configuration problem a user can fix. Carries every problem found, so one run
 * reports them all; main.ts prints the message and exits non-zero before any synth.
 */
export class ConfigError extends Error {
  constructor(
    readonly title: string,
    readonly problems: readonly string[],
  ) {
    super(`${title} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}
