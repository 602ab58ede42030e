import type { AlarmId } from "./contract";

/**
 * Where a cloud cannot do what the observability contract promises at the pinned provider
 * versions: declared here, in one place, with the reason and the nearest alternative that
 * the implementation configures instead. README's module table shows them. An alarm a cloud
 * cannot build names its `alarm`; the implementations skip exactly those (`hasAlarmGap`).
 */
export type ObservabilityCloud = "aws" | "azure" | "gcp" | "oci" | "ibm";

export interface ObservabilityGap {
  readonly cloud: ObservabilityCloud;
  /** What the contract promises that this cloud does not do. */
  readonly what: string;
  /** The contract alarm not built on this cloud, when the gap is an alarm. */
  readonly alarm?: AlarmId;
  readonly reason: string;
  /** What the implementation configures instead (never nothing). */
  readonly alternative: string;
}

/* Each cloud's gaps in its own block, so that the five implementations append without touching each other's lines. */
export const OBSERVABILITY_GAPS = {
  // aws

  // azure

  // gcp

  // oci

  // ibm
} as const satisfies Record<string, ObservabilityGap>;

export type ObservabilityGapName = keyof typeof OBSERVABILITY_GAPS;

const GAPS: readonly ObservabilityGap[] = Object.values(OBSERVABILITY_GAPS);

/** True when `cloud` declares `alarm` a gap: its implementation builds the alternative instead. */
export function hasAlarmGap(cloud: ObservabilityCloud, alarm: AlarmId): boolean {
  return GAPS.some((gap) => gap.cloud === cloud && gap.alarm === alarm);
}
