import { ENVIRONMENT_DEFINITIONS, loadEnvironments, type EnvironmentDefinition, type EnvironmentName } from "../environments";
import { DIFFERS_FROM_PROD } from "../environments/shape";
import { declared, leaves, refusal } from "./support/environments";

const environments = loadEnvironments();

function changed(name: EnvironmentName, patch: (d: EnvironmentDefinition) => EnvironmentDefinition): EnvironmentDefinition[] {
  return ENVIRONMENT_DEFINITIONS.map((d) => (d.name === name ? patch(d) : d));
}

describe("key settings per environment", () => {
  test("dev is cheap: software keys, a week's recovery window, no deletion protection", () => {
    expect(environments.dev.keys).toEqual({ rotationDays: 90, deletionWindowDays: 7, protection: "software", deletionProtection: false });
  });

  test("staging, prod and dr use the production settings; prod and dr are protected from deletion", () => {
    for (const name of ["staging", "prod", "dr"] as const) {
      expect(environments[name].keys).toMatchObject({ rotationDays: 90, deletionWindowDays: 30, protection: "hsm" });
    }
    expect(environments.prod.keys.deletionProtection).toBe(true);
    expect(environments.dr.keys.deletionProtection).toBe(true);
    expect(environments.staging.keys.deletionProtection).toBe(false);
  });

  // environments/shape.ts, which `npm run parity` also reads to judge the synthesized stacks.
  test.each(["dev", "staging", "dr"] as const)("%s differs from prod only in the settings declared to differ", (name) => {
    const prod = leaves(environments.prod);
    const other = leaves(environments[name]);
    const paths = [...new Set([...prod.keys(), ...other.keys()])].sort();
    const differing = paths.filter((p) => prod.get(p) !== other.get(p));
    expect(differing.sort()).toEqual(declared(name).filter((p) => prod.get(p) !== other.get(p)).sort());
    // Every declared knob is a real setting, so the list cannot hide a typo.
    for (const path of declared(name)) expect(prod.has(path) || other.has(path)).toBe(true);
  });

  test("prod declares nothing: it is the reference", () => {
    expect(DIFFERS_FROM_PROD.prod).toBeUndefined();
  });
});

describe("bad key settings", () => {
  test("fails if the rotation period is not one every cloud accepts", () => {
    const message = refusal(changed("dev", (d) => ({ ...d, keys: { ...d.keys, rotationDays: 45 } })));
    expect(message).toContain(`environment "dev", field keys.rotationDays: 45 is not a rotation period every cloud accepts; use a multiple of 30 from 90 to 360 days`);
    expect(refusal(changed("dev", (d) => ({ ...d, keys: { ...d.keys, rotationDays: 100 } })))).toContain(`field keys.rotationDays: 100 is not a rotation period`);
    expect(refusal(changed("dev", (d) => ({ ...d, keys: { ...d.keys, rotationDays: 390 } })))).toContain(`field keys.rotationDays: 390 is not a rotation period`);
  });

  test("fails if the deletion window is out of range", () => {
    const message = refusal(changed("prod", (d) => ({ ...d, keys: { ...d.keys, deletionWindowDays: 90 } })));
    expect(message).toContain(`environment "prod", field keys.deletionWindowDays: 90 is out of range; use a whole number of days from 7 to 30`);
    expect(refusal(changed("dev", (d) => ({ ...d, keys: { ...d.keys, deletionWindowDays: 6 } })))).toContain(`field keys.deletionWindowDays: 6 is out of range`);
  });

  test("fails if the protection level is unknown", () => {
    const message = refusal(changed("dev", (d) => ({ ...d, keys: { ...d.keys, protection: "cloud" as never } })));
    expect(message).toContain(`environment "dev", field keys.protection: "cloud" is not a key protection; valid: "software", "hsm"`);
  });

  test("fails if a production-shaped environment uses software keys", () => {
    const message = refusal(changed("staging", (d) => ({ ...d, keys: { ...d.keys, protection: "software" } })));
    expect(message).toContain(`environment "staging", field keys.protection: "software" is not allowed in a high-availability environment; use "hsm"`);
  });

  test("fails if prod or dr drops deletion protection", () => {
    const prod = refusal(changed("prod", (d) => ({ ...d, keys: { ...d.keys, deletionProtection: false } })));
    expect(prod).toContain(`environment "prod", field keys.deletionProtection: false is not allowed: this environment is replicated by another environment, and losing its key loses its data; use true`);
    const dr = refusal(changed("dr", (d) => ({ ...d, keys: { ...d.keys, deletionProtection: false } })));
    expect(dr).toContain(`environment "dr", field keys.deletionProtection: false is not allowed: this environment is a replica of "prod"`);
  });

  test("fails if deletion protection is not a boolean", () => {
    const message = refusal(changed("dev", (d) => ({ ...d, keys: { ...d.keys, deletionProtection: "yes" as never } })));
    expect(message).toContain(`environment "dev", field keys.deletionProtection: "yes" is not a boolean; use true or false`);
  });
});
