import { Construct } from "constructs";
import { CosBucket } from "../../.gen/providers/ibm/cos-bucket";
import { CosBucketLifecycleConfiguration } from "../../.gen/providers/ibm/cos-bucket-lifecycle-configuration";
import { DataIbmEnDestinations } from "../../.gen/providers/ibm/data-ibm-en-destinations";
import { DataIbmEnIntegrations } from "../../.gen/providers/ibm/data-ibm-en-integrations";
import { EnDestinationWebhook } from "../../.gen/providers/ibm/en-destination-webhook";
import { EnIntegration } from "../../.gen/providers/ibm/en-integration";
import { EnSubscriptionEmail } from "../../.gen/providers/ibm/en-subscription-email";
import { EnSubscriptionWebhook } from "../../.gen/providers/ibm/en-subscription-webhook";
import { EnTopic } from "../../.gen/providers/ibm/en-topic";
import { IamAuthorizationPolicy } from "../../.gen/providers/ibm/iam-authorization-policy";
import { LogsAlert } from "../../.gen/providers/ibm/logs-alert";
import { LogsOutgoingWebhook } from "../../.gen/providers/ibm/logs-outgoing-webhook";
import { ResourceInstance } from "../../.gen/providers/ibm/resource-instance";
import { globalName } from "../shared/global-name";
import { keyValueTags } from "../shared/tags";
import {
  alarmName,
  alarmsFor,
  alertsName,
  firstMetricScope,
  onCallWebhookUrl,
  resolveObservabilityProps,
  type AlarmDefinition,
  type AlarmId,
  type Observability,
  type ObservabilityOutputs,
  type ObservabilityProps,
  type ResolvedObservabilityProps,
} from "./contract";

export interface IbmObservabilityProps extends ObservabilityProps {
  /** The environment's resource group, which holds every service instance of the module. */
  readonly resourceGroupId: string;
  /** The environment's Key Protect instance and root key (keys module): notifications and the log archive are encrypted with it. */
  readonly key: IbmObservabilityKey;
  /**
   * Whether this environment's Cloud Monitoring instance receives the region's platform
   * metrics (`default_receiver`). IBM Cloud allows one receiver per region and account:
   * environments that share a region must leave it to one of them (prod in its region, dr
   * in its own), or the second apply fails. No default, so that the composition decides it.
   */
  readonly platformMetrics: boolean;
}

export interface IbmObservabilityKey {
  readonly keyProtectGuid: string;
  readonly keyProtectCrn: string;
  /** The root key's id (Event Notifications takes the id and the instance CRN). */
  readonly rootKeyId: string;
  /** The root key's CRN (Object Storage takes the CRN). */
  readonly rootKeyCrn: string;
}

/** IBM Cloud Logs keeps logs searchable in its own store for one of these periods (Priority insights), then in the archive bucket. */
export const IBM_LOGS_HOT_RETENTION_DAYS = [7, 14, 30, 60, 90] as const;
/** Bucket names are at most 63 characters. */
const COS_BUCKET_NAME_MAX = 63;
/** Event Notifications' own e-mail service (the destination every instance has). */
export const IBM_EMAIL_DESTINATION_TYPE = "smtp_ibm";
/** Cloud Logs alerts notify on trigger and on resolution (the contract's "on alarm and on recovery"). */
export const IBM_NOTIFY_ON = "triggered_and_resolved";
/** An open incident is re-announced at most hourly. */
const RETRIGGER_SECONDS = 3600;

/**
 * A Cloud Logs alert the module builds in place of a metric alarm IBM's provider cannot
 * build (OBSERVABILITY_GAPS): PostgreSQL's own log line for the same failure, counted over
 * the alarm's window (periods × period). A window without such lines is "not breaching":
 * no line, no failure. The lines reach the instance once the account routes the region's
 * platform logs to it (gap ibmPlatformLogRouting).
 */
export interface IbmLogAlertPlan {
  readonly alarm: AlarmId;
  /** Cloud Logs alert description: letters, digits, spaces, `_` and `-` only (the provider's pattern). */
  readonly description: string;
  readonly severity: "critical" | "error" | "warning";
  /** Lucene query over the log text. */
  readonly query: string;
}

export const IBM_LOG_ALERTS: readonly IbmLogAlertPlan[] = [
  {
    alarm: "database-connections-high",
    description: "PostgreSQL refuses new clients - the connection limit is reached",
    severity: "error",
    query: '"remaining connection slots are reserved" OR "sorry, too many clients already"',
  },
  {
    alarm: "database-storage-low",
    description: "PostgreSQL cannot write - the disk is full",
    severity: "critical",
    query: '"No space left on device" OR "could not extend file"',
  },
  {
    alarm: "database-replication-lag",
    description: "The dr replica lost its primary - replication stopped",
    severity: "critical",
    query: '"could not receive data from WAL stream" OR "could not connect to the primary server"',
  },
];

