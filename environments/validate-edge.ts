import { MIN_TLS_VERSIONS, WAF_MODES } from "../modules/edge/contract";
import type { EnvironmentConfig } from "./types";
import { RETENTION_DAYS } from "./validate";

type Report = (field: string, problem: string) => void;

/** A host name every cloud's certificate service accepts: lowercase labels, a dot, at most 253 characters; `*.` only in front. */
const DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** ACM's default limit of names per certificate (the strictest of the managed services). */
export const MAX_EDGE_DOMAINS = 10;

const show = (value: unknown): string => (value === undefined ? "nothing" : JSON.stringify(value));
const listed = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");

/** The edge's knobs (environments/settings/edge.ts), checked once at load like every other setting. */
export function checkEdgeSettings(config: EnvironmentConfig, report: Report): void {
  const edge = config.edge ?? ({} as Partial<EnvironmentConfig["edge"]>);
  checkDomains(edge.domains, report);
  if (!(WAF_MODES as readonly unknown[]).includes(edge.wafMode)) {
    report("edge.wafMode", `${show(edge.wafMode)} is not a WAF mode; valid: ${listed(WAF_MODES)}`);
  } else if (config.highAvailability && edge.wafMode !== "prevention") {
    report("edge.wafMode", `${show(edge.wafMode)} is not allowed in a high-availability environment; use "prevention" so that the WAF blocks what its rules match`);
  }
  if (!(MIN_TLS_VERSIONS as readonly unknown[]).includes(edge.minTlsVersion)) {
    report("edge.minTlsVersion", `${show(edge.minTlsVersion)} is not a supported minimum TLS version; valid: ${listed(MIN_TLS_VERSIONS)}`);
  }
  if (!(RETENTION_DAYS as readonly unknown[]).includes(edge.logRetentionDays)) {
    report("edge.logRetentionDays", `${show(edge.logRetentionDays)} is not a supported retention; valid: ${RETENTION_DAYS.join(", ")}`);
  }
  if (typeof edge.deletionProtection !== "boolean") {
    report("edge.deletionProtection", `${show(edge.deletionProtection)} is not a boolean; use true or false`);
  } else if (config.highAvailability && !edge.deletionProtection) {
    report("edge.deletionProtection", `false is not allowed in a high-availability environment; use true so that the public entry point cannot be deleted by accident`);
  }
}

function checkDomains(domains: unknown, report: Report): void {
  if (!Array.isArray(domains)) {
    report("edge.domains", `${show(domains)} is not a list; use [] or host names such as ["app.example.com"]`);
    return;
  }
  if (domains.length > MAX_EDGE_DOMAINS) {
    report("edge.domains", `${domains.length} names are too many; one certificate covers at most ${MAX_EDGE_DOMAINS}`);
  }
  domains.forEach((domain, i) => {
    if (typeof domain !== "string" || domain.length > 253 || !DOMAIN.test(domain)) {
      report(`edge.domains[${i}]`, `${show(domain)} is not a host name; use lowercase labels of letters, digits and hyphens joined by dots, e.g. "app.example.com" (a leading "*." for a wildcard)`);
    } else if (domains.indexOf(domain) !== i) {
      report(`edge.domains[${i}]`, `${show(domain)} is listed twice; name each host once`);
    }
  });
}
