import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DATABASE_GAPS } from "../modules/database/gaps";

const CLOUD_LABELS = { aws: "AWS", azure: "Azure", gcp: "Google Cloud", oci: "Oracle Cloud", ibm: "IBM Cloud" } as const;

describe("declared gaps of the database module", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

  test.each(Object.entries(DATABASE_GAPS))("README's gap table shows %s as declared", (_id, gap) => {
    expect(readme).toContain(`| ${CLOUD_LABELS[gap.cloud]} | ${gap.what} | ${gap.reason} | ${gap.alternative} |`);
  });
});
