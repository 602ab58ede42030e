import type { Rule } from "../../rule";
import { docs, first, isSet, rule } from "../helpers";

/** Rules for the observability module: the notification path encrypted, logs kept, alerts that say when they clear. */
export const OBSERVABILITY_RULES: readonly Rule[] = [
  rule({
    id: "SIROS-IBM-EN-1",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_resource_instance"],
    title: "Event Notifications instances are encrypted with a Key Protect root key",
    rationale: "Notifications carry alert payloads (log lines, resource names); a customer root key puts them under a key whose use is logged and can be revoked.",
    docs: docs.ibm("en_integration"),
    fix: "Point the instance's kms integration at the root key: ibm_en_integration { type = \"kms\", metadata { crn = <Key Protect CRN>, root_key_id = <key id>, endpoint = <private endpoint> } }.",
    check: (instance, stack) => {
      if (instance.values.service !== "event-notifications") return undefined;
      const keyed = stack
        .referencing(instance, "ibm_en_integration", "instance_guid")
        .some((integration) => integration.values.type === "kms" && isSet(first(integration.values, "metadata")?.root_key_id));
      return keyed ? undefined : "no ibm_en_integration of type kms with a root_key_id for this instance";
    },
  }),
  rule({
    id: "SIROS-IBM-LOGS-1",
    level: "error",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_resource_instance"],
    title: "Cloud Logs instances set their retention and archive to an Object Storage bucket",
    rationale: "Without a data bucket, logs older than the instance's retention are gone; the bucket keeps them searchable, encrypted with the bucket's key, for as long as its lifecycle allows.",
    docs: "https://cloud.ibm.com/docs/cloud-logs?topic=cloud-logs-about-bucket",
    fix: "Set parameters = { retention_period = \"<7|14|30|60|90>\", logs_bucket_crn = <bucket CRN>, logs_bucket_endpoint = <its direct endpoint> }.",
    check: (instance) => {
      if (instance.values.service !== "logs") return undefined;
      const parameters = (instance.values.parameters ?? {}) as Record<string, unknown>;
      return ["retention_period", "logs_bucket_crn"].filter((key) => !isSet(parameters[key])).map((key) => `parameters.${key} is not set`);
    },
  }),
  rule({
    id: "SIROS-IBM-LOGS-2",
    level: "warning",
    pack: "baseline",
    cloud: "ibm",
    resourceTypes: ["ibm_logs_alert"],
    title: "Cloud Logs alerts notify on resolution as well as on trigger",
    rationale: "An alert that never says it has cleared leaves operators guessing whether the failure is still on.",
    docs: docs.ibm("logs_alert"),
    fix: "Set incident_settings { notify_on = \"triggered_and_resolved\" } and the same notify_on on each notification.",
    check: (alert) => {
      const notifyOn = first(alert.values, "incident_settings")?.notify_on;
      return notifyOn === "triggered_and_resolved" ? undefined : `incident_settings.notify_on is ${JSON.stringify(notifyOn ?? "triggered_only")}`;
    },
  }),
];
