import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { DEFAULT_STATE_SETTINGS, type StateSettings } from "../../backends/settings";
import { loadEnvironments, type CloudName, type EnvironmentConfig, type EnvironmentName } from "../../environments";
import { asTestingSynth, projectStackFile } from "./project-stacks";

export const environments = loadEnvironments();

export interface Synthesized {
  /** The synthesized JSON, as cdktf's matchers expect it. */
  readonly json: string;
  /** The same, parsed, for counting and reading blocks. */
  readonly tf: TerraformJson;
}

export interface TerraformJson {
  terraform: { backend: { s3: Record<string, unknown> }; required_providers: Record<string, { source: string; version: string }> };
  provider: Record<string, Record<string, unknown>[]>;
  resource: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  output: Record<string, { value: unknown }>;
  variable?: Record<string, Record<string, unknown>>;
}

/**
 * One stack as `Testing.synth` returns it. The project's own stacks (an environment as the project
 * defines it, default state settings) come from the run's single synth of the app
 * (support/project-stacks.ts); any other environment or state settings are built in-process.
 */
export function synthStack(
  cloud: CloudName,
  environment: EnvironmentName | EnvironmentConfig,
  state: StateSettings = DEFAULT_STATE_SETTINGS,
): Synthesized {
  const config = typeof environment === "string" ? environments[environment] : environment;
  if (state === DEFAULT_STATE_SETTINGS && config === environments[config.name]) {
    const json = asTestingSynth(projectStackFile(`${cloud}-${config.name}`));
    return { json, tf: JSON.parse(json) as TerraformJson };
  }
  return synthStackLive(cloud, config, state);
}

/** One stack built and synthesized in this process, through buildStacks as main.ts does (so replicas get their primary). */
export function synthStackLive(cloud: CloudName, config: EnvironmentConfig, state: StateSettings = DEFAULT_STATE_SETTINGS): Synthesized {
  const app = Testing.app({ stackTraces: false });
  const [stack] = stacksModule().buildStacks(app, {
    environments: { ...environments, [config.name]: config },
    state,
    selection: { clouds: [cloud], environments: [config.name] },
  });
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) as TerraformJson };
}

/**
 * One stack as `cdktf synth` writes it, with the `"//"` metadata Testing.synth strips: the
 * policy suppressions (`"//".siros.suppressions`) travel there.
 */
export function synthStackFile(cloud: CloudName, environment: EnvironmentName): TerraformJson {
  return projectStackFile<TerraformJson>(`${cloud}-${environment}`);
}

/**
 * One stack built in this process, both as `Testing.synth` returns it and as `cdktf synth` writes
 * it (metadata included; Testing.app stubs the cdktf version there). For the test that proves the
 * run's single synth of the project equals building each stack here.
 */
export function synthStackLiveBothWays(cloud: CloudName, environment: EnvironmentName): { json: string; file: TerraformJson } {
  const app = Testing.app({ stackTraces: false });
  const [stack] = stacksModule().buildStacks(app, { environments, state: DEFAULT_STATE_SETTINGS, selection: { clouds: [cloud], environments: [environment] } });
  const json = Testing.synth(stack);
  app.synth();
  return { json, file: JSON.parse(readFileSync(join(app.outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8")) as TerraformJson };
}

/**
 * The composition, loaded on first use: it loads every provider binding, which a test file that
 * reads only the project's synthesized stacks never needs.
 */
function stacksModule(): typeof import("../../stacks") {
  return require("../../stacks") as typeof import("../../stacks");
}

/** The blocks of one resource type, in synthesis order. */
export function resources(tf: TerraformJson, type: string): Record<string, any>[] {
  return Object.values(tf.resource[type] ?? {});
}

export function countOf(tf: TerraformJson, type: string): number {
  return resources(tf, type).length;
}

/** The `${type.name.attr}` reference Terraform JSON uses for a resource of `tf` matching `predicate`. */
export function referenceTo(tf: TerraformJson, type: string, predicate: (block: Record<string, any>) => boolean, attribute = "id"): string {
  const entry = Object.entries(tf.resource[type] ?? {}).find(([, block]) => predicate(block));
  if (!entry) throw new Error(`no ${type} matches`);
  return `\${${type}.${entry[0]}.${attribute}}`;
}

/** The blocks of one resource type, keyed by their `name` attribute. */
export function byName(tf: TerraformJson, type: string): Record<string, Record<string, any>> {
  return Object.fromEntries(resources(tf, type).map((block) => [String(block.name), block] as const));
}

/**
 * Blocks that Terraform JSON orders by address rather than by intent (separate rule
 * resources), as sorted canonical strings: compare whole lists without depending on order.
 */
export function unordered(blocks: readonly unknown[]): string[] {
  return blocks.map(canonicalJson).sort();
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The stack without the resources and variables of one module (their addresses start with
 * the module's construct id, e.g. `edge_...`),
 * so that a module's tests that pick "the" resource of a type are not confused by the same
 * type in a later module (the edge's security groups, log groups, public IPs).
 */
export function withoutModule(synth: { json: string; tf: TerraformJson }, module: string): { json: string; tf: TerraformJson } {
  const tf = JSON.parse(JSON.stringify(synth.tf)) as TerraformJson;
  for (const [type, blocks] of Object.entries(tf.resource ?? {})) {
    for (const name of Object.keys(blocks as object)) if (name.startsWith(`${module}_`)) delete (blocks as Record<string, unknown>)[name];
    if (Object.keys(blocks as object).length === 0) delete (tf.resource as Record<string, unknown>)[type];
  }
  const variables = (tf as { variable?: Record<string, unknown> }).variable;
  for (const name of Object.keys(variables ?? {})) if (name.startsWith(`${module}_`)) delete variables![name];
  if (variables && Object.keys(variables).length === 0) delete (tf as { variable?: unknown }).variable;
  return { json: JSON.stringify(tf), tf };
}
