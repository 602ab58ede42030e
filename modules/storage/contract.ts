import type { TerraformResource } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { suppressUnprotected } from "../shared/suppress";

/**
 * Private, encrypted, versioned object storage, declared by purpose: `assets` (the
 * frontend's static files, read by the edge) and `backups` (written by the cluster's backup
 * job, immutable for a while, moved to a colder class, replicated to the dr region). Each
 * cloud implements this contract once (S3, Azure Blob Storage, Cloud Storage, OCI Object
 * Storage, IBM Cloud Object Storage).
 */
export const BUCKET_PURPOSES = ["assets", "backups"] as const;
export type BucketPurpose = (typeof BUCKET_PURPOSES)[number];

export const BUCKET_LOCK_MODES = ["governance", "compliance"] as const;
export type BucketLockMode = (typeof BUCKET_LOCK_MODES)[number];

export interface BucketProps {
  /** Days an overwritten or deleted version is kept before it expires. */
  readonly noncurrentVersionDays: number;
  /** Days after which an unfinished multipart upload is aborted. */
  readonly incompleteUploadDays: number;
  /**
   * Days after which objects move to the cloud's colder storage class.
   * @default - never (objects stay in the standard class)
   */
  readonly coldAfterDays?: number;
  /**
   * Days every object stays immutable after it is written (WORM), and how strictly.
   * @default - no lock
   */
  readonly lock?: { readonly days: number; readonly mode: BucketLockMode };
  /**
   * Replicated to the environment's replica (dr); the replica's stack builds the receiving
   * bucket and the replication (see `StorageProps.replicaOf`).
   * @default false
   */
  readonly replicate?: boolean;
}

/**
 * The primary environment's bucket that a replica's stack replicates from, read from the
 * primary's stack outputs (remote state): its name, its cloud id (AWS ARN, Azure storage
 * account id, Google bucket name, OCI bucket name, IBM bucket CRN) and the key it is
 * encrypted with.
 */
export interface PrimaryBucket {
  readonly name: string;
  readonly id: string;
  readonly keyId: string;
  /** The primary's region, where the source bucket lives. */
  readonly region: string;
}

