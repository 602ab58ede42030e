import { DataGoogleStorageTransferProjectServiceAccount } from "@cdktf/provider-google/lib/data-google-storage-transfer-project-service-account";
import { StorageBucket, type StorageBucketLifecycleRule } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { StorageTransferJob } from "@cdktf/provider-google/lib/storage-transfer-job";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { enableGcpServices } from "../shared/gcp-services";
import { globalName } from "../shared/global-name";
import {
  BUCKET_PURPOSES,
  bucketBase,
  protectedBucket,
  replicatedPurposes,
  resolveStorageProps,
  StorageBase,
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

export interface GcpStorageProps extends StorageProps {
  readonly project: string;
  /** The binding that lets Cloud Storage's service agent use the key: buckets are created after it, or creation fails. */
  readonly keyGrant: ITerraformDependable;
}

/** Bucket names: 3-63 characters, global across all of Google Cloud. */
export const GCS_BUCKET_NAME_MAX = 63;
/** The colder class backups move to: a 30-day minimum, as the environment's coldAfterDays. */
export const COLD_STORAGE_CLASS = "NEARLINE";
/** Days deleted objects stay restorable (soft delete), in seconds as the API takes them. */
export const SOFT_DELETE_SECONDS = 7 * 86_400;
export const STORAGE_APIS = { storage: "storage.googleapis.com", transfer: "storagetransfer.googleapis.com" } as const;
/** Readers list and read objects; writers also create them, never delete or overwrite. */
export const BUCKET_ROLES: Record<StorageAccess, readonly string[]> = {
  read: ["roles/storage.objectViewer"],
  write: ["roles/storage.objectViewer", "roles/storage.objectCreator"],
};

/**
 * Google Cloud: per purpose a bucket in the region with uniform bucket-level access, public
 * access prevention enforced, versioning, the environment's key as default CMEK (created
 * after the storage service agent is granted the key), lifecycle rules (noncurrent versions
 * deleted, incomplete multipart uploads aborted, backups moved to Nearline), soft delete,
 * and a retention policy where the bucket has a lock (locked in compliance mode; versioning
 * is then off, STORAGE_GAPS.gcpLockedVersioning).
 *
 * Replication: Cloud Storage has no bucket-to-bucket replication setting, and a dual-region
 * bucket would need its key in the dual-region's location while the environment's key is
 * regional. The replica's (dr's) stack therefore owns a Storage Transfer Service
 * cross-bucket replication job (replication_spec): every new object of prod's bucket is
 * copied, event-driven, into dr's replica bucket, encrypted there with dr's key.
 */
export class GcpStorage extends StorageBase {
  protected readonly cloud = "gcp";
  readonly outputs: StorageOutputs;
  private readonly props: ResolvedStorageProps & { readonly project: string; readonly keyGrant: ITerraformDependable };
  private readonly buckets = {} as Record<BucketPurpose, StorageBucket>;
  private readonly members = new Set<string>();

  constructor(scope: Construct, id: string, input: GcpStorageProps) {
    super(scope, id);
    this.props = { ...resolveStorageProps(input), project: input.project, keyGrant: input.keyGrant };
    const outputs = {} as Record<BucketPurpose, BucketOutputs>;
    for (const purpose of BUCKET_PURPOSES) {
      const bucket = this.bucket(purpose, this.props.buckets[purpose]);
      this.buckets[purpose] = bucket;
      outputs[purpose] = bucketOutputs(bucket);
    }
    const replicas: Partial<Record<BucketPurpose, BucketOutputs>> = {};
    for (const purpose of replicatedPurposes(this.props)) {
      replicas[purpose] = bucketOutputs(this.replicateFrom(purpose, this.props.replicaOf[purpose]!));
    }
    this.outputs = { buckets: outputs, replicas };
  }

  protected grant(access: StorageAccess, purpose: BucketPurpose, grantee: StorageGrantee): void {
    for (const role of BUCKET_ROLES[access]) this.member(purpose, this.buckets[purpose].name, role, grantee.principal);
  }

  /** One IAM member per bucket (`which`: a stable name for it, since `bucket` is a token), role and member. */
  private member(which: string, bucket: string, role: string, member: string): void {
    const key = `${which} ${role} ${member}`;
    if (this.members.has(key)) return;
    new StorageBucketIamMember(this, `member-${this.members.size}`, { bucket, role, member });
    this.members.add(key);
  }

  private bucket(role: BucketRole, spec: BucketProps): StorageBucket {
    const { project, region, keyId, tags } = this.props;
    const [storageApi] = enableGcpServices(this, project, [STORAGE_APIS.storage]);
    return new StorageBucket(this, role, {
      name: globalName(this, `${role}-name`, { base: bucketBase(this.props, role), maxLength: GCS_BUCKET_NAME_MAX, charset: "lower-alnum-hyphen" }),
      project,
      location: region.toUpperCase(),
      storageClass: "STANDARD",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: false,
      // A retention policy and versioning cannot be combined; the retention policy protects every object instead.
      versioning: { enabled: spec.lock === undefined },
      encryption: { defaultKmsKeyName: keyId },
      softDeletePolicy: { retentionDurationSeconds: SOFT_DELETE_SECONDS },
      ...(spec.lock ? { retentionPolicy: { retentionPeriod: spec.lock.days * 86_400, isLocked: spec.lock.mode === "compliance" } } : {}),
      lifecycleRule: lifecycleRules(spec),
      labels: { ...tags, purpose: role },
      dependsOn: [storageApi, this.props.keyGrant],
      ...protectedBucket(this.props),
    });
  }

  /** A replica bucket like this stack's own, and the transfer job that copies the primary's new objects into it. */
  private replicateFrom(purpose: BucketPurpose, primary: PrimaryBucket): StorageBucket {
    const { project } = this.props;
    const replica = this.bucket(`${purpose}-replica`, this.props.buckets[purpose]);
    const [transferApi] = enableGcpServices(this, project, [STORAGE_APIS.transfer]);
    const agent = new DataGoogleStorageTransferProjectServiceAccount(this, "transfer-agent", { project, dependsOn: [transferApi] });
    const member = `serviceAccount:${agent.email}`;
    // The transfer agent reads the primary's bucket and writes the replica; nothing else.
    this.member(`primary-${purpose}`, primary.name, "roles/storage.legacyBucketReader", member);
    this.member(`primary-${purpose}`, primary.name, "roles/storage.objectViewer", member);
    this.member(`${purpose}-replica`, replica.name, "roles/storage.legacyBucketWriter", member);
    // overwriteWhen DIFFERENT compares with what the replica has: objects.get, which legacyBucketWriter lacks.
    this.member(`${purpose}-replica`, replica.name, "roles/storage.objectViewer", member);
    new StorageTransferJob(this, `${purpose}-replication`, {
      project,
      description: `Replicates ${primary.name} into ${replica.name}`,
      replicationSpec: {
        gcsDataSource: { bucketName: primary.name },
        gcsDataSink: { bucketName: replica.name },
        // Never deletes: neither in the source after the copy nor in the replica what the source no longer has.
        transferOptions: { overwriteWhen: "DIFFERENT" },
      },
      dependsOn: [transferApi],
    });
    return replica;
  }
}

function bucketOutputs(bucket: StorageBucket): BucketOutputs {
  return { name: bucket.name, id: bucket.name, url: `https://storage.googleapis.com/${bucket.name}` };
}

/** Noncurrent versions deleted, incomplete uploads aborted, and (backups) objects moved to the colder class. */
function lifecycleRules(spec: BucketProps): StorageBucketLifecycleRule[] {
  return [
    { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: spec.noncurrentVersionDays, withState: "ARCHIVED" } },
    { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: spec.incompleteUploadDays } },
    ...(spec.coldAfterDays !== undefined
      ? [{ action: { type: "SetStorageClass", storageClass: COLD_STORAGE_CLASS }, condition: { age: spec.coldAfterDays, matchesStorageClass: ["STANDARD"] } }]
      : []),
  ];
}
