import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../policy/rules";
import { rulesTable, TABLE_END, TABLE_START } from "../../policy/rules-table";

const ROOT = join(__dirname, "..", "..");

describe("README's policy section", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");

  it("shows the rules table generated from the rules (npm run check -- --rules-table)", () => {
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start, end + TABLE_END.length + 1)).toEqual(rulesTable(RULES));
  });

  it("gives the number of rules, as help does", () => {
    expect(readme).toContain(`${RULES.length} named rules`);
    expect(readFileSync(join(ROOT, "help"), "utf8")).toContain(`policy pack (${RULES.length} rules,`);
  });

  it("lists one row per rule with its id, Checkov id, level, pack, types and title", () => {
    const rows = rulesTable(RULES).split("\n").filter((line) => line.startsWith("| SIROS-"));
    expect(rows).toHaveLength(RULES.length);
    expect(rows).toContain("| SIROS-AWS-KMS-1 | CKV_AWS_7 | error | baseline | `aws_kms_key` | KMS keys rotate their key material |");
  });
});
