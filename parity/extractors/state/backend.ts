/**
 * Where a stack's state lives, from its `terraform.backend` block. Every cloud's stack uses
 * the same S3 backend, so one reader serves all five (the registry lists it per cloud).
 */
import type { StackIndex } from "../../../policy/terraform-json";
import type { Observation, Profile } from "../../model";

const ADDRESS = "terraform.backend.s3";

export function stateBackend(stack: StackIndex): Profile {
  const backend = (stack.document.terraform?.backend ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const s3 = backend.s3;
  const at = (value: Observation["value"]): Observation => ({ value, addresses: s3 ? [ADDRESS] : [] });
  if (!s3) {
    const kind = Object.keys(backend)[0] ?? "local";
    return { backend: at(kind), bucket: at(null), region: at(null), lock: at(null), encrypted: at(false) };
  }
  const lock = typeof s3.dynamodb_table === "string" ? `dynamodb:${s3.dynamodb_table}` : s3.use_lockfile === true ? "s3 lockfile" : "none";
  return {
    backend: at("s3"),
    bucket: at(typeof s3.bucket === "string" ? s3.bucket : null),
    region: at(typeof s3.region === "string" ? s3.region : null),
    lock: at(lock),
    encrypted: at(s3.encrypt === true),
  };
}
