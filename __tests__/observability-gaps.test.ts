import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALARM_IDS } from "../modules/observability/contract";
import { OBSERVABILITY_GAPS, hasAlarmGap, type ObservabilityGap } from "../modules/observability/gaps";

const CLOUD_LABELS = { aws: "AWS", azure: "Azure", gcp: "Google Cloud", oci: "Oracle Cloud", ibm: "IBM Cloud" } as const;
const gaps: [string, ObservabilityGap][] = Object.entries(OBSERVABILITY_GAPS);

describe("declared gaps of the observability module", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

  test.each(gaps)("README's gap table shows %s as declared", (_id, gap) => {
    expect(readme).toContain(`| ${CLOUD_LABELS[gap.cloud]} | ${gap.what} | ${gap.reason} | ${gap.alternative} |`);
  });

  test("every gap about an alarm names a contract alarm, and hasAlarmGap finds exactly those", () => {
    for (const [, gap] of gaps) if (gap.alarm !== undefined) expect(ALARM_IDS).toContain(gap.alarm);
    for (const cloud of Object.keys(CLOUD_LABELS) as (keyof typeof CLOUD_LABELS)[]) {
      const declared = ALARM_IDS.filter((id) => gaps.some(([, gap]) => gap.cloud === cloud && gap.alarm === id));
      expect(ALARM_IDS.filter((id) => hasAlarmGap(cloud, id))).toEqual(declared);
    }
  });
});
