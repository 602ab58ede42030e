import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CLOUDS, ENVIRONMENTS } from "../../environments/types";
import { selectStacks, stackId } from "../../stacks/selection";

export interface SynthesizedStack {
  readonly id: string;
  /** Absolute path of the folder Terraform runs in. */
  readonly directory: string;
  readonly dependencies: readonly string[];
}

/** Where a stack sits in the matrix; undefined for ids that are not `<cloud>-<env>`. */
export interface MatrixPlace {
  readonly cloud: string;
  readonly environment: string;
}

export class DiffError extends Error {}

/** The stacks of a synth output, from its manifest.json, sorted by id. */
export function readSynthOutput(outdir: string): SynthesizedStack[] {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new DiffError(`No synthesized stacks in ${outdir} (no manifest.json). Run "npm run synth" first: npm run diff does not synthesize.`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    stacks?: Record<string, { workingDirectory: string; dependencies?: string[] }>;
  };
  return Object.entries(manifest.stacks ?? {})
    .map(([id, stack]) => ({ id, directory: resolve(outdir, stack.workingDirectory), dependencies: [...(stack.dependencies ?? [])] }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The synth output folder: --outdir, else cdktf.json's "output", relative to the project. */
export function defaultOutdir(projectRoot: string): string {
  const configPath = join(projectRoot, "cdktf.json");
  const output = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, "utf8")).output as string | undefined) : undefined;
  return resolve(projectRoot, output ?? "cdktf.out");
}

export function matrixPlace(id: string): MatrixPlace | undefined {
  for (const cloud of CLOUDS) {
    for (const environment of ENVIRONMENTS) if (id === stackId(cloud, environment)) return { cloud, environment };
  }
  return undefined;
}

/**
 * Which stacks to plan. `--stacks` names them exactly (an unknown id is refused). Otherwise
 * SIROS_CLOUDS / SIROS_ENVS narrow the matrix as they narrow synth; stacks outside the matrix
 * are planned only when neither is set.
 */
export function chooseStacks(
  all: readonly SynthesizedStack[],
  named: readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): SynthesizedStack[] {
  if (all.length === 0) throw new DiffError(`The synth output holds no stacks. Run "npm run synth" first.`);
  if (named) {
    const unknown = named.filter((id) => !all.some((s) => s.id === id));
    if (unknown.length > 0) {
      throw new DiffError(`--stacks: ${unknown.map((u) => `"${u}"`).join(", ")} not in the synth output; available: ${all.map((s) => s.id).join(", ")}`);
    }
    return all.filter((s) => named.includes(s.id));
  }
  const narrowed = [env.SIROS_CLOUDS, env.SIROS_ENVS].some((v) => v !== undefined && v.trim() !== "");
  if (!narrowed) return [...all];
  const selection = selectStacks(env);
  const chosen = all.filter((stack) => {
    const place = matrixPlace(stack.id);
    return place !== undefined && (selection.clouds as readonly string[]).includes(place.cloud) && (selection.environments as readonly string[]).includes(place.environment);
  });
  if (chosen.length === 0) throw new DiffError(`SIROS_CLOUDS / SIROS_ENVS select none of the synthesized stacks (${all.map((s) => s.id).join(", ")}).`);
  return chosen;
}
