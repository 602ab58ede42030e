import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CloudName } from "../../environments/types";
import { COST_ALLOCATION_TAGS } from "../../modules/observability/contract";

const ROOT = join(__dirname, "..", "..");

/** Where each cloud's generated bindings live, and the resource type's prefix. */
const BINDINGS: Readonly<Record<CloudName, { readonly prefix: string; readonly dir: string; readonly file: string }>> = {
  aws: { prefix: "aws_", dir: "node_modules/@cdktf/provider-aws/lib", file: "index.d.ts" },
  azure: { prefix: "azurerm_", dir: "node_modules/@cdktf/provider-azurerm/lib", file: "index.d.ts" },
  gcp: { prefix: "google_", dir: "node_modules/@cdktf/provider-google/lib", file: "index.d.ts" },
  oci: { prefix: "oci_", dir: ".gen/providers/oci", file: "index.ts" },
  ibm: { prefix: "ibm_", dir: ".gen/providers/ibm", file: "index.ts" },
};

/**
 * The attribute that carries cost-allocation tags, per cloud, in the bindings' spelling and
 * Terraform's: AWS and Azure `tags` (a map), Google `labels` / `user_labels` / `resource_labels`
 * (a map; Google's `tags` are network tags), OCI `freeform_tags` (a map), IBM `tags` (`key:value` strings).
 */
const TAG_ATTRIBUTES: Readonly<Record<CloudName, readonly (readonly [binding: string, terraform: string])[]>> = {
  aws: [["tags", "tags"]],
  azure: [["tags", "tags"]],
  // user_labels first: where a type has both (notification channels), `labels` are its settings.
  gcp: [
    ["userLabels", "user_labels"],
    ["resourceLabels", "resource_labels"],
    ["labels", "labels"],
  ],
  oci: [["freeformTags", "freeform_tags"]],
  ibm: [["tags", "tags"]],
};

/** Types whose labels live in a nested block (the top-level schema has none). */
const NESTED_TAGS: Readonly<Record<string, string>> = { google_sql_database_instance: "settings.user_labels" };

/** Providers whose resources live only in Terraform's state (random values, timers): nothing to tag. */
const STATE_ONLY = /^(random_|time_|null_|terraform_data$)/;

/**
 * Types that take a `tags` attribute but are access rules, not billed resources: cost allocation
 * has nothing to attribute, and an IBM IAM policy's tags belong to the policy's own bookkeeping
 * (`resource_tags` is what scopes it), so the storage module leaves them unset on purpose.
 */
const NOT_BILLED: ReadonlySet<string> = new Set(["ibm_iam_trusted_profile_policy"]);

const cache = new Map<string, string | undefined>();

/**
 * The attribute path (Terraform spelling) a resource type carries its tags in, read from the
 * provider's generated bindings; undefined when the type takes no tags.
 */
export function tagAttribute(cloud: CloudName, type: string): string | undefined {
  const key = `${cloud}:${type}`;
  if (cache.has(key)) return cache.get(key);
  const { prefix, dir, file } = BINDINGS[cloud];
  if (STATE_ONLY.test(type) || NOT_BILLED.has(type)) return undefined;
  if (!type.startsWith(prefix)) throw new Error(`${type} is not a resource type of ${cloud}`);
  const path = join(ROOT, dir, type.slice(prefix.length).replace(/_/g, "-"), file);
  if (!existsSync(path)) throw new Error(`no generated binding for ${type} (expected ${path})`);
  const source = readFileSync(path, "utf8");
  // The resource's own configuration interface: the first `...Config extends cdktf.TerraformMetaArguments`.
  const start = source.search(/export interface \w+Config extends cdktf\.TerraformMetaArguments \{/);
  const body = source.slice(start, source.indexOf("\n}", start));
  const found = NESTED_TAGS[type] ?? TAG_ATTRIBUTES[cloud].find(([binding]) => new RegExp(`\\n\\s+readonly ${binding}\\?:`).test(body))?.[1];
  cache.set(key, found);
  return found;
}

/** The tags at a dotted path of a block (blocks written as objects or one-element lists). */
function valueAt(values: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((value, part) => {
    const current = Array.isArray(value) ? value[0] : value;
    return current !== null && typeof current === "object" ? (current as Record<string, unknown>)[part] : undefined;
  }, values);
}

/** The cost-allocation tags a block lacks (or carries with another value than the environment's). */
export function missingCostTags(cloud: CloudName, values: Record<string, unknown>, attribute: string, expected: Readonly<Record<string, string>>): string[] {
  const tags = valueAt(values, attribute);
  return COST_ALLOCATION_TAGS.filter((tag) => {
    if (cloud === "ibm") return !(Array.isArray(tags) && tags.includes(`${tag}:${expected[tag]}`));
    return !(tags !== null && typeof tags === "object" && !Array.isArray(tags) && (tags as Record<string, unknown>)[tag] === expected[tag]);
  });
}

/** One line per taggable resource of a stack that lacks a cost-allocation tag: stack, address, attribute, tags. */
export function costTagFindings(
  stack: string,
  cloud: CloudName,
  resources: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>,
  expected: Readonly<Record<string, string>>,
): string[] {
  return Object.entries(resources).flatMap(([type, blocks]) => {
    const attribute = tagAttribute(cloud, type);
    if (!attribute) return [];
    return Object.entries(blocks).flatMap(([name, values]) => {
      const missing = missingCostTags(cloud, values, attribute, expected);
      return missing.length ? [`${stack}: ${type}.${name}: ${attribute} lacks ${missing.join(", ")}`] : [];
    });
  });
}
