import { Testing } from "cdktf";
import { AwsObservability, CONTAINER_INSIGHTS_AGENT } from "../modules/observability/aws";
import { synthModule } from "./support/module-stack";
import { observabilityPropsOf, observedFixture } from "./support/observability";
import { environments } from "./support/synth";
import type { EnvironmentConfig } from "../environments/types";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/fixture";
const AGENT_ROLE = "arn:aws:iam::123456789012:role/siros-k8s-amazon-cloudwatch-cloudwatch-agent";

function build(env: EnvironmentConfig, change: (props: ReturnType<typeof observabilityPropsOf>) => ReturnType<typeof observabilityPropsOf> = (p) => p) {
  const grants: unknown[] = [];
  const publishers: string[] = [];
  const observed = observedFixture(env, {
    database: [{ DBInstanceIdentifier: `siros-${env.name}-pg` }],
    edge: [{ LoadBalancer: "app/siros-edge/abc", TargetGroup: "targetgroup/siros-edge/def" }],
    cluster: [{ ClusterName: `siros-${env.name}-k8s` }],
    network: [{ NatGatewayId: "nat-0" }, { NatGatewayId: "nat-1" }],
  });
  const synth = synthModule((scope) => {
    new AwsObservability(scope, "observability", {
      ...change(observabilityPropsOf(env, observed)),
      keyArn: KEY,
      keys: { grant: (g) => grants.push(g), grantPublishers: (s) => publishers.push(...s) },
      agentIdentity: { principal: AGENT_ROLE, annotation: AGENT_ROLE, policyCondition: "" },
    });
  });
  return { ...synth, grants, publishers };
}

describe("AWS observability", () => {
  const prod = build(environments.prod);
  test("smoke", () => {
    console.log(JSON.stringify(prod.tf.resource, null, 1).slice(0, 6000));
    void Testing; void CONTAINER_INSIGHTS_AGENT;
  });
});
