/**
 * The parity report's vocabulary: a capability (network, state, keys, ...) has cloud-neutral
 * properties; an extractor per cloud reads them from one synthesized stack. Values are
 * normalized so that equal means "Terraform gets the same thing" on every cloud.
 */
import type { CloudName, EnvironmentConfig, EnvironmentName } from "../environments/types";
import type { StackIndex } from "../policy/terraform-json";

/** A normalized property value. `null`: the stack does not have it at all. */
export type Value = string | number | boolean | null;

/** What one extractor found for one property, and where it read it. */
export interface Observation {
  readonly value: Value;
  /** Terraform addresses (or `terraform.backend.s3`) the value was read from. */
  readonly addresses: readonly string[];
}

export type Profile = Readonly<Record<string, Observation>>;

/** Reads one capability's properties from one stack of one cloud. */
export type Extractor = (stack: StackIndex) => Profile;

export interface Property {
  readonly id: string;
  readonly label: string;
  /**
   * The environment setting this property follows, as `environments/shape.ts` names it
   * (`network.flowLogRetentionDays`, `*.zones`). An environment may differ from prod in
   * this property only where it declares that setting to differ.
   */
  readonly knob?: string;
  /**
   * The value the environment's data asks for on a cloud. With it, every cell is held to
   * its environment's declared value (not only to the other clouds); without it, to the
   * other clouds of the environment and to prod.
   */
  readonly expected?: (environment: EnvironmentConfig, cloud: CloudName) => Value;
}

export interface Capability {
  readonly id: string;
  readonly title: string;
  readonly properties: readonly Property[];
  /** One extractor per cloud: the type-check fails while a cloud lacks one. */
  readonly extractors: Readonly<Record<CloudName, Extractor>>;
}

/**
 * A cloud's declared capability gap for one property: where the cloud cannot do what the
 * others do, the value it shows instead, and why. A gap covers only that value: anything
 * else on that cloud is still drift.
 */
export interface Gap {
  readonly capability: string;
  readonly property: string;
  readonly cloud: CloudName;
  readonly value: Value;
  readonly reason: string;
  /** Where the gap is declared (the module's gaps file). */
  readonly source: string;
}

export const CELL_STATES = ["equal", "declared", "gap", "drift"] as const;
/** equal; declared difference (an environment knob); declared cloud gap; undeclared drift. */
export type CellState = (typeof CELL_STATES)[number];

export interface Cell {
  readonly capability: string;
  readonly property: string;
  readonly environment: EnvironmentName;
  readonly cloud: CloudName;
  readonly stack: string;
  readonly value: Value;
  readonly addresses: readonly string[];
  readonly state: CellState;
  /** Why the cell is not plain equal: the knob, the gap, or what it was compared with. */
  readonly note: string;
}

export interface ParityMatrix {
  readonly capabilities: readonly Pick<Capability, "id" | "title" | "properties">[];
  readonly environments: readonly EnvironmentName[];
  readonly clouds: readonly CloudName[];
  readonly cells: readonly Cell[];
  readonly counts: Readonly<Record<CellState, number>>;
}

/** How a value is shown in the table, the page and the JSON's `display`. */
export function showValue(value: Value): string {
  if (value === null) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}
