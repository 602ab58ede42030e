import { ConfigError, ENVIRONMENT_DEFINITIONS, loadEnvironments, type EnvironmentDefinition, type EnvironmentName } from "../environments";

/**
 * Refusals compared whole: the complete list of problems, each message in full (valid names
 * listed completely), so that removing or loosening a validation fails a test.
 */
function problems(name: EnvironmentName, patch: (d: EnvironmentDefinition) => EnvironmentDefinition): readonly string[] {
  try {
    loadEnvironments(ENVIRONMENT_DEFINITIONS.map((d) => (d.name === name ? patch(d) : d)));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("loadEnvironments accepted a bad configuration");
}

const AZURE_REGIONS =
  "australiaeast, brazilsouth, canadacentral, centralindia, centralus, eastasia, eastus, eastus2, francecentral, germanywestcentral, israelcentral, italynorth, japaneast, koreacentral, mexicocentral, northeurope, norwayeast, polandcentral, qatarcentral, southafricanorth, southcentralus, southeastasia, spaincentral, swedencentral, switzerlandnorth, uaenorth, uksouth, westeurope, westus2, westus3";

describe("environment refusals, whole", () => {
  test("fails if a region is not the cloud's, listing every valid region", () => {
    expect(problems("dev", (d) => ({ ...d, azure: { ...d.azure, region: "eu-west-1" } }))).toEqual([
      `environment "dev", field azure.region: "eu-west-1" is not a region of Azure with availability zones; valid: ${AZURE_REGIONS}`,
    ]);
  });

  test.each(["Owner", "1owner", "cost center", "team.name", "a".repeat(64), "_owner"])("fails if a tag key is %j", (key) => {
    expect(problems("dev", (d) => ({ ...d, tags: { ...d.tags, [key]: "platform" } }))).toEqual([
      `environment "dev", field tags: key ${JSON.stringify(key)} is not valid on every cloud; use a lowercase letter, then up to 62 lowercase letters, digits, "_" or "-"`,
    ]);
  });

  test("accepts the longest valid tag key and value", () => {
    expect(() => loadEnvironments(ENVIRONMENT_DEFINITIONS.map((d) => (d.name === "dev" ? { ...d, tags: { ...d.tags, ["k" + "a".repeat(62)]: "v".repeat(63) } } : d)))).not.toThrow();
  });

  test.each(["12345678901", "1234567890123", "12345678901a", "arn:aws:iam::123456789012:root", " 123456789012"])("fails if the AWS account id is %j", (accountId) => {
    expect(problems("prod", (d) => ({ ...d, aws: { ...d.aws, accountId } }))).toEqual([
      `environment "prod", field aws.accountId: ${JSON.stringify(accountId)} is not an AWS account id; expected 12 digits, e.g. "123456789012"`,
    ]);
  });

  test("accepts a 12-digit AWS account id", () => {
    expect(loadEnvironments(ENVIRONMENT_DEFINITIONS.map((d) => (d.name === "prod" ? { ...d, aws: { ...d.aws, accountId: "012345678901" } } : d))).prod.aws.accountId).toBe("012345678901");
  });

  test.each<[number, string]>([
    [5, "5 is out of range; use a whole number from 1 to 4; us-east-1 has 6 availability zones"],
    [6, "6 is out of range; use a whole number from 1 to 4; us-east-1 has 6 availability zones"],
    [2.5, "2.5 is out of range; use a whole number from 1 to 4; us-east-1 has 6 availability zones"],
    [0, "0 is out of range; use a whole number from 1 to 4; us-east-1 has 6 availability zones"],
  ])("fails if a network has %p zones, beyond the subnet plan's 4 even where the region has more", (zones, message) => {
    expect(problems("dev", (d) => ({ ...d, aws: { ...d.aws, region: "us-east-1", zones } }))).toEqual([`environment "dev", field aws.zones: ${message}`]);
  });

  test("accepts four zones where the region has them", () => {
    expect(loadEnvironments(ENVIRONMENT_DEFINITIONS.map((d) => (d.name === "dev" ? { ...d, aws: { ...d.aws, region: "us-east-1", zones: 4 } } : d))).dev.aws.zones).toBe(4);
  });
});
