import { Construct } from "constructs";
import { IamAuthorizationPolicy } from "../../.gen/providers/ibm/iam-authorization-policy";
import { KmsKey } from "../../.gen/providers/ibm/kms-key";
import { KmsKeyPolicies } from "../../.gen/providers/ibm/kms-key-policies";
import { KmsKeyRings } from "../../.gen/providers/ibm/kms-key-rings";
import { ResourceInstance } from "../../.gen/providers/ibm/resource-instance";
import { SmSecretGroup } from "../../.gen/providers/ibm/sm-secret-group";
import { keyValueTags } from "../shared/tags";
import {
  checkSecretProps,
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
import { gapError } from "./gaps";

export interface IbmKeysProps extends KeysProps {
  /** The environment's resource group, which holds both service instances. */
  readonly resourceGroupId: string;
}

/** Key Protect rotates in whole months; environment validation keeps rotation periods to multiples of 30 days. */
export const DAYS_PER_ROTATION_MONTH = 30;
/** Terraform reaches both services over IBM Cloud's private network only. */
const PRIVATE = "private";

/** IAM source service names of the services `grant({ service })` authorizes. */
const SOURCE_SERVICE: Partial<Record<KeyService, string>> = { "object-storage": "cloud-object-storage", secrets: "secrets-manager" };

/**
 * IBM Cloud: a Key Protect instance reachable only over private endpoints, a key ring and a
 * root key in it with a rotation policy (and dual authorization for deletion under deletion
 * protection); a Secrets Manager instance with private-only networking whose data is
 * encrypted with the root key. The authorization that lets Secrets Manager read the key is
 * created first (scoped to the resource group, as the instance does not exist yet), then
 * the instance. Each `grant` is a service-to-service authorization on this Key Protect
 * instance with the Reader role only.
 */
export class IbmKeys extends Construct implements Keys {
  readonly outputs: KeysOutputs;
  readonly keyProtect: ResourceInstance;
  readonly keyRing: KmsKeyRings;
  readonly rootKey: KmsKey;
  readonly secretsManager: ResourceInstance;
  private readonly authorizations = new Map<string, IamAuthorizationPolicy>();
  private readonly props: ResolvedKeysProps & { readonly resourceGroupId: string };
  private readonly sources = new Set<string>();

  constructor(scope: Construct, id: string, input: IbmKeysProps) {
    super(scope, id);
    this.props = { ...resolveKeysProps(input), resourceGroupId: input.resourceGroupId };
    const { name, region, resourceGroupId, rotationDays } = this.props;
    const tags = keyValueTags(this.props.tags);
    const lifecycle = protectedLifecycle(this.props);

    this.keyProtect = new ResourceInstance(this, "key-protect", {
      name: `${name}-kms`,
      service: "kms",
      plan: "tiered-pricing",
      location: region,
      resourceGroupId,
      parameters: { allowed_network: "private-only" },
      tags,
      ...lifecycle,
    });
    const instanceId = this.keyProtect.guid;
    this.keyRing = new KmsKeyRings(this, "key-ring", { instanceId, keyRingId: name, endpointType: PRIVATE });
    this.rootKey = new KmsKey(this, "root-key", {
      instanceId,
      keyName: name,
      keyRingId: this.keyRing.keyRingId,
      description: `Root key of ${name}`,
      standardKey: false,
      forceDelete: false,
      endpointType: PRIVATE,
      ...lifecycle,
    });
    new KmsKeyPolicies(this, "root-key-policies", {
      instanceId,
      keyId: this.rootKey.keyId,
      endpointType: PRIVATE,
      rotation: [{ enabled: true, intervalMonth: rotationDays / DAYS_PER_ROTATION_MONTH }],
      // Deleting a protected key takes two people.
      dualAuthDelete: [{ enabled: this.props.deletionProtection }],
    });

    // Before the instance exists, the authorization can only name its resource group.
    const secretsReadKey = new IamAuthorizationPolicy(this, "secrets-manager-reads-key", {
      sourceServiceName: "secrets-manager",
      sourceResourceGroupId: resourceGroupId,
      targetServiceName: "kms",
      targetResourceInstanceId: instanceId,
      roles: ["Reader"],
      description: `Secrets Manager of ${name} unwraps its data key with ${name}'s root key`,
    });
    this.sources.add("secrets-manager");
    this.secretsManager = new ResourceInstance(this, "secrets-manager", {
      name: `${name}-secrets`,
      service: "secrets-manager",
      plan: "standard",
      location: region,
      resourceGroupId,
      serviceEndpoints: PRIVATE,
      parameters: { allowed_network: "private-only", kms_instance: instanceId, kms_key: this.rootKey.crn },
      tags,
      dependsOn: [secretsReadKey],
      ...lifecycle,
    });
    this.props.principals.forEach((principal) => this.grant({ principal }));

    this.outputs = { keyId: this.rootKey.crn, secretStoreId: this.secretsManager.crn };
  }

  grant(grantee: KeyGrantee): void {
    this.sourceGrant("principal" in grantee ? grantee.principal : this.sourceService(grantee.service));
  }

  /** The authorization that lets one source service read the key, for its consumers to depend on (created once). */
  sourceGrant(source: string): IamAuthorizationPolicy | undefined {
    if (this.sources.has(source)) return this.authorizations.get(source);
    const policy = new IamAuthorizationPolicy(this, `key-reader-${this.sources.size}`, {
      sourceServiceName: source,
      targetServiceName: "kms",
      targetResourceInstanceId: this.keyProtect.guid,
      roles: ["Reader"],
      description: `${source} unwraps data keys with ${this.props.name}'s root key`,
    });
    this.sources.add(source);
    this.authorizations.set(source, policy);
    return policy;
  }

  addSecret(id: string, props: SecretProps): SecretRef {
    checkSecretProps("keys (ibm)", props);
    if (props.value) throw gapError("ibmSecretValues", `(secret ${JSON.stringify(props.name)} with a value)`);
    const group = new SmSecretGroup(this, `secret-${id}`, {
      instanceId: this.secretsManager.guid,
      region: this.props.region,
      endpointType: PRIVATE,
      name: `${this.props.name}-${props.name}`,
      description: props.description,
    });
    return { id: group.secretGroupId, name: group.name };
  }

  private sourceService(service: KeyService): string {
    const source = SOURCE_SERVICE[service];
    if (!source) throw gapError("ibmLogs");
    return source;
  }
}
