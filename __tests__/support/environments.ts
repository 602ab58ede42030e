import { CLOUDS, ConfigError, loadEnvironments, type EnvironmentDefinition, type EnvironmentName } from "../../environments";
import { DIFFERS_FROM_PROD } from "../../environments/shape";

/** The message `loadEnvironments` refuses `definitions` with; fails the test if it accepts them. */
export function refusal(definitions: readonly EnvironmentDefinition[]): string {
  try {
    loadEnvironments(definitions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error("loadEnvironments accepted a bad configuration");
}

/** Every leaf of a configuration by dotted path (arrays compared whole). */
export function leaves(value: unknown, path = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) for (const [p, v] of leaves(child, path ? `${path}.${key}` : key)) out.set(p, v);
  } else {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

/** The settings `environments/shape.ts` lets `name` differ from prod in, with `*.` spelled out per cloud. */
export const declared = (name: EnvironmentName): string[] =>
  (DIFFERS_FROM_PROD[name] ?? []).flatMap((path) => (path.startsWith("*.") ? CLOUDS.map((c) => `${c}.${path.slice(2)}`) : [path]));
