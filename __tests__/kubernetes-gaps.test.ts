import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KUBERNETES_GAPS, gapError } from "../modules/kubernetes/gaps";

const CLOUD_LABELS = { aws: "AWS", azure: "Azure", gcp: "Google Cloud", oci: "Oracle Cloud", ibm: "IBM Cloud" } as const;

describe("declared gaps of the Kubernetes module", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

  test.each(Object.entries(KUBERNETES_GAPS))("README's gap table shows %s as declared", (_id, gap) => {
    expect(readme).toContain(`| ${CLOUD_LABELS[gap.cloud]} | ${gap.what} | ${gap.reason} | ${gap.alternative} |`);
  });

  test("a refusal names what, why and the nearest alternative", () => {
    expect(gapError("ibmSpot", "(workload pool)").message).toBe(
      `kubernetes (ibm): spot workers (nodePools.*.spot) (workload pool) is not supported: ${KUBERNETES_GAPS.ibmSpot.reason}. Instead: ${KUBERNETES_GAPS.ibmSpot.alternative}`,
    );
  });
});
