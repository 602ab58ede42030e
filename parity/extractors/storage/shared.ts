/** What every cloud's storage extractor reads the same way. */
import type { Block, StackIndex } from "../../../policy/terraform-json";
import type { Observation, Value } from "../../model";
import { agreed, encryptionOf, observe } from "../shared";
import { preventsDestroy } from "../keys/shared";

export { preventsDestroy };

export const PURPOSES = ["assets", "backups"] as const;
export type Purpose = (typeof PURPOSES)[number];

/** The value a lock-less bucket shows for its lock mode (and 0 for its lock days). */
export const NO_LOCK = "none";
/** Azure's compliance lock: created Unlocked, its state left to a one-time lock (modules/storage/gaps.ts azureComplianceLock). */
export const LOCKED_AFTER_CREATION = "compliance, locked after creation";
/** Where a bucket's data access is logged: another bucket, the cloud's log service, events, or nowhere the stack sets. */
export const LOG_BUCKET = "log bucket";
export const SERVICE_LOG = "log service";
export const OBJECT_EVENTS = "object events";
export const ACTIVITY_TRACKING = "activity tracking";
export const NO_LOGS = "none";
/** IBM's backups class: Smart Tier instead of a transition (modules/storage/gaps.ts ibmColdClass). */
export const SMART_TIER = "smart tier";

/** The storage properties every extractor returns, in the registry's order. */
export interface StorageReadings {
  readonly bucketsEncrypted: Observation;
  readonly publicAccessBlocked: Observation;
  readonly assetsVersioning: Observation;
  readonly backupsVersioning: Observation;
  readonly noncurrentVersionDays: Observation;
  readonly backupsColdAfterDays: Observation;
  readonly backupsLockDays: Observation;
  readonly backupsLockMode: Observation;
  readonly backupWriterGranted: Observation;
  readonly receivesReplica: Observation;
  readonly accessLogs: Observation;
  readonly deletionProtection: Observation;
}

/** The module's own bucket of a purpose: the block the storage construct names after the purpose (not `<purpose>-replica`). */
export function bucketOf(stack: StackIndex, type: string, purpose: Purpose): Block | undefined {
  return stack.ofType(type).find((b) => (b.constructPath ?? "").endsWith(`/storage/${purpose}`));
}

/** Both purposes' buckets that exist. */
export const bothBuckets = (stack: StackIndex, type: string): Block[] => PURPOSES.flatMap((p) => bucketOf(stack, type, p) ?? []);

/** One value over both buckets (agreed), read from each. */
export function overBuckets(buckets: readonly Block[], read: (bucket: Block) => Value, extra: readonly (Block | undefined)[] = []): Observation {
  return observe(buckets.length ? agreed(buckets.map(read)) : null, [...buckets, ...extra]);
}

/** How the buckets are encrypted, from the key block each refers to through `keyOf`. */
export function bucketEncryption(stack: StackIndex, buckets: readonly Block[], keyOf: (bucket: Block) => unknown): Observation {
  const keys = buckets.map((b) => {
    const expression = keyOf(b);
    return typeof expression === "string" ? stack.resolve(expression) : undefined;
  });
  return observe(buckets.length ? agreed(keys.map((k) => encryptionOf(stack, k))) : null, [...buckets, ...keys]);
}

/** Every bucket protected from `terraform destroy`, and (where the cloud has one) its own switch. */
export const protectedBuckets = (buckets: readonly Block[], own: (bucket: Block) => boolean = () => true): Observation =>
  overBuckets(buckets, (b) => preventsDestroy(b) && own(b));

/** A number where there is one, `none` where the thing is absent from a bucket that exists. */
export const daysOr = (bucket: Block | undefined, days: unknown, absent: Value = NO_LOCK): Value =>
  bucket === undefined ? null : typeof days === "number" ? days : typeof days === "string" && /^\d+$/.test(days) ? Number(days) : absent;

/** The first element of a list-or-object attribute, as cdktf writes nested blocks either way. */
export function one(value: unknown): Record<string, unknown> | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return item !== null && typeof item === "object" ? (item as Record<string, unknown>) : undefined;
}

export const many = (value: unknown): Record<string, unknown>[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).filter((v): v is Record<string, unknown> => v !== null && typeof v === "object");
