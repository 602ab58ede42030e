import { TerraformVariable } from "cdktf";
import type { Construct, IConstruct } from "constructs";
import type { IngressTarget, NodeAccess } from "../kubernetes/contract";
import type { MetricScope } from "../shared/monitoring";

/**
 * The public entry point of an environment: one load balancer in the network's public
 * subnets that terminates TLS, redirects plain HTTP to HTTPS, runs a web application
 * firewall in front, keeps access logs, and forwards only to the Kubernetes cluster's
 * ingress in the private subnets. Each cloud implements this contract once.
 */
export interface EdgeProps {
  /** Prefix of every resource name, e.g. `siros-prod`; the load balancer is `<name>-edge`. */
  readonly name: string;
  /** Region (Azure: location) the load balancer lives in. */
  readonly region: string;
  /** The network (VPC / VNet / VCN id) of the public and private subnets. */
  readonly networkId: string;
  /** The network's public subnets (one per zone): where the load balancer listens. */
  readonly publicSubnetIds: readonly string[];
  /** What the edge forwards to: the cluster's ingress NodePort, node groups and node access (modules/kubernetes). */
  readonly cluster: { readonly ingress: IngressTarget; readonly nodeAccess: NodeAccess };
  /**
   * Host names the edge serves, e.g. `["app.example.com"]`. With names, the cloud's managed
   * certificate service issues the certificate where it has one (DNS validation). Without,
   * the edge still builds and serves a certificate stored in the cloud's certificate or
   * secret store, named at plan time (see `storedCertificate`).
   * @default [] - a stored certificate, named at plan time
   */
  readonly domains?: readonly string[];
  /**
   * The lowest TLS version the listener accepts; TLS 1.3 is offered wherever the cloud has it.
   * @default "1.2"
   */
  readonly minTlsVersion?: MinTlsVersion;
  /**
   * `prevention` blocks what the managed rules match; `detection` only logs it (dev).
   * @default "prevention"
   */
  readonly wafMode?: WafMode;
  /**
   * Days access (and WAF) logs are kept.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Refuse to delete the load balancer (the cloud's own protection where it has one, and
   * Terraform's `prevent_destroy`).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Tags (Google: labels) for every taggable resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const WAF_MODES = ["prevention", "detection"] as const;
export type WafMode = (typeof WAF_MODES)[number];
export const MIN_TLS_VERSIONS = ["1.2", "1.3"] as const;
export type MinTlsVersion = (typeof MIN_TLS_VERSIONS)[number];

/** What later modules, other stacks and people need; exported as stack outputs. */
export interface EdgeOutputs {
  /** The public address clients reach: an IP address, or the load balancer's DNS name where the cloud gives one. */
  readonly address: string;
  /**
   * The DNS records that prove ownership of `domains` to the managed certificate service
   * (AWS ACM), as a JSON list of `{name, type, value}`; `[]` where no DNS validation applies.
   */
  readonly certificateValidationRecords: string;
  /**
   * The edge's own cloud identity: the Application Gateway's user-assigned identity principal id
   * on Azure (it reads only its certificate's secret); empty where the load balancer has no
   * identity (AWS, Google, OCI, IBM). No load balancer reads the assets bucket: it forwards to the
   * cluster's ingress, which serves them (EDGE_GAPS.azureAssetsIdentity).
   */
  readonly identity: string;
  /**
   * Where the cluster's ingress is registered: the target group ARN (AWS), the backend pool id
   * (Azure), the backend service id (Google), the backend set's name (OCI), the pool id (IBM).
   */
  readonly backendId: string;
  /**
   * How the cloud's monitoring service addresses this module's resources, one scope per
   * monitored load balancer: AWS `{ LoadBalancer, TargetGroup }` (ARN suffixes), Google `{ backend_target_name, forwarding_rule_name }`; the observability module alarms on them. Azure, OCI: the resource id
   * (`{ resourceId }`); IBM: the CRN (`{ crn }`).
   * @default [] - nothing to alarm on
   */
  readonly metricScopes?: readonly MetricScope[];
}

export interface Edge extends IConstruct {
  readonly outputs: EdgeOutputs;
}

export const DEFAULT_EDGE_LOG_RETENTION_DAYS = 90;
export const HTTPS_PORT = 443;
export const HTTP_PORT = 80;
/** What the ingress answers health checks on (the ingress-nginx controller's default health path). */
export const INGRESS_HEALTH_PATH = "/healthz";

export type ResolvedEdgeProps = Required<EdgeProps>;

/** The defaults documented above, applied in one place for every implementation. */
export function resolveEdgeProps(props: EdgeProps): ResolvedEdgeProps {
  return {
    domains: [],
    minTlsVersion: "1.2",
    wafMode: "prevention",
    logRetentionDays: DEFAULT_EDGE_LOG_RETENTION_DAYS,
    deletionProtection: true,
    tags: {},
    ...props,
  };
}

/** The load balancer's name on every cloud. */
export const edgeName = (props: { readonly name: string }): string => `${props.name}-edge`;

/**
 * The placeholder certificate: asked for at plan time as `edge_certificate` when the
 * environment names no domain (or the cloud has no managed certificate service), so that
 * no certificate, key or account-specific id lives in this repository.
 */
export function storedCertificate(scope: Construct, what: string): string {
  return new TerraformVariable(scope, "edge_certificate", {
    type: "string",
    description: `The edge's TLS certificate: ${what}`,
    nullable: false,
  }).stringValue;
}
