import { Fn } from "cdktf";
import { Construct } from "constructs";
import { CosBucket } from "../../.gen/providers/ibm/cos-bucket";
import { CosBucketLifecycleConfiguration } from "../../.gen/providers/ibm/cos-bucket-lifecycle-configuration";
import { CosBucketObjectLockConfiguration } from "../../.gen/providers/ibm/cos-bucket-object-lock-configuration";
import { CosBucketReplicationRule } from "../../.gen/providers/ibm/cos-bucket-replication-rule";
import { IamAuthorizationPolicy } from "../../.gen/providers/ibm/iam-authorization-policy";
import { IamTrustedProfilePolicy } from "../../.gen/providers/ibm/iam-trusted-profile-policy";
import { ResourceInstance } from "../../.gen/providers/ibm/resource-instance";
import { globalName } from "../shared/global-name";
import { keyValueTags } from "../shared/tags";
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
  type ResolvedStorageProps,
  type StorageAccess,
  type StorageGrantee,
  type StorageOutputs,
  type StorageProps,
} from "./contract";

export interface IbmStorageProps extends StorageProps {
  /** The environment's resource group, which holds the Object Storage instance. */
  readonly resourceGroupId: string;
}

/**
 * Object Storage's service roles: readers list and read objects; writers also upload them
 * (Object Writer cannot read, list or delete), never the Writer role, which deletes.
 */
export const COS_ROLES: Record<StorageAccess, readonly string[]> = { read: ["Object Reader"], write: ["Object Reader", "Object Writer"] };

/** COS bucket names: 3-63 characters, global across all of IBM Cloud. */
export const COS_BUCKET_NAME_MAX = 63;
/** The CRN field that holds the service instance's GUID (crn:v1:<cloud>:<type>:<service>:<location>:<scope>:<instance>:bucket:<name>). */
const CRN_INSTANCE_FIELD = 7;

/**
 * IBM Cloud: one Object Storage instance (standard plan) in the environment's resource group,
 * and per purpose a regional bucket encrypted with the environment's Key Protect root key,
 * versioned, `force_delete = false`, with activity tracking of management, read and write
 * events and usage and request metrics, a lifecycle configuration (noncurrent versions
 * expire, incomplete uploads are aborted) and, where the bucket has a lock, object lock with
 * a default retention. Backups use the Smart Tier class (STORAGE_GAPS.ibmColdClass).
 *
 * Replication: the replica's (dr's) stack owns the replica bucket, the authorization that
 * lets the primary's Object Storage instance write into this one, and the replication rule
 * on the primary's bucket.
 */
export class IbmStorage extends StorageBase {
  protected readonly cloud = "ibm";
  readonly outputs: StorageOutputs;
  readonly instance: ResourceInstance;
  private readonly props: ResolvedStorageProps & { readonly resourceGroupId: string };
  private readonly buckets = {} as Record<BucketPurpose, CosBucket>;
  private readonly grants = new Set<string>();

  constructor(scope: Construct, id: string, input: IbmStorageProps) {
    super(scope, id);
    this.props = { ...resolveStorageProps(input), resourceGroupId: input.resourceGroupId };
    const { name, resourceGroupId, tags } = this.props;
    this.instance = new ResourceInstance(this, "instance", {
      name: `${name}-object-storage`,
      service: "cloud-object-storage",
      plan: "standard",
      location: "global",
      resourceGroupId,
      tags: keyValueTags(tags),
      ...protectedBucket(this.props),
    });
    // This instance's own authorization to read the key: the instance is the only source, and buckets wait for it.
    const readsKey = new IamAuthorizationPolicy(this, "reads-key", {
      sourceServiceName: "cloud-object-storage",
      sourceResourceInstanceId: this.instance.guid,
      targetServiceName: "kms",
      targetResourceInstanceId: Fn.element(Fn.split(":", this.props.keyId), CRN_INSTANCE_FIELD),
      roles: ["Reader"],
      description: `Object Storage of ${name} unwraps its buckets' keys`,
    });
    const outputs = {} as Record<BucketPurpose, BucketOutputs>;
    for (const purpose of BUCKET_PURPOSES) {
      this.buckets[purpose] = this.bucket(purpose, this.props.buckets[purpose], readsKey);
      outputs[purpose] = this.bucketOutputs(this.buckets[purpose]);
    }
    const replicas: Partial<Record<BucketPurpose, BucketOutputs>> = {};
    for (const purpose of replicatedPurposes(this.props)) {
      const primary = this.props.replicaOf[purpose]!;
      const replica = this.bucket(`${purpose}-replica`, this.props.buckets[purpose], readsKey);
      const primaryWrites = new IamAuthorizationPolicy(this, `${purpose}-replication-writer`, {
        sourceServiceName: "cloud-object-storage",
        sourceResourceInstanceId: Fn.element(Fn.split(":", primary.id), CRN_INSTANCE_FIELD),
        targetServiceName: "cloud-object-storage",
        targetResourceInstanceId: this.instance.guid,
        roles: ["Writer"],
        description: `Object Storage of the primary replicates ${purpose} into ${name}`,
      });
      new CosBucketReplicationRule(this, `${purpose}-replication`, {
        bucketCrn: primary.id,
        bucketLocation: primary.region,
        replicationRule: [
          {
            ruleId: `replicate-${purpose}-to-${name}`,
            enable: true,
            priority: 1,
            prefix: "",
            deletemarkerReplicationStatus: true,
            destinationBucketCrn: replica.crn,
          },
        ],
        dependsOn: [primaryWrites],
      });
      replicas[purpose] = this.bucketOutputs(replica);
    }
    this.outputs = { buckets: outputs, replicas };
  }

