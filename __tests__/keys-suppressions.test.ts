/**
 * The policy rules the keys module suppresses, on which key and why: only where the
 * environment's data turns the setting off (dev and staging deletion protection), or where
 * the cloud cannot do it for that environment (OCI dev's shared vault does not rotate).
 */
import { KEYS_GAPS } from "../modules/keys/gaps";
import { resources, synthStackFile } from "./support/synth";
import type { CloudName, EnvironmentName } from "../environments";

const UNPROTECTED =
  "deletion protection is off by this environment's keys.deletionProtection setting (refused for prod and dr at load): this environment is rebuilt, not restored";
const OCI_DEV_ROTATION = "only keys in a virtual private vault rotate automatically; dev uses the cheaper shared (DEFAULT) vault; hsm protection (staging, prod, dr) gets a VIRTUAL_PRIVATE vault with automatic rotation; rotate dev's key by hand";

const KEY_TYPES = { aws: "aws_kms_key", gcp: "google_kms_crypto_key", oci: "oci_kms_key" } as const satisfies Partial<Record<CloudName, string>>;

/** The `"//".siros.suppressions` of the environment's key (the keys module's key block), or [] when it has none. */
function keySuppressions(cloud: keyof typeof KEY_TYPES, environment: EnvironmentName): unknown {
  const keys = resources(synthStackFile(cloud, environment), KEY_TYPES[cloud]).filter((k) => String(k["//"]?.metadata?.path).endsWith("/keys/key"));
  expect(keys).toHaveLength(1);
  return keys[0]["//"].siros?.suppressions ?? [];
}

describe("keys module's policy suppressions", () => {
  test("the OCI reason is the declared gap's reason and alternative", () => {
    expect(OCI_DEV_ROTATION).toBe(`${KEYS_GAPS.ociDevRotation.reason}; ${KEYS_GAPS.ociDevRotation.alternative}`);
  });

  test.each([
    ["aws", "dev", [{ rule: "SIROS-AWS-KMS-5", reason: UNPROTECTED }]],
    ["aws", "staging", [{ rule: "SIROS-AWS-KMS-5", reason: UNPROTECTED }]],
    ["aws", "prod", []],
    ["aws", "dr", []],
    ["gcp", "dev", [{ rule: "SIROS-GCP-KMS-2", reason: UNPROTECTED }]],
    ["gcp", "staging", [{ rule: "SIROS-GCP-KMS-2", reason: UNPROTECTED }]],
    ["gcp", "prod", []],
    ["gcp", "dr", []],
    ["oci", "dev", [{ rule: "SIROS-OCI-KMS-1", reason: OCI_DEV_ROTATION }]],
    ["oci", "staging", []],
    ["oci", "prod", []],
    ["oci", "dr", []],
  ] as const)("%s-%s's key carries exactly its suppressions", (cloud, environment, expected) => {
    expect(keySuppressions(cloud, environment)).toEqual(expected);
  });
});
