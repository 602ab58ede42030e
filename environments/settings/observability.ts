import type { AlarmThresholds, BudgetCurrency, BudgetThreshold } from "../../modules/observability/contract";

/** Alarms, notifications, log retention and the monthly budget (modules/observability). */
export interface ObservabilitySettings {
  readonly notifications: NotificationSettings;
  /** Days the observability log store keeps what it receives: one of RETENTION_DAYS. */
  readonly logRetentionDays: number;
  /** The threshold of every alarm of the contract's ALARMS, in the alarm's unit and range. */
  readonly thresholds: AlarmThresholds;
  readonly budget: BudgetSettings;
}

export interface NotificationSettings {
  /** The team's addresses: every environment's alarms and budget notifications (at least one). */
  readonly team: readonly string[];
  /** The on-call rota's addresses: prod and dr only (empty elsewhere). */
  readonly onCall: readonly string[];
  /**
   * Also page the on-call webhook, whose URL is asked at plan time as the sensitive variable
   * `oncall_webhook_url` (never stored here). prod and dr.
   */
  readonly onCallWebhook: boolean;
}

export interface BudgetSettings {
  /** Amount per calendar month in `currency`, more than 0: required. */
  readonly amount: number;
  /** One of BUDGET_CURRENCIES; Google requires the billing account's currency. */
  readonly currency: BudgetCurrency;
  /** Percent of the amount (above 0, at most 1000) on actual or forecast spend. */
  readonly thresholds: readonly BudgetThreshold[];
  /**
   * Google Cloud billing account the project's budget belongs to (`XXXXXX-XXXXXX-XXXXXX`).
   * Unset: asked at plan time as the variable `gcp_billing_account`, so that no account id lives here.
   */
  readonly gcpBillingAccount?: string;
}
