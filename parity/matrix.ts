/**
 * Builds the capability × property × environment × cloud matrix and judges every cell:
 *
 * - a property with an `expected` value (an environment knob) must show its environment's
 *   declared value on every cloud; where that value differs from prod's, the cell is a
 *   declared difference if the environment declares the knob, drift otherwise;
 * - any other property must show the same value on every cloud of an environment (the
 *   value most clouds show is the reference) and the value of prod and every environment
 *   that does not declare the property's knob (the value most of their cells show, so a
 *   change made in prod alone is flagged in prod);
 * - a cloud's declared gap explains exactly its declared value on that cloud; anything
 *   else there is judged as above.
 */
import { CLOUDS, ENVIRONMENTS, type CloudName, type EnvironmentConfig, type EnvironmentName } from "../environments/types";
import type { LoadedStack } from "../policy/terraform-json";
import { showValue, type Capability, type Cell, type CellState, type Gap, type ParityMatrix, type Property, type Value } from "./model";

export interface MatrixInputs {
  readonly stacks: readonly LoadedStack[];
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentConfig>>;
  readonly capabilities: readonly Capability[];
  readonly gaps: readonly Gap[];
  /** Per environment, the settings declared to differ from prod (environments/shape.ts). */
  readonly differsFromProd: Readonly<Partial<Record<EnvironmentName, readonly string[]>>>;
}

type Raw = Omit<Cell, "state" | "note">;

const same = (a: Value, b: Value) => a === b;
const key = (v: Value) => JSON.stringify(v);

/** Stack ids are `<cloud>-<environment>`; other stacks (the state bootstrap) are not compared. */
export function stackPlace(id: string): { cloud: CloudName; environment: EnvironmentName } | undefined {
  const [cloud, environment, ...rest] = id.split("-");
  if (rest.length || !(CLOUDS as readonly string[]).includes(cloud) || !(ENVIRONMENTS as readonly string[]).includes(environment)) return undefined;
  return { cloud: cloud as CloudName, environment: environment as EnvironmentName };
}

export function buildMatrix(inputs: MatrixInputs): ParityMatrix {
  const placed = inputs.stacks.flatMap((s) => {
    const place = stackPlace(s.id);
    return place ? [{ ...place, stack: s }] : [];
  });
  const environments = ENVIRONMENTS.filter((e) => placed.some((p) => p.environment === e));
  const clouds = CLOUDS.filter((c) => placed.some((p) => p.cloud === c));
  const cells: Cell[] = [];
  for (const capability of inputs.capabilities) {
    const raw: Raw[] = placed.flatMap(({ cloud, environment, stack }) => {
      const profile = capability.extractors[cloud](stack.index);
      return capability.properties.map((property) => {
        const observed = profile[property.id] ?? { value: null, addresses: [] };
        return { capability: capability.id, property: property.id, environment, cloud, stack: stack.id, value: observed.value, addresses: observed.addresses };
      });
    });
    for (const property of capability.properties) {
      cells.push(...judgeProperty(capability, property, raw.filter((c) => c.property === property.id), inputs).sort(byPlace));
    }
  }
  const counts = { equal: 0, declared: 0, gap: 0, drift: 0 } as Record<CellState, number>;
  for (const cell of cells) counts[cell.state] += 1;
  return { capabilities: inputs.capabilities.map(({ id, title, properties }) => ({ id, title, properties })), environments, clouds, cells, counts };
}

function judgeProperty(capability: Capability, property: Property, raw: readonly Raw[], inputs: MatrixInputs): Cell[] {
  const gapOf = (cell: Raw) => inputs.gaps.find((g) => g.capability === capability.id && g.property === property.id && g.cloud === cell.cloud && same(g.value, cell.value));
  const declares = (environment: EnvironmentName) => property.knob !== undefined && (inputs.differsFromProd[environment] ?? []).includes(property.knob);
  const knobText = `${property.knob} is declared to differ from prod`;

  if (property.expected) {
    const expected = property.expected;
    return raw.map((cell) => {
      const wanted = expected(inputs.environments[cell.environment], cell.cloud);
      const gap = gapOf(cell);
      if (!same(cell.value, wanted)) {
        if (gap) return { ...cell, state: "gap", note: `gap: ${gap.reason} (${gap.source})` };
        return { ...cell, state: "drift", note: `expected ${showValue(wanted)} (${cell.environment}'s ${property.knob})` };
      }
      const prodWants = expected(inputs.environments.prod, cell.cloud);
      if (cell.environment === "prod" || same(wanted, prodWants)) return { ...cell, state: "equal", note: "" };
      if (declares(cell.environment)) return { ...cell, state: "declared", note: `${knobText} (prod: ${showValue(prodWants)})` };
      return { ...cell, state: "drift", note: `prod has ${showValue(prodWants)} and ${cell.environment} does not declare ${property.knob} to differ` };
    });
  }

  const reference = new Map<EnvironmentName, Value>();
  for (const environment of ENVIRONMENTS) {
    const values = raw.filter((c) => c.environment === environment && !gapOf(c)).map((c) => c.value);
    if (values.length) reference.set(environment, mostCommon(values));
  }
  // What the environments that may not differ show (prod always among them): the value most of
  // their cells have, so a change made in prod alone is flagged in prod, not everywhere else.
  const bound = raw.filter((c) => !declares(c.environment) && !gapOf(c));
  const across = bound.length ? mostCommon(bound.map((c) => c.value)) : undefined;
  return raw.map((cell) => {
    const gap = gapOf(cell);
    const ref = reference.get(cell.environment);
    if (gap) return { ...cell, state: "gap", note: `gap: ${gap.reason} (${gap.source})` };
    if (!same(cell.value, ref ?? null)) return { ...cell, state: "drift", note: `the other clouds of ${cell.environment} have ${showValue(ref ?? null)}` };
    if (across === undefined || same(ref ?? null, across)) return { ...cell, state: "equal", note: "" };
    if (declares(cell.environment)) return { ...cell, state: "declared", note: `${knobText} (prod: ${showValue(reference.get("prod") ?? null)})` };
    const rule = property.knob ? ` and ${cell.environment} does not declare ${property.knob} to differ` : "; this property may not differ between environments";
    return { ...cell, state: "drift", note: `the other environments have ${showValue(across)}${cell.environment === "prod" ? "" : rule}` };
  });
}

/** Environments in their order (dev to dr), clouds in theirs within each. */
const byPlace = (a: Cell, b: Cell) => ENVIRONMENTS.indexOf(a.environment) - ENVIRONMENTS.indexOf(b.environment) || CLOUDS.indexOf(a.cloud) - CLOUDS.indexOf(b.cloud);

/** The value most cells show; on a tie, the first in cloud order (so one odd cloud out of two is still named). */
function mostCommon(values: readonly Value[]): Value {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(key(v), (counts.get(key(v)) ?? 0) + 1);
  let best = values[0];
  for (const v of values) if ((counts.get(key(v)) ?? 0) > (counts.get(key(best)) ?? 0)) best = v;
  return best;
}
