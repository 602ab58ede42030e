import { ConfigError } from "../lib/errors";
import { CLOUDS, ENVIRONMENTS, type CloudName, type EnvironmentName } from "../environments/types";

export interface StackSelection {
  readonly clouds: readonly CloudName[];
  readonly environments: readonly EnvironmentName[];
}

/** `<cloud>-<env>`: the id of every cloud stack, which selection, synth output and the diff matrix share. */
export const stackId = (cloud: CloudName, environment: EnvironmentName): string => `${cloud}-${environment}`;

export const SELECTION_ENV_VARS = { clouds: "SIROS_CLOUDS", environments: "SIROS_ENVS" } as const;

/**
 * Which stacks to build: every cloud and environment unless SIROS_CLOUDS / SIROS_ENVS
 * (comma lists) narrow it. Unknown names are refused, never ignored.
 */
export function selectStacks(env: Readonly<Record<string, string | undefined>>): StackSelection {
  const problems: string[] = [];
  const clouds = parseList(env, SELECTION_ENV_VARS.clouds, CLOUDS, "a cloud", problems);
  const environments = parseList(env, SELECTION_ENV_VARS.environments, ENVIRONMENTS, "an environment", problems);
  if (problems.length > 0) throw new ConfigError("Invalid stack selection", problems);
  return { clouds, environments };
}

function parseList<T extends string>(
  env: Readonly<Record<string, string | undefined>>,
  variable: string,
  valid: readonly T[],
  noun: string,
  problems: string[],
): T[] {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === "") return [...valid];
  const names = raw.split(",").map((n) => n.trim().toLowerCase());
  const unknown = names.filter((n) => !(valid as readonly string[]).includes(n));
  for (const name of unknown) {
    problems.push(`${variable}: ${JSON.stringify(name)} is not ${noun}; valid: ${valid.join(", ")}`);
  }
  // Keep the canonical order so output does not depend on how the list was typed.
  return valid.filter((v) => names.includes(v));
}
