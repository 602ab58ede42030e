import { Testing } from "cdktf";
import { DEFAULT_STATE_SETTINGS, resolveStateSettings } from "../backends/settings";
import { CLOUDS, ENVIRONMENTS } from "../environments";
import { buildStacks } from "../stacks";
import { environments, synthStack } from "./support/synth";

describe("dr reads prod through remote state", () => {
  test.each(CLOUDS)("%s-dr reads the replica of prod's state at the dr site, at prod's key, and exports its network", (cloud) => {
    const { tf } = synthStack(cloud, "dr");
    const remote = tf.data?.terraform_remote_state?.primary;
    // The dr site's bucket and region, never prod's (siros-terraform-state in eu-west-1).
    expect(remote).toEqual({
      backend: "s3",
      config: { bucket: "siros-terraform-state-dr", key: `siros/prod/${cloud}/terraform.tfstate`, region: "eu-central-1", encrypt: true },
    });
    expect(tf.output.primary_network_id.value).toBe("${data.terraform_remote_state.primary.outputs.network_id}");
    expect(tf.output.primary_network_cidr.value).toBe("${data.terraform_remote_state.primary.outputs.network_cidr}");
  });

  test.each(ENVIRONMENTS.filter((e) => e !== "dr"))("%s stacks read no other stack", (env) => {
    const { tf } = synthStack("aws", env);
    expect(tf.data?.terraform_remote_state).toBeUndefined();
    expect(tf.output).not.toHaveProperty("primary_network_id");
  });

  test("reads the replica through the dr site's endpoints and with dr's own role, never prod's", () => {
    const state = resolveStateSettings({
      SIROS_STATE_ENDPOINT: "http://127.0.0.1:4569",
      SIROS_STATE_DYNAMODB_ENDPOINT: "http://127.0.0.1:4570",
      SIROS_STATE_DR_ENDPOINT: "http://127.0.0.1:5569",
    });
    const prodRole = "arn:aws:iam::123456789012:role/siros-prod-state";
    const drRole = "arn:aws:iam::123456789012:role/siros-dr-state";
    const app = Testing.app({ stackTraces: false });
    const withRoles = {
      ...environments,
      prod: { ...environments.prod, state: { roleArn: prodRole, kmsKeyId: "alias/siros-prod-state" } },
      dr: { ...environments.dr, state: { roleArn: drRole } },
    };
    const [dr] = buildStacks(app, { environments: withRoles, state, selection: { clouds: ["gcp"], environments: ["dr"] } });
    const config = JSON.parse(Testing.synth(dr)).data.terraform_remote_state.primary.config;
    expect(config).toEqual({
      bucket: "siros-terraform-state-dr",
      key: "siros/prod/gcp/terraform.tfstate",
      region: "eu-central-1",
      encrypt: true,
      endpoints: { s3: "http://127.0.0.1:5569", dynamodb: "http://127.0.0.1:4570" },
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      assume_role: { role_arn: drRole, session_name: "siros-terraform" },
    });
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
