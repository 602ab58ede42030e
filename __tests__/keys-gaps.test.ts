import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KEYS_GAPS, gapError } from "../modules/keys/gaps";

const CLOUD_LABELS = { aws: "AWS", azure: "Azure", gcp: "Google Cloud", oci: "Oracle Cloud", ibm: "IBM Cloud" } as const;

describe("declared gaps of the keys module", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

  test.each(Object.entries(KEYS_GAPS))("README's gap table shows %s as declared", (_id, gap) => {
    expect(readme).toContain(`| ${CLOUD_LABELS[gap.cloud]} | ${gap.what} | ${gap.reason} | ${gap.alternative} |`);
  });

  test("every gap names its reason and the nearest alternative in the refusal", () => {
    expect(gapError("ociLogs").message).toBe(
      `keys (oci): ${KEYS_GAPS.ociLogs.what} is not supported: ${KEYS_GAPS.ociLogs.reason}. Instead: ${KEYS_GAPS.ociLogs.alternative}`,
    );
  });
});
