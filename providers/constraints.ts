import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * Provider constraints: the validators each provider applies, at the pinned release, to the
 * attributes this project sets, recorded in `providers/constraints/<cloud>/<area>.json` (format
 * in README, "Provider constraints"). No provider binary runs here, so these records are what
 * lets `npm test` refuse a value the provider would refuse at plan time.
 */

/** What a provider accepts for one attribute (all keys optional; `{}` = no validator at the tag). */
export interface AttributeConstraint {
  readonly enum?: readonly (string | number)[];
  readonly ignoreCase?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** JavaScript regex source the whole value must match. */
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly validator?: string;
  readonly note?: string;
  /** Where the validator lives when not in the type's own file. */
  readonly file?: string;
}

/** A schema-level relation between attributes (paths relative to `scope`, or the type's top level). */
export interface RelationRule {
  readonly conflictsWith?: readonly string[];
  readonly exactlyOneOf?: readonly string[];
  readonly atLeastOneOf?: readonly string[];
  /** If the first path is set, all the others must be. */
  readonly requiredWith?: readonly string[];
  readonly scope?: string;
  readonly validator?: string;
}

export interface TypeConstraints {
  readonly file: string;
  readonly attributes: Readonly<Record<string, AttributeConstraint>>;
  readonly rules?: readonly RelationRule[];
}

export interface ConstraintFile {
  readonly provider: string;
  readonly version: string;
  readonly repository: string;
  readonly tag: string;
  readonly types: Readonly<Record<string, TypeConstraints>>;
}

/** One type's constraints with where they were recorded and read. */
export interface RecordedType extends TypeConstraints {
  /** `resource.<type>`, `data.<type>` or `provider.<name>`. */
  readonly key: string;
  /** The constraint file, relative to the constraints folder (`ibm/network.json`). */
  readonly source: string;
  readonly provider: string;
  readonly version: string;
  readonly tag: string;
}

export const CONSTRAINTS_DIR = join(__dirname, "constraints");

const TYPE_KEY = /^(resource|data|provider)\.[a-z0-9_]+$/;
const ATTRIBUTE_KEYS = new Set(["enum", "ignoreCase", "min", "max", "pattern", "minLength", "maxLength", "minItems", "maxItems", "validator", "note", "file"]);
const RULE_KINDS = ["conflictsWith", "exactlyOneOf", "atLeastOneOf", "requiredWith"] as const;

/**
 * Reads every constraint file under `dir`, keyed by type. Refuses a type recorded twice, a
 * malformed entry or a pattern JavaScript cannot compile, naming the file and the entry.
 */
export function loadConstraints(dir: string = CONSTRAINTS_DIR): ReadonlyMap<string, RecordedType> {
  const recorded = new Map<string, RecordedType>();
  const problems: string[] = [];
  for (const path of jsonFiles(dir)) {
    const source = relative(dir, path);
    const file = JSON.parse(readFileSync(path, "utf8")) as ConstraintFile;
    for (const field of ["provider", "version", "repository", "tag"] as const) {
      if (typeof file[field] !== "string" || !file[field]) problems.push(`${source}: "${field}" is missing`);
    }
    for (const [key, entry] of Object.entries(file.types ?? {})) {
      const where = `${source}: ${key}`;
      const earlier = recorded.get(key);
      if (earlier) problems.push(`${where}: already recorded in ${earlier.source} (a type belongs to one file)`);
      problems.push(...entryProblems(where, key, entry));
      recorded.set(key, { ...entry, key, source, provider: file.provider, version: file.version, tag: file.tag });
    }
  }
  if (problems.length) throw new Error(`Invalid provider constraints:\n  ${problems.join("\n  ")}`);
  return recorded;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? jsonFiles(join(dir, entry.name)) : entry.name.endsWith(".json") ? [join(dir, entry.name)] : []))
    .sort();
}

