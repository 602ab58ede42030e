import { ALARM_IDS, ALARMS, BUDGET_CURRENCIES, BUDGET_THRESHOLD_KINDS, MAX_BUDGET_PERCENT } from "../modules/observability/contract";
import type { EnvironmentConfig } from "./types";
import { RETENTION_DAYS } from "./validate";

type Report = (field: string, problem: string) => void;

/**
 * An address every cloud's e-mail notification accepts: a local part without spaces or
 * quotes, one `@`, a domain of dot-separated labels ending in a letters-only top level.
 */
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/** Google's billing account id form. */
const GCP_BILLING_ACCOUNT = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;

const show = (value: unknown): string => (value === undefined ? "nothing" : JSON.stringify(value));
const listed = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");

/** The observability knobs (environments/settings/observability.ts), checked once at load. */
export function checkObservabilitySettings(config: EnvironmentConfig, report: Report): void {
  const o = config.observability ?? ({} as Partial<EnvironmentConfig["observability"]>);
  checkNotifications(config, report);
  if (!(RETENTION_DAYS as readonly unknown[]).includes(o.logRetentionDays)) {
    report("observability.logRetentionDays", `${show(o.logRetentionDays)} is not a supported retention; valid: ${RETENTION_DAYS.join(", ")}`);
  }
  checkThresholds(o.thresholds, report);
  checkBudget(o.budget, report);
}

function checkNotifications(config: EnvironmentConfig, report: Report): void {
  const n = config.observability?.notifications ?? ({} as Partial<EnvironmentConfig["observability"]["notifications"]>);
  for (const list of ["team", "onCall"] as const) {
    const emails = n[list];
    const field = `observability.notifications.${list}`;
    if (!Array.isArray(emails)) {
      report(field, `${show(emails)} is not a list; use e-mail addresses such as ["platform-team@example.com"]`);
      continue;
    }
    emails.forEach((email, i) => {
      if (typeof email !== "string" || email.length > 254 || !EMAIL.test(email)) {
        report(`${field}[${i}]`, `${show(email)} is not an e-mail address; use local-part@domain, e.g. "platform-team@example.com"`);
      }
    });
  }
  if (Array.isArray(n.team) && n.team.length === 0) {
    report("observability.notifications.team", `[] names nobody; list at least one address that receives alarms`);
  }
  if (typeof n.onCallWebhook !== "boolean") {
    report("observability.notifications.onCallWebhook", `${show(n.onCallWebhook)} is not a boolean; use true or false`);
  }
}

function checkThresholds(thresholds: unknown, report: Report): void {
  if (typeof thresholds !== "object" || thresholds === null) {
    report("observability.thresholds", `${show(thresholds)} is not a map of alarm thresholds; set one for each of ${listed(ALARM_IDS)}`);
    return;
  }
  const given = thresholds as Record<string, unknown>;
  for (const id of ALARM_IDS) {
    const { range, unit } = ALARMS[id];
    const value = given[id];
    if (typeof value !== "number" || !Number.isFinite(value) || value < range.min || value > range.max) {
      report(`observability.thresholds.${id}`, `${show(value)} is out of range; use a number of ${unit} from ${range.min} to ${range.max}`);
    }
  }
  for (const key of Object.keys(given)) {
    if (!(ALARM_IDS as readonly string[]).includes(key)) {
      report(`observability.thresholds.${key}`, `is not an alarm; valid: ${listed(ALARM_IDS)}`);
    }
  }
}

function checkBudget(budget: EnvironmentConfig["observability"]["budget"] | undefined, report: Report): void {
  const b = budget ?? ({} as Partial<EnvironmentConfig["observability"]["budget"]>);
  if (typeof b.amount !== "number" || !Number.isFinite(b.amount) || b.amount <= 0) {
    report("observability.budget.amount", `${show(b.amount)} is not an amount; a budget needs a monthly amount greater than 0, e.g. 500`);
  }
  if (!(BUDGET_CURRENCIES as readonly unknown[]).includes(b.currency)) {
    report("observability.budget.currency", `${show(b.currency)} is not a budget currency; valid: ${listed(BUDGET_CURRENCIES)}`);
  }
  const thresholds = b.thresholds;
  if (!Array.isArray(thresholds) || thresholds.length === 0) {
    report("observability.budget.thresholds", `${show(thresholds)} names no threshold; list at least one, e.g. [{ percent: 100, kind: "actual" }]`);
  } else {
    thresholds.forEach((threshold, i) => {
      const field = `observability.budget.thresholds[${i}]`;
      const { percent, kind } = threshold ?? ({} as Partial<(typeof thresholds)[number]>);
      if (typeof percent !== "number" || !Number.isFinite(percent) || percent <= 0 || percent > MAX_BUDGET_PERCENT) {
        report(`${field}.percent`, `${show(percent)} is outside 0-${MAX_BUDGET_PERCENT} %; use a percentage above 0 and at most ${MAX_BUDGET_PERCENT}`);
      }
      if (!(BUDGET_THRESHOLD_KINDS as readonly unknown[]).includes(kind)) {
        report(`${field}.kind`, `${show(kind)} is not a threshold kind; valid: ${listed(BUDGET_THRESHOLD_KINDS)}`);
      }
      if (thresholds.findIndex((t) => t?.percent === percent && t?.kind === kind) !== i) {
        report(field, `${show(threshold)} is listed twice; name each threshold once`);
      }
    });
  }
  if (b.gcpBillingAccount !== undefined && !GCP_BILLING_ACCOUNT.test(b.gcpBillingAccount)) {
    report("observability.budget.gcpBillingAccount", `${show(b.gcpBillingAccount)} is not a Google Cloud billing account id; expected XXXXXX-XXXXXX-XXXXXX (uppercase hexadecimal), e.g. "012345-6789AB-CDEF01"`);
  }
}
