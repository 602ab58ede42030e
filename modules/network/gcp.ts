import type { ITerraformDependable } from "cdktf";
import { ComputeAddress } from "@cdktf/provider-google/lib/compute-address";
import { ComputeFirewall, type ComputeFirewallConfig } from "@cdktf/provider-google/lib/compute-firewall";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { LoggingProjectExclusion } from "@cdktf/provider-google/lib/logging-project-exclusion";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config";
import { LoggingProjectSink } from "@cdktf/provider-google/lib/logging-project-sink";
import type { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import {
  zoneIndexes,
  networkOutputs,
  resolveNetworkProps,
  type Network,
  type NetworkOutputs,
  type NetworkProps,
  type ResolvedNetworkProps,
} from "./contract";
import { publicIngressRules } from "./ingress";
import { regionalSubnetPlan } from "./subnet-plan";
import { enableGcpServices } from "../shared/gcp-services";

export interface GcpNetworkProps extends NetworkProps {
  /** Project the network and its log bucket belong to. */
  readonly project: string;
  /**
   * The environment's key (modules/keys), which encrypts the flow-log bucket, and the
   * binding that lets Cloud Logging's service account use it (it must exist first).
   * @default - Google-managed keys
   */
  readonly flowLogKey?: { readonly keyId: string; readonly loggingMayUseKey: ITerraformDependable };
}

/** The secondary ranges GKE clusters in the private subnetwork use. */
export const GKE_RANGE_NAMES = { pods: "pods", services: "services" } as const;

/** Network tag that exposes an instance to the declared public ingress. */
export const PUBLIC_INGRESS_TAG = "public-ingress";

/** The APIs the network calls: Compute Engine, and Cloud Logging for the flow-log bucket and routing. */
const NETWORK_APIS = { compute: "compute.googleapis.com", logging: "logging.googleapis.com" } as const;

/**
 * Google Cloud: a custom-mode VPC with a regional public and private subnetwork (private
 * Google access, flow logs, GKE secondary ranges on the private one), Cloud Router and
 * Cloud NAT, and firewall rules that allow internal traffic and the declared ingress and
 * deny the rest with logging. Subnetworks span every zone of the region; `per-zone` NAT
 * reserves one static egress address per zone, `single` lets Cloud NAT allocate one.
 */
export class GcpNetwork extends Construct implements Network {
  readonly outputs: NetworkOutputs;
  readonly network: ComputeNetwork;

  constructor(scope: Construct, id: string, input: GcpNetworkProps) {
    super(scope, id);
    const props = resolveNetworkProps(input);
    const { name, region, project } = { ...props, project: input.project };
    const plan = regionalSubnetPlan(props.cidr);
    const [computeApi, loggingApi] = enableGcpServices(this, project, [NETWORK_APIS.compute, NETWORK_APIS.logging]);

    // Every other compute resource refers to the network (or its router), so waits for the API through it.
    this.network = new ComputeNetwork(this, "network", {
      name,
      project,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      dependsOn: [computeApi],
    });
    // Every flow, as AWS's `ALL` traffic type and Azure's and IBM's flow logs record.
    const flowLogConfig = props.flowLogs.enabled
      ? { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 1, metadata: "INCLUDE_ALL_METADATA" }
      : undefined;
    const subnetwork = (tier: "public" | "private", ipCidrRange: string, secondaryIpRange = [] as { rangeName: string; ipCidrRange: string }[]) =>
      new ComputeSubnetwork(this, `${tier}-subnetwork`, {
        name: `${name}-${tier}`,
        project,
        region,
        network: this.network.id,
        ipCidrRange,
        privateIpGoogleAccess: true,
        secondaryIpRange: secondaryIpRange.length > 0 ? secondaryIpRange : undefined,
        logConfig: flowLogConfig,
      });
    const publicSubnetwork = subnetwork("public", plan.public);
    const privateSubnetwork = subnetwork("private", plan.private, [
      { rangeName: GKE_RANGE_NAMES.pods, ipCidrRange: plan.pods },
      { rangeName: GKE_RANGE_NAMES.services, ipCidrRange: plan.services },
    ]);

    const nat = this.cloudNat(props, project, [publicSubnetwork, privateSubnetwork], computeApi);
    this.firewall(props, project);
    if (props.flowLogs.enabled) this.flowLogRetention(props, project, loggingApi, input.flowLogKey);

    this.outputs = {
      ...networkOutputs(this.network, props.cidr, { public: [publicSubnetwork], private: [privateSubnetwork] }),
      // Cloud NAT's monitored resource (nat_gateway) is named by its gateway and region.
      metricScopes: [{ gateway_name: nat.name, region: props.region }],
    };
  }

  private cloudNat(props: ResolvedNetworkProps, project: string, subnetworks: ComputeSubnetwork[], computeApi: TerraformResource): ComputeRouterNat {
    const router = new ComputeRouter(this, "router", {
      name: `${props.name}-router`,
      project,
      region: props.region,
      network: this.network.id,
    });
    const addresses =
      props.natStrategy === "per-zone"
        ? zoneIndexes(props.zones).map(
            (zone) =>
              new ComputeAddress(this, `nat-address-${zone}`, {
                name: `${props.name}-nat-${zone}`,
                project,
                region: props.region,
                addressType: "EXTERNAL",
                networkTier: "PREMIUM",
                labels: props.tags,
                // An address refers to nothing else of the network.
                dependsOn: [computeApi],
              }),
          )
        : [];
    return new ComputeRouterNat(this, "nat", {
      name: `${props.name}-nat`,
      project,
      region: props.region,
      router: router.name,
      natIpAllocateOption: addresses.length > 0 ? "MANUAL_ONLY" : "AUTO_ONLY",
      natIps: addresses.length > 0 ? addresses.map((a) => a.selfLink) : undefined,
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetwork: subnetworks.map((s) => ({ name: s.id, sourceIpRangesToNat: ["ALL_IP_RANGES"] })),
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    });
  }

  private firewall(props: ResolvedNetworkProps, project: string): void {
    // Every rule is an ingress rule of this network, logged with full metadata.
    type RuleSettings = Omit<ComputeFirewallConfig, "project" | "network" | "direction" | "logConfig">;
    const rule = (id: string, settings: RuleSettings) =>
      new ComputeFirewall(this, id, {
        project,
        network: this.network.name,
        direction: "INGRESS",
        logConfig: { metadata: "INCLUDE_ALL_METADATA" },
        ...settings,
      });
    rule("allow-internal", {
      name: `${props.name}-allow-internal`,
      description: "Traffic between addresses of this network, including GKE ranges",
      priority: 1000,
      sourceRanges: [props.cidr],
      allow: [{ protocol: "all" }],
    });
    publicIngressRules(props.publicIngress).forEach((ingress) =>
      rule(`allow-public-${ingress.position}`, {
        name: `${props.name}-${ingress.name}`,
        description: ingress.description,
        priority: 1000,
        sourceRanges: [ingress.sourceCidr],
        targetTags: [PUBLIC_INGRESS_TAG],
        allow: [{ protocol: ingress.protocol, ports: [String(ingress.port)] }],
      }),
    );
    // GCP's implied deny is not logged; this explicit one is.
    rule("deny-all-ingress", {
      name: `${props.name}-deny-all-ingress`,
      description: "Everything not allowed above",
      priority: 65534,
      sourceRanges: ["0.0.0.0/0"],
      deny: [{ protocol: "all" }],
    });
  }

  /**
   * Subnet flow logs land in Cloud Logging; a dedicated bucket keeps them for the configured
   * time, and an exclusion on the project's `_Default` sink keeps them out of `_Default` (which
   * would otherwise store, and bill, every flow a second time under its own retention).
   */
  private flowLogRetention(props: ResolvedNetworkProps, project: string, loggingApi: TerraformResource, key: GcpNetworkProps["flowLogKey"]): void {
    const flows = `resource.type="gce_subnetwork" AND log_id("compute.googleapis.com/vpc_flows") AND resource.labels.subnetwork_name:"${props.name}-"`;
    const bucket = new LoggingProjectBucketConfig(this, "flow-log-bucket", {
      project,
      location: props.region,
      bucketId: `${props.name}-vpc-flow-logs`,
      retentionDays: props.flowLogs.retentionDays,
      description: `VPC flow logs of ${props.name}`,
      // The key is regional like the bucket; CMEK cannot be turned off once set.
      ...(key ? { cmekSettings: { kmsKeyName: key.keyId } } : {}),
      dependsOn: key ? [loggingApi, key.loggingMayUseKey] : [loggingApi],
    });
    new LoggingProjectSink(this, "flow-log-sink", {
      name: `${props.name}-vpc-flow-logs`,
      project,
      destination: `logging.googleapis.com/${bucket.id}`,
      filter: flows,
      uniqueWriterIdentity: true,
    });
    // Project exclusions apply to the _Default sink only; the sink above still routes these entries.
    new LoggingProjectExclusion(this, "flow-log-default-exclusion", {
      name: `${props.name}-vpc-flows-not-in-default`,
      project,
      description: `VPC flow logs of ${props.name} are kept in their own bucket only`,
      filter: flows,
      dependsOn: [loggingApi],
    });
  }
}
