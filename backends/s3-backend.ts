import { S3Backend, type S3BackendConfig, type TerraformStack } from "cdktf";
import type { StateAccess } from "../environments/types";
import { stateLocation, type StateLocation, type StateSettings, type StateSite } from "./settings";

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
  /**
   * The site whose bucket, table and region hold the state (`stateSiteOf(environment)`).
   * @default "primary"
   */
  readonly site?: StateSite;
}

/**
 * Gives a stack the project's S3 remote state: encrypted, locked as the settings say,
 * through the environment's role when it has one.
 */
export function useS3StateBackend(stack: TerraformStack, props: StateBackendProps): S3Backend {
  return new S3Backend(stack, s3BackendConfig(props));
}

export function s3BackendConfig({ settings, key, access = {}, site = "primary" }: StateBackendProps): S3BackendWithLockfile {
  const location = stateLocation(settings, site);
  const dynamodb = settings.locking !== "lockfile";
  return {
    bucket: location.bucket,
    key,
    region: location.region,
    encrypt: true,
    ...(dynamodb ? { dynamodbTable: location.lockTable } : {}),
    ...(settings.locking !== "dynamodb" ? { useLockfile: true } : {}),
    ...(access.kmsKeyId ? { kmsKeyId: access.kmsKeyId } : {}),
    // The assume_role block; top-level role_arn is deprecated since Terraform 1.11.
    ...(access.roleArn ? { assumeRole: { roleArn: access.roleArn, sessionName: "siros-terraform" } } : {}),
    ...compatibleStoreConfig(location),
  };
}

/** An S3-compatible store has no STS, IMDS or account id to ask for, and wants path-style URLs. */
function compatibleStoreConfig(location: StateLocation): Partial<S3BackendConfig> {
  if (!location.s3Endpoint && !location.dynamodbEndpoint) return {};
  return {
    endpoints: {
      ...(location.s3Endpoint ? { s3: location.s3Endpoint } : {}),
      ...(location.dynamodbEndpoint ? { dynamodb: location.dynamodbEndpoint } : {}),
    },
    usePathStyle: true,
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    skipRegionValidation: true,
  };
}
