/**
 * Reads synthesized Terraform JSON (a cdktf output folder, or any folder of `cdk.tf.json`
 * stacks) and indexes each stack's resources and data sources by address, with the
 * `${type.name.attr}` references between them resolved both ways.
 *
 * This is the one model of "what a stack declares" that the policy pack (and later the
 * parity report) read; it knows nothing about rules. Addresses are Terraform's:
 * `aws_s3_bucket.state_bucket_1A2B3C4D` for a resource, `data.aws_caller_identity.account_X`
 * for a data source.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** One stack's Terraform JSON document, as cdktf writes it. */
export interface TerraformJsonDocument {
  readonly "//"?: unknown;
  readonly terraform?: Record<string, unknown>;
  readonly provider?: Record<string, unknown>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export type BlockMode = "resource" | "data";

/** A resource or data source block of one stack. */
export interface Block {
  readonly stack: string;
  readonly mode: BlockMode;
  readonly type: string;
  readonly name: string;
  /** Terraform's address: `type.name`, or `data.type.name`. */
  readonly address: string;
  /** The block's attributes as written, including the `"//"` metadata key. */
  readonly values: Readonly<Record<string, unknown>>;
  /** cdktf's construct path (`aws-prod/network/vpc`), where cdktf recorded it. */
  readonly constructPath?: string;
}

/** A `${...}` reference inside an attribute value, resolved to the block it names. */
export interface Reference {
  /** Dotted path of the attribute holding the reference, e.g. `rule[0].kms_master_key_id`. */
  readonly from: string;
  readonly target: Block;
  /** The attribute of the target that is read (`arn`, `id`, ...), or "" for the block itself. */
  readonly attribute: string;
}

/** Matches `type.name[.attr...]` and `data.type.name[.attr...]` inside a `${...}` expression. */
const REFERENCE = /(?<![\w.-])(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*|\[\d+\])*)/g;
const INTERPOLATION = /\$\{([^}]*)\}/g;

/**
 * The blocks of one stack and the references between them. Built once per stack; lookups
 * are map reads.
 */
export class StackIndex {
  readonly id: string;
  readonly document: TerraformJsonDocument;
  private readonly blocks = new Map<string, Block>();
  private readonly byTypeIndex = new Map<string, Block[]>();
  private readonly outgoing = new Map<string, Reference[]>();
  private readonly incoming = new Map<string, { source: Block; reference: Reference }[]>();

  constructor(id: string, document: TerraformJsonDocument) {
    this.id = id;
    this.document = document;
    for (const mode of ["resource", "data"] as const) {
      for (const [type, byName] of Object.entries(document[mode] ?? {})) {
        for (const [name, values] of Object.entries(byName ?? {})) this.add(mode, type, name, values);
      }
    }
    for (const block of this.blocks.values()) this.link(block);
  }

  /** Every block, resources first, in document order. */
  all(): Block[] {
    return [...this.blocks.values()];
  }

  /** Resources (not data sources) of one type, in document order. */
  ofType(type: string): Block[] {
    return this.byTypeIndex.get(`resource:${type}`) ?? [];
  }

  /** Data sources of one type. */
  dataOfType(type: string): Block[] {
    return this.byTypeIndex.get(`data:${type}`) ?? [];
  }

  get(address: string): Block | undefined {
    return this.blocks.get(address);
  }

  /** The references a block makes to other blocks of this stack. */
  referencesFrom(block: Block): Reference[] {
    return this.outgoing.get(block.address) ?? [];
  }

  /**
   * Blocks of `type` that reference `target` — e.g. the `aws_s3_bucket_versioning` whose
   * `bucket` is `${aws_s3_bucket.x.id}` — optionally only through attribute `from` (a dotted
   * path as in {@link Reference.from}, matched exactly or as a prefix up to `.`/`[`).
   */
  referencing(target: Block, type: string, from?: string): Block[] {
    const sources = (this.incoming.get(target.address) ?? [])
      .filter(({ source, reference }) => source.type === type && source.mode === "resource" && (from === undefined || pathMatches(reference.from, from)))
      .map(({ source }) => source);
    return [...new Set(sources)];
  }

  /** The block an attribute of `block` refers to (first reference found under `from`). */
  referencedBy(block: Block, from: string, type?: string): Block | undefined {
    return this.referencesFrom(block).find((r) => pathMatches(r.from, from) && (type === undefined || r.target.type === type))?.target;
  }

  /** Resolves one `${type.name.attr}` string to its block, if it names a block of this stack. */
  resolve(expression: string): Block | undefined {
    return referencesIn(expression).map((ref) => this.blocks.get(ref.address)).find((b) => b !== undefined);
  }

