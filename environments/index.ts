import { SHARED_DEFAULTS } from "./defaults";
import { dev } from "./dev";
import { dr } from "./dr";
import { ConfigError } from "../lib/errors";
import { prod } from "./prod";
import { staging } from "./staging";
import { ENVIRONMENTS, type EnvironmentConfig, type EnvironmentDefinition, type EnvironmentName } from "./types";
import { validateEnvironments } from "./validate";

export * from "./types";
export { ConfigError } from "../lib/errors";

export const ENVIRONMENT_DEFINITIONS: readonly EnvironmentDefinition[] = [dev, staging, prod, dr];

export type Environments = Readonly<Record<EnvironmentName, EnvironmentConfig>>;

/**
 * Merges each definition over the shared defaults, validates all of them together
 * (ranges must not overlap across environments) and returns them frozen.
 * Throws a ConfigError listing every problem.
 */
export function loadEnvironments(definitions: readonly EnvironmentDefinition[] = ENVIRONMENT_DEFINITIONS): Environments {
  const problems = definitionCoverage(definitions);
  const configs = definitions.map(resolveDefinition);
  problems.push(...validateEnvironments(configs));
  if (problems.length > 0) throw new ConfigError("Invalid environment configuration", problems);
  return Object.freeze(Object.fromEntries(configs.map((c) => [c.name, deepFreeze(c)]))) as Environments;
}

function definitionCoverage(definitions: readonly EnvironmentDefinition[]): string[] {
  const names = definitions.map((d) => d.name as string);
  const problems: string[] = [];
  for (const name of new Set(names)) {
    if (!(ENVIRONMENTS as readonly string[]).includes(name)) {
      problems.push(`environment ${JSON.stringify(name)}, field name: not a known environment; valid: ${ENVIRONMENTS.join(", ")}`);
    } else if (names.filter((n) => n === name).length > 1) {
      problems.push(`environment "${name}", field name: defined more than once`);
    }
  }
  for (const name of ENVIRONMENTS) {
    if (!names.includes(name)) problems.push(`environment "${name}": no definition; add environments/${name}.ts to ENVIRONMENT_DEFINITIONS`);
  }
  return problems;
}

export function resolveDefinition(definition: EnvironmentDefinition): EnvironmentConfig {
  const merged = mergeDeep(SHARED_DEFAULTS, definition) as unknown as EnvironmentConfig;
  // The environment tag always tells the truth about where a resource lives.
  return { ...merged, tags: { ...merged.tags, environment: definition.name } };
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars from `override` replace the default. */
function mergeDeep(base: unknown, override: unknown): unknown {
  if (!isPlain(base) || !isPlain(override)) return override === undefined ? base : override;
  const result: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) result[key] = mergeDeep(base[key], value);
  return result;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
