import { Testing } from "cdktf";
import { DEFAULT_STATE_SETTINGS, resolveStateSettings } from "../backends/settings";
import { CLOUDS, ENVIRONMENTS } from "../environments";
import { buildStacks } from "../stacks";
import { environments, synthStack } from "./support/synth";

describe("dr reads prod through remote state", () => {
  test.each(CLOUDS)("%s-dr reads prod's state of its cloud at prod's key and exports its network", (cloud) => {
    const { tf } = synthStack(cloud, "dr");
    const remote = tf.data?.terraform_remote_state?.primary;
    expect(remote).toEqual({
      backend: "s3",
      config: { bucket: "siros-terraform-state", key: `siros/prod/${cloud}/terraform.tfstate`, region: "eu-west-1", encrypt: true },
    });
    expect(tf.output.primary_network_id.value).toBe("${data.terraform_remote_state.primary.outputs.network_id}");
    expect(tf.output.primary_network_cidr.value).toBe("${data.terraform_remote_state.primary.outputs.network_cidr}");
  });

  test.each(ENVIRONMENTS.filter((e) => e !== "dr"))("%s stacks read no other stack", (env) => {
    const { tf } = synthStack("aws", env);
    expect(tf.data?.terraform_remote_state).toBeUndefined();
    expect(tf.output).not.toHaveProperty("primary_network_id");
  });

  test("reads through the same endpoints and with prod's role", () => {
    const state = resolveStateSettings({ SIROS_STATE_ENDPOINT: "http://127.0.0.1:4569", SIROS_STATE_DYNAMODB_ENDPOINT: "http://127.0.0.1:4570" });
    const prodRole = "arn:aws:iam::123456789012:role/siros-prod-state";
    const app = Testing.app({ stackTraces: false });
    const withRole = { ...environments, prod: { ...environments.prod, state: { roleArn: prodRole } } };
    const [dr] = buildStacks(app, { environments: withRole, state, selection: { clouds: ["gcp"], environments: ["dr"] } });
    const config = JSON.parse(Testing.synth(dr)).data.terraform_remote_state.primary.config;
    expect(config).toMatchObject({ endpoints: { s3: "http://127.0.0.1:4569" }, use_path_style: true, assume_role: { role_arn: prodRole } });
    expect(config).not.toHaveProperty("dynamodb_table");
  });

  test("each dr stack depends on the prod stack of its cloud when both are built", () => {
    const app = Testing.app({ stackTraces: false });
    const stacks = buildStacks(app, {
      environments,
      state: DEFAULT_STATE_SETTINGS,
      selection: { clouds: CLOUDS, environments: ENVIRONMENTS },
    });
    for (const stack of stacks) {
      const expected = stack.environment.name === "dr" ? [`${stack.cloud}-prod`] : [];
      expect(stack.dependencies.map((d) => (d as { node: { id: string } }).node.id)).toEqual(expected);
    }
  });
});