/** The Cloud Logs timeframe that covers an alarm's window (periods × period, in minutes). */
export function logsTimeframe(alarm: AlarmDefinition): string {
  const minutes = alarm.periodMinutes * alarm.periods;
  const known: Record<number, string> = { 1: "timeframe_1_min", 2: "timeframe_2_min", 5: "timeframe_5_min_or_unspecified", 10: "timeframe_10_min", 15: "timeframe_15_min", 20: "timeframe_20_min", 30: "timeframe_30_min", 60: "timeframe_1_h" };
  const timeframe = known[minutes];
  if (!timeframe) throw new Error(`observability (ibm): alarm ${alarm.id} has a ${minutes}-minute window, which Cloud Logs has no timeframe for; valid: ${Object.keys(known).join(", ")} minutes`);
  return timeframe;
}

/** The longest Cloud Logs retention within the environment's; the archive bucket keeps the rest. */
export function logsHotRetention(days: number): number {
  return Math.max(...IBM_LOGS_HOT_RETENTION_DAYS.filter((d) => d <= days), IBM_LOGS_HOT_RETENTION_DAYS[0]);
}

/**
 * IBM Cloud: an Event Notifications instance (standard plan) encrypted with the environment's
 * root key, a topic `<name>-alerts` with an e-mail subscription (IBM's e-mail service, the
 * environment's addresses invited) and, where the environment pages on-call, a webhook
 * destination and subscription whose URL is the sensitive variable `oncall_webhook_url`.
 * Cloud Logs keeps logs searchable for the longest retention it offers within the
 * environment's, and archives everything to an Object Storage bucket encrypted with the root
 * key that expires after the environment's retention (searchable from Cloud Logs). Cloud
 * Monitoring receives the region's platform metrics where `platformMetrics` says this
 * environment is the region's receiver. Cloud Logs alerts on the database's
 * own failure lines notify the topic, on trigger and on resolution, through Cloud Logs'
 * Event Notifications integration. No metric alarm and no budget: the provider has neither
 * (gaps.ts says what is configured instead).
 */
export class IbmObservability extends Construct implements Observability {
  readonly outputs: ObservabilityOutputs;
  readonly notifications: ResourceInstance;
  readonly topic: EnTopic;
  readonly logs: ResourceInstance;
  readonly monitoring: ResourceInstance;
  readonly logAlerts: Readonly<Partial<Record<AlarmId, LogsAlert>>>;
  private readonly props: ResolvedObservabilityProps & Pick<IbmObservabilityProps, "resourceGroupId" | "key" | "platformMetrics">;
  private readonly tags: string[];

  constructor(scope: Construct, id: string, input: IbmObservabilityProps) {
    super(scope, id);
    this.props = { ...resolveObservabilityProps(input), resourceGroupId: input.resourceGroupId, key: input.key, platformMetrics: input.platformMetrics };
    this.tags = keyValueTags(this.props.tags);

    this.notifications = this.eventNotifications();
    this.logs = this.cloudLogs();
    const webhook = this.logsToNotifications();
    this.topic = new EnTopic(this, "topic", {
      instanceGuid: this.notifications.guid,
      name: alertsName(this.props),
      description: `Alarms and recoveries of ${this.props.name}`,
      // Cloud Logs registers itself as a source when its outbound integration is created.
      sources: [{ id: webhook.ibmEventNotifications.sourceId, rules: [{ enabled: true, eventTypeFilter: "$.*" }] }],
    });
    this.subscribe();
    this.monitoring = new ResourceInstance(this, "monitoring", {
      name: `${this.props.name}-monitoring`,
      service: "sysdig-monitor",
      plan: "graduated-tier",
      location: this.props.region,
      resourceGroupId: this.props.resourceGroupId,
      // The region's platform metrics (databases, load balancers, clusters) arrive in one instance per region and account.
      parameters: { default_receiver: String(this.props.platformMetrics) },
      tags: this.tags,
    });
    // What a Monitoring alert's Event Notifications channel (made in Monitoring, see gaps.ts) needs to publish to the topic.
    new IamAuthorizationPolicy(this, "monitoring-notify", {
      sourceServiceName: "sysdig-monitor",
      sourceResourceInstanceId: this.monitoring.guid,
      targetServiceName: "event-notifications",
      targetResourceInstanceId: this.notifications.guid,
      // Reader: the channel lists the instance's topics.
      roles: ["Reader", "Event Source Manager"],
      description: `Cloud Monitoring of ${this.props.name} sends alerts to its Event Notifications`,
    });
    this.logAlerts = this.alerts(webhook);

    this.outputs = {
      notificationIds: [this.topic.topicId],
      logStoreIds: [this.logs.crn],
      // No budget resource in the provider (gaps.ts).
      budgetId: "",
      // Every metric alarm is a gap here; the log alerts are their alternatives, not the alarms.
      alarms: {},
    };
  }

