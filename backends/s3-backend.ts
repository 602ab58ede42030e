import { S3Backend, type S3BackendConfig, type TerraformStack } from "cdktf";
import type { StateAccess } from "../environments/types";
import type { StateSettings } from "./settings";

// cdktf 0.21 predates Terraform's `use_lockfile`; the backend snake-cases every prop it is given.
interface S3BackendWithLockfile extends S3BackendConfig {
  readonly useLockfile?: boolean;
}

export interface StateBackendProps {
  readonly settings: StateSettings;
  /** Object key of this stack's state, from `stateKey`. */
  readonly key: string;
  /** The environment's role and KMS key, if it has them. */
  readonly access?: StateAccess;
}

/**
 * Gives a stack the project's S3 remote state: encrypted, locked as the settings say,
 * through the environment's role when it has one.
 */
export function useS3StateBackend(stack: TerraformStack, props: StateBackendProps): S3Backend {
  return new S3Backend(stack, s3BackendConfig(props));
}

export function s3BackendConfig({ settings, key, access = {} }: StateBackendProps): S3BackendWithLockfile {
  const dynamodb = settings.locking !== "lockfile";
  return {
    bucket: settings.bucket,
    key,
    region: settings.region,
    encrypt: true,
    ...(dynamodb ? { dynamodbTable: settings.lockTable } : {}),
    ...(settings.locking !== "dynamodb" ? { useLockfile: true } : {}),
    ...(access.kmsKeyId ? { kmsKeyId: access.kmsKeyId } : {}),
    // The assume_role block; top-level role_arn is deprecated since Terraform 1.11.
    ...(access.roleArn ? { assumeRole: { roleArn: access.roleArn, sessionName: "siros-terraform" } } : {}),
    ...compatibleStoreConfig(settings),
  };
}

/** An S3-compatible store has no STS, IMDS or account id to ask for, and wants path-style URLs. */
function compatibleStoreConfig(settings: StateSettings): Partial<S3BackendConfig> {
  if (!settings.s3Endpoint && !settings.dynamodbEndpoint) return {};
  return {
    endpoints: {
      ...(settings.s3Endpoint ? { s3: settings.s3Endpoint } : {}),
      ...(settings.dynamodbEndpoint ? { dynamodb: settings.dynamodbEndpoint } : {}),
    },
    usePathStyle: true,
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    skipRegionValidation: true,
  };
}
