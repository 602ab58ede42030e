import { ENVIRONMENT_DEFINITIONS, loadEnvironments, type EnvironmentDefinition, type EnvironmentName } from "../environments";
import { DIFFERS_FROM_PROD } from "../environments/shape";
import { refusal } from "./support/environments";

const environments = loadEnvironments();

function changed(name: EnvironmentName, patch: (d: EnvironmentDefinition) => EnvironmentDefinition): EnvironmentDefinition[] {
  return ENVIRONMENT_DEFINITIONS.map((d) => (d.name === name ? patch(d) : d));
}

const withStorage = (name: EnvironmentName, storage: Record<string, unknown>, backups: Record<string, unknown> = {}) =>
  changed(name, (d) => ({ ...d, storage: { ...d.storage, ...storage, backups: { ...d.storage?.backups, ...backups } } }) as EnvironmentDefinition);

/** Every storage leaf by dotted path. */
function storageLeaves(name: EnvironmentName): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
    else out.set(path, JSON.stringify(value));
  };
  walk(environments[name].storage, "storage");
  return out;
}

describe("storage settings per environment", () => {
  test("dev keeps old versions a week, access logs a month, no backup lock, no replication, no deletion protection", () => {
    expect(environments.dev.storage).toEqual({
      noncurrentVersionDays: 7,
      incompleteUploadDays: 7,
      accessLogDays: 30,
      backups: { coldAfterDays: 30, lockDays: 0, lockMode: "governance", replicate: false },
      deletionProtection: false,
    });
  });

  test("prod keeps versions 90 days, locks backups 35 days in compliance mode and replicates them to dr", () => {
    expect(environments.prod.storage).toEqual({
      noncurrentVersionDays: 90,
      incompleteUploadDays: 7,
      accessLogDays: 365,
      backups: { coldAfterDays: 30, lockDays: 35, lockMode: "compliance", replicate: true },
      deletionProtection: true,
    });
  });

  test("staging and dr differ from prod's storage only in the knobs declared in environments/shape.ts", () => {
    const prod = storageLeaves("prod");
    for (const name of ["staging", "dr"] as const) {
      const differing = [...storageLeaves(name)].filter(([path, value]) => prod.get(path) !== value).map(([path]) => path);
      const declared = (DIFFERS_FROM_PROD[name] ?? []).filter((p) => p.startsWith("storage."));
      expect(differing.sort()).toEqual([...declared].sort());
    }
    expect(environments.staging.storage.backups).toEqual({ ...environments.prod.storage.backups, lockMode: "governance", replicate: false });
    expect(environments.dr.storage).toEqual({ ...environments.prod.storage, backups: { ...environments.prod.storage.backups, replicate: false } });
  });

  test("fails if a day count is out of range, naming the environment, field, value and range", () => {
    expect(refusal(withStorage("dev", { noncurrentVersionDays: 0 }))).toContain(
      `environment "dev", field storage.noncurrentVersionDays: 0 is out of range; use a whole number of days from 1 to 3650`,
    );
    expect(refusal(withStorage("dev", { incompleteUploadDays: 31 }))).toContain(
      `environment "dev", field storage.incompleteUploadDays: 31 is out of range; use a whole number of days from 1 to 30`,
    );
    expect(refusal(withStorage("dev", { accessLogDays: 2.5 }))).toContain(
      `environment "dev", field storage.accessLogDays: 2.5 is out of range; use a whole number of days from 1 to 3650`,
    );
    expect(refusal(withStorage("dev", {}, { coldAfterDays: 7 }))).toContain(
      `environment "dev", field storage.backups.coldAfterDays: 7 is out of range; use a whole number of days from 30 to 3650`,
    );
    expect(refusal(withStorage("dev", {}, { lockDays: 4000 }))).toContain(
      `environment "dev", field storage.backups.lockDays: 4000 is out of range; use a whole number of days from 1 to 3650`,
    );
  });

  test("fails if a production-shaped environment's backups are not locked", () => {
    expect(refusal(withStorage("staging", {}, { lockDays: 0 }))).toContain(
      `environment "staging", field storage.backups.lockDays: 0 is not allowed in a high-availability environment: its backups must be immutable; use 1 to 3650 days`,
    );
  });

  test("fails if the lock mode is unknown", () => {
    expect(refusal(withStorage("dev", {}, { lockMode: "strict" }))).toContain(
      `environment "dev", field storage.backups.lockMode: "strict" is not a lock mode; valid: "governance", "compliance"`,
    );
  });

  test("fails if an environment no one replicates asks for replication", () => {
    expect(refusal(withStorage("staging", {}, { replicate: true }))).toContain(
      `environment "staging", field storage.backups.replicate: true is not possible: no environment names "staging" in replicaOf, so there is no replica to receive the backups; use false`,
    );
  });

  test("fails if prod, which dr replicates, does not replicate its backups", () => {
    expect(refusal(withStorage("prod", {}, { replicate: false }))).toContain(
      `environment "prod", field storage.backups.replicate: false is not allowed: "dr" replicates this environment and must receive its backups; use true`,
    );
  });

  test("fails if replicate is not a boolean", () => {
    expect(refusal(withStorage("dev", {}, { replicate: "yes" }))).toContain(`environment "dev", field storage.backups.replicate: "yes" is not a boolean; use true or false`);
  });

  test("fails if prod or dr drop deletion protection, or it is not a boolean", () => {
    expect(refusal(withStorage("prod", { deletionProtection: false }))).toContain(
      `environment "prod", field storage.deletionProtection: false is not allowed: this environment is replicated by another environment, and its buckets hold the backups that survive a region; use true`,
    );
    expect(refusal(withStorage("dr", { deletionProtection: false }))).toContain(
      `environment "dr", field storage.deletionProtection: false is not allowed: this environment is a replica of "prod", and its buckets hold the backups that survive a region; use true`,
    );
    expect(refusal(withStorage("dev", { deletionProtection: "no" }))).toContain(`environment "dev", field storage.deletionProtection: "no" is not a boolean; use true or false`);
  });
});
