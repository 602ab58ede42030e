import { DataGoogleLoggingProjectCmekSettings } from "@cdktf/provider-google/lib/data-google-logging-project-cmek-settings";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { DataGoogleStorageProjectServiceAccount } from "@cdktf/provider-google/lib/data-google-storage-project-service-account";
import { KmsCryptoKey } from "@cdktf/provider-google/lib/kms-crypto-key";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { KmsKeyRing } from "@cdktf/provider-google/lib/kms-key-ring";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import type { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { enableGcpServices } from "../shared/gcp-services";
import {
  checkSecretProps,
  daysAsSeconds,
  protectedLifecycle,
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

export interface GcpKeysProps extends KeysProps {
  /** Project the key ring, the key and the secrets belong to. */
  readonly project: string;
}

export const ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

/** The Google APIs the module calls, enabled in the project before anything uses them. */
export const KEYS_APIS = {
  kms: "cloudkms.googleapis.com",
  secrets: "secretmanager.googleapis.com",
  logging: "logging.googleapis.com",
  storage: "storage.googleapis.com",
} as const;

/**
 * Google Cloud: a key ring in the region and a symmetric crypto key that rotates on the
 * rotation period, HSM-protected for `hsm` (software otherwise), destroyed only after the
 * deletion window, with `prevent_destroy` under deletion protection; the service agents of
 * the services that use it (Secret Manager always; Cloud Logging and Cloud Storage when a
 * module asks) granted encrypter/decrypter on this key only. Secrets are Secret Manager
 * secrets replicated only to the region (user-managed replication) and encrypted with the key.
 */
export class GcpKeys extends Construct implements Keys {
  readonly outputs: KeysOutputs;
  readonly keyRing: KmsKeyRing;
  readonly key: KmsCryptoKey;
  private readonly props: ResolvedKeysProps & { readonly project: string };
  private readonly project: DataGoogleProject;
  private readonly members = new Map<string, KmsCryptoKeyIamMember>();
  private readonly secretsGrant: KmsCryptoKeyIamMember;
  private readonly secretsApi: TerraformResource;

  constructor(scope: Construct, id: string, input: GcpKeysProps) {
    super(scope, id);
    this.props = { ...resolveKeysProps(input), project: input.project };
    const { name, region, project, tags } = this.props;
    this.project = new DataGoogleProject(this, "project", { projectId: project });
    const [kmsApi, secretsApi] = enableGcpServices(this, project, [KEYS_APIS.kms, KEYS_APIS.secrets]);
    this.secretsApi = secretsApi;

    this.keyRing = new KmsKeyRing(this, "key-ring", { name, location: region, project, dependsOn: [kmsApi], ...protectedLifecycle(this.props) });
    this.key = new KmsCryptoKey(this, "key", {
      name,
      keyRing: this.keyRing.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: daysAsSeconds(this.props.rotationDays),
      destroyScheduledDuration: daysAsSeconds(this.props.deletionWindowDays),
      versionTemplate: {
        algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION",
        protectionLevel: this.props.protection === "hsm" ? "HSM" : "SOFTWARE",
      },
      labels: { ...tags },
      ...protectedLifecycle(this.props),
    });
    this.secretsGrant = this.serviceGrant("secrets");
    this.props.principals.forEach((principal) => this.grant({ principal }));

    this.outputs = { keyId: this.key.id, secretStoreId: `projects/${project}/secrets/${name}-` };
  }

  grant(grantee: KeyGrantee): void {
    if ("principal" in grantee) {
      this.grantMember(grantee.principal, grantee.principal);
    } else if (!this.members.has(`service:${grantee.service}`)) {
      this.grantMember(`service:${grantee.service}`, this.serviceAgent(grantee.service));
    }
  }

  /** The IAM binding that lets a service encrypt with the key, for its consumers to depend on. */
  serviceGrant(service: KeyService): KmsCryptoKeyIamMember {
    this.grant({ service });
    return this.members.get(`service:${service}`)!;
  }

  /** The IAM binding that lets one identity (an IAM member) use the key, for its consumers to depend on. */
  principalGrant(member: string): KmsCryptoKeyIamMember {
    this.grant({ principal: member });
    return this.members.get(member)!;
  }

  addSecret(id: string, props: SecretProps): SecretRef {
    checkSecretProps("keys (gcp)", props);
    const secret = new SecretManagerSecret(this, `secret-${id}`, {
      secretId: `${this.props.name}-${props.name}`,
      project: this.props.project,
      annotations: { description: props.description },
      labels: { ...this.props.tags },
      replication: {
        userManaged: {
          replicas: [{ location: this.props.region, customerManagedEncryption: { kmsKeyName: this.key.id } }],
        },
      },
      // Secret Manager checks at creation that its agent may use the key.
      dependsOn: [this.secretsApi, this.secretsGrant],
    });
    if (props.value) {
      new SecretManagerSecretVersion(this, `secret-${id}-value`, {
        secret: secret.id,
        secretDataWo: props.value.reference,
        secretDataWoVersion: props.value.version,
      });
    }
    return { id: secret.id, name: secret.secretId };
  }

  /** The IAM member of the Google-managed service account that encrypts on a service's behalf. */
  private serviceAgent(service: KeyService): string {
    switch (service) {
      case "secrets":
        // google_project_service_identity is beta-only at 6.50.0 (see KEYS_GAPS.gcpSecretManagerAgent).
        return `serviceAccount:service-${this.project.number}@gcp-sa-secretmanager.iam.gserviceaccount.com`;
      case "logs": {
        // Read once the API is on: in a new project the read would fail at plan otherwise.
        const logging = new DataGoogleLoggingProjectCmekSettings(this, "logging-settings", {
          project: this.props.project,
          dependsOn: enableGcpServices(this, this.props.project, [KEYS_APIS.logging]),
        });
        return `serviceAccount:${logging.serviceAccountId}`;
      }
      case "object-storage": {
        const storage = new DataGoogleStorageProjectServiceAccount(this, "storage-agent", {
          project: this.props.project,
          dependsOn: enableGcpServices(this, this.props.project, [KEYS_APIS.storage]),
        });
        return `serviceAccount:${storage.emailAddress}`;
      }
    }
  }

  /** One binding per grantee; `key` tells grantees apart (a service agent's address is unknown until plan). */
  private grantMember(key: string, member: string): void {
    if (this.members.has(key)) return;
    const binding = new KmsCryptoKeyIamMember(this, `key-user-${this.members.size}`, {
      cryptoKeyId: this.key.id,
      role: ENCRYPTER_DECRYPTER,
      member,
    });
    this.members.set(key, binding);
  }
}
