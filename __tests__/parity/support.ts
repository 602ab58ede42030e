import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StackIndex, type TerraformJsonDocument } from "../../policy/terraform-json";
import { projectOutputFolder } from "../support/project-stacks";

/**
 * All 20 stacks as cdktf writes them (manifest and cdk.tf.json files): the run's single synth of
 * the project, shared and read-only (copyWith edits a copy).
 */
export function synthProject(): string {
  return projectOutputFolder();
}

type Doc = { resource: Record<string, Record<string, Record<string, unknown>>>; terraform: { backend: { s3: Record<string, unknown> } } };

/** A copy of an output folder with some stacks' JSON edited: drift injected where the test says. */
export function copyWith(dir: string, edits: Record<string, (doc: Doc) => void>): string {
  const copy = mkdtempSync(join(tmpdir(), "parity-"));
  cpSync(dir, copy, { recursive: true });
  for (const [stack, edit] of Object.entries(edits)) {
    const file = join(copy, "stacks", stack, "cdk.tf.json");
    const doc = JSON.parse(readFileSync(file, "utf8")) as Doc;
    edit(doc);
    writeFileSync(file, JSON.stringify(doc, null, 2));
  }
  return copy;
}

/** Every block of one type in a document. */
export const blocksOf = (doc: Doc, type: string): Record<string, unknown>[] => Object.values(doc.resource[type] ?? {});

/** Blocks the network module wrote (cdktf's metadata path), where other modules write the same type. */
export const isNetworkBlock = (block: Record<string, unknown>): boolean =>
  ((block["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? "").includes("/network/");

export const index = (resource: Record<string, Record<string, Record<string, unknown>>>, extra: Partial<TerraformJsonDocument> = {}) =>
  new StackIndex("fixture", { resource, ...extra } as TerraformJsonDocument);
