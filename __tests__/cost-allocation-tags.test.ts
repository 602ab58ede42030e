import { CLOUDS, ENVIRONMENTS } from "../environments";
import { COST_ALLOCATION_TAGS } from "../modules/observability/contract";
import { environments, synthStack, type TerraformJson } from "./support/synth";
import { costTagFindings, tagAttribute } from "./support/taggable";

/** Every stack of `npm run synth`, by id. */
const stacks: Record<string, { cloud: (typeof CLOUDS)[number]; environment: (typeof ENVIRONMENTS)[number]; tf: TerraformJson }> = {};
for (const cloud of CLOUDS) for (const environment of ENVIRONMENTS) stacks[`${cloud}-${environment}`] = { cloud, environment, tf: synthStack(cloud, environment).tf };

const findings = (id: string, tf: TerraformJson) => costTagFindings(id, stacks[id].cloud, tf.resource, environments[stacks[id].environment].tags);

describe("cost allocation (issue 13, point 4)", () => {
  test("every taggable resource of every stack carries project, environment, cost-center and owner with the environment's values", () => {
    expect(COST_ALLOCATION_TAGS).toEqual(["project", "environment", "cost-center", "owner"]);
    expect(Object.keys(stacks)).toHaveLength(20);
    expect(Object.entries(stacks).flatMap(([id, { tf }]) => findings(id, tf))).toEqual([]);
  });

  test("reads which types take tags from the providers' bindings, in each cloud's attribute", () => {
    expect(tagAttribute("aws", "aws_sns_topic")).toBe("tags");
    expect(tagAttribute("aws", "aws_sns_topic_subscription")).toBeUndefined();
    expect(tagAttribute("azure", "azurerm_resource_group")).toBe("tags");
    expect(tagAttribute("gcp", "google_storage_bucket")).toBe("labels");
    expect(tagAttribute("gcp", "google_container_cluster")).toBe("resource_labels");
    expect(tagAttribute("gcp", "google_monitoring_alert_policy")).toBe("user_labels");
    expect(tagAttribute("gcp", "google_sql_database_instance")).toBe("settings.user_labels");
    expect(tagAttribute("gcp", "google_compute_firewall")).toBeUndefined();
    expect(tagAttribute("oci", "oci_core_vcn")).toBe("freeform_tags");
    expect(tagAttribute("ibm", "ibm_is_vpc")).toBe("tags");
    // An access rule, not a billed resource (support/taggable.ts).
    expect(tagAttribute("ibm", "ibm_iam_trusted_profile_policy")).toBeUndefined();
  });

  test("fails if a taggable resource lacks a cost-allocation tag, naming the stack, the resource and the tags", () => {
    const tf: TerraformJson = JSON.parse(JSON.stringify(stacks["aws-prod"].tf));
    const [name, vpc] = Object.entries(tf.resource.aws_vpc)[0];
    delete vpc.tags["cost-center"];
    vpc.tags.owner = "someone-else";
    expect(findings("aws-prod", tf)).toEqual([`aws-prod: aws_vpc.${name}: tags lacks cost-center, owner`]);
  });

  test("fails if an IBM resource's tag list lacks one", () => {
    const tf: TerraformJson = JSON.parse(JSON.stringify(stacks["ibm-dev"].tf));
    const [name, vpc] = Object.entries(tf.resource.ibm_is_vpc)[0];
    vpc.tags = vpc.tags.filter((tag: string) => !tag.startsWith("project:"));
    expect(findings("ibm-dev", tf)).toEqual([`ibm-dev: ibm_is_vpc.${name}: tags lacks project`]);
  });
});