  private add(mode: BlockMode, type: string, name: string, values: Record<string, unknown>): void {
    const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
    const metadata = (values["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
    const block: Block = { stack: this.id, mode, type, name, address, values, constructPath: metadata?.path };
    this.blocks.set(address, block);
    const key = `${mode}:${type}`;
    this.byTypeIndex.set(key, [...(this.byTypeIndex.get(key) ?? []), block]);
  }

  private link(block: Block): void {
    const references: Reference[] = [];
    walkStrings(block.values, "", (path, text) => {
      if (path === "//" || path.startsWith("//.")) return;
      for (const ref of referencesIn(text)) {
        const target = this.blocks.get(ref.address);
        if (target && target !== block) references.push({ from: path, target, attribute: ref.attribute });
      }
    });
    this.outgoing.set(block.address, references);
    for (const reference of references) {
      const list = this.incoming.get(reference.target.address) ?? [];
      list.push({ source: block, reference });
      this.incoming.set(reference.target.address, list);
    }
  }
}

/** Addresses named inside the `${...}` interpolations of one string. */
export function referencesIn(text: string): { address: string; attribute: string }[] {
  const found: { address: string; attribute: string }[] = [];
  for (const [, expression] of text.matchAll(INTERPOLATION)) {
    for (const match of expression.matchAll(REFERENCE)) {
      const [, data, type, name, rest] = match;
      if (!data && ["var", "local", "module", "each", "count", "path", "self", "terraform"].includes(type)) continue;
      const attribute = rest.replace(/^\./, "").split(/[.[]/)[0] ?? "";
      found.push({ address: `${data ? "data." : ""}${type}.${name}`, attribute });
    }
  }
  return found;
}

/** True when `value` is (or contains) a Terraform expression, known only at plan time. */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

function pathMatches(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

function walkStrings(value: unknown, path: string, visit: (path: string, text: string) => void): void {
  if (typeof value === "string") visit(path, value);
  else if (Array.isArray(value)) value.forEach((item, i) => walkStrings(item, `${path}[${i}]`, visit));
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) walkStrings(item, path ? `${path}.${key}` : key, visit);
  }
}

/** One stack found in an output folder. */
export interface LoadedStack {
  readonly id: string;
  /** The `cdk.tf.json` file, relative to the output folder. */
  readonly file: string;
  readonly index: StackIndex;
  /** The file's text, for locating a block in it. */
  readonly source: string;
}

export class OutputFolderError extends Error {}

/**
 * Loads every stack of a cdktf output folder: the stacks `manifest.json` lists, or, without
 * a manifest (output written by other tools), every `stacks/<id>/cdk.tf.json`. Sorted by id.
 */
export function loadOutputFolder(dir: string): LoadedStack[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new OutputFolderError(`${dir}: no such folder (run \`npm run synth\` first, or pass --dir with a cdktf output folder)`);
  }
  const files = stackFiles(dir);
  if (files.length === 0) throw new OutputFolderError(`${dir}: no stacks found (neither manifest.json nor stacks/*/cdk.tf.json)`);
  return files
    .map(({ id, path }) => {
      const source = readText(path);
      return { id, file: relative(dir, path), index: new StackIndex(id, parseDocument(path, source)), source };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function stackFiles(dir: string): { id: string; path: string }[] {
  const manifest = join(dir, "manifest.json");
  if (existsSync(manifest)) {
    const stacks = (JSON.parse(readFileSync(manifest, "utf8")) as { stacks?: Record<string, { synthesizedStackPath?: string }> }).stacks ?? {};
    return Object.entries(stacks).map(([id, entry]) => {
      if (!entry.synthesizedStackPath) throw new OutputFolderError(`${manifest}: stack ${id} has no synthesizedStackPath`);
      return { id, path: join(dir, entry.synthesizedStackPath) };
    });
  }
  const stacksDir = join(dir, "stacks");
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir)
    .map((id) => ({ id, path: join(stacksDir, id, "cdk.tf.json") }))
    .filter(({ path }) => existsSync(path));
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new OutputFolderError(`${path}: not readable (${(error as Error).message})`);
  }
}

function parseDocument(path: string, source: string): TerraformJsonDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw new OutputFolderError(`${path}: not readable Terraform JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new OutputFolderError(`${path}: not a Terraform JSON object`);
  return parsed as TerraformJsonDocument;
}

/**
 * The 1-based line where `block` starts in `source` (its name key under its type), or 1 when
 * the text is laid out so that it cannot be found (e.g. minified).
 */
export function lineOf(source: string, block: Block): number {
  const section = source.indexOf(`"${block.mode}"`);
  const type = source.indexOf(`"${block.type}"`, Math.max(section, 0));
  const at = type < 0 ? -1 : source.indexOf(`"${block.name}"`, type);
  return at < 0 ? 1 : source.slice(0, at).split("\n").length;
}
