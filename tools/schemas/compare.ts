/**
 * Compares a schema excerpt (providers/schemas/<name>.json) with what the real provider
 * prints (`terraform providers schema -json`): for the provider block and every resource and
 * data source the excerpt holds, every attribute (type, required/optional/computed/sensitive)
 * and every nested block (nesting mode, item limits, its own attributes and blocks), both ways.
 * Descriptions and deprecation notes are documentation and are not compared. Or compares two
 * files of which either may hold only some of the types (a second transcription of the same
 * types): the types both hold are compared, the others listed.
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
  /** Absent from a file holding only some types (another transcription, an excerpt of an excerpt). */
  readonly provider?: { readonly block: SchemaBlock };
  readonly resource_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
  readonly data_source_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
}

export interface SchemasJson {
  readonly provider_schemas: Readonly<Record<string, ProviderSchema>>;
}

const FLAGS = ["required", "optional", "computed", "sensitive"] as const;
const KINDS = [["resource", "resource_schemas"], ["data", "data_source_schemas"]] as const;

/** One type ("provider <address>", "resource oci_core_vcn", "data oci_core_services") and which file holds it. */
export interface TypeComparison {
  readonly type: string;
  readonly heldBy: "both" | "excerpt" | "other";
  /** What differs, when both files hold the type. */
  readonly differences: readonly string[];
}

export interface SchemaComparison {
  /** A provider of the excerpt that the other file does not hold at all. */
  readonly missingProviders: readonly string[];
  /** Every type of the providers both files hold, in the excerpt's order, then those only the other file holds. */
  readonly types: readonly TypeComparison[];
}

/**
 * Both files type by type: the types both hold are compared, the others are only listed. Either
 * file may hold only some of the types and no provider block. `other` names the second file in
 * the differences ("excerpt true, provider false").
 */
export function compareSchemaFiles(excerpt: SchemasJson, otherFile: SchemasJson, other = "provider"): SchemaComparison {
  const missingProviders: string[] = [];
  const types: (TypeComparison | undefined)[] = [];
  for (const [address, wanted] of Object.entries(excerpt.provider_schemas)) {
    const real = otherFile.provider_schemas[address] ?? otherFile.provider_schemas[address.toLowerCase()];
    if (!real) {
      missingProviders.push(`provider ${address}: not in the ${other}'s schema (found: ${Object.keys(otherFile.provider_schemas).join(", ") || "none"})`);
      continue;
    }
    types.push(compareType(`provider ${address}`, wanted.provider?.block, real.provider?.block, other));
    const onlyInOther: (TypeComparison | undefined)[] = [];
    for (const [kind, key] of KINDS) {
      const [mine, theirs] = [wanted[key] ?? {}, real[key] ?? {}];
      for (const [type, schema] of Object.entries(mine)) types.push(compareType(`${kind} ${type}`, schema.block, theirs[type]?.block, other));
      for (const [type, schema] of Object.entries(theirs)) if (!(type in mine)) onlyInOther.push(compareType(`${kind} ${type}`, undefined, schema.block, other));
    }
    types.push(...onlyInOther);
  }
  return { missingProviders, types: types.filter((t): t is TypeComparison => t !== undefined) };
}

function compareType(type: string, wanted: SchemaBlock | undefined, real: SchemaBlock | undefined, other: string): TypeComparison | undefined {
  if (wanted && real) return { type, heldBy: "both", differences: compareBlocks(type, wanted, real, other) };
  if (wanted) return { type, heldBy: "excerpt", differences: [] };
  return real ? { type, heldBy: "other", differences: [] } : undefined;
}

/**
 * Every difference between an excerpt and the real provider's whole schema, one line each, e.g.
 * "resource oci_core_vcn: attribute cidr_block: required: excerpt true, provider false". A type
 * of the excerpt the provider lacks is a difference; the provider's many other types are not.
 */
export function compareSchemas(excerpt: SchemasJson, actual: SchemasJson): string[] {
  const { missingProviders, types } = compareSchemaFiles(excerpt, actual);
  return [
    ...missingProviders,
    ...types.flatMap(({ type, heldBy, differences }) => {
      if (heldBy !== "excerpt") return differences;
      return type.startsWith("provider ")
        ? [`${type}: no provider block in the provider's schema (a file holding only some types? compare it with --partial)`]
        : [`${type}: not in the provider's schema`];
    }),
  ];
}

const DOCS = new Set(["description", "description_kind", "deprecated", "deprecation_message"]);

/** A type or nested attribute type without its documentation, which is not compared. */
function withoutDocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDocs);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !DOCS.has(key)).map(([key, v]) => [key, withoutDocs(v)]));
}

export function compareBlocks(path: string, wanted: SchemaBlock, real: SchemaBlock, other = "provider"): string[] {
  const problems: string[] = [];
  const names = (a?: object, b?: object) => [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();

  for (const name of names(wanted.attributes, real.attributes)) {
    const w = wanted.attributes?.[name];
    const r = real.attributes?.[name];
    const where = `${path}: attribute ${name}`;
    if (!w) problems.push(`${where}: in the ${other}, missing from the excerpt`);
    else if (!r) problems.push(`${where}: in the excerpt, not in the ${other}`);
    else {
      for (const field of ["type", "nested_type"] as const) {
        // A type is compared as is (an object type may have an attribute named "description").
        const normalize = field === "type" ? (v: unknown) => v : withoutDocs;
        const [a, b] = [JSON.stringify(normalize(w[field])), JSON.stringify(normalize(r[field]))];
        if (a !== b) problems.push(`${where}: ${field}: excerpt ${a}, ${other} ${b}`);
      }
      for (const flag of FLAGS) {
        if ((w[flag] ?? false) !== (r[flag] ?? false)) problems.push(`${where}: ${flag}: excerpt ${w[flag] ?? false}, ${other} ${r[flag] ?? false}`);
      }
    }
  }
  for (const name of names(wanted.block_types, real.block_types)) {
    const w = wanted.block_types?.[name];
    const r = real.block_types?.[name];
    const where = `${path}: block ${name}`;
    if (!w) problems.push(`${where}: in the ${other}, missing from the excerpt`);
    else if (!r) problems.push(`${where}: in the excerpt, not in the ${other}`);
    else {
      for (const field of ["nesting_mode", "min_items", "max_items"] as const) {
        if ((w[field] ?? 0) !== (r[field] ?? 0)) problems.push(`${where}: ${field}: excerpt ${w[field] ?? "unset"}, ${other} ${r[field] ?? "unset"}`);
      }
      problems.push(...compareBlocks(`${path} > ${name}`, w.block, r.block, other));
    }
  }
  return problems;
}
