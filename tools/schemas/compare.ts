/**
 * Compares a schema excerpt (providers/schemas/<name>.json) with what the real provider
 * prints (`terraform providers schema -json`): for the provider block and every resource and
 * data source the excerpt holds, every attribute (type, required/optional/computed/sensitive)
 * and every nested block (nesting mode, item limits, its own attributes and blocks), both ways.
 * Descriptions and deprecation notes are documentation and are not compared.
 */
export interface SchemaAttribute {
  readonly type?: unknown;
  readonly nested_type?: unknown;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
}

export interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
  readonly block_types?: Readonly<Record<string, { readonly nesting_mode: string; readonly min_items?: number; readonly max_items?: number; readonly block: SchemaBlock }>>;
}

interface ProviderSchema {
  readonly provider: { readonly block: SchemaBlock };
  readonly resource_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
  readonly data_source_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
}

export interface SchemasJson {
  readonly provider_schemas: Readonly<Record<string, ProviderSchema>>;
}

const FLAGS = ["required", "optional", "computed", "sensitive"] as const;

/** Every difference, one line each, e.g. "resource oci_core_vcn: attribute cidr_block: required: excerpt true, provider false". */
export function compareSchemas(excerpt: SchemasJson, actual: SchemasJson): string[] {
  const problems: string[] = [];
  for (const [address, wanted] of Object.entries(excerpt.provider_schemas)) {
    const real = actual.provider_schemas[address] ?? actual.provider_schemas[address.toLowerCase()];
    if (!real) {
      problems.push(`provider ${address}: not in the provider's schema (found: ${Object.keys(actual.provider_schemas).join(", ") || "none"})`);
      continue;
    }
    problems.push(...compareBlocks(`provider ${address}`, wanted.provider.block, real.provider.block));
    for (const [kind, key] of [["resource", "resource_schemas"], ["data", "data_source_schemas"]] as const) {
      for (const [type, schema] of Object.entries(wanted[key] ?? {})) {
        const realSchema = real[key]?.[type];
        if (!realSchema) problems.push(`${kind} ${type}: not in the provider's schema`);
        else problems.push(...compareBlocks(`${kind} ${type}`, schema.block, realSchema.block));
      }
    }
  }
  return problems;
}

const DOCS = new Set(["description", "description_kind", "deprecated", "deprecation_message"]);

/** A type or nested attribute type without its documentation, which is not compared. */
function withoutDocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDocs);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !DOCS.has(key)).map(([key, v]) => [key, withoutDocs(v)]));
}

export function compareBlocks(path: string, wanted: SchemaBlock, real: SchemaBlock): string[] {
  const problems: string[] = [];
  const names = (a?: object, b?: object) => [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();

  for (const name of names(wanted.attributes, real.attributes)) {
    const w = wanted.attributes?.[name];
    const r = real.attributes?.[name];
    const where = `${path}: attribute ${name}`;
    if (!w) problems.push(`${where}: in the provider, missing from the excerpt`);
    else if (!r) problems.push(`${where}: in the excerpt, not in the provider`);
    else {
      for (const field of ["type", "nested_type"] as const) {
        // A type is compared as is (an object type may have an attribute named "description").
        const normalize = field === "type" ? (v: unknown) => v : withoutDocs;
        const [a, b] = [JSON.stringify(normalize(w[field])), JSON.stringify(normalize(r[field]))];
        if (a !== b) problems.push(`${where}: ${field}: excerpt ${a}, provider ${b}`);
      }
      for (const flag of FLAGS) {
        if ((w[flag] ?? false) !== (r[flag] ?? false)) problems.push(`${where}: ${flag}: excerpt ${w[flag] ?? false}, provider ${r[flag] ?? false}`);
      }
    }
  }
  for (const name of names(wanted.block_types, real.block_types)) {
    const w = wanted.block_types?.[name];
    const r = real.block_types?.[name];
    const where = `${path}: block ${name}`;
    if (!w) problems.push(`${where}: in the provider, missing from the excerpt`);
    else if (!r) problems.push(`${where}: in the excerpt, not in the provider`);
    else {
      for (const field of ["nesting_mode", "min_items", "max_items"] as const) {
        if ((w[field] ?? 0) !== (r[field] ?? 0)) problems.push(`${where}: ${field}: excerpt ${w[field] ?? "unset"}, provider ${r[field] ?? "unset"}`);
      }
      problems.push(...compareBlocks(`${path} > ${name}`, w.block, r.block));
    }
  }
  return problems;
}
