import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import type { CloudName } from "../environments";
import { AwsKeys } from "../modules/keys/aws";
import { AzureKeys } from "../modules/keys/azure";
import { writeOnlyValue, type Keys } from "../modules/keys/contract";
import { GcpKeys } from "../modules/keys/gcp";
import { IbmKeys } from "../modules/keys/ibm";
import { OciKeys } from "../modules/keys/oci";
import { checkStack, formatFinding, loadConstraints, type StackJson } from "../providers/constraints";
import { globalNameFindings, nameCoverageFindings } from "../providers/constraints-names";
import { synthModule } from "./support/module-stack";

const recorded = loadConstraints();

/**
 * Grants and secrets appear in no stack until a later module adds them, so the provider
 * constraints check runs here on each cloud's keys module with every kind of grant and secret.
 */
const EXERCISED: Record<CloudName, (scope: Construct) => void> = {
  aws: (scope) => exercise(new AwsKeys(scope, "keys", { name: "siros-test", region: "eu-west-1", principals: ["arn:aws:iam::123456789012:role/app"] }), scope, ["object-storage"], true, true),
  azure: (scope) => exercise(new AzureKeys(scope, "keys", { name: "siros-test", region: "westeurope", principals: ["00000000-0000-0000-0000-000000000001"] }), scope, [], false, true),
  gcp: (scope) => exercise(new GcpKeys(scope, "keys", { name: "siros-test", region: "europe-west1", project: "siros-test", principals: ["group:platform@example.com"] }), scope, ["logs", "object-storage"], true, true),
  oci: (scope) => exercise(new OciKeys(scope, "keys", { name: "siros-test", region: "eu-frankfurt-1", compartmentId: "ocid1.compartment.oc1..aaaaaaaaexample", principals: ["group platform-admins"] }), scope, ["object-storage"], true, false),
  ibm: (scope) => exercise(new IbmKeys(scope, "keys", { name: "siros-test", region: "eu-de", resourceGroupId: "0123456789abcdef0123456789abcdef", principals: ["databases-for-postgresql"] }), scope, ["object-storage"], true, false),
};

function exercise(keys: Keys, scope: Construct, services: ("logs" | "object-storage")[], empty: boolean, writeOnly: boolean): void {
  services.forEach((service) => keys.grant({ service }));
  if (empty) keys.addSecret("empty", { name: "api-token", description: "API token" });
  if (writeOnly) {
    const value = new TerraformVariable(scope, "db_password", { type: "string", sensitive: true });
    keys.addSecret("valued", { name: "db-password", description: "Database password", value: writeOnlyValue(value.stringValue) });
  }
}

describe("the keys module's grants and secrets against the providers' recorded validators", () => {
  test.each(Object.keys(EXERCISED) as CloudName[])("%s", (cloud) => {
    const { tf } = synthModule(EXERCISED[cloud]);
    const stack = `keys-${cloud}`;
    const json = tf as unknown as StackJson;
    const findings = [...checkStack(stack, json, recorded).map(formatFinding), ...nameCoverageFindings(stack, json, recorded), ...globalNameFindings(stack, json)];
    expect(findings).toEqual([]);
  });
});
