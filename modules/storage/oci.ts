import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { DataOciObjectstorageNamespace } from "../../.gen/providers/oci/data-oci-objectstorage-namespace";
import { IdentityPolicy } from "../../.gen/providers/oci/identity-policy";
import { ObjectstorageBucket } from "../../.gen/providers/oci/objectstorage-bucket";
import { ObjectstorageObjectLifecyclePolicy, type ObjectstorageObjectLifecyclePolicyRules } from "../../.gen/providers/oci/objectstorage-object-lifecycle-policy";
import { ObjectstorageReplicationPolicy } from "../../.gen/providers/oci/objectstorage-replication-policy";
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

export interface OciStorageProps extends StorageProps {
  /** The environment's compartment, which holds the buckets and the policies. */
  readonly compartmentId: string;
  /** OCI Identity acts in the tenancy's home region only: the policies go through this provider. */
  readonly identityProvider: TerraformProvider;
  /** A provider in the primary's region, for the replication policy on the primary's bucket. Required with `replicaOf`. @default - none */
  readonly primaryProvider?: TerraformProvider;
}

/** What each access lets a grantee do, as OCI permissions on the bucket's objects (never OBJECT_DELETE). */
const PERMISSIONS: Record<StorageAccess, readonly string[]> = {
  read: ["OBJECT_INSPECT", "OBJECT_READ"],
  write: ["OBJECT_INSPECT", "OBJECT_READ", "OBJECT_CREATE"],
};

/**
 * Oracle Cloud: per purpose a bucket in the environment's compartment with NoPublicAccess,
 * the environment's key, versioning (off where a lock's retention rule protects the objects,
 * STORAGE_GAPS.ociLockedVersioning), object events, the Standard tier, and an object
 * lifecycle policy (previous versions deleted, multipart uploads aborted, backups moved to
 * Infrequent Access). The regional Object Storage service is allowed to manage the
 * compartment's objects (lifecycle; replication from this region). Bucket names are unique
 * within the tenancy's namespace, not across customers, so they carry no random suffix.
 *
 * Replication: the replica's (dr's) stack owns a replica bucket and the replication policy on
 * prod's bucket (through a provider in prod's region), and allows prod's regional Object
 * Storage service to write into its compartment.
 */
export class OciStorage extends StorageBase {
  protected readonly cloud = "oci";
  readonly outputs: StorageOutputs;
  readonly namespace: string;
  private readonly props: ResolvedStorageProps & { readonly compartmentId: string; readonly identityProvider: TerraformProvider };
  private readonly buckets = {} as Record<BucketPurpose, ObjectstorageBucket>;
  private grants = 0;

  constructor(scope: Construct, id: string, input: OciStorageProps) {
    super(scope, id);
    this.props = { ...resolveStorageProps(input), compartmentId: input.compartmentId, identityProvider: input.identityProvider };
    const { compartmentId, region, name } = this.props;
    this.namespace = new DataOciObjectstorageNamespace(this, "namespace", { compartmentId }).namespace;
    // Lifecycle policies are carried out by the regional service: it must be allowed to manage the objects first.
    const serviceAccess = this.policy("object-storage-service", `Lets Object Storage in ${region} carry out ${name}'s lifecycle policies and replication`, [
      `Allow service objectstorage-${region} to manage object-family in compartment id ${compartmentId}`,
    ]);
    const outputs = {} as Record<BucketPurpose, BucketOutputs>;
    for (const purpose of BUCKET_PURPOSES) {
      this.buckets[purpose] = this.bucket(purpose, this.props.buckets[purpose], serviceAccess);
      outputs[purpose] = this.bucketOutputs(this.buckets[purpose]);
    }
    const replicas: Partial<Record<BucketPurpose, BucketOutputs>> = {};
    const replicated = replicatedPurposes(this.props);
    if (replicated.length > 0) {
      const primaryRegion = this.props.replicaOf[replicated[0]]!.region;
      // Replication is carried out by the source region's service, which writes into this compartment.
      const replicationAccess = this.policy("replication-service", `Lets Object Storage in ${primaryRegion} replicate into ${name}'s replica buckets`, [
        `Allow service objectstorage-${primaryRegion} to manage object-family in compartment id ${compartmentId}`,
      ]);
      for (const purpose of replicated) {
        const primary = this.props.replicaOf[purpose]!;
        if (!input.primaryProvider) throw new Error(`storage (oci): replicating ${purpose} from ${primary.name} needs primaryProvider, a provider in ${primary.region}`);
        const replica = this.bucket(`${purpose}-replica`, this.props.buckets[purpose], serviceAccess);
        new ObjectstorageReplicationPolicy(this, `${purpose}-replication`, {
          provider: input.primaryProvider,
          namespace: this.namespace,
          bucket: primary.name,
          name: `${purpose}-to-${region}`,
          destinationRegionName: region,
          destinationBucketName: replica.name,
          dependsOn: [replicationAccess],
        });
        replicas[purpose] = this.bucketOutputs(replica);
      }
    }
    this.outputs = { buckets: outputs, replicas };
  }