function entryProblems(where: string, key: string, entry: TypeConstraints): string[] {
  const problems: string[] = [];
  if (!TYPE_KEY.test(key)) problems.push(`${where}: key must be resource.<type>, data.<type> or provider.<name>`);
  if (typeof entry.file !== "string" || !entry.file) problems.push(`${where}: "file" (where the schema is defined) is missing`);
  for (const [path, constraint] of Object.entries(entry.attributes ?? {})) {
    for (const name of Object.keys(constraint)) {
      if (!ATTRIBUTE_KEYS.has(name)) problems.push(`${where}: ${path}: unknown constraint "${name}"`);
    }
    if (constraint.pattern !== undefined) {
      try {
        new RegExp(constraint.pattern);
      } catch (error) {
        problems.push(`${where}: ${path}: pattern does not compile: ${(error as Error).message}`);
      }
    }
  }
  for (const rule of entry.rules ?? []) {
    const kinds = RULE_KINDS.filter((kind) => rule[kind]);
    if (kinds.length !== 1) problems.push(`${where}: each rule needs exactly one of ${RULE_KINDS.join(", ")}`);
  }
  return problems;
}

/** One value a provider would refuse, or something no constraint file records. */
export interface Finding {
  readonly stack: string;
  /** `aws_flow_log.network_flow-log_ABC`, `data.oci_core_services.x`, `provider.aws`. */
  readonly address: string;
  readonly attribute: string;
  readonly value: unknown;
  /** What the provider accepts (or what is missing from the records). */
  readonly accepts: string;
}

export function formatFinding({ stack, address, attribute, value, accepts }: Finding): string {
  return `${stack}: ${address}: ${attribute}${value === undefined ? "" : ` = ${JSON.stringify(value)}`}: ${accepts}`;
}

/** The parts of a synthesized stack (cdk.tf.json) the check reads. */
export interface StackJson {
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
}

/** Terraform meta-arguments and cdktf metadata: not provider attributes. */
const META_ARGUMENTS = new Set(["//", "alias", "count", "depends_on", "for_each", "lifecycle", "provider", "provisioner", "connection"]);

export interface Block {
  readonly key: string;
  readonly address: string;
  readonly body: Record<string, unknown>;
}

/** Every provider, resource and data block of a stack. */
export function blocksOf(tf: StackJson): Block[] {
  const blocks: Block[] = [];
  for (const [name, configs] of Object.entries(tf.provider ?? {})) {
    for (const body of configs) blocks.push({ key: `provider.${name}`, address: body.alias ? `provider.${name}.${String(body.alias)}` : `provider.${name}`, body });
  }
  for (const [type, byName] of Object.entries(tf.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) blocks.push({ key: `resource.${type}`, address: `${type}.${name}`, body });
  }
  for (const [type, byName] of Object.entries(tf.data ?? {})) {
    for (const [name, body] of Object.entries(byName)) blocks.push({ key: `data.${type}`, address: `data.${type}.${name}`, body });
  }
  return blocks;
}

/** Checks every block of one synthesized stack against the recorded constraints. */
export function checkStack(stack: string, tf: StackJson, recorded: ReadonlyMap<string, RecordedType>): Finding[] {
  return blocksOf(tf).flatMap((block) => {
    const type = recorded.get(block.key);
    if (!type) return [{ stack, address: block.address, attribute: "(type)", value: undefined, accepts: `${block.key} is recorded in no constraint file` }];
    const finding = (attribute: string, value: unknown, accepts: string): Finding => ({ stack, address: block.address, attribute, value, accepts });
    return [...attributeFindings(type, block.body, finding), ...ruleFindings(type, block.body, finding)];
  });
}

type MakeFinding = (attribute: string, value: unknown, accepts: string) => Finding;

function isBlockPath(type: RecordedType, path: string): boolean {
  return Object.keys(type.attributes).some((recorded) => recorded.startsWith(`${path}.`));
}