  /** The instance, then the authorization that lets it read the root key, then the key as its encryption key. */
  private eventNotifications(): ResourceInstance {
    const { name, region, resourceGroupId, key } = this.props;
    const instance = new ResourceInstance(this, "event-notifications", {
      name: `${name}-notifications`,
      service: "event-notifications",
      // Key Protect encryption needs the standard plan.
      plan: "standard",
      location: region,
      resourceGroupId,
      tags: this.tags,
    });
    const readsKey = new IamAuthorizationPolicy(this, "notifications-read-key", {
      sourceServiceName: "event-notifications",
      sourceResourceInstanceId: instance.guid,
      targetServiceName: "kms",
      targetResourceInstanceId: key.keyProtectGuid,
      roles: ["Reader"],
      description: `Event Notifications of ${name} encrypts its data with ${name}'s root key`,
    });
    // Every instance has one key integration, created with it: its id is read, then the integration is pointed at the root key.
    const integrations = new DataIbmEnIntegrations(this, "integrations", { instanceGuid: instance.guid, searchKey: "kms" });
    new EnIntegration(this, "encryption", {
      instanceGuid: instance.guid,
      integrationId: `\${[for i in ${integrations.fqn}.integrations : i.id if i.type == "kms"][0]}`,
      type: "kms",
      metadata: { endpoint: `https://private.${region}.kms.cloud.ibm.com`, crn: key.keyProtectCrn, rootKeyId: key.rootKeyId },
      dependsOn: [readsKey],
    });
    return instance;
  }

  /**
   * Cloud Logs with its data and metrics buckets: an Object Storage instance authorized to
   * read the root key, two buckets encrypted with it (logs expire after the environment's
   * retention), and the authorization for Cloud Logs to write them (scoped to the resource
   * group: the instance does not exist yet when it is granted).
   */
  private cloudLogs(): ResourceInstance {
    const { name, region, resourceGroupId, key, logRetentionDays } = this.props;
    const storage = new ResourceInstance(this, "log-archive", {
      name: `${name}-log-archive`,
      service: "cloud-object-storage",
      plan: "standard",
      location: "global",
      resourceGroupId,
      tags: this.tags,
    });
    const storageReadsKey = new IamAuthorizationPolicy(this, "archive-reads-key", {
      sourceServiceName: "cloud-object-storage",
      sourceResourceInstanceId: storage.guid,
      targetServiceName: "kms",
      targetResourceInstanceId: key.keyProtectGuid,
      roles: ["Reader"],
      description: `Object Storage unwraps the log archive buckets' key of ${name}`,
    });
    const bucket = (what: "logs" | "metrics") => {
      const created = new CosBucket(this, `${what}-bucket`, {
        // Bucket names are global across IBM Cloud: a random suffix kept in state avoids collisions.
        bucketName: globalName(this, `${what}-bucket-suffix`, { base: `${name}-${what}-archive`, maxLength: COS_BUCKET_NAME_MAX, charset: "lower-alnum-hyphen" }),
        resourceInstanceId: storage.id,
        regionLocation: region,
        storageClass: "standard",
        kmsKeyCrn: key.rootKeyCrn,
        // A bucket that still holds logs is not emptied by a destroy.
        forceDelete: false,
        activityTracking: { managementEvents: true, readDataEvents: true, writeDataEvents: true },
        metricsMonitoring: { usageMetricsEnabled: true, requestMetricsEnabled: true },
        dependsOn: [storageReadsKey],
      });
      new CosBucketLifecycleConfiguration(this, `${what}-expiry`, {
        bucketCrn: created.crn,
        bucketLocation: region,
        lifecycleRule: [{ ruleId: `expire-${what}`, status: "enable", filter: { prefix: "" }, expiration: { days: logRetentionDays } }],
      });
      return created;
    };
    const logsBucket = bucket("logs");
    const metricsBucket = bucket("metrics");
    const writesArchive = new IamAuthorizationPolicy(this, "logs-write-archive", {
      sourceServiceName: "logs",
      sourceResourceGroupId: resourceGroupId,
      targetServiceName: "cloud-object-storage",
      targetResourceInstanceId: storage.guid,
      roles: ["Writer"],
      description: `Cloud Logs of ${name} writes its archive buckets`,
    });
    return new ResourceInstance(this, "logs", {
      name: `${name}-logs`,
      service: "logs",
      plan: "standard",
      location: region,
      resourceGroupId,
      parameters: {
        retention_period: String(logsHotRetention(logRetentionDays)),
        logs_bucket_crn: logsBucket.crn,
        logs_bucket_endpoint: logsBucket.s3EndpointDirect,
        metrics_bucket_crn: metricsBucket.crn,
        metrics_bucket_endpoint: metricsBucket.s3EndpointDirect,
      },
      tags: this.tags,
      dependsOn: [writesArchive],
    });
  }

