/** Object storage (modules/storage): retention, immutability and replication of the environment's buckets. */
export interface StorageSettings {
  /** Days an overwritten or deleted object version is kept before it expires: 1 to 3650. */
  readonly noncurrentVersionDays: number;
  /** Days after which an unfinished multipart upload is aborted and its parts deleted: 1 to 30. */
  readonly incompleteUploadDays: number;
  /** Days server access logs are kept (where the cloud writes them to a bucket): 1 to 3650. */
  readonly accessLogDays: number;
  readonly backups: BackupSettings;
  /** `prevent_destroy` on every bucket, and the cloud's own protection where it has one. */
  readonly deletionProtection: boolean;
}

export interface BackupSettings {
  /** Days after which backups move to the cloud's colder storage class: 30 to 3650 (30 is the colder classes' minimum stay). */
  readonly coldAfterDays: number;
  /**
   * Days every backup is immutable after it is written (WORM): 0 for none (dev), otherwise
   * 1 to 3650.
   */
  readonly lockDays: number;
  /**
   * `governance`: privileged administrators can still shorten or lift the lock;
   * `compliance`: nobody can, not even the account owner, until it expires.
   */
  readonly lockMode: "governance" | "compliance";
  /**
   * Replicate this environment's backups to the environment that is its replica (dr for
   * prod); that environment's stacks build the replica buckets and the replication. Only
   * valid where another environment names this one in `replicaOf`.
   */
  readonly replicate: boolean;
}
