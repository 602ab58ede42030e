/**
 * Every `${...}` reference in a stack names a block of that stack: no stack refers to another
 * stack's constructs (SirosStack skips cdktf's prepare pass, which exists only to turn such
 * references into remote-state reads; stacks/siros-stack.ts).
 */
import { CLOUDS, ENVIRONMENTS } from "../environments/types";
import { synthStack, type TerraformJson } from "./support/synth";

/** The resource types of the providers the stacks use, by prefix. */
const TYPE = "(?:aws|azurerm|google|oci|ibm|random|time|terraform)_[a-z0-9_]+";
const REFERENCE = new RegExp(`(?<![\\w.])(data\\.)?(${TYPE})\\.([A-Za-z_][A-Za-z0-9_-]*)`, "g");

/** The references of a stack to blocks it does not hold, as `data.type.name` / `type.name`. */
export function foreignReferences(tf: TerraformJson): string[] {
  const expressions = JSON.stringify(tf).match(/\$\{[^}]*\}/g) ?? [];
  const missing = new Set<string>();
  for (const expression of expressions) {
    for (const [, data, type, name] of expression.matchAll(REFERENCE)) {
      const blocks = data ? tf.data?.[type] : tf.resource[type];
      if (!blocks?.[name]) missing.add(`${data ?? ""}${type}.${name}`);
    }
  }
  return [...missing].sort();
}

describe("references between stacks", () => {
  test.each(CLOUDS.flatMap((cloud) => ENVIRONMENTS.map((environment) => [cloud, environment] as const)))(
    "%s-%s refers only to its own blocks",
    (cloud, environment) => {
      const { tf } = synthStack(cloud, environment);
      expect(foreignReferences(tf)).toEqual([]);
      // The check reads references at all: every stack refers to its own blocks many times.
      expect(JSON.stringify(tf).match(REFERENCE)?.length).toBeGreaterThan(20);
    },
  );

  test("fails if a stack refers to a block another stack holds, naming it", () => {
    const { tf } = synthStack("aws", "dr");
    const other = synthStack("aws", "prod").tf;
    const [name] = Object.keys(other.resource.aws_vpc);
    const copy = JSON.parse(JSON.stringify(tf)) as TerraformJson;
    delete copy.resource.aws_vpc;
    copy.output.leak = { value: `\${aws_vpc.${name}.id}` };
    copy.output.leak_data = { value: "${data.aws_caller_identity.elsewhere.account_id}" };
    expect(foreignReferences(copy)).toEqual(["aws_vpc." + name, "data.aws_caller_identity.elsewhere"].sort());
  });
});
