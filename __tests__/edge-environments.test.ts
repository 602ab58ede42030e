import { ENVIRONMENT_DEFINITIONS, loadEnvironments, type EnvironmentDefinition, type EnvironmentName } from "../environments";
import { declared, leaves, refusal } from "./support/environments";

const environments = loadEnvironments();

function changed(name: EnvironmentName, edge: Record<string, unknown>): EnvironmentDefinition[] {
  return ENVIRONMENT_DEFINITIONS.map((d) => (d.name === name ? ({ ...d, edge: { ...d.edge, ...edge } } as EnvironmentDefinition) : d));
}

describe("edge settings per environment", () => {
  test("dev runs the WAF in detection, keeps logs 30 days and can be deleted", () => {
    expect(environments.dev.edge).toEqual({ domains: [], wafMode: "detection", minTlsVersion: "1.2", logRetentionDays: 30, deletionProtection: false });
  });

  test("staging, prod and dr block with the WAF and are protected from deletion; staging keeps logs shorter", () => {
    expect(environments.prod.edge).toEqual({ domains: [], wafMode: "prevention", minTlsVersion: "1.2", logRetentionDays: 180, deletionProtection: true });
    expect(environments.dr.edge).toEqual(environments.prod.edge);
    expect(environments.staging.edge).toEqual({ ...environments.prod.edge, logRetentionDays: 90 });
  });

  test.each(["staging", "dr"] as const)("%s differs from prod only in the settings declared to differ (the edge's among them)", (name) => {
    const prod = leaves(environments.prod);
    const other = leaves(environments[name]);
    const paths = [...new Set([...prod.keys(), ...other.keys()])].sort();
    const differing = paths.filter((p) => prod.get(p) !== other.get(p));
    expect(differing.sort()).toEqual(declared(name).filter((p) => prod.get(p) !== other.get(p)).sort());
    for (const path of declared(name).filter((p) => p.startsWith("edge."))) expect(prod.has(path) || other.has(path)).toBe(true);
  });

  test("fails if the WAF mode is unknown", () => {
    expect(refusal(changed("dev", { wafMode: "block" }))).toContain(`environment "dev", field edge.wafMode: "block" is not a WAF mode; valid: "prevention", "detection"`);
  });

  test("fails if a production-shaped environment runs the WAF in detection", () => {
    expect(refusal(changed("prod", { wafMode: "detection" }))).toContain(
      `environment "prod", field edge.wafMode: "detection" is not allowed in a high-availability environment; use "prevention" so that the WAF blocks what its rules match`,
    );
    expect(refusal(changed("staging", { wafMode: "detection" }))).toContain(`environment "staging", field edge.wafMode: "detection" is not allowed`);
  });

  test("fails if the minimum TLS version is not 1.2 or 1.3", () => {
    expect(refusal(changed("dev", { minTlsVersion: "1.1" }))).toContain(`environment "dev", field edge.minTlsVersion: "1.1" is not a supported minimum TLS version; valid: "1.2", "1.3"`);
  });

  test("fails if the log retention is not one every cloud accepts", () => {
    expect(refusal(changed("dev", { logRetentionDays: 7 }))).toContain(`environment "dev", field edge.logRetentionDays: 7 is not a supported retention; valid: 30, 60, 90, 120, 150, 180`);
  });

  test("fails if a production-shaped environment drops deletion protection", () => {
    expect(refusal(changed("dr", { deletionProtection: false }))).toContain(
      `environment "dr", field edge.deletionProtection: false is not allowed in a high-availability environment; use true so that the public entry point cannot be deleted by accident`,
    );
  });

  test("fails if deletion protection is not a boolean", () => {
    expect(refusal(changed("dev", { deletionProtection: "yes" }))).toContain(`environment "dev", field edge.deletionProtection: "yes" is not a boolean; use true or false`);
  });

  test("fails if a domain is not a host name, or listed twice", () => {
    const message = refusal(changed("dev", { domains: ["app.example.com", "App_Example", "app.example.com"] }));
    expect(message).toContain(
      `environment "dev", field edge.domains[1]: "App_Example" is not a host name; use lowercase labels of letters, digits and hyphens joined by dots, e.g. "app.example.com" (a leading "*." for a wildcard)`,
    );
    expect(message).toContain(`environment "dev", field edge.domains[2]: "app.example.com" is listed twice; name each host once`);
  });

  test("fails if there are more domains than one certificate covers", () => {
    const domains = Array.from({ length: 11 }, (_, i) => `host${i}.example.com`);
    expect(refusal(changed("dev", { domains }))).toContain(`environment "dev", field edge.domains: 11 names are too many; one certificate covers at most 10`);
  });

  test("fails if domains is not a list", () => {
    expect(refusal(changed("dev", { domains: "app.example.com" }))).toContain(`environment "dev", field edge.domains: "app.example.com" is not a list; use [] or host names such as ["app.example.com"]`);
  });

  test("accepts host names and a wildcard", () => {
    expect(() => loadEnvironments(changed("prod", { domains: ["app.example.com", "*.example.com"] }))).not.toThrow();
  });
});
