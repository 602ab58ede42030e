/**
 * Small readers for Terraform JSON values, shared by the rules. Terraform JSON writes a nested
 * block either as an object or as a list of objects; a value written as `${...}` is known only
 * at plan time, so rules treat it as "set" and never as a bad value.
 */
import type { Rule } from "../rule";

export type Values = Readonly<Record<string, unknown>>;

/** The nested blocks under `key` (`[]` when absent), whether written as an object or a list. */
export function nested(values: Values | undefined, key: string): Values[] {
  const value = values?.[key];
  if (Array.isArray(value)) return value.filter((v): v is Values => v !== null && typeof v === "object");
  return value !== null && typeof value === "object" ? [value as Values] : [];
}

/** The first nested block under a dotted path (`"a.b"`), or undefined. */
export function first(values: Values | undefined, path: string): Values | undefined {
  let current: Values | undefined = values;
  for (const key of path.split(".")) current = nested(current, key)[0];
  return current;
}

/** True for `true` and `"true"`, as Terraform reads booleans. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** Set to something: a literal or an expression. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
}


/** A number, or undefined for expressions and absent values. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/** A list of strings from a string or list attribute (`[]` when absent). */
export function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Sources that mean "anyone on the internet" on every cloud. */
const ANYWHERE = new Set(["0.0.0.0/0", "::/0", "*", "internet", "any", "0.0.0.0"]);

export function isAnywhere(source: unknown): boolean {
  return typeof source === "string" && ANYWHERE.has(source.trim().toLowerCase());
}

/**
 * True when a port range (inclusive; `undefined` bounds mean every port) covers `port`.
 * Expressions are not known: they never match.
 */
export function coversPort(from: unknown, to: unknown, port: number): boolean {
  const low = from === undefined || from === null ? 0 : numberOf(from);
  const high = to === undefined || to === null ? 65535 : numberOf(to);
  if (low === undefined || high === undefined) return false;
  return low <= port && port <= high;
}

/** Azure/AWS-style port strings: "22", "20-30", "*". */
export function portStringCovers(range: unknown, port: number): boolean {
  if (typeof range !== "string") return false;
  if (range.trim() === "*") return true;
  const [low, high] = range.split("-").map((s) => numberOf(s.trim()));
  if (low === undefined) return false;
  return low <= port && port <= (high ?? low);
}

/** The parsed JSON of a policy document attribute (IAM, KMS, bucket policy), or undefined. */
export function policyDocument(value: unknown): { Statement?: unknown } | undefined {
  if (typeof value !== "string") return typeof value === "object" && value !== null ? (value as { Statement?: unknown }) : undefined;
  try {
    return JSON.parse(value) as { Statement?: unknown };
  } catch {
    return undefined;
  }
}

export interface Statement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export function statements(value: unknown): Statement[] {
  const document = policyDocument(value);
  const list = document?.Statement;
  return (Array.isArray(list) ? list : list ? [list] : []) as Statement[];
}

/** True when an IAM principal is everyone: `"*"` or `{ "AWS": "*" }` (or a list holding it). */
export function isWildcardPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal && typeof principal === "object") {
    return Object.values(principal as Record<string, unknown>).some((v) => strings(v).includes("*"));
  }
  return false;
}

/**
 * Links to each provider's documentation of a resource, at the version this project pins
 * (the provider repositories' own docs, which the registry renders).
 */
export const docs = {
  aws: (resource: string) => `https://github.com/hashicorp/terraform-provider-aws/blob/v6.25.0/website/docs/r/${resource}.html.markdown`,
  azurerm: (resource: string) => `https://github.com/hashicorp/terraform-provider-azurerm/blob/v4.55.0/website/docs/r/${resource}.html.markdown`,
  google: (resource: string) => `https://github.com/hashicorp/terraform-provider-google/blob/v6.50.0/website/docs/r/${resource}.html.markdown`,
  oci: (resource: string) => `https://github.com/oracle/terraform-provider-oci/blob/v8.28.0/website/docs/r/${resource}.html.markdown`,
  ibm: (resource: string) => `https://github.com/IBM-Cloud/terraform-provider-ibm/blob/v2.5.0/website/docs/r/${resource}.html.markdown`,
} as const;

/** Defines a rule, checking the fields people read so that every rule is complete. */
export function rule(definition: Rule): Rule {
  const problems: string[] = [];
  if (!/^SIROS-(AWS|AZURE|GCP|OCI|IBM)-[A-Z0-9]+-\d+$/.test(definition.id)) problems.push("id must be SIROS-<CLOUD>-<SERVICE>-<n>");
  if (!definition.id.startsWith(`SIROS-${definition.cloud.toUpperCase()}-`)) problems.push(`id must start with SIROS-${definition.cloud.toUpperCase()}-`);
  if (definition.checkov !== undefined && !/^CKV2?_[A-Z]+_\d+$/.test(definition.checkov)) problems.push("checkov must be a Checkov id (CKV_AWS_7)");
  if (!/^https:\/\//.test(definition.docs)) problems.push("docs must be an https link");
  if (definition.resourceTypes.length === 0) problems.push("resourceTypes is empty");
  for (const field of ["title", "rationale", "fix"] as const) if (definition[field].trim().length < 10) problems.push(`${field} is missing`);
  if (problems.length) throw new Error(`rule ${definition.id}: ${problems.join("; ")}`);
  return definition;
}
