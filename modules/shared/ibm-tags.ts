/** IBM tags are `key:value` strings. */
export function ibmTags(tags: Readonly<Record<string, string>>): string[] {
  return Object.entries(tags).map(([key, value]) => `${key}:${value}`);
}
