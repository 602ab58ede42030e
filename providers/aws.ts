import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/types";

/** Every AWS resource carries the environment's tags, and only the expected account is touched. */
export function awsProvider(scope: Construct, env: EnvironmentConfig): AwsProvider {
  return new AwsProvider(scope, "aws", providerConfig(env, env.aws.region));
}

/**
 * A provider aliased to another region of the same account, e.g. the primary's region, where
 * a replica's stack writes the replication configuration of the primary's bucket. Same tags,
 * same account guard as the stack's own provider.
 */
export function awsRegionProvider(scope: Construct, env: EnvironmentConfig, alias: string, region: string): AwsProvider {
  const stack = TerraformStack.of(scope);
  const id = `aws-${alias}`;
  const existing = stack.node.tryFindChild(id);
  return existing instanceof AwsProvider ? existing : new AwsProvider(stack, id, { alias, ...providerConfig(env, region) });
}

function providerConfig(env: EnvironmentConfig, region: string) {
  return {
    region,
    defaultTags: [{ tags: { ...env.tags } }],
    ...(env.aws.accountId ? { allowedAccountIds: [env.aws.accountId] } : {}),
  };
}
