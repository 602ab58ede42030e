import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/types";

/** Every AWS resource carries the environment's tags, and only the expected account is touched. */
export function awsProvider(scope: Construct, env: EnvironmentConfig): AwsProvider {
  return new AwsProvider(scope, "aws", {
    region: env.aws.region,
    defaultTags: [{ tags: { ...env.tags } }],
    ...(env.aws.accountId ? { allowedAccountIds: [env.aws.accountId] } : {}),
  });
}
