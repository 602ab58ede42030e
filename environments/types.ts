import type { DatabaseSettings } from "./settings/database";
import type { KeyProtection } from "../modules/keys/contract";
import type { StorageSettings } from "./settings/storage";
import type { EdgeSettings } from "./settings/edge";
import type { ObservabilitySettings } from "./settings/observability";
import type { NodeSize } from "../modules/kubernetes/contract";

/**
 * The shape of environment configuration. Environment files are plain typed data;
 * `loadEnvironments` merges them over the shared defaults and validates the result once.
 */

export const CLOUDS = ["aws", "azure", "gcp", "oci", "ibm"] as const;
export type CloudName = (typeof CLOUDS)[number];

export const ENVIRONMENTS = ["dev", "staging", "prod", "dr"] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

import type { IngressRule, NatStrategy } from "../lib/network-types";

export type { IngressRule, NatStrategy };

export interface NetworkSettings {
  readonly natStrategy: NatStrategy;
  /** Days that flow-log records are kept: 30, 60, 90, 120, 150 or 180 (accepted by every cloud). */
  readonly flowLogRetentionDays: number;
  readonly publicIngress: readonly IngressRule[];
}

/** The environment's encryption key (modules/keys): rotation, recovery window, protection. */
export interface KeySettings {
  /** Days between automatic rotations: a multiple of 30 from 90 to 360 (every cloud accepts these). */
  readonly rotationDays: number;
  /** Days a deleted key or vault stays recoverable: 7 to 30. */
  readonly deletionWindowDays: number;
  /** `hsm` in production-shaped environments; `software` is cheaper where the cloud charges for HSMs. */
  readonly protection: KeyProtection;
  /** `prevent_destroy` and the cloud's own deletion protection on the key and the secret store. */
  readonly deletionProtection: boolean;
}

/** One node pool of the cluster (modules/kubernetes). */
export interface NodePoolSettings {
  /** "small", "medium" or "large" (about 2, 4, 8 vCPUs); each cloud maps it to its machine type. */
  readonly size: NodeSize;
  /** Nodes at least / at most, the autoscaler's range: whole numbers, 0 <= min <= max <= 100. */
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Spot/preemptible capacity where the cloud offers it; not allowed in high-availability environments. */
  readonly spot: boolean;
}

/** The environment's Kubernetes cluster (modules/kubernetes), the same on every cloud. */
export interface KubernetesSettings {
  /** Kubernetes minor version, e.g. "1.33": one of the versions every cloud accepts. */
  readonly version: string;
  readonly systemPool: NodePoolSettings;
  readonly workloadPool: NodePoolSettings;
  /** Ranges (besides the network) allowed to reach the private API endpoint. */
  readonly apiAllowedCidrs: readonly string[];
  /** Days control-plane logs are kept: one of the flow-log retentions. */
  readonly logRetentionDays: number;
  /** The cloud's deletion protection on the cluster; required in prod and dr. */
  readonly deletionProtection: boolean;
}

/** Where one cloud's stack of this environment lives and which range its network owns. */
export interface CloudPlacement {
  /** Region (Azure: location) as the cloud spells it. */
  readonly region: string;
  readonly cidr: string;
  readonly zones: number;
}

export interface AwsPlacement extends CloudPlacement {
  /**
   * 12-digit AWS account id. When set, the provider refuses to act in any other account
   * (`allowed_account_ids`), so prod credentials cannot apply into dev's account.
   */
  readonly accountId?: string;
}

export interface AzurePlacement extends CloudPlacement {
  /**
   * The region's Network Watcher, which owns the flow logs; it must exist (plan fails
   * otherwise). Unset: `NetworkWatcher_<region>`, the name Azure gives the one it creates.
   */
  readonly networkWatcherName?: string;
  /** Resource group of that Network Watcher. Unset: `NetworkWatcherRG`. */
  readonly networkWatcherResourceGroupName?: string;
  /**
   * Azure subscription id (a GUID), written as the provider's `subscription_id`: the stack
   * then acts in this subscription whatever the credentials' default. Unset: the
   * subscription comes from ARM_SUBSCRIPTION_ID at plan time (azurerm 4 requires one of them).
   */
  readonly subscriptionId?: string;
}

export interface GcpPlacement extends CloudPlacement {
  /** Google Cloud project id the stack deploys into (the provider's `project`). */
  readonly project: string;
}

export interface OciPlacement extends CloudPlacement {
  /**
   * The tenancy's home region: OCI Identity accepts changes to compartments only there, so
   * the stack creates the environment's compartment through a provider aliased to it.
   * One tenancy serves every environment, so the shared defaults set it once.
   */
  readonly homeRegion: string;
  /**
   * OCID of the compartment (often the tenancy) under which the environment's own
   * compartment is created. Unset: the stack asks for it as the Terraform variable
   * `oci_parent_compartment_ocid`, so no tenancy id needs to live in this repository.
   */
  readonly parentCompartmentId?: string;
}

export interface IbmPlacement extends CloudPlacement {
  /** Existing resource group id to deploy into. Unset: the stack creates `<project>-<env>`. */
  readonly resourceGroupId?: string;
}

export interface CloudPlacements {
  readonly aws: AwsPlacement;
  readonly azure: AzurePlacement;
  readonly gcp: GcpPlacement;
  readonly oci: OciPlacement;
  readonly ibm: IbmPlacement;
}

/** Per-environment access to the shared state bucket. */
export interface StateAccess {
  /** Role Terraform assumes to read and write this environment's state. */
  readonly roleArn?: string;
  /** Customer-managed KMS key (ARN or alias) for the state objects. */
  readonly kmsKeyId?: string;
}

export interface EnvironmentConfig extends CloudPlacements {
  readonly name: EnvironmentName;
  readonly project: string;
  /**
   * Production-shaped: at least 3 zones and a NAT per zone on every cloud. Staging and dr
   * share prod's shape so that what is tested in staging is what runs in prod.
   */
  readonly highAvailability: boolean;
  readonly network: NetworkSettings;
  readonly keys: KeySettings;
  readonly storage: StorageSettings;
  readonly edge: EdgeSettings;
  readonly kubernetes: KubernetesSettings;
  readonly database: DatabaseSettings;
  readonly observability: ObservabilitySettings;
  /**
   * The environment this one takes over from in a disaster. Its stacks read that
   * environment's outputs (same cloud) and must run in other regions.
   */
  readonly replicaOf?: EnvironmentName;
  /** Applied to every taggable resource; keys and values must be valid on every cloud. */
  readonly tags: Readonly<Record<string, string>>;
  readonly state: StateAccess;
}

/** What an environment file may set: anything, over the shared defaults. */
export type EnvironmentDefinition = {
  readonly name: EnvironmentName;
  readonly highAvailability: boolean;
} & DeepPartial<Omit<EnvironmentConfig, "name" | "highAvailability">>;

export type DeepPartial<T> = T extends readonly (infer _U)[]
  ? T
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export const REQUIRED_TAGS = ["project", "environment", "owner", "cost-center", "managed-by"] as const;
