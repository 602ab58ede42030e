/**
 * JSON with object keys sorted, as cdktf 0.21 writes manifest.json and `Testing.synth` returns a
 * stack (json-stable-stringify 1.x with `space`): the same text as JSON.stringify with sorted keys,
 * except that an empty object or list still breaks its line (`{\n}` at the parent's indent).
 * Keys sort by UTF-16 code units, as that library's default comparison does.
 */
export function stableJson(value: unknown, space = "  "): string {
  return write(value, 0, space);
}

function write(value: unknown, level: number, space: string): string {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return write((value as { toJSON: () => unknown }).toJSON(), level, space);
  }
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = `\n${space.repeat(level + 1)}`;
  const close = `\n${space.repeat(level)}`;
  if (Array.isArray(value)) return `[${value.map((item) => inner + write(item, level + 1, space)).join(",")}${close}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, child]) => child !== undefined && typeof child !== "function")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, child]) => `${inner}${JSON.stringify(key)}: ${write(child, level + 1, space)}`).join(",")}${close}}`;
}
