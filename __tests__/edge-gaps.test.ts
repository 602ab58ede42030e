import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EDGE_GAPS, gapError } from "../modules/edge/gaps";

const CLOUD_LABELS = { aws: "AWS", azure: "Azure", gcp: "Google Cloud", oci: "Oracle Cloud", ibm: "IBM Cloud" } as const;

describe("declared gaps of the edge module", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

  test.each(Object.entries(EDGE_GAPS))("README's gap table shows %s as declared", (_id, gap) => {
    expect(readme).toContain(`| ${CLOUD_LABELS[gap.cloud]} | ${gap.what} | ${gap.reason} | ${gap.alternative} |`);
  });

  test("every gap names its reason and the nearest alternative in the refusal", () => {
    expect(gapError("ibmWaf").message).toBe(`edge (ibm): ${EDGE_GAPS.ibmWaf.what} is not supported: ${EDGE_GAPS.ibmWaf.reason}. Instead: ${EDGE_GAPS.ibmWaf.alternative}`);
  });
});
