import { DataTerraformRemoteStateS3 } from "cdktf";
import type { Construct } from "constructs";
import { s3BackendConfig, type StateBackendProps } from "./s3-backend";

/**
 * Reads another stack's outputs from the same bucket and key convention the backend
 * writes. Reading takes no lock, so the lock settings are left out.
 */
export function readStackOutputs(scope: Construct, id: string, props: StateBackendProps): DataTerraformRemoteStateS3 {
  const { dynamodbTable: _table, useLockfile: _lockfile, ...location } = s3BackendConfig(props);
  return new DataTerraformRemoteStateS3(scope, id, location);
}
