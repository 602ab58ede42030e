/**
 * Where a cloud cannot do what the keys contract promises at the pinned provider versions:
 * declared here, in one place, with the reason and the nearest alternative. README's module
 * table shows them; implementations refuse (with this text) instead of skipping silently.
 */
export type KeysCloud = "aws" | "azure" | "gcp" | "oci" | "ibm";

export interface KeysGap {
  readonly cloud: KeysCloud;
  /** What the contract promises that this cloud does not do. */
  readonly what: string;
  readonly reason: string;
  readonly alternative: string;
}

export const KEYS_GAPS = {
  azureServiceGrants: {
    cloud: "azure",
    what: "grant({ service }) for a whole service",
    reason: "Azure services use a customer-managed key through their own managed identity; Key Vault has no service-wide grant",
    alternative: "grant({ principal }) with the consuming resource's managed identity (the network grants its flow-log storage account's identity)",
  },
  azureEmptySecrets: {
    cloud: "azure",
    what: "addSecret without a value",
    reason: "a Key Vault secret always has a value; azurerm_key_vault_secret needs value or value_wo",
    alternative: "pass the value write-only (value_wo) with writeOnlyValue(...)",
  },
  gcpSecretManagerAgent: {
    cloud: "gcp",
    what: "creating the Secret Manager service agent",
    reason: "google_project_service_identity exists only in google-beta, not in google 6.50.0; the agent's address is composed from the project number",
    alternative: "run `gcloud beta services identity create --service=secretmanager.googleapis.com --project=<project>` once per project before the first apply",
  },
  ociLogs: {
    cloud: "oci",
    what: "grant({ service: \"logs\" }): logs encrypted with the key",
    reason: "OCI Logging encrypts logs with Oracle-managed keys; a log group takes no customer-managed key",
    alternative: "a Service Connector archiving the logs to an Object Storage bucket encrypted with the key",
  },
  ociWriteOnlySecrets: {
    cloud: "oci",
    what: "addSecret with a write-only value",
    reason: "oci_vault_secret has no write-only content attribute at 8.28.0 (secret_content.content is stored in state)",
    alternative: "addSecret without a value: the vault generates the secret (enable_auto_generation, a 32-character passphrase)",
  },
  ociDevRotation: {
    cloud: "oci",
    what: "automatic rotation with software protection (dev)",
    reason: "only keys in a virtual private vault rotate automatically; dev uses the cheaper shared (DEFAULT) vault",
    alternative: "hsm protection (staging, prod, dr) gets a VIRTUAL_PRIVATE vault with automatic rotation; rotate dev's key by hand",
  },
  ibmLogs: {
    cloud: "ibm",
    what: "grant({ service: \"logs\" })",
    reason: "IBM VPC flow logs are written to Cloud Object Storage; no logging service encrypts with the key itself",
    alternative: "grant({ service: \"object-storage\" }) (the network authorizes its own Object Storage instance)",
  },
  ibmSecretValues: {
    cloud: "ibm",
    what: "addSecret creating the secret itself",
    reason: "every IBM Secrets Manager secret type needs its payload at creation and none is write-only at 2.5.0",
    alternative: "addSecret creates a secret group for the secret; its producer writes the secret into the group",
  },
  awsSoftwareProtection: {
    cloud: "aws",
    what: "software protection (dev)",
    reason: "AWS KMS keeps the material of every key in its FIPS-validated HSMs; there is no software tier",
    alternative: "nothing to do: dev's key is HSM-backed at the same price",
  },
  ibmSoftwareProtection: {
    cloud: "ibm",
    what: "software protection (dev)",
    reason: "Key Protect keeps root keys in its FIPS 140-2 Level 3 HSMs; there is no software tier",
    alternative: "nothing to do: dev's root key is HSM-backed",
  },
  awsPrivateSecretStore: {
    cloud: "aws",
    what: "a secret store reachable from private networks only",
    reason: "Secrets Manager answers on its regional endpoint, and the keys module comes before the network, so it creates no VPC endpoint",
    alternative: "an interface VPC endpoint for Secrets Manager and a resource policy with aws:SourceVpce on each secret",
  },
  gcpPrivateSecretStore: {
    cloud: "gcp",
    what: "a secret store reachable from private networks only",
    reason: "Secret Manager is a Google API with no network setting of its own",
    alternative: "a VPC Service Controls perimeter around the project, reached through Private Google Access",
  },
  ociPrivateSecretStore: {
    cloud: "oci",
    what: "a secret store reachable from private networks only",
    reason: "oci_kms_vault has no network access setting at 8.28.0",
    alternative: "IAM policies on the vault's secrets with a request.networkSource condition",
  },
} as const satisfies Record<string, KeysGap>;

export type KeysGapId = keyof typeof KEYS_GAPS;

/** The refusal an implementation raises where its cloud has a declared gap. */
export function gapError(gap: KeysGapId, detail = ""): Error {
  const { cloud, what, reason, alternative } = KEYS_GAPS[gap];
  return new Error(`keys (${cloud}): ${what}${detail ? ` ${detail}` : ""} is not supported: ${reason}. Instead: ${alternative}`);
}
