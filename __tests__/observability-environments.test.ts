import { ENVIRONMENT_DEFINITIONS, loadEnvironments, type EnvironmentDefinition, type EnvironmentName } from "../environments";
import { DEFAULT_ALARM_THRESHOLDS, DEFAULT_BUDGET_THRESHOLDS } from "../modules/observability/contract";
import { declared, leaves, refusal } from "./support/environments";

const environments = loadEnvironments();

/** The definitions with `name`'s observability settings changed (deeply merged over its own). */
function changed(name: EnvironmentName, observability: Record<string, unknown>): EnvironmentDefinition[] {
  return ENVIRONMENT_DEFINITIONS.map((d) => (d.name === name ? ({ ...d, observability: { ...d.observability, ...observability } } as EnvironmentDefinition) : d));
}
const budget = (name: EnvironmentName, change: Record<string, unknown>) => changed(name, { budget: { ...environments[name].observability.budget, ...change } });
const notifications = (name: EnvironmentName, change: Record<string, unknown>) =>
  changed(name, { notifications: { ...environments[name].observability.notifications, ...change } });

describe("observability settings per environment", () => {
  test("dev tells the team only, keeps a month of logs, relaxes five thresholds and has a small budget", () => {
    expect(environments.dev.observability).toEqual({
      notifications: { team: ["platform-team@example.com"], onCall: [], onCallWebhook: false },
      logRetentionDays: 30,
      thresholds: { ...DEFAULT_ALARM_THRESHOLDS, "database-cpu-high": 90, "database-connections-high": 90, "edge-5xx-rate": 10, "cluster-pool-at-max": 100, "nat-errors": 10 },
      budget: { amount: 500, currency: "USD", thresholds: DEFAULT_BUDGET_THRESHOLDS },
    });
  });

  test("prod and dr page on-call by e-mail and webhook; staging tells the team only, with a smaller budget", () => {
    expect(environments.prod.observability).toEqual({
      notifications: { team: ["platform-team@example.com"], onCall: ["oncall@example.com"], onCallWebhook: true },
      logRetentionDays: 180,
      thresholds: DEFAULT_ALARM_THRESHOLDS,
      budget: { amount: 10000, currency: "USD", thresholds: DEFAULT_BUDGET_THRESHOLDS },
    });
    expect(environments.dr.observability).toEqual(environments.prod.observability);
    expect(environments.staging.observability).toEqual({
      ...environments.prod.observability,
      notifications: { team: ["platform-team@example.com"], onCall: [], onCallWebhook: false },
      budget: { ...environments.prod.observability.budget, amount: 2500 },
    });
  });

  test.each(["dev", "staging", "dr"] as const)("%s differs from prod only in the settings declared to differ (observability's among them)", (name) => {
    const prod = leaves(environments.prod);
    const other = leaves(environments[name]);
    const paths = [...new Set([...prod.keys(), ...other.keys()])].sort();
    const differing = paths.filter((p) => prod.get(p) !== other.get(p));
    expect(differing.sort()).toEqual(declared(name).filter((p) => prod.get(p) !== other.get(p)).sort());
    for (const path of declared(name).filter((p) => p.startsWith("observability."))) expect(prod.get(path)).not.toEqual(other.get(path));
  });

  test("fails if the budget has no amount", () => {
    expect(refusal(budget("dev", { amount: undefined }))).toContain(
      `environment "dev", field observability.budget.amount: nothing is not an amount; a budget needs a monthly amount greater than 0, e.g. 500`,
    );
    expect(refusal(budget("prod", { amount: 0 }))).toContain(`environment "prod", field observability.budget.amount: 0 is not an amount; a budget needs a monthly amount greater than 0, e.g. 500`);
  });

  test("fails if a budget threshold is outside 0-1000 %", () => {
    const message = refusal(budget("staging", { thresholds: [{ percent: 1200, kind: "actual" }, { percent: 0, kind: "forecast" }] }));
    expect(message).toContain(`environment "staging", field observability.budget.thresholds[0].percent: 1200 is outside 0-1000 %; use a percentage above 0 and at most 1000`);
    expect(message).toContain(`environment "staging", field observability.budget.thresholds[1].percent: 0 is outside 0-1000 %; use a percentage above 0 and at most 1000`);
  });

  test("fails if a budget threshold is neither actual nor forecast, or listed twice", () => {
    const message = refusal(budget("dev", { thresholds: [{ percent: 80, kind: "spent" }, { percent: 50, kind: "actual" }, { percent: 50, kind: "actual" }] }));
    expect(message).toContain(`environment "dev", field observability.budget.thresholds[0].kind: "spent" is not a threshold kind; valid: "actual", "forecast"`);
    expect(message).toContain(`environment "dev", field observability.budget.thresholds[2]: {"percent":50,"kind":"actual"} is listed twice; name each threshold once`);
  });

  test("fails if the budget names no threshold or an unknown currency", () => {
    const message = refusal(budget("dev", { thresholds: [], currency: "YEN" }));
    expect(message).toContain(`environment "dev", field observability.budget.thresholds: [] names no threshold; list at least one, e.g. [{ percent: 100, kind: "actual" }]`);
    expect(message).toContain(`environment "dev", field observability.budget.currency: "YEN" is not a budget currency; valid: "USD", "EUR", "GBP"`);
  });

  test("fails if the Google billing account is malformed", () => {
    expect(refusal(budget("prod", { gcpBillingAccount: "my-billing" }))).toContain(
      `environment "prod", field observability.budget.gcpBillingAccount: "my-billing" is not a Google Cloud billing account id; expected XXXXXX-XXXXXX-XXXXXX (uppercase hexadecimal), e.g. "012345-6789AB-CDEF01"`,
    );
  });

  test("fails if an e-mail address is malformed", () => {
    const message = refusal(notifications("prod", { team: ["platform-team@example.com", "ops at example.com"], onCall: ["oncall@localhost"] }));
    expect(message).toContain(`environment "prod", field observability.notifications.team[1]: "ops at example.com" is not an e-mail address; use local-part@domain, e.g. "platform-team@example.com"`);
    expect(message).toContain(`environment "prod", field observability.notifications.onCall[0]: "oncall@localhost" is not an e-mail address; use local-part@domain, e.g. "platform-team@example.com"`);
  });

  test("fails if nobody receives alarms, or the webhook switch is not a boolean", () => {
    const message = refusal(notifications("dev", { team: [], onCallWebhook: "yes" }));
    expect(message).toContain(`environment "dev", field observability.notifications.team: [] names nobody; list at least one address that receives alarms`);
    expect(message).toContain(`environment "dev", field observability.notifications.onCallWebhook: "yes" is not a boolean; use true or false`);
  });

  test("fails if an alarm threshold is out of its range or names no alarm", () => {
    const message = refusal(changed("dev", { thresholds: { ...DEFAULT_ALARM_THRESHOLDS, "database-cpu-high": 120, "disk-full": 3 } }));
    expect(message).toContain(`environment "dev", field observability.thresholds.database-cpu-high: 120 is out of range; use a number of percent from 1 to 100`);
    expect(message).toContain(`environment "dev", field observability.thresholds.disk-full: is not an alarm; valid: "database-cpu-high", "database-storage-low", "database-connections-high", "database-replication-lag", "edge-5xx-rate", "edge-unhealthy-backends", "cluster-nodes-not-ready", "cluster-pool-at-max", "nat-errors"`);
  });

  test("fails if the log retention is not one every cloud accepts", () => {
    expect(refusal(changed("dev", { logRetentionDays: 14 }))).toContain(
      `environment "dev", field observability.logRetentionDays: 14 is not a supported retention; valid: 30, 60, 90, 120, 150, 180`,
    );
  });
});