/** Elements of a nested block as written: a list of objects, or one object. */
function blockElements(value: unknown): Record<string, unknown>[] | undefined {
  if (Array.isArray(value) && value.every((item) => isObject(item))) return value as Record<string, unknown>[];
  return isObject(value) ? [value] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Walks a block's body by recorded path (`rules.protocol`); findings name the element
 * (`rules[3].protocol`) so a user finds the offending rule.
 */
function attributeFindings(type: RecordedType, body: Record<string, unknown>, finding: MakeFinding, prefix = "", shown = ""): Finding[] {
  return Object.entries(body).flatMap(([name, value]) => {
    if ((!prefix && META_ARGUMENTS.has(name)) || value === null || value === undefined) return [];
    const path = prefix ? `${prefix}.${name}` : name;
    const display = shown ? `${shown}.${name}` : name;
    const constraint = type.attributes[path];
    const elements = isBlockPath(type, path) ? blockElements(value) : undefined;
    if (elements) {
      const indexed = Array.isArray(value);
      return [
        ...(constraint ? itemFindings(display, value, elements.length, constraint, type, finding) : []),
        ...elements.flatMap((element, index) => attributeFindings(type, element, finding, path, indexed ? `${display}[${index}]` : display)),
      ];
    }
    if (!constraint) return [finding(display, value, `not recorded for ${type.key} in ${type.source}: read its validators at ${type.tag} and add it`)];
    return valueFindings(display, value, constraint, type, finding);
  });
}

function describe(constraint: AttributeConstraint, type: RecordedType): string {
  const parts: string[] = [];
  if (constraint.enum) {
    const shown = constraint.enum.slice(0, 8).map((value) => JSON.stringify(value));
    const more = constraint.enum.length > shown.length ? `, … (${constraint.enum.length} values)` : "";
    parts.push(`one of ${shown.join(", ")}${more}${constraint.ignoreCase ? " (any case)" : ""}`);
  }
  if (constraint.min !== undefined || constraint.max !== undefined) parts.push(`a number in [${constraint.min ?? "-∞"}, ${constraint.max ?? "∞"}]`);
  if (constraint.pattern !== undefined) parts.push(`matching /${constraint.pattern}/`);
  if (constraint.minLength !== undefined || constraint.maxLength !== undefined) parts.push(`${constraint.minLength ?? 0} to ${constraint.maxLength ?? "∞"} characters`);
  if (constraint.minItems !== undefined || constraint.maxItems !== undefined) parts.push(`${constraint.minItems ?? 0} to ${constraint.maxItems ?? "∞"} items`);
  return `${type.provider} ${type.version} accepts ${parts.join(", ")} (${constraint.file ?? type.file} at ${type.tag})`;
}

function isUnknown(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** Item limits of a list, set, map or block (`count`: its elements; undefined: known only at plan time). */
function itemFindings(path: string, value: unknown, count: number | undefined, constraint: AttributeConstraint, type: RecordedType, finding: MakeFinding): Finding[] {
  if (constraint.minItems === undefined && constraint.maxItems === undefined) return [];
  if (count === undefined) return [];
  const refused = (constraint.minItems !== undefined && count < constraint.minItems) || (constraint.maxItems !== undefined && count > constraint.maxItems);
  return refused ? [finding(path, value, `${count} items; ${describe(constraint, type)}`)] : [];
}

function valueFindings(path: string, value: unknown, constraint: AttributeConstraint, type: RecordedType, finding: MakeFinding): Finding[] {
  const count = Array.isArray(value) ? value.length : isObject(value) ? Object.keys(value).length : undefined;
  const items = itemFindings(path, value, count, constraint, type, finding);
  // A list of scalars: value constraints apply to each element (Elem validators); maps carry counts only.
  const scalars = Array.isArray(value) ? value : isObject(value) ? [] : [value];
  const refused = scalars.filter((scalar) => !isUnknown(scalar) && !accepts(constraint, scalar));
  return [...items, ...refused.map((scalar) => finding(path, scalar, `not accepted; ${describe(constraint, type)}`))];
}

/** Whether one known scalar satisfies the value constraints (enum, range, pattern, length). */
export function accepts(constraint: AttributeConstraint, value: unknown): boolean {
  if (constraint.enum) {
    const fold = (v: unknown) => (constraint.ignoreCase && typeof v === "string" ? v.toLowerCase() : v);
    if (!constraint.enum.some((allowed) => fold(allowed) === fold(value))) return false;
  }
  if (constraint.min !== undefined || constraint.max !== undefined) {
    const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (Number.isNaN(number)) return false;
    if (constraint.min !== undefined && number < constraint.min) return false;
    if (constraint.max !== undefined && number > constraint.max) return false;
  }
  if (typeof value === "string") {
    if (constraint.pattern !== undefined && !new RegExp(`^(?:${constraint.pattern})$`).test(value)) return false;
    if (constraint.minLength !== undefined && value.length < constraint.minLength) return false;
    if (constraint.maxLength !== undefined && value.length > constraint.maxLength) return false;
  }
  return true;
}

/** Whether `path` (dot-separated, through nested blocks) is set in `body`. */
function isSet(body: unknown, path: readonly string[]): boolean {
  if (path.length === 0) return body !== null && body !== undefined && !(Array.isArray(body) && body.length === 0);
  const elements = Array.isArray(body) ? body : [body];
  return elements.some((element) => isObject(element) && isSet(element[path[0]], path.slice(1)));
}

function ruleFindings(type: RecordedType, body: Record<string, unknown>, finding: MakeFinding): Finding[] {
  return (type.rules ?? []).flatMap((rule) => {
    const scopes = rule.scope ? (blockElements(body[rule.scope]) ?? []) : [body];
    const prefix = rule.scope ? `${rule.scope}.` : "";
    return scopes.flatMap((scope) => relationFindings(rule, scope, prefix, type, finding));
  });
}

function relationFindings(rule: RelationRule, scope: Record<string, unknown>, prefix: string, type: RecordedType, finding: MakeFinding): Finding[] {
  const set = (path: string) => isSet(scope, path.split("."));
  const names = (paths: readonly string[]) => paths.map((path) => prefix + path).join(", ");
  const source = `${type.provider} ${type.version}, ${rule.validator ?? "schema"} (${type.file} at ${type.tag})`;
  const present = (paths: readonly string[]) => paths.filter(set);
  if (rule.conflictsWith && present(rule.conflictsWith).length > 1) {
    return [finding(names(present(rule.conflictsWith)), undefined, `conflict: at most one of ${names(rule.conflictsWith)} may be set; ${source}`)];
  }
  if (rule.exactlyOneOf && present(rule.exactlyOneOf).length !== 1) {
    return [finding(names(rule.exactlyOneOf), undefined, `exactly one of ${names(rule.exactlyOneOf)} must be set, ${present(rule.exactlyOneOf).length} are; ${source}`)];
  }
  if (rule.atLeastOneOf && present(rule.atLeastOneOf).length === 0) {
    return [finding(names(rule.atLeastOneOf), undefined, `at least one of ${names(rule.atLeastOneOf)} must be set; ${source}`)];
  }
  if (rule.requiredWith && set(rule.requiredWith[0])) {
    const missing = rule.requiredWith.slice(1).filter((path) => !set(path));
    if (missing.length) return [finding(prefix + rule.requiredWith[0], undefined, `requires ${names(missing)} to be set too; ${source}`)];
  }
  return [];
}

/** Constraint keys that limit a value or an item count (as opposed to provenance and notes). */
const LIMIT_KEYS = ["enum", "min", "max", "pattern", "minLength", "maxLength", "minItems", "maxItems"] as const;

/** Which README row each constraints folder is counted in. */
const FIGURE_ROWS: readonly { readonly label: string; readonly folders: readonly string[] }[] = [
  { label: "AWS (6.25.0)", folders: ["aws"] },
  { label: "Azure (azurerm 4.55.0)", folders: ["azure"] },
  { label: "Google Cloud (6.50.0)", folders: ["gcp"] },
  { label: "Oracle Cloud (8.28.0)", folders: ["oci"] },
  { label: "IBM Cloud (2.5.0)", folders: ["ibm"] },
  { label: "random (3.7.2), Terraform built-in", folders: ["random", "terraform"] },
];

/**
 * README's coverage table, counted from the files themselves (a test keeps README equal to
 * it): types, attributes recorded, attributes with a value or item limit, relations.
 */
export function constraintFiguresTable(recorded: ReadonlyMap<string, RecordedType>): string {
  const rows = FIGURE_ROWS.map(({ label, folders }) => {
    const types = [...recorded.values()].filter((type) => folders.includes(type.source.split("/")[0]));
    const attributes = types.flatMap((type) => Object.values(type.attributes));
    const limited = attributes.filter((constraint) => LIMIT_KEYS.some((key) => constraint[key] !== undefined));
    const relations = types.reduce((sum, type) => sum + (type.rules?.length ?? 0), 0);
    return `| ${label} | ${types.length} | ${attributes.length} | ${limited.length} | ${relations} |`;
  });
  return ["| cloud | types | attributes | with a value or item constraint | relations |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}