  /** One policy per grant: the bucket, by name, and only the permissions of the access. */
  protected grant(access: StorageAccess, purpose: BucketPurpose, grantee: StorageGrantee): void {
    const { compartmentId } = this.props;
    const bucket = this.buckets[purpose].name;
    const permissions = PERMISSIONS[access].map((p) => `request.permission = '${p}'`).join(", ");
    // The workload's condition on both statements: `any-user` alone would let every principal of the tenancy read the bucket.
    const who = grantee.condition ? [grantee.condition] : [];
    const objects = [`target.bucket.name = '${bucket}'`, `any {${permissions}}`, ...who];
    const buckets = [`target.bucket.name = '${bucket}'`, ...who];
    this.policy(`${purpose}-${access}-${this.grants++}`, `Lets ${grantee.principal} ${access} ${this.props.name}'s ${purpose}`, [
      `Allow ${grantee.principal} to manage objects in compartment id ${compartmentId} where all {${objects.join(", ")}}`,
      `Allow ${grantee.principal} to read buckets in compartment id ${compartmentId} where ${buckets.length > 1 ? `all {${buckets.join(", ")}}` : buckets[0]}`,
    ]);
  }

  private policy(id: string, description: string, statements: string[]): IdentityPolicy {
    return new IdentityPolicy(this, `policy-${id}`, {
      provider: this.props.identityProvider,
      compartmentId: this.props.compartmentId,
      name: `${this.props.name}-storage-${id}`,
      description,
      statements,
      freeformTags: { ...this.props.tags },
    });
  }

  private bucket(role: BucketRole, spec: BucketProps, serviceAccess: IdentityPolicy): ObjectstorageBucket {
    const { compartmentId, keyId, tags } = this.props;
    const bucket = new ObjectstorageBucket(this, role, {
      compartmentId,
      namespace: this.namespace,
      name: bucketBase(this.props, role),
      accessType: "NoPublicAccess",
      kmsKeyId: keyId,
      versioning: spec.lock ? "Disabled" : "Enabled",
      objectEventsEnabled: true,
      storageTier: "Standard",
      autoTiering: "Disabled",
      ...(spec.lock ? { retentionRules: [{ displayName: "backup-lock", duration: { timeAmount: String(spec.lock.days), timeUnit: "DAYS" } }] } : {}),
      freeformTags: { ...tags, purpose: role },
      ...protectedBucket(this.props),
    });
    new ObjectstorageObjectLifecyclePolicy(this, `${role}-lifecycle`, {
      namespace: this.namespace,
      bucket: bucket.name,
      rules: lifecycleRules(spec),
      dependsOn: [serviceAccess],
    });
    return bucket;
  }

  private bucketOutputs(bucket: ObjectstorageBucket): BucketOutputs {
    return { name: bucket.name, id: bucket.name, url: `https://objectstorage.${this.props.region}.oraclecloud.com/n/${this.namespace}/b/${bucket.name}/o` };
  }
}

/** Previous versions deleted, unfinished uploads aborted, and (backups) objects moved to Infrequent Access. */
function lifecycleRules(spec: BucketProps): ObjectstorageObjectLifecyclePolicyRules[] {
  const days = (timeAmount: number) => ({ timeAmount: String(timeAmount), timeUnit: "DAYS", isEnabled: true });
  return [
    ...(spec.lock ? [] : [{ name: "expire-noncurrent-versions", action: "DELETE", target: "previous-object-versions", ...days(spec.noncurrentVersionDays) }]),
    { name: "abort-incomplete-uploads", action: "ABORT", target: "multipart-uploads", ...days(spec.incompleteUploadDays) },
    ...(spec.coldAfterDays !== undefined ? [{ name: "move-to-infrequent-access", action: "INFREQUENT_ACCESS", target: "objects", ...days(spec.coldAfterDays) }] : []),
  ];
}