  /** A policy for the grantee's trusted profile (its IAM id) on that one bucket of this instance, once per access, purpose and profile. */
  protected grant(access: StorageAccess, purpose: BucketPurpose, grantee: StorageGrantee): void {
    const key = `${access}:${purpose}:${grantee.principal}`;
    if (this.grants.has(key)) return;
    this.grants.add(key);
    new IamTrustedProfilePolicy(this, `${purpose}-${access}-${this.grants.size - 1}`, {
      iamId: grantee.principal,
      roles: [...COS_ROLES[access]],
      resourceAttributes: [
        { name: "serviceName", value: "cloud-object-storage" },
        { name: "serviceInstance", value: this.instance.guid },
        { name: "resourceType", value: "bucket" },
        { name: "resource", value: this.buckets[purpose].bucketName },
      ],
      description: `${access === "read" ? "Reads" : "Writes"} ${this.props.name}'s ${purpose}`,
    });
  }

  private bucket(role: BucketRole, spec: BucketProps, readsKey: IamAuthorizationPolicy): CosBucket {
    const { region, keyId } = this.props;
    const bucket = new CosBucket(this, role, {
      bucketName: globalName(this, `${role}-name`, { base: bucketBase(this.props, role), maxLength: COS_BUCKET_NAME_MAX, charset: "lower-alnum-hyphen" }),
      resourceInstanceId: this.instance.id,
      regionLocation: region,
      storageClass: spec.coldAfterDays !== undefined ? "smart" : "standard",
      kmsKeyCrn: keyId,
      forceDelete: false,
      objectVersioning: { enable: true },
      // Object lock can only be turned on when the bucket is created.
      ...(spec.lock ? { objectLock: true } : {}),
      activityTracking: { managementEvents: true, readDataEvents: true, writeDataEvents: true },
      metricsMonitoring: { usageMetricsEnabled: true, requestMetricsEnabled: true },
      dependsOn: [readsKey],
      ...protectedBucket(this.props),
    });
    new CosBucketLifecycleConfiguration(this, `${role}-lifecycle`, {
      bucketCrn: bucket.crn,
      bucketLocation: region,
      lifecycleRule: [
        {
          ruleId: "expire-noncurrent-versions",
          status: "enable",
          filter: { prefix: "" },
          noncurrentVersionExpiration: { noncurrentDays: spec.noncurrentVersionDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: spec.incompleteUploadDays },
        },
      ],
    });
    if (spec.lock) {
      new CosBucketObjectLockConfiguration(this, `${role}-lock`, {
        bucketCrn: bucket.crn,
        bucketLocation: region,
        objectLockConfiguration: {
          objectLockEnabled: "Enabled",
          objectLockRule: { defaultRetention: { mode: spec.lock.mode === "compliance" ? "COMPLIANCE" : "GOVERNANCE", days: spec.lock.days } },
        },
      });
    }
    return bucket;
  }

  private bucketOutputs(bucket: CosBucket): BucketOutputs {
    return { name: bucket.bucketName, id: bucket.crn, url: `https://${bucket.s3EndpointPrivate}/${bucket.bucketName}` };
  }
}
