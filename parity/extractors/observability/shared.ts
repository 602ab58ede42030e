/** What every cloud's observability extractor reports the same way. */
import { ALARM_IDS, type AlarmId } from "../../../modules/observability/contract";
import type { Block } from "../../../policy/terraform-json";
import type { Observation, Value } from "../../model";
import { observe } from "../shared";

/** The notification targets as every extractor spells them: `email`, `email, webhook`, or `none`. */
export function targetList(email: boolean, webhook: boolean): string {
  return [...(email ? ["email"] : []), ...(webhook ? ["webhook"] : [])].join(", ") || "none";
}

/** A number from a literal that Terraform may write as a string (`"10000.00"`). */
export function amountOf(value: unknown): Value {
  const amount = typeof value === "number" ? value : typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(amount) ? amount : null;
}

/**
 * `alarm.<id>` for every contract alarm: true where the stack has the alarm, named
 * `<name>-<id>` as every cloud names it, null where it does not.
 */
export function alarmObservations(alarms: readonly Block[], nameOf: (alarm: Block) => unknown): Record<`alarm.${AlarmId}`, Observation> {
  return Object.fromEntries(
    ALARM_IDS.map((id) => {
      const alarm = alarms.find((a) => String(nameOf(a) ?? "").endsWith(`-${id}`));
      return [`alarm.${id}`, observe(alarm ? true : null, [alarm])];
    }),
  ) as Record<`alarm.${AlarmId}`, Observation>;
}