export interface StorageProps {
  /** Prefix of every resource name, e.g. `siros-prod`. */
  readonly name: string;
  /** Region (Azure: location) the buckets live in. */
  readonly region: string;
  /** The environment's key (modules/keys `outputs.keyId`), which encrypts every bucket. */
  readonly keyId: string;
  /** One bucket per purpose. */
  readonly buckets: Readonly<Record<BucketPurpose, BucketProps>>;
  /**
   * Days server access logs are kept, where the cloud writes them to a bucket (AWS).
   * @default 365
   */
  readonly accessLogDays?: number;
  /**
   * The primary's buckets, by purpose, when this stack is a replica (dr): this stack then
   * builds the receiving side of their replication.
   * @default - not a replica
   */
  readonly replicaOf?: Readonly<Partial<Record<BucketPurpose, PrimaryBucket>>>;
  /**
   * Refuse to destroy the buckets (`prevent_destroy`, and the cloud's own protection).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Tags (Google: labels) for every taggable resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** One bucket as consumers and other stacks address it. */
export interface BucketOutputs {
  /** The bucket's (container's) name. */
  readonly name: string;
  /** The cloud's id: AWS ARN, Azure storage account id, Google bucket name, OCI bucket name, IBM CRN. */
  readonly id: string;
  /** Where clients reach it: the HTTPS endpoint of the bucket. */
  readonly url: string;
}

export interface StorageOutputs {
  readonly buckets: Readonly<Record<BucketPurpose, BucketOutputs>>;
  /**
   * A replica's (dr's) receiving buckets, by the primary's purpose: separate from its own,
   * since replication makes the destination read-only on Azure and OCI.
   */
  readonly replicas: Readonly<Partial<Record<BucketPurpose, BucketOutputs>>>;
}

/**
 * Who gets access, in the cloud's own IAM spelling: AWS IAM role ARN (or a CloudFront
 * distribution ARN, which gets origin access control), Azure principal object id, Google IAM
 * member, OCI policy subject (with `condition`, e.g. a workload's `where` clause), IBM
 * trusted profile IAM id (`iam-Profile-...`).
 */
export interface StorageGrantee {
  readonly principal: string;
  /** OCI: the condition the policy statement adds (`WorkloadIdentity.policyCondition`). @default - none */
  readonly condition?: string;
}

export interface Storage extends IConstruct {
  readonly outputs: StorageOutputs;
  /** Lets the grantee read (list and get) the objects of one purpose's bucket; the edge reads `assets`. */
  grantRead(purpose: BucketPurpose, grantee: StorageGrantee): void;
  /** Lets the grantee write and read, never delete, objects of one purpose's bucket; the backup job writes `backups`. */
  grantWrite(purpose: BucketPurpose, grantee: StorageGrantee): void;
}

export const DEFAULT_ACCESS_LOG_DAYS = 365;

export interface ResolvedStorageProps extends Required<Omit<StorageProps, "replicaOf">> {
  readonly replicaOf: Readonly<Partial<Record<BucketPurpose, PrimaryBucket>>>;
}

/** The defaults documented above, applied in one place for every implementation. */
export function resolveStorageProps(props: StorageProps): ResolvedStorageProps {
  return { accessLogDays: DEFAULT_ACCESS_LOG_DAYS, deletionProtection: true, tags: {}, ...props, replicaOf: props.replicaOf ?? {} };
}

/** What an access grant lets a grantee do, as a name implementations switch on. */
export type StorageAccess = "read" | "write";

/** The lifecycle that keeps Terraform from destroying a protected bucket. */
/**
 * Where the environment turned deletion protection off (a declared knob in environments/shape.ts),
 * the policy rule asking for it is suppressed on that bucket, saying why.
 */
export function suppressWhenUnprotected(props: ResolvedStorageProps, resource: TerraformResource, rule: string): void {
  suppressUnprotected(props.deletionProtection, "storage.deletionProtection", resource, rule);
}

export const protectedBucket = (props: ResolvedStorageProps) => (props.deletionProtection ? { lifecycle: { preventDestroy: true } } : {});

/** A bucket of a purpose, or a replica's bucket receiving the primary's bucket of that purpose. */
export type BucketRole = BucketPurpose | `${BucketPurpose}-replica`;

/** `siros-prod` + `backups`: the readable part of every bucket name. */
export const bucketBase = (props: { readonly name: string }, role: BucketRole): string => `${props.name}-${role}`;

/** The purposes this stack receives replicas of, in contract order. */
export const replicatedPurposes = (props: ResolvedStorageProps): BucketPurpose[] => BUCKET_PURPOSES.filter((p) => props.replicaOf[p] !== undefined);

/** Refuses a purpose the contract does not know, so a typo fails at synth on every cloud alike. */
export function checkPurpose(cloud: string, purpose: string): asserts purpose is BucketPurpose {
  if (!(BUCKET_PURPOSES as readonly string[]).includes(purpose)) {
    throw new Error(`storage (${cloud}): ${JSON.stringify(purpose)} is not a bucket purpose; valid: ${BUCKET_PURPOSES.map((p) => JSON.stringify(p)).join(", ")}`);
  }
}

/**
 * What every implementation shares about grants: grantRead and grantWrite check the purpose
 * (the same refusal on every cloud) and hand one `grant(access, …)` the cloud's own spelling.
 */
export abstract class StorageBase extends Construct implements Storage {
  abstract readonly outputs: StorageOutputs;
  /** The cloud named in refusals. */
  protected abstract readonly cloud: string;

  grantRead(purpose: BucketPurpose, grantee: StorageGrantee): void {
    checkPurpose(this.cloud, purpose);
    this.grant("read", purpose, grantee);
  }

  grantWrite(purpose: BucketPurpose, grantee: StorageGrantee): void {
    checkPurpose(this.cloud, purpose);
    this.grant("write", purpose, grantee);
  }

  /** Lets the grantee do what `access` allows on the purpose's bucket, least privilege in the cloud's IAM. */
  protected abstract grant(access: StorageAccess, purpose: BucketPurpose, grantee: StorageGrantee): void;
}
