/** Small helpers every extractor uses to turn blocks into observations. */
import type { Block, StackIndex } from "../../policy/terraform-json";
import type { Observation, Value } from "../model";

export const observe = (value: Value, blocks: readonly (Block | undefined)[] = []): Observation => ({
  value,
  addresses: [...new Set(blocks.filter((b): b is Block => b !== undefined).map((b) => b.address))],
});

/** Blocks of the private tier: the network names its private subnets `private-...`. */
export const privateOnes = (blocks: readonly Block[]): Block[] => blocks.filter((b) => /(^|[-_])private[-_]/.test(b.name));
export const publicOnes = (blocks: readonly Block[]): Block[] => blocks.filter((b) => /(^|[-_])public[-_]/.test(b.name));

/** One value when every item agrees, else `mixed: a, b` (itself a value other clouds will not have). */
export function agreed(values: readonly Value[]): Value {
  const distinct = [...new Set(values.map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v) as Value);
  if (distinct.length === 0) return null;
  return distinct.length === 1 ? distinct[0] : `mixed: ${distinct.map(String).join(", ")}`;
}

/** A port or range as `443` / `1024-65535`; `all` when unrestricted. */
export function portRange(from: unknown, to: unknown): string {
  if (from === undefined || from === null) return "all";
  return from === to || to === undefined ? String(from) : `${from}-${to}`;
}

/** The flows open to the internet, normalized `tcp/443` and sorted, or "none". */
export function ingressList(flows: readonly string[]): string {
  return flows.length === 0 ? "none" : [...new Set(flows)].sort().join(", ");
}

export const isInternet = (source: unknown): boolean => source === "0.0.0.0/0" || source === "Internet" || source === "*";

/** NAT strategy from how many NAT egress points serve how many zones. */
export function natStrategy(gateways: number, zones: number): Value {
  if (gateways === 0) return "none";
  if (gateways === 1) return "single";
  return gateways === zones ? "per-zone" : `${gateways} for ${zones} zones`;
}

/** The blocks of `type` whose attribute refers to `target` (a flow log on a VPC, ...). */
export const attachedTo = (stack: StackIndex, target: Block | undefined, type: string): Block[] => (target ? stack.referencing(target, type) : []);

export const numberOr = (value: unknown): Value => (typeof value === "number" ? value : value === undefined ? null : String(value));

/**
 * The environment's key: the block the stack's `key_id` output (the keys module's contract)
 * refers to. Undefined in a stack without the keys module.
 */
export function environmentKey(stack: StackIndex): Block | undefined {
  const output = (stack.document.output as Record<string, { value?: unknown }> | undefined)?.key_id;
  return typeof output?.value === "string" ? stack.resolve(output.value) : undefined;
}

/**
 * How a store is encrypted, from the key block it refers to (if any): with the environment's
 * key, with another customer-managed key, or with the provider's own keys.
 */
export function encryptionOf(stack: StackIndex, key: Block | undefined): Value {
  if (!key) return "provider-managed";
  return key === environmentKey(stack) ? "environment key" : "other key";
}
