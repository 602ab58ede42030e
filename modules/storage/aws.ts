import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { replicationPolicy } from "../../lib/s3-replication";
import { globalName } from "../shared/global-name";
import { suppress } from "../shared/suppress";
import {
  BUCKET_PURPOSES,
  bucketBase,
  protectedBucket,
  replicatedPurposes,
  resolveStorageProps,
  StorageBase,
  suppressWhenUnprotected,
  type BucketOutputs,
  type BucketProps,
  type BucketPurpose,
  type BucketRole,
  type PrimaryBucket,
  type ResolvedStorageProps,
  type StorageAccess,
  type StorageGrantee,
  type StorageOutputs,
  type StorageProps,
} from "./contract";

export interface AwsStorageProps extends StorageProps {
  /**
   * A provider in the primary's region, for the replication configuration on the primary's
   * bucket (which S3 accepts only in that bucket's region). Required with `replicaOf`.
   * @default - none
   */
  readonly primaryProvider?: AwsProvider;
}

/** S3 bucket names: 3-63 characters, global across all AWS accounts. */
export const S3_BUCKET_NAME_MAX = 63;
/** The colder class backups move to: millisecond reads (restores need no thaw), no minimum age for the transition. */
export const COLD_STORAGE_CLASS = "GLACIER_IR";
/** S3 Replication Time Control's only threshold: 99.99% of objects within 15 minutes. */
export const REPLICATION_MINUTES = 15;

/** What each access lets a grantee do: never delete, so a compromised writer cannot destroy backups. */
const ACTIONS: Record<StorageAccess, { readonly objects: string[]; readonly bucket: string[] }> = {
  read: { objects: ["s3:GetObject"], bucket: ["s3:ListBucket"] },
  write: { objects: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], bucket: ["s3:ListBucket", "s3:ListBucketMultipartUploads"] },
};

/**
 * Why a bucket's own stack shows no replication of it (SIROS-AWS-S3-11, which looks for a
 * replication configuration in the same stack): the receiving stack owns prod's, and the others
 * are not replicated on purpose.
 */
const NOT_REPLICATED_HERE = {
  byReplica: "replicated to the dr region by the replica's (dr's) stack, which owns the replication configuration on this bucket",
  backups: "storage.backups.replicate is off in this environment (a declared knob): nothing receives its backups",
  assets: "the frontend's static assets are build output that CI publishes again to any region; they are not replicated",
  accessLogs: "server access logs stay in the region of the buckets they record",
} as const;

const CLOUDFRONT_DISTRIBUTION = /^arn:aws[a-z-]*:cloudfront::\d{12}:distribution\/[A-Z0-9]+$/;

interface AwsBucket {
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly grants: { access: StorageAccess; grantee: StorageGrantee }[];
}

/**
 * AWS: per purpose an S3 bucket with versioning, SSE-KMS with the environment's key and S3
 * Bucket Keys, all four public-access blocks, ACLs disabled (BucketOwnerEnforced), a policy
 * that denies non-TLS requests and grants the named consumers, lifecycle rules (noncurrent
 * versions expire, incomplete uploads are aborted, backups move to Glacier Instant
 * Retrieval), Object Lock with a default retention where the bucket has a lock, and server
 * access logging to a log bucket (SSE-S3: log delivery cannot write with a KMS key).
 *
 * Replication: the replica's stack (dr) owns the receiving side, since dr's key lives
 * there: a `<purpose>-replica` bucket (dr's region, dr's key) is the destination, and it adds the
 * replication role and the replication configuration on prod's bucket (through a provider
 * in prod's region), from prod's outputs read through remote state. Prod's stack never
 * needs dr's outputs, so stacks still deploy prod first, then dr.
 */
export class AwsStorage extends StorageBase {
  protected readonly cloud = "aws";
  readonly outputs: StorageOutputs;
  readonly logBucket: S3Bucket;
  private readonly props: ResolvedStorageProps;
  private readonly buckets = {} as Record<BucketPurpose, AwsBucket>;
  private readonly account: DataAwsCallerIdentity;
  /** The buckets whose access logs the log bucket receives: the only sources S3 log delivery may write for. */
  private readonly loggedBuckets: S3Bucket[] = [];

  constructor(scope: Construct, id: string, input: AwsStorageProps) {
    super(scope, id);
    this.props = resolveStorageProps(input);
    this.account = new DataAwsCallerIdentity(this, "account");
    this.logBucket = this.accessLogBucket();
    const outputs = {} as Record<BucketPurpose, BucketOutputs>;
    for (const purpose of BUCKET_PURPOSES) {
      this.buckets[purpose] = this.bucket(purpose, this.props.buckets[purpose]);
      const { bucket } = this.buckets[purpose];
      outputs[purpose] = { name: bucket.bucket, id: bucket.arn, url: `https://${bucket.bucketRegionalDomainName}` };
    }
    const replicas: Partial<Record<BucketPurpose, BucketOutputs>> = {};
    for (const purpose of replicatedPurposes(this.props)) {
      const replica = this.replicateFrom(purpose, this.props.replicaOf[purpose]!, input.primaryProvider);
      replicas[purpose] = { name: replica.bucket, id: replica.arn, url: `https://${replica.bucketRegionalDomainName}` };
    }
    this.outputs = { buckets: outputs, replicas };
  }

