import { TerraformOutput } from "cdktf";
import { ALARM_IDS, ALARMS, ONCALL_WEBHOOK_VARIABLE } from "../modules/observability/contract";
import { hasAlarmGap, OBSERVABILITY_GAPS } from "../modules/observability/gaps";
import { IBM_LOG_ALERTS, IbmObservability, logsHotRetention, logsTimeframe, type IbmObservabilityProps } from "../modules/observability/ibm";
import { checkStack, formatFinding, loadConstraints, type StackJson } from "../providers/constraints";
import { globalNameFindings, nameCoverageFindings } from "../providers/constraints-names";
import { ibmObservability } from "../parity/extractors/observability/ibm";
import { runChecks } from "../policy/engine";
import { RULES } from "../policy/rules";
import { StackIndex, type TerraformJsonDocument } from "../policy/terraform-json";
import { keyValueTags } from "../modules/shared/tags";
import { synthModule } from "./support/module-stack";
import { observabilityPropsOf, observedFixture } from "./support/observability";
import { environments, referenceTo, synthStack } from "./support/synth";

/** A test double of the keys module's Key Protect instance and root key: literal ids in the forms the service uses. */
const KEY = {
  keyProtectGuid: "11111111-2222-3333-4444-555555555555",
  keyProtectCrn: "crn:v1:bluemix:public:kms:eu-de:a/0123456789abcdef0123456789abcdef:11111111-2222-3333-4444-555555555555::",
  rootKeyId: "66666666-7777-8888-9999-000000000000",
  rootKeyCrn: "crn:v1:bluemix:public:kms:eu-de:a/0123456789abcdef0123456789abcdef:11111111-2222-3333-4444-555555555555:key:66666666-7777-8888-9999-000000000000",
};

/** The module's props as the composition builds them from the environment, in IBM's region, with IBM's metric scopes (CRNs). */
function props(env: "dev" | "prod" | "dr"): IbmObservabilityProps {
  const config = environments[env];
  const crn = (what: string) => [{ crn: `crn:v1:bluemix:public:${what}` }];
  const observed = observedFixture(config, { database: crn("databases-for-postgresql"), edge: crn("is:load-balancer"), cluster: crn("containers-kubernetes"), network: [] });
  return { ...observabilityPropsOf(config, observed), region: config.ibm.region, resourceGroupId: `group-${env}`, key: KEY, platformMetrics: env !== "dev" };
}

/** The module in a stack of its own, its outputs as stack outputs (so that they are read resolved). */
function build(env: "dev" | "prod" | "dr") {
  const synth = synthModule((stack) => {
    const { outputs } = new IbmObservability(stack, "observability", props(env));
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(stack, name, { value });
  });
  return { ...synth, tf: synth.tf as typeof synth.tf & { variable?: Record<string, Record<string, unknown>> } };
}

/** The module's resources by construct id (`observability_<id>_<hash>`): the block, its address, a reference to it. */
function observabilityOf(tf: ReturnType<typeof synthModule>["tf"]) {
  const lookup = (type: string, id: string) => {
    const prefix = `observability_${id}_`;
    const found = Object.keys(tf.resource[type] ?? {}).filter((k) => k.startsWith(prefix) && /^[0-9A-F]{8}$/.test(k.slice(prefix.length)));
    if (found.length !== 1) throw new Error(`expected one ${type} ${prefix}<hash>, found ${found.length}`);
    return found[0];
  };
  return {
    block: (type: string, id: string) => tf.resource[type][lookup(type, id)],
    address: (type: string, id: string) => `${type}.${lookup(type, id)}`,
    ref: (type: string, id: string, attribute = "id") => `\${${type}.${lookup(type, id)}.${attribute}}`,
    data: (type: string, id: string) => `data.${type}.${Object.keys(tf.data?.[type] ?? {}).find((k) => k.startsWith(`observability_${id}_`))}`,
  };
}

