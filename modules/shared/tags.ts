/** The environment's tags, as every module receives them. */
export type Tags = Readonly<Record<string, string>>;

/** IBM Cloud tags are `key:value` strings. */
export function keyValueTags(tags: Tags): string[] {
  return Object.entries(tags).map(([key, value]) => `${key}:${value}`);
}

/** AWS shows a resource's `Name` tag as its name in the console; `extra` adds more (e.g. `tier`). */
export function nameTagged(tags: Tags, name: string, extra: Tags = {}): Record<string, string> {
  return { ...tags, Name: name, ...extra };
}