  /** Collected here; the bucket policy states them at synth. */
  protected grant(access: StorageAccess, purpose: BucketPurpose, grantee: StorageGrantee): void {
    this.buckets[purpose].grants.push({ access, grantee });
  }

  private bucket(purpose: BucketRole, spec: BucketProps): AwsBucket {
    const { tags, keyId } = this.props;
    const name = globalName(this, `${purpose}-name`, { base: bucketBase(this.props, purpose), maxLength: S3_BUCKET_NAME_MAX, charset: "lower-alnum-hyphen" });
    const s3 = new S3Bucket(this, purpose, {
      bucket: name,
      forceDestroy: false,
      // Object Lock can only be turned on when the bucket is created.
      objectLockEnabled: spec.lock !== undefined,
      tags: { ...tags, Name: name, purpose },
      ...protectedBucket(this.props),
    });
    suppressWhenUnprotected(this.props, s3, "SIROS-AWS-S3-8");
    // A replica is seen as one (the primary's configuration names it); the others say why.
    if (!purpose.endsWith("-replica")) suppress(s3, "SIROS-AWS-S3-11", NOT_REPLICATED_HERE[spec.replicate ? "byReplica" : (purpose as BucketPurpose)]);
    const bucket = s3.id;
    const versioning = new S3BucketVersioningA(this, `${purpose}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, `${purpose}-encryption`, {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyId }, bucketKeyEnabled: true }],
    });
    const publicAccess = blockPublicAccess(this, purpose, bucket);
    new S3BucketOwnershipControls(this, `${purpose}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    const entry: AwsBucket = { bucket: s3, versioning, grants: [] };
    new S3BucketPolicy(this, `${purpose}-policy`, {
      bucket,
      // Produced at synth, after every consumer has been granted.
      policy: Lazy.stringValue({ produce: () => JSON.stringify(this.bucketPolicy(s3, entry.grants)) }),
      dependsOn: [publicAccess],
    });
    new S3BucketLifecycleConfiguration(this, `${purpose}-lifecycle`, { bucket, rule: lifecycleRules(spec), dependsOn: [versioning] });
    if (spec.lock) {
      new S3BucketObjectLockConfigurationA(this, `${purpose}-lock`, {
        bucket,
        rule: { defaultRetention: { mode: spec.lock.mode === "compliance" ? "COMPLIANCE" : "GOVERNANCE", days: spec.lock.days } },
        dependsOn: [versioning],
      });
    }
    new S3BucketLoggingA(this, `${purpose}-access-logs`, { bucket, targetBucket: this.logBucket.id, targetPrefix: `${purpose}/` });
    this.loggedBuckets.push(s3);
    return entry;
  }

  /** Server access logs: SSE-S3 (log delivery cannot use KMS), written only by S3's logging service for this account's buckets. */
  private accessLogBucket(): S3Bucket {
    const name = globalName(this, "access-logs-name", { base: `${this.props.name}-access-logs`, maxLength: S3_BUCKET_NAME_MAX, charset: "lower-alnum-hyphen" });
    const logs = new S3Bucket(this, "access-logs", { bucket: name, forceDestroy: false, tags: { ...this.props.tags, Name: name, purpose: "access-logs" }, ...protectedBucket(this.props) });
    const bucket = logs.id;
    suppressWhenUnprotected(this.props, logs, "SIROS-AWS-S3-8");
    suppress(logs, "SIROS-AWS-S3-2", "S3 server access log delivery cannot write to a bucket whose default encryption is SSE-KMS; the log bucket uses SSE-S3");
    suppress(logs, "SIROS-AWS-S3-11", NOT_REPLICATED_HERE.accessLogs);
    suppress(logs, "SIROS-AWS-S3-7", "the access-log bucket itself: logging its own deliveries into it would log every delivery again, without end");
    suppress(logs, "SIROS-AWS-S3-3", "written only by S3 log delivery (bucket policy) and expired by lifecycle; versioning would keep every expired log object as a noncurrent version");
    new S3BucketServerSideEncryptionConfigurationA(this, "access-logs-encryption", { bucket, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
    const publicAccess = blockPublicAccess(this, "access-logs", bucket);
    new S3BucketOwnershipControls(this, "access-logs-ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPolicy(this, "access-logs-policy", {
      bucket,
      // Produced at synth, once every logged bucket exists.
      policy: Lazy.stringValue({
        produce: () =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              denyInsecureTransport(logs),
              {
                Sid: "S3ServerAccessLogsDelivery",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${logs.arn}/*`,
                Condition: { StringEquals: { "aws:SourceAccount": this.account.accountId }, ArnLike: { "aws:SourceArn": this.loggedBuckets.map((b) => b.arn) } },
              },
            ],
          }),
      }),
      dependsOn: [publicAccess],
    });
    new S3BucketLifecycleConfiguration(this, "access-logs-lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: this.props.accessLogDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });
    return logs;
  }

  /** TLS only, and each grantee's least privilege on this bucket. */
  private bucketPolicy(bucket: S3Bucket, grants: readonly { access: StorageAccess; grantee: StorageGrantee }[]) {
    const statements: Record<string, unknown>[] = [denyInsecureTransport(bucket)];
    grants.forEach(({ access, grantee }, i) => {
      const cloudfront = CLOUDFRONT_DISTRIBUTION.test(grantee.principal);
      // A CloudFront distribution reads through origin access control: the service principal, bound to that distribution.
      const who = cloudfront
        ? { Principal: { Service: "cloudfront.amazonaws.com" }, Condition: { StringEquals: { "AWS:SourceArn": grantee.principal } } }
        : { Principal: { AWS: grantee.principal } };
      statements.push({ Sid: `Grant${i}${access === "read" ? "Read" : "Write"}Objects`, Effect: "Allow", ...who, Action: ACTIONS[access].objects, Resource: `${bucket.arn}/*` });
      if (!cloudfront) statements.push({ Sid: `Grant${i}${access === "read" ? "Read" : "Write"}List`, Effect: "Allow", ...who, Action: ACTIONS[access].bucket, Resource: bucket.arn });
    });
    return { Version: "2012-10-17", Statement: statements };
  }

  /**
   * The receiving side of the primary's replication: a replica bucket with the settings of
   * this stack's bucket of the same purpose, re-encrypted with this stack's key; the
   * configuration on the primary's bucket is written through a provider in the primary's region.
   */
  private replicateFrom(purpose: BucketPurpose, primary: PrimaryBucket, provider: AwsProvider | undefined): S3Bucket {
    if (!provider) throw new Error(`storage (aws): replicating ${purpose} from ${primary.name} needs primaryProvider, a provider in ${primary.region}`);
    // The same settings as this stack's own bucket of the purpose (lock included: S3 replicates each version's retention).
    const destination = this.bucket(`${purpose}-replica`, this.props.buckets[purpose]);
    const lock = this.props.buckets[purpose].lock !== undefined;
    const role = new IamRole(this, `${purpose}-replication-role`, {
      name: `${this.props.name}-${purpose}-replication`,
      description: `S3 replicates ${primary.name} into ${this.props.name}'s ${purpose} bucket`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "s3.amazonaws.com" },
            Action: "sts:AssumeRole",
            // Only S3 acting for the primary's bucket in this account (confused deputy).
            Condition: { StringEquals: { "aws:SourceAccount": this.account.accountId, "aws:SourceArn": primary.id } },
          },
        ],
      }),
      tags: { ...this.props.tags, Name: `${this.props.name}-${purpose}-replication` },
    });
    new IamRolePolicy(this, `${purpose}-replication-policy`, {
      name: `replicate-${purpose}`,
      role: role.id,
      policy: replicationPolicy({
        source: { bucketArn: primary.id, keyArn: primary.keyId, region: primary.region },
        destination: { bucketArn: destination.bucket.arn, keyArn: this.props.keyId, region: this.props.region },
        prefixes: [""],
        objectLock: lock,
      }),
    });
    new S3BucketReplicationConfigurationA(this, `${purpose}-replication`, {
      provider,
      bucket: primary.name,
      role: role.arn,
      rule: [
        {
          id: `replicate-${purpose}-to-${this.props.name}`,
          status: "Enabled",
          priority: 1,
          filter: { prefix: "" },
          // Deletes of a version are never replicated; delete markers are, so the replica mirrors what is current.
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: destination.bucket.arn,
            storageClass: "STANDARD",
            encryptionConfiguration: { replicaKmsKeyId: this.props.keyId },
            replicationTime: { status: "Enabled", time: { minutes: REPLICATION_MINUTES } },
            metrics: { status: "Enabled", eventThreshold: { minutes: REPLICATION_MINUTES } },
          },
        },
      ],
      dependsOn: [destination.versioning],
    });
    return destination.bucket;
  }
}

function blockPublicAccess(scope: Construct, id: string, bucket: string): S3BucketPublicAccessBlock {
  return new S3BucketPublicAccessBlock(scope, `${id}-public-access`, { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
}

function denyInsecureTransport(bucket: S3Bucket): Record<string, unknown> {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucket.arn, `${bucket.arn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Noncurrent versions expire, incomplete uploads are aborted, and (backups) objects move to the colder class. */
function lifecycleRules(spec: BucketProps): S3BucketLifecycleConfigurationRule[] {
  return [
    {
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: [{ prefix: "" }],
      noncurrentVersionExpiration: [{ noncurrentDays: spec.noncurrentVersionDays }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: spec.incompleteUploadDays }],
    },
    ...(spec.coldAfterDays !== undefined
      ? [{ id: "move-to-cold-storage", status: "Enabled", filter: [{ prefix: "" }], transition: [{ days: spec.coldAfterDays, storageClass: COLD_STORAGE_CLASS }] }]
      : []),
  ];
}
