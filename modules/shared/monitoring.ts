/**
 * How a cloud's monitoring service addresses one resource's metrics, in that cloud's own
 * spelling: CloudWatch dimensions (`{ DBInstanceIdentifier: "siros-prod-pg" }`), Azure and
 * OCI resource ids, Google monitored-resource labels, IBM CRNs. A module lists one scope
 * per monitored resource (one per NAT gateway, one per node pool) in its outputs'
 * `metricScopes`; the observability module of the same cloud reads the keys it documents.
 */
export type MetricScope = Readonly<Record<string, string>>;
