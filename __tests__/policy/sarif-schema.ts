import Ajv, { type ValidateFunction } from "ajv-draft-04";
// The official SARIF 2.1.0 (rtm.5) schema, as Microsoft's SARIF matchers package ships it.
import sarifSchema from "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json";

/** A validator for SARIF 2.1.0 logs. The schema is draft-04 with patterns that need non-Unicode regexes. */
export function sarifValidator(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:/i);
  ajv.addFormat("uri-reference", true);
  ajv.addFormat("date-time", true);
  return ajv.compile(sarifSchema);
}
