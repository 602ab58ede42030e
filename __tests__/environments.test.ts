import {
  CLOUDS,
  ConfigError,
  ENVIRONMENT_DEFINITIONS,
  ENVIRONMENTS,
  REQUIRED_TAGS,
  loadEnvironments,
  type EnvironmentDefinition,
  type EnvironmentName,
} from "../environments";
import { CLOUD_CATALOG } from "../environments/catalog";
import { cidrsOverlap, parseCidr } from "../lib/cidr";

const environments = loadEnvironments();

/** The definitions with one environment changed. */
function changed(name: EnvironmentName, patch: (d: EnvironmentDefinition) => EnvironmentDefinition): EnvironmentDefinition[] {
  return ENVIRONMENT_DEFINITIONS.map((d) => (d.name === name ? patch(d) : d));
}

function refusal(definitions: readonly EnvironmentDefinition[]): ConfigError {
  try {
    loadEnvironments(definitions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("loadEnvironments accepted a bad configuration");
}

describe("environment configuration", () => {
  test("defines every environment with every cloud and the required tags", () => {
    expect(Object.keys(environments).sort()).toEqual([...ENVIRONMENTS].sort());
    for (const name of ENVIRONMENTS) {
      const env = environments[name];
      for (const cloud of CLOUDS) expect(env[cloud]).toMatchObject({ region: expect.any(String), cidr: expect.any(String) });
      for (const tag of REQUIRED_TAGS) expect(env.tags[tag]).toMatch(/^[a-z0-9_-]+$/);
      expect(env.tags.environment).toBe(name);
    }
  });

  test("staging, prod and dr have at least three zones and a NAT per zone on every cloud; dev shares one NAT", () => {
    for (const name of ["staging", "prod", "dr"] as const) {
      expect(environments[name].network.natStrategy).toBe("per-zone");
      for (const cloud of CLOUDS) expect(environments[name][cloud].zones).toBeGreaterThanOrEqual(3);
    }
    expect(environments.dev.network.natStrategy).toBe("single");
  });

  test("staging has prod's shape", () => {
    const shape = (name: EnvironmentName) => ({
      highAvailability: environments[name].highAvailability,
      nat: environments[name].network.natStrategy,
      zones: CLOUDS.map((c) => environments[name][c].zones),
      regions: CLOUDS.map((c) => environments[name][c].region),
      ingress: environments[name].network.publicIngress,
    });
    expect(shape("staging")).toEqual(shape("prod"));
  });

  test("dr runs in a different region than prod on every cloud", () => {
    for (const cloud of CLOUDS) expect(environments.dr[cloud].region).not.toBe(environments.prod[cloud].region);
  });

  test("no two networks of any cloud or environment overlap", () => {
    const ranges = ENVIRONMENTS.flatMap((e) => CLOUDS.map((c) => parseCidr(environments[e][c].cidr)!));
    expect(ranges).toHaveLength(ENVIRONMENTS.length * CLOUDS.length);
    ranges.forEach((a, i) => ranges.slice(i + 1).forEach((b) => expect(cidrsOverlap(a, b)).toBe(false)));
  });

  test("the environment tag always names the environment, whatever a file says", () => {
    const envs = loadEnvironments(changed("prod", (d) => ({ ...d, tags: { ...d.tags, environment: "dev" } })));
    expect(envs.prod.tags.environment).toBe("prod");
  });

  test("loaded configuration is frozen", () => {
    expect(Object.isFrozen(environments.prod.aws)).toBe(true);
    expect(Object.isFrozen(environments.prod.tags)).toBe(true);
  });
});

describe("bad environment configuration", () => {
  const withAws = (name: EnvironmentName, aws: Record<string, unknown>) =>
    changed(name, (d) => ({ ...d, aws: { ...d.aws, ...aws } }));

  test.each([
    ["10.2.0.0/33", "is not a valid IPv4 CIDR"],
    ["10.2.0.1/16", "is not a valid IPv4 CIDR"],
    ["10.2.0/16", "is not a valid IPv4 CIDR"],
    ["10.2.0.0/24", "has a /24 prefix"],
    ["8.8.0.0/16", "is not a private range"],
  ])("fails if a network CIDR is %s", (cidr, problem) => {
    const error = refusal(withAws("prod", { cidr }));
    expect(error.message).toContain(`environment "prod", field aws.cidr: "${cidr}" ${problem}`);
    expect(error.message).toContain("expected a private (RFC 1918) range a.b.c.d/n with n from 16 to 20");
  });

  test("fails if two networks overlap, naming both", () => {
    const error = refusal(changed("staging", (d) => ({ ...d, gcp: { ...d.gcp!, cidr: "10.2.128.0/17" } })));
    expect(error.message).toContain(
      `environment "prod", field aws.cidr: "10.2.0.0/16" overlaps environment "staging", field gcp.cidr: "10.2.128.0/17"`,
    );
    expect(error.problems).toHaveLength(1);
  });

  test("fails if a region is not a region of that cloud, listing the valid ones", () => {
    const error = refusal(changed("dev", (d) => ({ ...d, azure: { ...d.azure, region: "eu-west-1" } })));
    expect(error.message).toMatch(
      /environment "dev", field azure.region: "eu-west-1" is not a region of Azure with availability zones; valid: .*westeurope/,
    );
  });

  test("fails if a network has zero zones", () => {
    const error = refusal(withAws("dev", { zones: 0 }));
    expect(error.message).toContain(`environment "dev", field aws.zones: 0 is out of range; use a whole number from 1 to 3; eu-west-1 has 3 availability zones`);
  });

  test("fails if a high-availability environment has fewer than three zones", () => {
    const error = refusal(withAws("prod", { zones: 2 }));
    expect(error.message).toContain(
      `environment "prod", field aws.zones: 2 is out of range; use a whole number from 3 to 3 (a high-availability environment needs at least 3)`,
    );
  });

  test("fails if zones exceed what the region has", () => {
    const error = refusal(withAws("dev", { region: "us-west-1", zones: 3 }));
    expect(error.message).toContain(`field aws.zones: 3 is out of range; use a whole number from 1 to 2; us-west-1 has 2 availability zones`);
  });

  test("fails if a required tag is missing", () => {
    const error = refusal(changed("staging", (d) => ({ ...d, tags: { ...d.tags, owner: "" } })));
    expect(error.message).toContain(
      `environment "staging", field tags.owner: required tag is missing; every environment needs project, environment, owner, cost-center, managed-by`,
    );
  });

  test("fails if a tag value is not valid on every cloud", () => {
    const error = refusal(changed("dev", (d) => ({ ...d, tags: { ...d.tags, owner: "Platform Team" } })));
    expect(error.message).toContain(`environment "dev", field tags.owner: "Platform Team" is not valid on every cloud`);
  });

  test("fails if dr shares prod's region", () => {
    const error = refusal(changed("dr", (d) => ({ ...d, gcp: { ...d.gcp!, region: "europe-west1" } })));
    expect(error.message).toContain(
      `environment "dr", field gcp.region: "europe-west1" is prod's region; a replica of prod must use a different Google Cloud region`,
    );
  });

  test("fails if an environment is a replica of itself", () => {
    const error = refusal(changed("dr", (d) => ({ ...d, replicaOf: "dr" })));
    expect(error.message).toContain(`environment "dr", field replicaOf: "dr" is not another environment; valid: dev, staging, prod`);
  });

  test("fails if an environment is a replica of a replica", () => {
    const error = refusal(changed("staging", (d) => ({ ...d, replicaOf: "dr", aws: { ...d.aws!, region: "eu-west-2" } })));
    expect(error.message).toContain(`environment "staging", field replicaOf: "dr" is itself a replica of "prod"; name the primary environment`);
  });

  test("fails if a high-availability environment shares one NAT", () => {
    const error = refusal(changed("prod", (d) => ({ ...d, network: { ...d.network, natStrategy: "single" } })));
    expect(error.message).toContain(`environment "prod", field network.natStrategy: "single" is not allowed in a high-availability environment`);
  });

  test("fails if flow-log retention is not accepted by every cloud", () => {
    const error = refusal(changed("dev", (d) => ({ ...d, network: { ...d.network, flowLogRetentionDays: 365 } })));
    expect(error.message).toContain(
      `environment "dev", field network.flowLogRetentionDays: 365 is not a supported retention; valid: 30, 60, 90, 120, 150, 180`,
    );
  });

  test("fails if a public ingress rule is malformed", () => {
    const bad = { description: "", protocol: "icmp", port: 0, sourceCidr: "any" } as never;
    const error = refusal(changed("dev", (d) => ({ ...d, network: { ...d.network, publicIngress: [bad] } })));
    for (const field of ["protocol", "port", "sourceCidr", "description"]) {
      expect(error.message).toContain(`environment "dev", field network.publicIngress[0].${field}:`);
    }
  });

  test("fails if the state role is not an IAM role ARN", () => {
    const error = refusal(changed("prod", (d) => ({ ...d, state: { roleArn: "admin" } })));
    expect(error.message).toContain(`environment "prod", field state.roleArn: "admin" is not an IAM role ARN`);
  });

  test("fails if a Google Cloud project id is invalid", () => {
    const error = refusal(changed("dev", (d) => ({ ...d, gcp: { ...d.gcp!, project: "Siros" } })));
    expect(error.message).toContain(`environment "dev", field gcp.project: "Siros" is not a Google Cloud project id`);
  });

  test("fails if the OCI parent compartment is not an OCID", () => {
    const error = refusal(changed("prod", (d) => ({ ...d, oci: { ...d.oci!, parentCompartmentId: "root" } })));
    expect(error.message).toContain(`environment "prod", field oci.parentCompartmentId: "root" is not a tenancy or compartment OCID`);
  });

  test("fails if the IBM resource group id is malformed", () => {
    const error = refusal(changed("prod", (d) => ({ ...d, ibm: { ...d.ibm!, resourceGroupId: "default" } })));
    expect(error.message).toContain(`environment "prod", field ibm.resourceGroupId: "default" is not a resource group id; expected 32 hexadecimal characters`);
  });

  test("fails if the OCI home region is not a region of Oracle Cloud", () => {
    const error = refusal(changed("dr", (d) => ({ ...d, oci: { ...d.oci!, homeRegion: "eu-frankfurt" } })));
    expect(error.problems).toEqual([
      `environment "dr", field oci.homeRegion: "eu-frankfurt" is not a region of Oracle Cloud; set the tenancy's home region, the only one where OCI Identity accepts compartment changes; valid: ${Object.keys(CLOUD_CATALOG.oci.regions).sort().join(", ")}`,
    ]);
  });

  test("every environment creates its compartment in the tenancy's one home region", () => {
    expect(ENVIRONMENTS.map((name) => environments[name].oci.homeRegion)).toEqual(["eu-frankfurt-1", "eu-frankfurt-1", "eu-frankfurt-1", "eu-frankfurt-1"]);
  });

  test("fails if a definition leaves out OCI, though the shared defaults name its home region", () => {
    const error = refusal(changed("dev", ({ oci: _oci, ...rest }) => rest));
    expect(error.problems).toEqual([`environment "dev", field oci: missing; every environment places a network on every cloud (region, cidr, zones)`]);
  });

  test.each([
    ["", "networkWatcherName"],
    ["-watcher", "networkWatcherName"],
    ["watcher-", "networkWatcherName"],
    ["w".repeat(81), "networkWatcherName"],
  ])("fails if the Azure Network Watcher name is %j", (value) => {
    const error = refusal(changed("prod", (d) => ({ ...d, azure: { ...d.azure!, networkWatcherName: value } })));
    expect(error.problems).toEqual([
      `environment "prod", field azure.networkWatcherName: ${JSON.stringify(value)} is not a Network Watcher name; use 1 to 80 letters, digits, "_", "." or "-", starting with a letter or digit and ending with a letter, digit or "_"`,
    ]);
  });

  test.each(["", "network.", "network watchers", "r".repeat(91)])("fails if the Azure Network Watcher resource group is %j", (value) => {
    const error = refusal(changed("prod", (d) => ({ ...d, azure: { ...d.azure!, networkWatcherResourceGroupName: value } })));
    expect(error.problems).toEqual([
      `environment "prod", field azure.networkWatcherResourceGroupName: ${JSON.stringify(value)} is not a resource group name; use 1 to 90 letters, digits, "_", "-", ".", "(" or ")", not ending with "."`,
    ]);
  });

  test("accepts a Network Watcher its subscription's policy created under another name", () => {
    const definitions = changed("prod", (d) => ({ ...d, azure: { ...d.azure!, networkWatcherName: "nw_westeurope.01", networkWatcherResourceGroupName: "rg-network(watchers)" } }));
    expect(loadEnvironments(definitions).prod.azure).toMatchObject({ networkWatcherName: "nw_westeurope.01", networkWatcherResourceGroupName: "rg-network(watchers)" });
  });

  test("fails if an OCI region has fewer availability domains than the environment needs", () => {
    const error = refusal(changed("prod", (d) => ({ ...d, oci: { ...d.oci!, region: "eu-zurich-1" } })));
    expect(error.message).toContain(`environment "prod", field oci.zones: 3 cannot be met: eu-zurich-1 has 1 availability domains, fewer than the 3 a high-availability environment needs; choose a region with at least 3`);
  });

  test("fails if an environment has no definition", () => {
    const error = refusal(ENVIRONMENT_DEFINITIONS.filter((d) => d.name !== "dr"));
    expect(error.message).toContain(`environment "dr": no definition`);
  });

  test("fails if a definition leaves out a cloud", () => {
    const error = refusal(changed("dev", ({ azure: _azure, ...rest }) => rest));
    expect(error.message).toContain(`environment "dev", field azure: missing`);
  });

  test("reports every problem at once", () => {
    const error = refusal(withAws("dev", { region: "mars-1", cidr: "10.0.0.0/8" }));
    expect(error.problems).toHaveLength(2);
    expect(error.message).toMatch(/^Invalid environment configuration \(2 problems\)/);
  });
});
