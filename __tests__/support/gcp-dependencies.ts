import type { TerraformJson } from "./synth";

/** The address of the `google_project_service` that enables `service`. */
export function dependencyOn(tf: TerraformJson, service: string): string {
  const [name] = Object.entries(tf.resource.google_project_service).find(([, block]) => block.service === service)!;
  return `google_project_service.${name}`;
}

/** Every resource `address` depends on, through references and depends_on, transitively. */
export function dependenciesOf(tf: TerraformJson, address: string, seen = new Set<string>()): Set<string> {
  const [type, name] = address.split(".");
  const block = tf.resource[type][name];
  const text = JSON.stringify(block);
  const referenced = [...text.matchAll(/\$\{(google_[a-z_]+)\.([^.}]+)/g)].map((m) => `${m[1]}.${m[2]}`);
  for (const next of [...referenced, ...((block.depends_on as string[] | undefined) ?? [])]) {
    if (seen.has(next)) continue;
    seen.add(next);
    if (next.startsWith("google_")) dependenciesOf(tf, next, seen);
  }
  return seen;
}
