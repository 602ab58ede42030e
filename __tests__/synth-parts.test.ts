/**
 * How the app splits its stacks between processes (stacks/selection.ts): groups that share nothing,
 * dealt evenly and the same way in every process.
 */
import { independentGroups, partitionGroups, type StackSelection } from "../stacks/selection";
import { CLOUDS, ENVIRONMENTS, type EnvironmentName } from "../environments/types";
import { synthWorkers } from "../lib/run-app";
import { environments } from "./support/synth";

const replicaOf = (name: EnvironmentName) => environments[name].replicaOf;
const ids = (groups: readonly StackSelection[]) => groups.map((g) => g.clouds.flatMap((c) => g.environments.map((e) => `${c}-${e}`)).join("+"));

describe("independent groups", () => {
  test("each cloud's environment alone, dr with the prod it replicates", () => {
    expect(ids(independentGroups({ clouds: ["aws", "ibm"], environments: [...ENVIRONMENTS] }, replicaOf))).toEqual([
      "aws-dev",
      "aws-staging",
      "aws-prod+aws-dr",
      "ibm-dev",
      "ibm-staging",
      "ibm-prod+ibm-dr",
    ]);
  });

  test("dr alone when prod is not selected", () => {
    expect(ids(independentGroups({ clouds: ["gcp"], environments: ["dev", "dr"] }, replicaOf))).toEqual(["gcp-dev", "gcp-dr"]);
  });
});

describe("parts", () => {
  const all = independentGroups({ clouds: [...CLOUDS], environments: [...ENVIRONMENTS] }, replicaOf);
  const sizes = (parts: StackSelection[][]) => parts.map((part) => part.reduce((n, g) => n + g.clouds.length * g.environments.length, 0));

  test("every stack in exactly one part, the parts within one stack of each other", () => {
    for (const count of [2, 3, 4]) {
      const parts = partitionGroups(all, count);
      expect(parts).toHaveLength(count);
      expect(parts.flatMap(ids).sort()).toEqual(ids(all).sort());
      expect(Math.max(...sizes(parts)) - Math.min(...sizes(parts))).toBeLessThanOrEqual(1);
    }
    expect(sizes(partitionGroups(all, 2))).toEqual([10, 10]);
  });

  test("the same parts every time (each process computes its own)", () => {
    expect(partitionGroups(all, 2)).toEqual(partitionGroups([...all], 2));
  });

  test("no empty part when there are fewer groups than processes", () => {
    expect(partitionGroups(independentGroups({ clouds: ["oci"], environments: ["prod", "dr"] }, replicaOf), 4).map(ids)).toEqual([["oci-prod+oci-dr"]]);
  });
});

describe("SIROS_SYNTH_WORKERS", () => {
  test("defaults to the cores, at most 4", () => {
    expect([1, 2, 4, 16].map((cores) => synthWorkers({}, cores))).toEqual([1, 2, 4, 4]);
  });

  test("a positive integer is taken as it is", () => {
    expect(synthWorkers({ SIROS_SYNTH_WORKERS: " 6 " }, 2)).toBe(6);
  });

  test("fails if it is not a positive integer, naming the variable, the value and what is valid", () => {
    expect(() => synthWorkers({ SIROS_SYNTH_WORKERS: "auto" }, 2)).toThrow(
      'Invalid synth settings (1 problem):\n  - SIROS_SYNTH_WORKERS: "auto" is not a positive integer; use 1 to synthesize in one process, or more for that many at once',
    );
  });
});