describe("IBM Cloud observability", () => {
  const prod = build("prod");
  const dev = build("dev");
  const dr = build("dr");
  const p = observabilityOf(prod.tf);
  const tags = keyValueTags(environments.prod.tags);

  test("Event Notifications (standard plan) is encrypted with the root key, over Key Protect's private endpoint, once it may read the key", () => {
    expect(p.block("ibm_resource_instance", "event-notifications")).toEqual({
      name: "siros-prod-notifications",
      service: "event-notifications",
      plan: "standard",
      location: "eu-de",
      resource_group_id: "group-prod",
      tags,
    });
    const guid = p.ref("ibm_resource_instance", "event-notifications", "guid");
    const integrations = p.data("ibm_en_integrations", "integrations");
    expect(prod.tf.data!.ibm_en_integrations[integrations.split(".")[2]]).toEqual({ instance_guid: guid, search_key: "kms" });
    expect(p.block("ibm_en_integration", "encryption")).toEqual({
      instance_guid: guid,
      integration_id: `\${[for i in ${integrations}.integrations : i.id if i.type == "kms"][0]}`,
      type: "kms",
      metadata: { endpoint: "https://private.eu-de.kms.cloud.ibm.com", crn: KEY.keyProtectCrn, root_key_id: KEY.rootKeyId },
      depends_on: [p.address("ibm_iam_authorization_policy", "notifications-read-key")],
    });
  });

  test("the alerts topic takes Cloud Logs as its source and e-mails every address through IBM's e-mail service", () => {
    const guid = p.ref("ibm_resource_instance", "event-notifications", "guid");
    expect(p.block("ibm_en_topic", "topic")).toEqual({
      instance_guid: guid,
      name: "siros-prod-alerts",
      description: "Alarms and recoveries of siros-prod",
      sources: [{ id: `\${${p.address("ibm_logs_outgoing_webhook", "logs-integration")}.ibm_event_notifications[0].source_id}`, rules: [{ enabled: true, event_type_filter: "$.*" }] }],
    });
    const destinations = p.data("ibm_en_destinations", "destinations");
    expect(p.block("ibm_en_subscription_email", "email")).toEqual({
      instance_guid: guid,
      name: "siros-prod-email",
      description: "Alarms and recoveries of siros-prod by e-mail",
      destination_id: `\${[for d in ${destinations}.destinations : d.id if d.type == "smtp_ibm"][0]}`,
      topic_id: p.ref("ibm_en_topic", "topic", "topic_id"),
      attributes: {
        invited: ["platform-team@example.com", "oncall@example.com"],
        add_notification_payload: true,
        reply_to_mail: "platform-team@example.com",
        reply_to_name: "siros-prod platform",
        from_name: "siros-prod alerts",
      },
    });
  });

  test("prod pages on-call through a signed webhook whose URL is the sensitive variable, never a literal", () => {
    expect(prod.tf.variable![ONCALL_WEBHOOK_VARIABLE]).toMatchObject({ type: "string", sensitive: true, nullable: false });
    expect(p.block("ibm_en_destination_webhook", "on-call")).toMatchObject({
      name: "siros-prod-on-call",
      type: "webhook",
      config: { params: { verb: "POST", url: `\${var.${ONCALL_WEBHOOK_VARIABLE}}` } },
    });
    expect(p.block("ibm_en_subscription_webhook", "on-call-subscription")).toMatchObject({
      destination_id: p.ref("ibm_en_destination_webhook", "on-call", "destination_id"),
      topic_id: p.ref("ibm_en_topic", "topic", "topic_id"),
      attributes: { signing_enabled: true },
    });
  });

  test("dev e-mails the team only: no webhook, no variable", () => {
    const d = observabilityOf(dev.tf);
    expect(d.block("ibm_en_subscription_email", "email").attributes.invited).toEqual(["platform-team@example.com"]);
    expect(dev.tf.resource.ibm_en_destination_webhook).toBeUndefined();
    expect(dev.tf.resource.ibm_en_subscription_webhook).toBeUndefined();
    expect(dev.tf.variable).toBeUndefined();
  });

  test("Cloud Logs keeps 90 days searchable and archives to two buckets encrypted with the root key, expired after the environment's retention", () => {
    expect(p.block("ibm_resource_instance", "logs")).toMatchObject({
      name: "siros-prod-logs",
      service: "logs",
      plan: "standard",
      location: "eu-de",
      resource_group_id: "group-prod",
      parameters: {
        retention_period: "90",
        logs_bucket_crn: p.ref("ibm_cos_bucket", "logs-bucket", "crn"),
        logs_bucket_endpoint: p.ref("ibm_cos_bucket", "logs-bucket", "s3_endpoint_direct"),
        metrics_bucket_crn: p.ref("ibm_cos_bucket", "metrics-bucket", "crn"),
        metrics_bucket_endpoint: p.ref("ibm_cos_bucket", "metrics-bucket", "s3_endpoint_direct"),
      },
      tags,
    });
    for (const what of ["logs", "metrics"]) {
      expect(p.block("ibm_cos_bucket", `${what}-bucket`)).toMatchObject({
        resource_instance_id: p.ref("ibm_resource_instance", "log-archive"),
        region_location: "eu-de",
        storage_class: "standard",
        kms_key_crn: KEY.rootKeyCrn,
        force_delete: false,
        activity_tracking: { management_events: true, read_data_events: true, write_data_events: true },
        metrics_monitoring: { usage_metrics_enabled: true, request_metrics_enabled: true },
      });
      expect(p.block("ibm_cos_bucket_lifecycle_configuration", `${what}-expiry`)).toEqual({
        bucket_crn: p.ref("ibm_cos_bucket", `${what}-bucket`, "crn"),
        bucket_location: "eu-de",
        lifecycle_rule: [{ rule_id: `expire-${what}`, status: "enable", filter: { prefix: "" }, expiration: { days: 180 } }],
      });
    }
    expect(observabilityOf(dev.tf).block("ibm_resource_instance", "logs").parameters.retention_period).toBe("30");
  });

  test("the archive instance reads the key before the buckets exist; Cloud Logs may write it before it is created", () => {
    expect(p.block("ibm_cos_bucket", "logs-bucket").depends_on).toEqual([p.address("ibm_iam_authorization_policy", "archive-reads-key")]);
    expect(p.block("ibm_resource_instance", "logs").depends_on).toEqual([p.address("ibm_iam_authorization_policy", "logs-write-archive")]);
  });

  test("Cloud Logs sends to Event Notifications through its outbound integration, after it may act as a source there", () => {
    expect(p.block("ibm_logs_outgoing_webhook", "logs-integration")).toEqual({
      instance_id: p.ref("ibm_resource_instance", "logs", "guid"),
      region: "eu-de",
      type: "ibm_event_notifications",
      name: "siros-prod-event-notifications",
      ibm_event_notifications: { event_notifications_instance_id: p.ref("ibm_resource_instance", "event-notifications", "guid"), region_id: "eu-de" },
      depends_on: [p.address("ibm_iam_authorization_policy", "logs-notify")],
    });
  });

  test("Cloud Monitoring receives the region's platform metrics where the environment is the region's receiver, not in dev (which shares prod's region)", () => {
    expect(p.block("ibm_resource_instance", "monitoring")).toEqual({
      name: "siros-prod-monitoring",
      service: "sysdig-monitor",
      plan: "graduated-tier",
      location: "eu-de",
      resource_group_id: "group-prod",
      parameters: { default_receiver: "true" },
      tags,
    });
    expect(observabilityOf(dev.tf).block("ibm_resource_instance", "monitoring").parameters).toEqual({ default_receiver: "false" });
  });

  test("the module's service authorizations, each scoped to one instance where the instance exists first, with only the roles it needs", () => {
    const instance = (id: string) => p.ref("ibm_resource_instance", id, "guid");
    const rows = Object.values(prod.tf.resource.ibm_iam_authorization_policy).map((a: any) => [
      a.source_service_name,
      a.source_resource_instance_id ?? `group ${a.source_resource_group_id}`,
      a.target_service_name,
      a.target_resource_instance_id,
      a.roles,
    ]);
    // Terraform JSON orders resources by address.
    expect(rows).toEqual([
      ["cloud-object-storage", instance("log-archive"), "kms", KEY.keyProtectGuid, ["Reader"]],
      ["logs", instance("logs"), "event-notifications", instance("event-notifications"), ["Event Source Manager", "Viewer"]],
      // Before the Cloud Logs instance exists (its buckets are parameters of its creation), only its resource group can be named.
      ["logs", "group group-prod", "cloud-object-storage", instance("log-archive"), ["Writer"]],
      ["sysdig-monitor", instance("monitoring"), "event-notifications", instance("event-notifications"), ["Reader", "Event Source Manager"]],
      ["event-notifications", instance("event-notifications"), "kms", KEY.keyProtectGuid, ["Reader"]],
    ]);
  });

  test("Cloud Logs alerts on the database's failure lines notify on trigger and on resolution; the replica's only in dr", () => {
    const webhook = p.ref("ibm_logs_outgoing_webhook", "logs-integration", "external_id");
    expect(p.block("ibm_logs_alert", "alert-database-connections-high")).toEqual({
      instance_id: p.ref("ibm_resource_instance", "logs", "guid"),
      region: "eu-de",
      name: "siros-prod-database-connections-high",
      description: "PostgreSQL refuses new clients - the connection limit is reached",
      is_active: true,
      severity: "error",
      condition: { more_than: { parameters: { threshold: 0, timeframe: "timeframe_10_min" } } },
      filters: {
        filter_type: "text_or_unspecified",
        text: 'logSourceCRN:"crn:v1:bluemix:public:databases-for-postgresql" AND ("remaining connection slots are reserved" OR "sorry, too many clients already")',
      },
      incident_settings: { notify_on: "triggered_and_resolved", retriggering_period_seconds: 3600, use_as_notification_settings: true },
      notification_groups: [{ notifications: [{ integration_id: webhook, notify_on: "triggered_and_resolved", retriggering_period_seconds: 3600 }] }],
    });
    const alerts = (tf: typeof prod.tf) => Object.values(tf.resource.ibm_logs_alert).map((a: any) => [a.name, a.severity, a.condition.more_than.parameters.timeframe]);
    expect(alerts(prod.tf)).toEqual([
      ["siros-prod-database-connections-high", "error", "timeframe_10_min"],
      ["siros-prod-database-storage-low", "critical", "timeframe_5_min_or_unspecified"],
    ]);
    expect(alerts(dr.tf)).toEqual([
      ["siros-dr-database-connections-high", "error", "timeframe_10_min"],
      // Terraform JSON orders resources by address.
      ["siros-dr-database-replication-lag", "critical", "timeframe_10_min"],
      ["siros-dr-database-storage-low", "critical", "timeframe_5_min_or_unspecified"],
    ]);
  });

  test("fails if a Cloud Logs alert reads another deployment's lines (the region's platform logs of every environment may reach one instance)", () => {
    for (const { tf } of [prod, dr]) {
      const texts = Object.values(tf.resource.ibm_logs_alert).map((a: any) => a.filters.text as string);
      expect(texts.filter((text) => !text.startsWith('logSourceCRN:"crn:v1:bluemix:public:databases-for-postgresql" AND ('))).toEqual([]);
    }
  });

  test("fails if the database module exposes no metric scope for the log alerts", () => {
    const base = props("prod");
    const observed = { ...base.observed, database: { ...base.observed.database, outputs: { ...base.observed.database.outputs, metricScopes: undefined } } };
    expect(() => synthModule((stack) => new IbmObservability(stack, "observability", { ...base, observed }))).toThrow(
      "observability (ibm): the database module exposes no metricScopes; its IBM implementation must set them",
    );
  });

  test("alert descriptions keep to the provider's pattern (letters, digits, spaces, _ and -)", () => {
    expect(IBM_LOG_ALERTS.filter((a) => !/^[A-Za-z0-9_\-\s]+$/.test(a.description))).toEqual([]);
  });

  test("outputs: the topic, the Cloud Logs instance, no budget, no metric alarm", () => {
    expect(Object.fromEntries(Object.entries(prod.tf.output).map(([name, output]) => [name, output.value]))).toEqual({
      notificationIds: [p.ref("ibm_en_topic", "topic", "topic_id")],
      logStoreIds: [p.ref("ibm_resource_instance", "logs", "crn")],
      budgetId: "",
      alarms: {},
    });
  });

  test("every alarm and the budget are declared gaps on IBM Cloud, each with what is configured instead", () => {
    expect(ALARM_IDS.filter((id) => !hasAlarmGap("ibm", id))).toEqual([]);
    const ibm = Object.values(OBSERVABILITY_GAPS).filter((gap) => gap.cloud === "ibm");
    expect(ibm.map((gap) => ("alarm" in gap ? gap.alarm : gap.what))).toEqual([
      ...ALARM_IDS,
      "the searchable log store and the metrics encrypted with the environment's key",
      "the environment's platform logs (database, load balancer) sent to its own log store",
      "a monthly budget with actual and forecast notifications",
    ]);
    // Where a log alert is the alternative, the gap says so.
    for (const plan of IBM_LOG_ALERTS) expect(ibm.find((gap) => "alarm" in gap && gap.alarm === plan.alarm)!.alternative).toContain("Cloud Logs alert");
  });

  test("every resource instance carries the environment's cost-allocation tags", () => {
    expect(Object.values(prod.tf.resource.ibm_resource_instance).map((i: any) => [i.service, i.tags])).toEqual([
      ["event-notifications", tags],
      ["cloud-object-storage", tags],
      ["logs", tags],
      ["sysdig-monitor", tags],
    ]);
  });

  test("Cloud Logs' searchable retention is the longest it offers within the environment's", () => {
    expect([30, 60, 90, 120, 180].map(logsHotRetention)).toEqual([30, 60, 90, 90, 90]);
  });

  test("fails if an alarm's window has no Cloud Logs timeframe", () => {
    expect(() => logsTimeframe({ ...ALARMS["database-cpu-high"], periodMinutes: 7, periods: 1 })).toThrow(
      "observability (ibm): alarm database-cpu-high has a 7-minute window, which Cloud Logs has no timeframe for; valid: 1, 2, 5, 10, 15, 20, 30, 60 minutes",
    );
  });

  test("the on-call variable is declared at the stack, under its documented name", () => {
    expect(Object.keys(prod.tf.variable!)).toEqual([ONCALL_WEBHOOK_VARIABLE]);
  });

  test("every attribute the module sets is recorded and within the provider's validators at 2.5.0 (dev, prod, dr)", () => {
    const recorded = loadConstraints();
    const findings = Object.entries({ dev, prod, dr }).flatMap(([env, { tf }]) => {
      const stack = `observability-ibm-${env}`;
      const json = tf as unknown as StackJson;
      return [...checkStack(stack, json, recorded).map(formatFinding), ...nameCoverageFindings(stack, json, recorded), ...globalNameFindings(stack, json)];
    });
    expect(findings).toEqual([]);
  });

  test("fails the constraint check if an alert's description has punctuation the provider refuses", () => {
    const tf = JSON.parse(JSON.stringify(prod.tf));
    const name = Object.keys(tf.resource.ibm_logs_alert)[0];
    tf.resource.ibm_logs_alert[name].description = "Disk full: writes fail.";
    expect(checkStack("observability-ibm-prod", tf, loadConstraints()).map(formatFinding)).toEqual([
      expect.stringContaining(`ibm_logs_alert.${name}: description = "Disk full: writes fail."`),
    ]);
  });

  test("the production policy pack finds nothing in the module, and names the Event Notifications instance once its key integration is gone", () => {
    const findings = (tf: object) =>
      runChecks([{ id: "observability-ibm-prod", file: "cdk.tf.json", source: "", index: new StackIndex("observability-ibm-prod", tf as TerraformJsonDocument) }], RULES, "production")
        .stacks[0].findings.map((f) => `${f.ruleId} ${f.address}`);
    expect(findings(prod.tf)).toEqual([]);
    const unkeyed = JSON.parse(JSON.stringify(prod.tf));
    delete unkeyed.resource.ibm_en_integration;
    expect(findings(unkeyed)).toEqual([`SIROS-IBM-EN-1 ${p.address("ibm_resource_instance", "event-notifications")}`]);
  });

  test("the parity extractor reads the module as built: prod pages on-call and keeps 180 days, dev e-mails and keeps 30", () => {
    const profile = (tf: object) => {
      const { notificationTargets, emailRecipients, notificationsEncrypted, logRetentionDays, recoveryNotifications, budget } = ibmObservability(new StackIndex("module", tf as TerraformJsonDocument));
      return [notificationTargets, emailRecipients, notificationsEncrypted, logRetentionDays, recoveryNotifications, budget].map((o) => o.value);
    };
    expect(profile(prod.tf)).toEqual(["email, webhook", 2, true, 180, true, null]);
    expect(profile(dev.tf)).toEqual(["email", 1, true, 30, true, null]);
  });
});

