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

/**
 * The selection as groups that can be synthesized apart (each an App of its own): per cloud, each
 * environment alone, except that a replica goes with its primary when both are selected (dr's stack
 * depends on prod's of the same cloud, and cdktf records that only within one App).
 */
export function independentGroups(selection: StackSelection, replicaOf: (environment: EnvironmentName) => EnvironmentName | undefined): StackSelection[] {
  const groups: EnvironmentName[][] = [];
  for (const environment of selection.environments) {
    const primary = replicaOf(environment);
    const withPrimary = primary && selection.environments.includes(primary) ? groups.find((group) => group.includes(primary)) : undefined;
    if (withPrimary) withPrimary.push(environment);
    else groups.push([environment]);
  }
  return selection.clouds.flatMap((cloud) => groups.map((environments) => ({ clouds: [cloud], environments })));
}

/**
 * The groups dealt into at most `count` parts of about as many stacks each: largest group first,
 * each to the part with the fewest stacks so far (ties: the lower part). Deterministic, so every
 * process of one synth computes the same parts; empty parts are dropped.
 */
export function partitionGroups(groups: readonly StackSelection[], count: number): StackSelection[][] {
  const size = (group: StackSelection) => group.clouds.length * group.environments.length;
  const parts: StackSelection[][] = Array.from({ length: Math.max(1, count) }, () => []);
  const sizes = parts.map(() => 0);
  const order = groups.map((group, index) => ({ group, index })).sort((a, b) => size(b.group) - size(a.group) || a.index - b.index);
  for (const { group } of order) {
    const lightest = sizes.indexOf(Math.min(...sizes));
    parts[lightest].push(group);
    sizes[lightest] += size(group);
  }
  return parts.filter((part) => part.length > 0);
}
