/** IAM policy documents for S3 replication, shared by the state bootstrap and the storage module. */

export interface ReplicationEnd {
  readonly bucketArn: string;
  readonly keyArn: string;
  readonly region: string;
}

/**
 * Least privilege for S3 replication with SSE-KMS: read the replication configuration and
 * the versions under the replicated prefixes at the source, decrypt them only through S3 in
 * the source region, write replicas (objects, delete markers, tags) only under the same
 * prefixes at the destination, encrypt only through S3 in the destination region. With S3
 * Bucket Keys on, the KMS encryption context is the bucket's ARN rather than the object's,
 * so both are allowed.
 */
export function replicationPolicy({
  source,
  destination,
  prefixes,
  objectLock = false,
}: {
  source: ReplicationEnd;
  destination: ReplicationEnd;
  prefixes: readonly string[];
  /** The source has S3 Object Lock: replication must also read each version's retention and legal hold. */
  objectLock?: boolean;
}): string {
  const objects = (bucketArn: string) => prefixes.map((prefix) => `${bucketArn}/${prefix}*`);
  const kmsContext = (end: ReplicationEnd) => ({
    StringEquals: { "kms:ViaService": `s3.${end.region}.amazonaws.com` },
    StringLike: { "kms:EncryptionContext:aws:s3:arn": [end.bucketArn, ...objects(end.bucketArn)] },
  });
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [source.bucketArn] },
      {
        Sid: "ReadSourceVersions",
        Effect: "Allow",
        Action: [
          "s3:GetObjectVersionForReplication",
          "s3:GetObjectVersionAcl",
          "s3:GetObjectVersionTagging",
          ...(objectLock ? ["s3:GetObjectRetention", "s3:GetObjectLegalHold"] : []),
        ],
        Resource: objects(source.bucketArn),
      },
      { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: objects(destination.bucketArn) },
      { Sid: "DecryptSource", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [source.keyArn], Condition: kmsContext(source) },
      { Sid: "EncryptReplicas", Effect: "Allow", Action: ["kms:Encrypt"], Resource: [destination.keyArn], Condition: kmsContext(destination) },
    ],
  });
}
