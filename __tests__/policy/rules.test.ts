import { runChecks } from "../../policy/engine";
import { RULES } from "../../policy/rules";
import { CLOUDS } from "../../policy/rule";
import { StackIndex } from "../../policy/terraform-json";
import { AWS_FIXTURES } from "./fixtures/aws";
import { AZURE_FIXTURES } from "./fixtures/azure";
import { GCP_FIXTURES } from "./fixtures/gcp";
import { IBM_FIXTURES } from "./fixtures/ibm";
import { OCI_FIXTURES } from "./fixtures/oci";
import { documentOf, type Blocks, type Fixtures } from "./fixtures/support";

const FIXTURES: Fixtures = { ...AWS_FIXTURES, ...AZURE_FIXTURES, ...GCP_FIXTURES, ...OCI_FIXTURES, ...IBM_FIXTURES };

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
