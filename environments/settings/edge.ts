import type { MinTlsVersion, WafMode } from "../../modules/edge/contract";

/** The public entry point (modules/edge): domains, WAF mode, TLS floor, log retention, protection. */
export interface EdgeSettings {
  /** Host names served; empty: the edge serves a stored certificate named at plan time (README: the edge). */
  readonly domains: readonly string[];
  /** `prevention` in production-shaped environments; dev may run `detection` (log only). */
  readonly wafMode: WafMode;
  /** Lowest TLS version accepted: "1.2" or "1.3". */
  readonly minTlsVersion: MinTlsVersion;
  /** Days access and WAF logs are kept: one of RETENTION_DAYS. */
  readonly logRetentionDays: number;
  /** The load balancer's deletion protection and `prevent_destroy`; required in production-shaped environments. */
  readonly deletionProtection: boolean;
}
