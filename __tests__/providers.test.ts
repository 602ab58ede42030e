import { environments, synthStack } from "./support/synth";

describe("AWS provider", () => {
  test("acts only in the environment's account when one is set, and tags every resource", () => {
    const prod = { ...environments.prod, aws: { ...environments.prod.aws, accountId: "012345678901" } };
    const { tf } = synthStack("aws", prod);
    expect(tf.provider.aws).toEqual([{ region: "eu-west-1", allowed_account_ids: ["012345678901"], default_tags: [{ tags: { ...environments.prod.tags } }] }]);
  });

  test("names no account when the environment sets none", () => {
    const { tf } = synthStack("aws", { ...environments.dev, aws: { ...environments.dev.aws, accountId: undefined } });
    expect(tf.provider.aws).toEqual([{ region: environments.dev.aws.region, default_tags: [{ tags: { ...environments.dev.tags } }] }]);
  });
});
