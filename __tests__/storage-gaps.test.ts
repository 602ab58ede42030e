import { readFileSync } from "node:fs";
import { join } from "node:path";
import { STORAGE_GAPS, gapError } from "../modules/storage/gaps";

const CLOUD_LABELS = { aws: "AWS", azure: "Azure", gcp: "Google Cloud", oci: "Oracle Cloud", ibm: "IBM Cloud" } as const;

describe("declared gaps of the storage module", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

  test.each(Object.entries(STORAGE_GAPS))("README's gap table shows %s as declared", (_id, gap) => {
    expect(readme).toContain(`| ${CLOUD_LABELS[gap.cloud]} | ${gap.what} | ${gap.reason} | ${gap.alternative} |`);
  });

  test("a refusal names the cloud, what, why and the nearest alternative", () => {
    expect(gapError("azureComplianceLock", "(backups)").message).toBe(
      `storage (azure): ${STORAGE_GAPS.azureComplianceLock.what} (backups) is not supported: ${STORAGE_GAPS.azureComplianceLock.reason}. Instead: ${STORAGE_GAPS.azureComplianceLock.alternative}`,
    );
  });
});
