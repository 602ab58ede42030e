import { DataTerraformRemoteStateS3 } from "cdktf";
import type { Construct } from "constructs";
import { s3BackendConfig, type StateBackendProps } from "./s3-backend";

/**
 * Reads another stack's outputs at the key convention the backend writes, from the site
 * named in `props.site`: a replica reads its primary's state from the dr site, where S3
 * replication copies it, never from the primary's bucket. Reading takes no lock and
 * encrypts nothing, so the lock settings and the KMS key are left out.
 */
export function readStackOutputs(scope: Construct, id: string, props: StateBackendProps): DataTerraformRemoteStateS3 {
  const { dynamodbTable: _table, useLockfile: _lockfile, kmsKeyId: _key, ...location } = s3BackendConfig(props);
  return new DataTerraformRemoteStateS3(scope, id, location);
}
