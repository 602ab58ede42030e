import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { globalName, GLOBAL_NAME_SUFFIX_LENGTH } from "../modules/shared/global-name";

function synthName(props: Parameters<typeof globalName>[2]) {
  const stack = new TerraformStack(Testing.app(), "test");
  new TerraformOutput(stack, "name", { value: globalName(stack, "suffix", props) });
  const tf = JSON.parse(Testing.synth(stack));
  return { name: tf.output.name.value as string, tf };
}

describe("globalName", () => {
  test("appends a random suffix kept in state, regenerated only when the base changes", () => {
    const { name, tf } = synthName({ base: "siros-prod-flowlogs", maxLength: 24, charset: "lower-alnum" });
    expect(name).toBe("sirosprodflowlogs${random_id.suffix.hex}");
    expect(tf.resource.random_id.suffix).toEqual({ byte_length: GLOBAL_NAME_SUFFIX_LENGTH / 2, keepers: { base: "sirosprodflowlogs" } });
    expect(tf.provider.random).toEqual([{}]);
    expect(tf.terraform.required_providers.random).toEqual({ source: "hashicorp/random", version: "3.7.2" });
  });

  test("shortens the readable base so base and suffix fit the cloud's limit, never ending in a hyphen", () => {
    const { tf, name } = synthName({ base: "Siros_Staging-ab-flow-logs", maxLength: 24, charset: "lower-alnum-hyphen" });
    const readable = tf.resource.random_id.suffix.keepers.base as string;
    expect(readable).toBe("siros-staging-ab");
    expect(readable.length + 1 + GLOBAL_NAME_SUFFIX_LENGTH).toBeLessThanOrEqual(24);
    expect(name).toBe("siros-staging-ab-${random_id.suffix.hex}");
    expect(readable.endsWith("-")).toBe(false);
  });

  test("fails if the limit leaves no room for a readable base", () => {
    expect(() => synthName({ base: "siros", maxLength: 8, charset: "lower-alnum" })).toThrow(
      "globalName suffix: a 8-character limit leaves no room for a readable base",
    );
  });
});
