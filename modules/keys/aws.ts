import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import {
  checkSecretProps,
  protectedLifecycle,
  suppressWhenUnprotected,
  resolveKeysProps,
  type KeyGrantee,
  type Keys,
  type KeyService,
  type KeysOutputs,
  type KeysProps,
  type ResolvedKeysProps,
  type SecretProps,
  type SecretRef,
} from "./contract";

/** What a grantee may do with the key: use it, never manage it. */
const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/** AWS services that call KMS with the caller's identity, by the service endpoint KMS sees (`kms:ViaService`). */
const VIA_SERVICE: Partial<Record<KeyService, string>> = { secrets: "secretsmanager", "object-storage": "s3" };

/**
 * AWS: a symmetric KMS key with automatic rotation and an alias, whose key policy keeps the
 * account root (so IAM can always manage it) and lets only the named roles and services use
 * it: CloudWatch Logs for this account's log groups in this region (bound by the encryption
 * context), and Secrets Manager and S3 on behalf of callers of this account. Secrets are
 * Secrets Manager secrets under `<name>/`, encrypted with the key, created empty.
 *
 * dr gets its own key in its own region rather than a replica of prod's multi-Region key:
 * the services that copy data across regions (S3 replication, snapshot and backup copies)
 * re-encrypt with a key of the destination region, so dr needs no copy of prod's key
 * material, and dr keeps working, and can be rotated or revoked, whatever happens to prod's key.
 */
export class AwsKeys extends Construct implements Keys {
  readonly outputs: KeysOutputs;
  readonly key: KmsKey;
  private readonly props: ResolvedKeysProps;
  private readonly account: DataAwsCallerIdentity;
  private readonly services = new Set<KeyService>();
  private readonly principals: string[];
  private readonly publishers = new Set<string>();

  constructor(scope: Construct, id: string, input: KeysProps) {
    super(scope, id);
    this.props = resolveKeysProps(input);
    const { name, region, rotationDays, deletionWindowDays, tags } = this.props;
    this.principals = [...this.props.principals];
    this.account = new DataAwsCallerIdentity(this, "account");

    this.key = new KmsKey(this, "key", {
      description: `Encryption key of ${name}`,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      multiRegion: false,
      enableKeyRotation: true,
      rotationPeriodInDays: rotationDays,
      deletionWindowInDays: deletionWindowDays,
      // Produced at synth, after every module has registered its grants.
      policy: Lazy.stringValue({ produce: () => JSON.stringify(this.keyPolicy()) }),
      tags: { ...tags, Name: name },
      ...protectedLifecycle(this.props),
    });
    suppressWhenUnprotected(this.props, this.key, "SIROS-AWS-KMS-5");
    new KmsAlias(this, "alias", { name: `alias/${name}`, targetKeyId: this.key.keyId });
    // The secret store is part of this module, so Secrets Manager may always use the key.
    this.grant({ service: "secrets" });

    this.outputs = {
      keyId: this.key.arn,
      secretStoreId: `arn:aws:secretsmanager:${region}:${this.account.accountId}:secret:${name}/`,
    };
  }

  grant(grantee: KeyGrantee): void {
    if ("service" in grantee) this.services.add(grantee.service);
    else if (!this.principals.includes(grantee.principal)) this.principals.push(grantee.principal);
  }

  /**
   * AWS services that publish to a topic encrypted with the key on this account's behalf
   * (`cloudwatch.amazonaws.com` for alarms, `budgets.amazonaws.com`): they may generate data
   * keys and decrypt, only for this account's resources.
   */
  grantPublishers(services: readonly string[]): void {
    services.forEach((service) => this.publishers.add(service));
  }

  addSecret(id: string, props: SecretProps): SecretRef {
    checkSecretProps("keys (aws)", props);
    const secret = new SecretsmanagerSecret(this, `secret-${id}`, {
      name: `${this.props.name}/${props.name}`,
      description: props.description,
      kmsKeyId: this.key.arn,
      recoveryWindowInDays: this.props.deletionWindowDays,
      tags: { ...this.props.tags, Name: `${this.props.name}/${props.name}` },
    });
    if (props.value) {
      new SecretsmanagerSecretVersion(this, `secret-${id}-value`, {
        secretId: secret.id,
        secretStringWo: props.value.reference,
        secretStringWoVersion: props.value.version,
      });
    }
    return { id: secret.arn, name: secret.name };
  }

  /** The key policy: the account root keeps control; only the named roles and services may use the key. */
  keyPolicy(): { Version: string; Statement: Record<string, unknown>[] } {
    const { region } = this.props;
    const account = this.account.accountId;
    const statements: Record<string, unknown>[] = [
      {
        Sid: "AccountRootManagesKey",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ];
    if (this.principals.length > 0) {
      statements.push({ Sid: "NamedPrincipalsUseKey", Effect: "Allow", Principal: { AWS: [...this.principals] }, Action: USE_ACTIONS, Resource: "*" });
    }
    if (this.services.has("logs")) {
      statements.push({
        Sid: "CloudWatchLogsUseKey",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        // Only for log groups of this account in this region.
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${account}:log-group:*` } },
      });
    }
    if (this.publishers.size > 0) {
      statements.push({
        Sid: "PublishersUseKeyForEncryptedTopics",
        Effect: "Allow",
        Principal: { Service: [...this.publishers].sort() },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      });
    }
    for (const service of [...this.services].sort()) {
      const via = VIA_SERVICE[service];
      if (!via) continue;
      statements.push({
        Sid: `${via === "s3" ? "S3" : "SecretsManager"}UsesKeyForAccount`,
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: USE_ACTIONS,
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": account, "kms:ViaService": `${via}.${region}.amazonaws.com` } },
      });
    }
    return { Version: "2012-10-17", Statement: statements };
  }
}
