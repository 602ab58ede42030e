/**
 * SirosStack.toTerraform skips cdktf's last resolution of the merged stack (stacks/siros-stack.ts):
 * every project stack must come out exactly as cdktf's own TerraformStack.toTerraform makes it.
 */
import { CloudBackend, Lazy, NamedCloudWorkspace, TerraformOutput, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
import { DEFAULT_STATE_SETTINGS } from "../backends/settings";
import { buildStacks } from "../stacks";
import { SirosStack } from "../stacks/siros-stack";
import { CLOUDS, ENVIRONMENTS } from "../environments/types";
import { environments } from "./support/synth";

/** Every project stack, built in this process as main.ts builds them. */
function projectStacks(): SirosStack[] {
  return buildStacks(Testing.app({ stackTraces: false }), {
    environments,
    state: DEFAULT_STATE_SETTINGS,
    selection: { clouds: [...CLOUDS], environments: [...ENVIRONMENTS] },
  });
}

/** What cdktf 0.21's own method makes of the stack. */
const cdktfToTerraform = (stack: TerraformStack): any => TerraformStack.prototype.toTerraform.call(stack);

describe("SirosStack.toTerraform (one resolution per block)", () => {
  const stacks = projectStacks();

  test("builds all 20 project stacks", () => {
    expect(stacks.map((stack) => stack.node.id).sort()).toEqual(CLOUDS.flatMap((cloud) => ENVIRONMENTS.map((env) => `${cloud}-${env}`)).sort());
  });

  test.each(stacks.map((stack) => [stack.node.id, stack] as const))("%s: the same values as cdktf's toTerraform, and the same JSON", (_id, stack) => {
    const ours = stack.toTerraform();
    const cdktfs = cdktfToTerraform(stack);
    // Strict: no key with an undefined value, no hole in an array, where cdktf has none.
    expect(ours).toStrictEqual(cdktfs);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(cdktfs));
    // The comparison covers a whole stack: its metadata, outputs and a hundred or more blocks.
    expect(Object.keys(ours["//"].outputs).length).toBeGreaterThan(0);
    expect(Object.values(ours.resource as Record<string, object>).reduce((count, blocks) => count + Object.keys(blocks).length, 0)).toBeGreaterThan(50);
    expect(JSON.stringify(ours)).not.toMatch(/\$\{TfToken\[|#\{TfToken\[/);
  });

  test("stack-level overrides without tokens are merged as cdktf merges them (the ephemeral passwords), without cdktf's method", () => {
    const withOverrides = stacks.filter((stack) => JSON.stringify(stack.toTerraform().ephemeral ?? {}) !== "{}");
    expect(withOverrides.length).toBeGreaterThan(0);
    const cdktfs = jest.spyOn(TerraformStack.prototype, "toTerraform");
    try {
      for (const stack of withOverrides) expect(stack.toTerraform()["//"].metadata.overrides.stack).toEqual(["ephemeral"]);
      expect(cdktfs).not.toHaveBeenCalled();
    } finally {
      cdktfs.mockRestore();
    }
  });

  test.each([
    ["a list token among other elements (cdktf refuses it)", () => [...Token.asList(Lazy.listValue({ produce: () => ["a"] })), "b"]],
    ["an undefined in a list (cdktf drops it)", () => [1, undefined, 2]],
    ["a number token", () => Token.asNumber(Lazy.numberValue({ produce: () => 3 }))],
    ["a token in a key", () => ({ [Token.asString(Lazy.stringValue({ produce: () => "key" }))]: "value" })],
    ["a number token written into a string", () => `${Token.asNumber(Lazy.numberValue({ produce: () => 3 }))}`],
    ["a number token written into a key", () => ({ [`${Token.asNumber(Lazy.numberValue({ produce: () => 3 }))}`]: "value" })],
    ["a function (cdktf refuses it)", () => () => 1],
    ["an object that is not plain", () => ({ when: new Date(0), custom: { toJSON: () => "x" } })],
  ])("an override with %s comes out as cdktf makes it", (_what, value) => {
    // SirosStack's method on a small stack of a variable and an output (cheaper than a project stack).
    const stack = new TerraformStack(Testing.app({ stackTraces: false }), "override-probe");
    const variable = new TerraformVariable(stack, "name", { type: "string", default: "siros" });
    new TerraformOutput(stack, "name-out", { value: variable.stringValue });
    stack.addOverride("locals.probe", value());
    const ours = () => SirosStack.prototype.toTerraform.call(stack);
    let cdktfs: unknown;
    let cdktfError: unknown;
    try {
      cdktfs = cdktfToTerraform(stack);
    } catch (error) {
      cdktfError = error;
    }
    if (cdktfError) expect(ours).toThrow((cdktfError as Error).message);
    else expect(ours()).toStrictEqual(cdktfs);
  });

  test("the metadata's keys in cdktf's order, a cloud backend's included", () => {
    const app = Testing.app({ stackTraces: false });
    const stack = new TerraformStack(app, "cloud-probe");
    new CloudBackend(stack, { organization: "siros", workspaces: new NamedCloudWorkspace("probe") });
    stack.addOverride("locals.plain", "value");
    const ours = SirosStack.prototype.toTerraform.call(stack);
    expect(Object.keys(ours["//"].metadata)).toEqual(Object.keys(cdktfToTerraform(stack)["//"].metadata));
    expect(JSON.stringify(ours)).toBe(JSON.stringify(cdktfToTerraform(stack)));
  });

  test("a stack whose own overrides hold a token keeps cdktf's method: the token is resolved", () => {
    const [stack] = buildStacks(Testing.app({ stackTraces: false }), {
      environments,
      state: DEFAULT_STATE_SETTINGS,
      selection: { clouds: ["aws"], environments: ["dev"] },
    });
    stack.addOverride("locals.override_probe", Token.asString({ resolve: () => "resolved" }));
    const ours = stack.toTerraform();
    expect(ours.locals).toEqual({ override_probe: "resolved" });
    expect(ours).toStrictEqual(cdktfToTerraform(stack));
  });
});
