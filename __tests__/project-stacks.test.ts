/**
 * The run's single synth of the project (support/project-stacks.ts) stands in for building each stack
 * in the test file that reads it; these prove it is the same thing, stack for stack, byte for byte.
 */
import { CLOUDS, ENVIRONMENTS } from "../environments/types";
import { asTestingSynth, projectOutputFolder, projectStackFile } from "./support/project-stacks";
import { synthStack, synthStackFile, synthStackLiveBothWays, type TerraformJson } from "./support/synth";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Testing.app stubs the cdktf version in the metadata; the real app writes its own. */
const CDKTF_VERSION = (JSON.parse(readFileSync(require.resolve("cdktf/package.json"), "utf8")) as { version: string }).version;
function withRealVersion(file: TerraformJson): TerraformJson {
  const metadata = (file as unknown as { "//": { metadata: { version: string } } })["//"].metadata;
  expect(metadata.version).toBe("stubbed");
  metadata.version = CDKTF_VERSION;
  return file;
}

const STACKS = CLOUDS.flatMap((cloud) => ENVIRONMENTS.map((environment) => [cloud, environment] as const));

describe("the project's stacks, synthesized once per run", () => {
  test("the manifest lists every stack of every cloud and environment", () => {
    const manifest = JSON.parse(readFileSync(join(projectOutputFolder(), "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(STACKS.map(([cloud, environment]) => `${cloud}-${environment}`).sort());
  });

  test.each(STACKS)("%s-%s is what building it in-process writes and what Testing.synth returns", (cloud, environment) => {
    const live = synthStackLiveBothWays(cloud, environment);
    expect(synthStackFile(cloud, environment)).toEqual(withRealVersion(live.file));
    expect(synthStack(cloud, environment).json).toBe(live.json);
  });

  test("a test that changes what it read does not change what the next one reads", () => {
    const first = projectStackFile<{ resource: Record<string, unknown> }>("aws-dev");
    first.resource = {};
    expect(Object.keys(projectStackFile<{ resource: Record<string, unknown> }>("aws-dev").resource).length).toBeGreaterThan(0);
  });

  test("asTestingSynth drops cdktf's metadata at every depth, sorts keys and breaks empty objects and lists as Testing.synth does", () => {
    const document = { b: { "//": { metadata: {} }, z: 1, a: [{ "//": 1, y: 2, x: 3 }] }, "//": {}, a: null, e: {}, l: [] };
    expect(asTestingSynth(document)).toBe(
      ["{", '  "a": null,', '  "b": {', '    "a": [', "      {", '        "x": 3,', '        "y": 2', "      }", "    ],", '    "z": 1', "  },", '  "e": {', "  },", '  "l": [', "  ]", "}"].join("\n"),
    );
  });

  test("fails if a stack the project does not synthesize is asked for", () => {
    expect(() => projectStackFile("aws-qa")).toThrow('the project synthesizes no stack "aws-qa"');
  });
});