describe("IBM Cloud observability in the stacks", () => {
  const stacks = Object.fromEntries((["dev", "staging", "prod", "dr"] as const).map((env) => [env, synthStack("ibm", env).tf]));
  const byService = (tf: (typeof stacks)["prod"], service: string) => Object.values(tf.resource.ibm_resource_instance).filter((i) => i.service === service);

  test("Event Notifications and the log archive take the keys module's Key Protect instance and root key", () => {
    const tf = stacks.prod;
    const observability = observabilityOf(tf);
    const keyProtect = (attribute: string) => referenceTo(tf, "ibm_resource_instance", (i) => i.service === "kms", attribute);
    const rootKey = (attribute: string) => referenceTo(tf, "ibm_kms_key", () => true, attribute);
    expect(observability.block("ibm_en_integration", "encryption").metadata).toEqual({ endpoint: "https://private.eu-de.kms.cloud.ibm.com", crn: keyProtect("crn"), root_key_id: rootKey("key_id") });
    expect(observability.block("ibm_iam_authorization_policy", "notifications-read-key").target_resource_instance_id).toBe(keyProtect("guid"));
    for (const what of ["logs", "metrics"]) expect(observability.block("ibm_cos_bucket", `${what}-bucket`).kms_key_crn).toBe(rootKey("crn"));
    expect(byService(tf, "event-notifications")[0].resource_group_id).toBe(referenceTo(tf, "ibm_resource_group", () => true));
  });

  test("the platform-metrics receiver is prod's in prod's region and dr's in dr's; dev and staging, in prod's region, leave it", () => {
    expect(Object.entries(stacks).map(([env, tf]) => [env, byService(tf, "sysdig-monitor")[0].location, byService(tf, "sysdig-monitor")[0].parameters.default_receiver])).toEqual([
      ["dev", "eu-de", "false"],
      ["staging", "eu-de", "false"],
      ["prod", "eu-de", "true"],
      ["dr", "eu-gb", "true"],
    ]);
  });

  test("every stack exports the topic and the Cloud Logs instance, an empty budget and no metric alarm", () => {
    for (const tf of Object.values(stacks)) {
      const observability = observabilityOf(tf);
      expect([tf.output.observability_notification_ids.value, tf.output.observability_log_store_ids.value, tf.output.observability_budget_id.value, tf.output.observability_alarm_ids.value]).toEqual([
        [observability.ref("ibm_en_topic", "topic", "topic_id")],
        [observability.ref("ibm_resource_instance", "logs", "crn")],
        "",
        {},
      ]);
    }
  });
});
