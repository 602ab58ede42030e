import { ConfigError, ENVIRONMENT_DEFINITIONS, loadEnvironments, type EnvironmentDefinition, type EnvironmentName } from "../environments";
import { commonKubernetesVersions, KUBERNETES_VERSIONS } from "../modules/kubernetes/contract";

const environments = loadEnvironments();

/** The complete list of problems a patched environment set is refused with. */
function problems(name: EnvironmentName, patch: (k: EnvironmentDefinition["kubernetes"] & object) => object): readonly string[] {
  try {
    loadEnvironments(ENVIRONMENT_DEFINITIONS.map((d) => (d.name === name ? { ...d, kubernetes: patch({ ...d.kubernetes }) } : d)));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("loadEnvironments accepted a bad configuration");
}

describe("Kubernetes environment settings", () => {
  test("one version for every environment and cloud, one every cloud accepts", () => {
    for (const env of Object.values(environments)) expect(env.kubernetes.version).toBe("1.33");
    expect(commonKubernetesVersions()).toEqual(["1.32", "1.33", "1.34"]);
    expect(KUBERNETES_VERSIONS.oci.spell("1.33")).toBe("v1.33.1");
  });

  test("dev: small pools, spot workloads, a month of logs, deletable", () => {
    expect(environments.dev.kubernetes).toEqual({
      version: "1.33",
      systemPool: { size: "small", minNodes: 1, maxNodes: 2, spot: false },
      workloadPool: { size: "small", minNodes: 1, maxNodes: 3, spot: true },
      apiAllowedCidrs: [],
      logRetentionDays: 30,
      deletionProtection: false,
    });
  });

  test("prod and dr: on-demand, three nodes per pool at least, deletion protection; staging is prod's shape smaller", () => {
    const prodShape = {
      version: "1.33",
      systemPool: { size: "medium", minNodes: 3, maxNodes: 6, spot: false },
      workloadPool: { size: "large", minNodes: 3, maxNodes: 30, spot: false },
      apiAllowedCidrs: [],
      logRetentionDays: 180,
      deletionProtection: true,
    };
    expect(environments.prod.kubernetes).toEqual(prodShape);
    expect(environments.dr.kubernetes).toEqual(prodShape);
    expect(environments.staging.kubernetes).toEqual({
      ...prodShape,
      systemPool: { size: "small", minNodes: 3, maxNodes: 3, spot: false },
      workloadPool: { size: "medium", minNodes: 3, maxNodes: 9, spot: false },
      logRetentionDays: 90,
      deletionProtection: false,
    });
  });

  test("fails if the version is not one every cloud accepts, naming the clouds that lack it", () => {
    expect(problems("dev", (k) => ({ ...k, version: "1.31" }))).toEqual([
      `environment "dev", field kubernetes.version: "1.31" is not a Kubernetes version every cloud accepts (not offered on oci); valid: "1.32", "1.33", "1.34"`,
    ]);
    expect(problems("prod", (k) => ({ ...k, version: "1.29" }))).toEqual([
      `environment "prod", field kubernetes.version: "1.29" is not a Kubernetes version every cloud accepts; valid: "1.32", "1.33", "1.34"`,
    ]);
  });

  test("fails if a node count is outside what every cloud's autoscaler accepts", () => {
    expect(problems("dev", (k) => ({ ...k, systemPool: { ...k.systemPool, minNodes: 0 } }))).toEqual([
      `environment "dev", field kubernetes.systemPool.minNodes: 0 is out of range; use a whole number from 1 to 100`,
    ]);
    expect(problems("dev", (k) => ({ ...k, workloadPool: { ...k.workloadPool, minNodes: 4, maxNodes: 3 } }))).toEqual([
      `environment "dev", field kubernetes.workloadPool.maxNodes: 3 is out of range; use a whole number from 4 (minNodes, at least 1) to 100`,
    ]);
    expect(problems("dev", (k) => ({ ...k, workloadPool: { ...k.workloadPool, maxNodes: 101 } }))).toEqual([
      `environment "dev", field kubernetes.workloadPool.maxNodes: 101 is out of range; use a whole number from 1 (minNodes, at least 1) to 100`,
    ]);
    expect(problems("dev", (k) => ({ ...k, workloadPool: { ...k.workloadPool, minNodes: 1.5 } }))).toEqual([
      `environment "dev", field kubernetes.workloadPool.minNodes: 1.5 is out of range; use a whole number from 0 to 100`,
    ]);
  });

  test("fails if a production-shaped environment runs spot nodes or fewer than one node per zone", () => {
    expect(problems("staging", (k) => ({ ...k, workloadPool: { ...k.workloadPool, spot: true } }))).toEqual([
      `environment "staging", field kubernetes.workloadPool.spot: true is not allowed in a high-availability environment; use false (on-demand) so that nodes are not reclaimed`,
    ]);
    expect(problems("prod", (k) => ({ ...k, systemPool: { ...k.systemPool, minNodes: 2 } }))).toEqual([
      `environment "prod", field kubernetes.systemPool.minNodes: 2 is too few for a high-availability environment; use at least 3, one node per zone`,
    ]);
  });

  test("fails if a size, a retention or an API range is not valid", () => {
    expect(problems("dev", (k) => ({ ...k, systemPool: { ...k.systemPool, size: "huge" } }))).toEqual([
      `environment "dev", field kubernetes.systemPool.size: "huge" is not a node size; valid: "small", "medium", "large"`,
    ]);
    expect(problems("dev", (k) => ({ ...k, logRetentionDays: 365 }))).toEqual([
      `environment "dev", field kubernetes.logRetentionDays: 365 is not a supported retention; valid: 30, 60, 90, 120, 150, 180`,
    ]);
    expect(problems("dev", (k) => ({ ...k, apiAllowedCidrs: ["0.0.0.0/0", "10.200.0.1/24"] }))).toEqual([
      `environment "dev", field kubernetes.apiAllowedCidrs[0]: "0.0.0.0/0" is not a valid IPv4 CIDR other than 0.0.0.0/0; use a.b.c.d/n with no host bits set, e.g. "10.200.0.0/24"`,
      `environment "dev", field kubernetes.apiAllowedCidrs[1]: "10.200.0.1/24" is not a valid IPv4 CIDR other than 0.0.0.0/0; use a.b.c.d/n with no host bits set, e.g. "10.200.0.0/24"`,
    ]);
  });

  test("fails if prod or dr turn deletion protection off", () => {
    expect(problems("prod", (k) => ({ ...k, deletionProtection: false }))).toEqual([`environment "prod", field kubernetes.deletionProtection: false is not allowed in prod; use true`]);
    expect(problems("dr", (k) => ({ ...k, deletionProtection: false }))).toEqual([`environment "dr", field kubernetes.deletionProtection: false is not allowed in dr; use true`]);
  });
});
