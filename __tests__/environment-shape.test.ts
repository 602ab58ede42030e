import { CLOUDS, loadEnvironments, type EnvironmentName } from "../environments";
import { DIFFERS_FROM_PROD } from "../environments/shape";

const environments = loadEnvironments();

/** Every leaf of a configuration by dotted path (arrays compared whole). */
function leaves(value: unknown, path = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) for (const [p, v] of leaves(child, path ? `${path}.${key}` : key)) out.set(p, v);
  } else {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

const declared = (name: EnvironmentName) =>
  (DIFFERS_FROM_PROD[name] ?? []).flatMap((path) => (path.startsWith("*.") ? CLOUDS.map((c) => `${c}.${path.slice(2)}`) : [path]));

describe("what each environment may change from prod (environments/shape.ts, read by npm run parity)", () => {
  test.each(["dev", "staging", "dr"] as const)("%s differs from prod only in the settings declared to differ", (name) => {
    const prod = leaves(environments.prod);
    const other = leaves(environments[name]);
    const paths = [...new Set([...prod.keys(), ...other.keys()])].sort();
    const differing = paths.filter((p) => prod.get(p) !== other.get(p));
    expect(differing.sort()).toEqual(declared(name).filter((p) => prod.get(p) !== other.get(p)).sort());
    // Every declared setting is a real one, so the list cannot hide a typo.
    for (const path of declared(name)) expect(prod.has(path) || other.has(path)).toBe(true);
  });

  test("prod declares nothing: it is the reference", () => {
    expect(DIFFERS_FROM_PROD.prod).toBeUndefined();
  });
});
