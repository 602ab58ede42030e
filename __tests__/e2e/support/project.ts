import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./processes";
import { ROOT, describeRun, type Workspace } from "./workspace";

/** One stack of the project's own synth output. */
export interface SynthesizedStack {
  readonly id: string;
  readonly dependencies: readonly string[];
  readonly json: {
    terraform: { backend: { s3: Record<string, any> } };
    data?: { terraform_remote_state?: Record<string, { backend: string; config: Record<string, any> }> };
    output?: Record<string, { value: string }>;
  };
}

/** The project's real synth command, through npm and the cdktf CLI, into a folder of the workspace. */
export async function synthProject(workspace: Workspace, name: string, env: Record<string, string>): Promise<SynthesizedStack[]> {
  const out = join(workspace.dir(`synth-${name}`), "cdktf.out");
  const synth = await run("npm", ["run", "synth", "--", "--output", out], { cwd: ROOT, env: workspace.env(env), timeoutMs: 180_000 });
  if (synth.code !== 0) throw new Error(describeRun("npm run synth", synth));
  // Whatever stacks the project has today: the list comes from the synth output.
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  const ids = Object.keys(manifest.stacks).sort();
  if (ids.join() !== readdirSync(join(out, "stacks")).sort().join()) throw new Error(`manifest.json and ${out}/stacks disagree`);
  return ids.map((id) => ({
    id,
    dependencies: manifest.stacks[id].dependencies,
    json: JSON.parse(readFileSync(join(out, "stacks", id, "cdk.tf.json"), "utf8")),
  }));
}

/**
 * A Terraform configuration with the stack's backend beside built-in resources only: the
 * cloud providers cannot be downloaded here, and the backend is what is under test.
 */
export function writeProbe(dir: string, stack: SynthesizedStack, extra: Record<string, unknown> = {}): string {
  const config = { terraform: { backend: stack.json.terraform.backend }, resource: { terraform_data: { probe: { input: stack.id } } }, ...extra };
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
  return dir;
}

/** Runs `task` over `items`, at most `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}
