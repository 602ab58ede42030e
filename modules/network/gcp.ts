import type { ITerraformDependable } from "cdktf";
import { ComputeAddress } from "@cdktf/provider-google/lib/compute-address";
import { ComputeFirewall, type ComputeFirewallConfig } from "@cdktf/provider-google/lib/compute-firewall";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config";
import { LoggingProjectSink } from "@cdktf/provider-google/lib/logging-project-sink";
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

    this.network = new ComputeNetwork(this, "network", {
      name,
      project,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
    });
    const flowLogConfig = props.flowLogs.enabled
      ? { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" }
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

    this.cloudNat(props, project, [publicSubnetwork, privateSubnetwork]);
    this.firewall(props, project);
    if (props.flowLogs.enabled) this.flowLogRetention(props, project, input.flowLogKey);

    this.outputs = networkOutputs(this.network, props.cidr, { public: [publicSubnetwork], private: [privateSubnetwork] });
  }

  private cloudNat(props: ResolvedNetworkProps, project: string, subnetworks: ComputeSubnetwork[]): void {
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
              }),
          )
        : [];
    new ComputeRouterNat(this, "nat", {
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

  /** Subnet flow logs land in Cloud Logging; a dedicated bucket keeps them for the configured time. */
  private flowLogRetention(props: ResolvedNetworkProps, project: string, key: GcpNetworkProps["flowLogKey"]): void {
    const bucket = new LoggingProjectBucketConfig(this, "flow-log-bucket", {
      project,
      location: props.region,
      bucketId: `${props.name}-vpc-flow-logs`,
      retentionDays: props.flowLogs.retentionDays,
      description: `VPC flow logs of ${props.name}`,
      // The key is regional like the bucket; CMEK cannot be turned off once set.
      ...(key ? { cmekSettings: { kmsKeyName: key.keyId }, dependsOn: [key.loggingMayUseKey] } : {}),
    });
    new LoggingProjectSink(this, "flow-log-sink", {
      name: `${props.name}-vpc-flow-logs`,
      project,
      destination: `logging.googleapis.com/${bucket.id}`,
      filter: `resource.type="gce_subnetwork" AND log_id("compute.googleapis.com/vpc_flows") AND resource.labels.subnetwork_name:"${props.name}-"`,
      uniqueWriterIdentity: true,
    });
  }
}
