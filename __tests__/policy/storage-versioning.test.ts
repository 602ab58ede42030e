/**
 * Backups buckets with a lock cannot be versioned on Google Cloud and OCI (modules/storage/gaps.ts
 * gcpLockedVersioning, ociLockedVersioning): the versioning rules accept the retention that
 * protects them instead, and nothing else.
 */
import { runChecks } from "../../policy/engine";
import { RULES } from "../../policy/rules";
import { StackIndex } from "../../policy/terraform-json";
import { synthStack } from "../support/synth";
import { documentOf, type Blocks } from "./fixtures/support";

function flagged(ruleId: string, blocks: Blocks): string[] {
  const stack = { id: "fixture-prod", file: "stacks/fixture-prod/cdk.tf.json", source: "", index: new StackIndex("fixture-prod", documentOf(blocks)) };
  return runChecks([stack], RULES, "production").stacks[0].findings.filter((f) => f.ruleId === ruleId).map((f) => f.address);
}

const GCS = "google_storage_bucket.backups";
const OCI = "oci_objectstorage_bucket.backups";
const gcsBucket = (values: Record<string, unknown>) => ({ [GCS]: { name: "backups", location: "EU", ...values } });
const ociBucket = (values: Record<string, unknown>) => ({ [OCI]: { name: "backups", namespace: "n", compartment_id: "c", ...values } });

describe("versioning rules for backups buckets", () => {
  test("a Cloud Storage bucket passes with versioning, or with a retention policy instead", () => {
    expect(flagged("SIROS-GCP-GCS-4", gcsBucket({ versioning: { enabled: true } }))).toEqual([]);
    expect(flagged("SIROS-GCP-GCS-4", gcsBucket({ versioning: { enabled: false }, retention_policy: { retention_period: 3_024_000, is_locked: true } }))).toEqual([]);
  });

  test("fails if a Cloud Storage bucket has neither versioning nor a retention policy", () => {
    expect(flagged("SIROS-GCP-GCS-4", gcsBucket({}))).toEqual([GCS]);
    expect(flagged("SIROS-GCP-GCS-4", gcsBucket({ versioning: { enabled: false } }))).toEqual([GCS]);
  });

  test("an OCI bucket passes with versioning, or with a retention rule instead", () => {
    expect(flagged("SIROS-OCI-OBJ-3", ociBucket({ versioning: "Enabled" }))).toEqual([]);
    expect(flagged("SIROS-OCI-OBJ-3", ociBucket({ versioning: "Disabled", retention_rules: [{ display_name: "lock", duration: { time_amount: "35", time_unit: "DAYS" } }] }))).toEqual([]);
  });

  test("fails if an OCI bucket has neither versioning nor a retention rule", () => {
    expect(flagged("SIROS-OCI-OBJ-3", ociBucket({ versioning: "Disabled" }))).toEqual([OCI]);
    expect(flagged("SIROS-OCI-OBJ-3", ociBucket({ versioning: "Disabled", retention_rules: [] }))).toEqual([OCI]);
  });

  test.each(["gcp", "oci"] as const)("every %s bucket of every environment passes its versioning rule", (cloud) => {
    const rule = cloud === "gcp" ? "SIROS-GCP-GCS-4" : "SIROS-OCI-OBJ-3";
    for (const env of ["dev", "staging", "prod", "dr"] as const) {
      const { tf } = synthStack(cloud, env);
      const stack = { id: `${cloud}-${env}`, file: "", source: "", index: new StackIndex(`${cloud}-${env}`, tf as never) };
      expect([env, runChecks([stack], RULES, "production").stacks[0].findings.filter((f) => f.ruleId === rule).map((f) => f.address)]).toEqual([env, []]);
    }
  });
});
