import { ConfigError, ENVIRONMENT_DEFINITIONS, ENVIRONMENTS, loadEnvironments, type EnvironmentDefinition, type EnvironmentName } from "../environments";
import { environments, synthStack } from "./support/synth";

/** The definitions with one environment's placement on one cloud extended. */
function withPlacement(name: EnvironmentName, cloud: "aws" | "azure" | "gcp", extra: Record<string, unknown>): EnvironmentDefinition[] {
  return ENVIRONMENT_DEFINITIONS.map((d) => (d.name === name ? { ...d, [cloud]: { ...d[cloud], ...extra } } : d));
}

function problemsOf(definitions: readonly EnvironmentDefinition[]): readonly string[] {
  try {
    loadEnvironments(definitions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("loadEnvironments accepted a bad configuration");
}

describe("wrong-account guards", () => {
  test("an environment's AWS account id becomes the provider's allowed_account_ids", () => {
    const prod = loadEnvironments(withPlacement("prod", "aws", { accountId: "123456789012" })).prod;
    expect(synthStack("aws", prod).tf.provider.aws[0].allowed_account_ids).toEqual(["123456789012"]);
    expect(synthStack("aws", "prod").tf.provider.aws[0]).not.toHaveProperty("allowed_account_ids");
  });

  test("an environment's Azure subscription id becomes the provider's subscription_id", () => {
    const prod = loadEnvironments(withPlacement("prod", "azure", { subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590" })).prod;
    expect(synthStack("azure", prod).tf.provider.azurerm[0]).toEqual({ features: [{ storage: [{ data_plane_available: false }] }], subscription_id: "0b1f6471-1bf0-4dda-aec3-cb9272f09590" });
  });

  test("without a subscription id, synth still works and the provider leaves it to ARM_SUBSCRIPTION_ID", () => {
    expect(synthStack("azure", "dev").tf.provider.azurerm[0]).toEqual({ features: [{ storage: [{ data_plane_available: false }] }] });
  });

  test.each(ENVIRONMENTS)("%s: the Google provider deploys into the environment's own project", (name) => {
    expect(synthStack("gcp", name).tf.provider.google[0].project).toBe(environments[name].gcp.project);
  });

  test.each(["12345678901", "1234567890123", "12345678901a", "arn:aws:iam::123456789012:root"])("fails if the AWS account id is %s", (accountId) => {
    expect(problemsOf(withPlacement("staging", "aws", { accountId }))).toEqual([
      `environment "staging", field aws.accountId: "${accountId}" is not an AWS account id; expected 12 digits, e.g. "123456789012"`,
    ]);
  });

  test.each(["0b1f6471-1bf0-4dda-aec3", "0b1f64711bf04ddaaec3cb9272f09590", "{0b1f6471-1bf0-4dda-aec3-cb9272f09590}", "zb1f6471-1bf0-4dda-aec3-cb9272f09590"])(
    "fails if the Azure subscription id is %s",
    (subscriptionId) => {
      expect(problemsOf(withPlacement("dr", "azure", { subscriptionId }))).toEqual([
        `environment "dr", field azure.subscriptionId: "${subscriptionId}" is not an Azure subscription id; expected a GUID of 8-4-4-4-12 hexadecimal digits, e.g. "00000000-0000-0000-0000-000000000000"`,
      ]);
    },
  );

  test("fails if dr names another Azure subscription than prod's: its stack peers prod's network from its own", () => {
    const both = withPlacement("prod", "azure", { subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590" }).map((d) =>
      d.name === "dr" ? { ...d, azure: { ...d.azure!, subscriptionId: "1c2f6471-1bf0-4dda-aec3-cb9272f09591" } } : d,
    );
    expect(problemsOf(both)).toEqual([
      `environment "dr", field azure.subscriptionId: "1c2f6471-1bf0-4dda-aec3-cb9272f09591" is not prod's subscription ("0b1f6471-1bf0-4dda-aec3-cb9272f09590"); a replica of prod peers its network with prod's from one subscription: name prod's`,
    ]);
    const same = both.map((d) => (d.name === "dr" ? { ...d, azure: { ...d.azure!, subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590" } } : d));
    expect(loadEnvironments(same).dr.azure.subscriptionId).toBe("0b1f6471-1bf0-4dda-aec3-cb9272f09590");
  });

  test.each([
    ["too short (5 characters)", "siros"],
    ["too long (31 characters)", "siros-production-project-123456"],
    ["starting with a digit", "1siros-prod"],
    ["ending with a hyphen", "siros-prod-"],
    ["with uppercase letters", "Siros-Prod"],
    ["with an underscore", "siros_prod"],
  ])("fails if the Google Cloud project id is %s", (_why, project) => {
    expect(problemsOf(withPlacement("prod", "gcp", { project }))).toEqual([
      `environment "prod", field gcp.project: "${project}" is not a Google Cloud project id; use 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, e.g. "siros-prod"`,
    ]);
  });

  test("accepts Google Cloud project ids at both length limits", () => {
    expect(() => loadEnvironments(withPlacement("prod", "gcp", { project: "siros1" }))).not.toThrow();
    expect(() => loadEnvironments(withPlacement("prod", "gcp", { project: "siros-production-project-12345" }))).not.toThrow();
  });
});
