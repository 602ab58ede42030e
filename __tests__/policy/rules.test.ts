import { runChecks } from "../../policy/engine";
import { RULES } from "../../policy/rules";
import { CLOUDS } from "../../policy/rule";
import { rule } from "../../policy/rules/helpers";
import { StackIndex } from "../../policy/terraform-json";
import { AWS_FIXTURES, AWS_OBSERVABILITY_FIXTURES } from "./fixtures/aws";
import { AZURE_FIXTURES } from "./fixtures/azure";
import { GCP_FIXTURES, GCP_OBSERVABILITY_FIXTURES } from "./fixtures/gcp";
import { IBM_FIXTURES } from "./fixtures/ibm";
import { OCI_FIXTURES } from "./fixtures/oci";
import { documentOf, type Blocks, type Fixtures } from "./fixtures/support";

const FIXTURES: Fixtures = { ...AWS_FIXTURES, ...AZURE_FIXTURES, ...GCP_FIXTURES, ...OCI_FIXTURES, ...IBM_FIXTURES, ...AWS_OBSERVABILITY_FIXTURES, ...GCP_OBSERVABILITY_FIXTURES };

/** Addresses a rule names in a stack of `blocks`, with the production pack (every rule applies). */
function flagged(ruleId: string, blocks: Blocks): string[] {
  const stack = { id: "fixture-prod", file: "stacks/fixture-prod/cdk.tf.json", source: "", index: new StackIndex("fixture-prod", documentOf(blocks)) };
  const run = runChecks([stack], RULES, "production");
  return [...new Set(run.stacks[0].findings.filter((f) => f.ruleId === ruleId).map((f) => f.address))];
}

describe("policy rules", () => {
  it("has at least 80 rules and at least 10 per cloud", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(80);
    for (const cloud of CLOUDS) expect([cloud, RULES.filter((r) => r.cloud === cloud).length >= 10]).toEqual([cloud, true]);
  });

  it("has a failing and a passing fixture for every rule, and none for a rule that does not exist", () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  describe.each(RULES.map((r) => [r.id, r] as const))("%s", (id) => {
    const fixture = FIXTURES[id];
    it("fires on its failing fixture, naming the resource", () => {
      expect(flagged(id, fixture.failing)).toEqual([fixture.address]);
    });
    it("does not fire on its passing fixture", () => {
      expect(flagged(id, fixture.passing)).toEqual([]);
    });
  });
});

describe("rule definitions", () => {
  const valid = RULES[0];

  it("fails if a rule's id, Checkov id, link or texts are malformed", () => {
    expect(() => rule({ ...valid, id: "SIROS-AWS-S3" })).toThrow("rule SIROS-AWS-S3: id must be SIROS-<CLOUD>-<SERVICE>-<n>");
    expect(() => rule({ ...valid, id: "SIROS-GCP-S3-1" })).toThrow("rule SIROS-GCP-S3-1: id must start with SIROS-AWS-");
    expect(() => rule({ ...valid, checkov: "AWS-21" })).toThrow(`rule ${valid.id}: checkov must be a Checkov id (CKV_AWS_7)`);
    expect(() => rule({ ...valid, docs: "docs.aws.amazon.com" })).toThrow(`rule ${valid.id}: docs must be an https link`);
    expect(() => rule({ ...valid, resourceTypes: [], fix: "" })).toThrow(`rule ${valid.id}: resourceTypes is empty; fix is missing`);
  });

  it("fails if two rules share an id", () => {
    expect(() => runChecks([], [valid, valid])).toThrow(`duplicate rule id ${valid.id}`);
  });

  it("links every rule to documentation at the pinned provider tags or the cloud's own docs", () => {
    const pinned = ["/terraform-provider-aws/blob/v6.25.0/", "/terraform-provider-azurerm/blob/v4.55.0/", "/terraform-provider-google/blob/v6.50.0/", "/terraform-provider-oci/blob/v8.28.0/", "/terraform-provider-ibm/blob/v2.5.0/"];
    const clouds = ["https://docs.aws.amazon.com/", "https://learn.microsoft.com/", "https://cloud.google.com/", "https://docs.oracle.com/", "https://cloud.ibm.com/docs/"];
    expect(RULES.filter((r) => !pinned.some((p) => r.docs.includes(p)) && !clouds.some((c) => r.docs.startsWith(c))).map((r) => r.id)).toEqual([]);
  });
});