  /** Cloud Logs' outbound integration to Event Notifications, after Cloud Logs may act as a source there. */
  private logsToNotifications(): LogsOutgoingWebhook {
    const { name, region } = this.props;
    const asSource = new IamAuthorizationPolicy(this, "logs-notify", {
      sourceServiceName: "logs",
      sourceResourceInstanceId: this.logs.guid,
      targetServiceName: "event-notifications",
      targetResourceInstanceId: this.notifications.guid,
      // Viewer: the outbound integration reads the instance it registers with.
      roles: ["Event Source Manager", "Viewer"],
      description: `Cloud Logs of ${name} sends alerts to its Event Notifications`,
    });
    return new LogsOutgoingWebhook(this, "logs-integration", {
      instanceId: this.logs.guid,
      region,
      type: "ibm_event_notifications",
      name: `${name}-event-notifications`,
      ibmEventNotifications: { eventNotificationsInstanceId: this.notifications.guid, regionId: region },
      dependsOn: [asSource],
    });
  }

  /** E-mail to every address (each is invited once and confirms), and the on-call webhook where the environment pages. */
  private subscribe(): void {
    const { name, notifications } = this.props;
    const instanceGuid = this.notifications.guid;
    const destinations = new DataIbmEnDestinations(this, "destinations", { instanceGuid });
    new EnSubscriptionEmail(this, "email", {
      instanceGuid,
      name: `${name}-email`,
      description: `Alarms and recoveries of ${name} by e-mail`,
      destinationId: `\${[for d in ${destinations.fqn}.destinations : d.id if d.type == "${IBM_EMAIL_DESTINATION_TYPE}"][0]}`,
      topicId: this.topic.topicId,
      attributes: { invited: [...notifications.emails], addNotificationPayload: true, replyToMail: notifications.emails[0], replyToName: `${name} platform`, fromName: `${name} alerts` },
    });
    if (!notifications.onCallWebhook) return;
    const pager = new EnDestinationWebhook(this, "on-call", {
      instanceGuid,
      name: `${name}-on-call`,
      type: "webhook",
      description: `The on-call service of ${name}`,
      // The URL carries credentials: a sensitive variable, never a literal.
      config: { params: { verb: "POST", url: onCallWebhookUrl(this) } },
    });
    new EnSubscriptionWebhook(this, "on-call-subscription", {
      instanceGuid,
      name: `${name}-on-call`,
      description: `Alarms and recoveries of ${name} to on-call`,
      destinationId: pager.destinationId,
      topicId: this.topic.topicId,
      // Signed requests let the on-call service reject forged alerts.
      attributes: { signingEnabled: true },
    });
  }

  /** One Cloud Logs alert per planned failure line of an alarm this stack has (the replica's only in dr). */
  private alerts(webhook: LogsOutgoingWebhook): Partial<Record<AlarmId, LogsAlert>> {
    const alarms = new Map(alarmsFor(this.props.observed).map((alarm) => [alarm.id, alarm]));
    // The region's platform logs of every environment may reach one instance (gap ibmPlatformLogRouting):
    // each alert reads only this environment's deployment's lines, by the CRN its platform logs carry.
    const database = firstMetricScope("ibm", "IBM", this.props.observed.database.outputs.metricScopes, "database");
    const built: Partial<Record<AlarmId, LogsAlert>> = {};
    for (const plan of IBM_LOG_ALERTS) {
      const alarm = alarms.get(plan.alarm);
      if (!alarm) continue;
      built[plan.alarm] = new LogsAlert(this, `alert-${plan.alarm}`, {
        instanceId: this.logs.guid,
        region: this.props.region,
        name: alarmName(this.props, plan.alarm),
        description: plan.description,
        isActive: true,
        severity: plan.severity,
        condition: { moreThan: { parameters: { threshold: 0, timeframe: logsTimeframe(alarm) } } },
        filters: { filterType: "text_or_unspecified", text: `logSourceCRN:"${database.crn}" AND (${plan.query})` },
        incidentSettings: { notifyOn: IBM_NOTIFY_ON, retriggeringPeriodSeconds: RETRIGGER_SECONDS, useAsNotificationSettings: true },
        notificationGroups: [{ notifications: [{ integrationId: webhook.externalId, notifyOn: IBM_NOTIFY_ON, retriggeringPeriodSeconds: RETRIGGER_SECONDS }] }],
      });
    }
    return built;
  }
}
